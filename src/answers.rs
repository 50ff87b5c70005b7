//! The one canonical long table of answers that every analysis reads.

use std::collections::HashMap;

use polars::prelude::*;

/// Column names of the Answers table.
pub mod col {
    pub const SOURCE: &str = "source";
    pub const RESPONDENT: &str = "respondent";
    pub const MUNICIPALITY: &str = "municipality";
    pub const UNIT: &str = "unit";
    pub const ROLE: &str = "role";
    pub const POSITION: &str = "position";
    pub const INSTRUMENT: &str = "instrument";
    pub const CONSTRUCT: &str = "construct";
    pub const TARGET: &str = "target";
    pub const ITEM: &str = "item";
    pub const VALUE: &str = "value";
    pub const WAVE: &str = "wave";
}

/// Who answered: the respondent and the grouping columns that travel with every answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Respondent {
    pub id: String,
    pub role: String,
    pub municipality: Option<String>,
    pub unit: Option<String>,
    /// "leader" or "staff", when the export has a position column.
    pub position: Option<String>,
    /// The survey wave (a year, a date or a label), when the inputs have waves.
    pub wave: Option<String>,
}

impl Respondent {
    /// The key under which a respondent may answer once: the id within its wave.
    pub fn key(&self) -> String {
        match &self.wave {
            Some(w) => format!("{w}\u{1f}{}", self.id),
            None => self.id.clone(),
        }
    }
}

/// The canonical answers table: one row per answer, missing answers kept as null values.
///
/// Columns: source, respondent, municipality, unit, role, position, wave, instrument,
/// construct, target, item — each a UInt32 code into [`Names`] — and value (f64; null =
/// missing). Codes are numbered in the sort order of their strings, so sorting or grouping
/// by a code gives the same order as by the text, at a fraction of the memory and time.
#[derive(Debug, Clone)]
pub struct Answers {
    pub df: DataFrame,
    pub names: Names,
}

impl Answers {
    /// The wave labels present, in their order: as `order` gives them (the order the
    /// labelled files were named in), then any others by label — numerically when every
    /// label is a number, else as text (ISO dates sort by time).
    pub fn waves(&self, order: &[String]) -> PolarsResult<Vec<String>> {
        let present = self
            .df
            .column(col::WAVE)?
            .as_materialized_series()
            .drop_nulls()
            .unique()?;
        let mut labels: Vec<String> = present
            .u32()?
            .into_no_null_iter()
            .map(|c| self.names.name(c).to_string())
            .collect();
        let numeric: Option<Vec<f64>> = labels.iter().map(|l| l.trim().parse().ok()).collect();
        match numeric {
            Some(_) => labels.sort_by(|x, y| {
                let (a, b): (f64, f64) = (
                    x.trim().parse().unwrap_or(0.0),
                    y.trim().parse().unwrap_or(0.0),
                );
                a.total_cmp(&b).then_with(|| x.cmp(y))
            }),
            None => labels.sort(),
        }
        let mut out: Vec<String> = Vec::new();
        for w in order {
            if labels.contains(w) && !out.contains(w) {
                out.push(w.clone());
            }
        }
        for l in labels {
            if !out.contains(&l) {
                out.push(l);
            }
        }
        Ok(out)
    }

    /// The answers of one wave, with the same names.
    pub fn only_wave(&self, label: &str) -> PolarsResult<Answers> {
        let df = self
            .df
            .clone()
            .lazy()
            .filter(self.names.is(col::WAVE, label))
            .collect()?;
        Ok(Answers {
            df,
            names: self.names.clone(),
        })
    }
}

/// The strings behind the codes of the Answers table, sorted; a code is an index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(Vec<String>);

impl Names {
    /// The code of `text`, when any answer uses it.
    pub fn code(&self, text: &str) -> Option<u32> {
        self.0
            .binary_search_by(|n| n.as_str().cmp(text))
            .ok()
            .map(|i| i as u32)
    }

    pub fn name(&self, code: u32) -> &str {
        &self.0[code as usize]
    }

    /// An expression that is true where `column` holds `text` (never, when no answer does).
    pub fn is(&self, column: &str, text: &str) -> Expr {
        match self.code(text) {
            Some(c) => polars::prelude::col(column).eq(lit(c)),
            None => lit(false),
        }
    }

    /// The strings of a coded column of `df` (a table derived from the Answers table).
    pub fn strings(&self, df: &DataFrame, column: &str) -> PolarsResult<Vec<Option<String>>> {
        let c = df.column(column)?.cast(&DataType::UInt32)?;
        Ok(c.u32()?
            .iter()
            .map(|v| v.map(|c| self.name(c).to_string()))
            .collect())
    }
}

/// A respondent registered with [`AnswersBuilder::respondent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Who(u32);

/// A question registered with [`AnswersBuilder::question`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked(u32);

/// Collects answers and turns them into an [`Answers`] table. Every string is interned
/// once; an answer costs a respondent handle, a question handle and its value.
#[derive(Debug, Default)]
pub struct AnswersBuilder {
    interned: HashMap<String, u32>,
    names: Vec<String>,
    /// source, respondent, municipality, unit, role, position, wave
    people: Vec<[Option<u32>; 7]>,
    /// instrument, construct, target, item
    questions: Vec<[Option<u32>; 4]>,
    question_index: HashMap<[Option<u32>; 4], u32>,
    who: Vec<u32>,
    asked: Vec<u32>,
    value: Vec<Option<f64>>,
}

/// What one answer is about.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    pub instrument: &'a str,
    pub construct: &'a str,
    pub target: Option<&'a str>,
    pub item: Option<&'a str>,
}

impl AnswersBuilder {
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&c) = self.interned.get(text) {
            return c;
        }
        let c = self.names.len() as u32;
        self.names.push(text.to_string());
        self.interned.insert(text.to_string(), c);
        c
    }

    /// Registers who answered; call once per row and reuse the handle for its answers.
    pub fn respondent(&mut self, source: &str, who: &Respondent) -> Who {
        let person = [
            Some(self.intern(source)),
            Some(self.intern(&who.id)),
            who.municipality.as_deref().map(|m| self.intern(m)),
            who.unit.as_deref().map(|u| self.intern(u)),
            Some(self.intern(&who.role)),
            who.position.as_deref().map(|p| self.intern(p)),
            who.wave.as_deref().map(|w| self.intern(w)),
        ];
        self.people.push(person);
        Who(self.people.len() as u32 - 1)
    }

    /// Registers a question; the same question gives the same handle.
    pub fn question(&mut self, q: Question<'_>) -> Asked {
        let key = [
            Some(self.intern(q.instrument)),
            Some(self.intern(q.construct)),
            q.target.map(|t| self.intern(t)),
            q.item.map(|i| self.intern(i)),
        ];
        if let Some(&i) = self.question_index.get(&key) {
            return Asked(i);
        }
        let i = self.questions.len() as u32;
        self.questions.push(key);
        self.question_index.insert(key, i);
        Asked(i)
    }

    pub fn push(&mut self, who: Who, q: Asked, value: Option<f64>) {
        self.who.push(who.0);
        self.asked.push(q.0);
        self.value.push(value);
    }

    pub fn len(&self) -> usize {
        self.value.len()
    }

    /// How many of the answers pushed so far are missing.
    pub fn missing(&self) -> usize {
        self.value.iter().filter(|v| v.is_none()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// The distinct respondent ids of every source but `except`, for the output audit.
    pub fn ids(&self, except: &str) -> std::collections::HashSet<String> {
        let skip = self.interned.get(except).copied();
        self.people
            .iter()
            .filter(|p| p[0] != skip)
            .filter_map(|p| p[1])
            .map(|id| self.names[id as usize].clone())
            .collect()
    }

    pub fn finish(self) -> PolarsResult<Answers> {
        // Renumber the codes in the sort order of their strings.
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&x, &y| self.names[x as usize].cmp(&self.names[y as usize]));
        let mut renumber = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        let mut names = self.names;
        let mut sorted: Vec<String> = Vec::with_capacity(names.len());
        for &old in &order {
            sorted.push(std::mem::take(&mut names[old as usize]));
        }
        let code = |c: Option<u32>| c.map(|c| renumber[c as usize]);
        let people: Vec<[Option<u32>; 7]> = self.people.iter().map(|p| p.map(code)).collect();
        let questions: Vec<[Option<u32>; 4]> = self.questions.iter().map(|q| q.map(code)).collect();
        // A column of codes: zero-copy from a Vec when nothing is missing (the common case).
        fn coded(name: &str, codes: impl ExactSizeIterator<Item = Option<u32>> + Clone) -> Column {
            let ca = if codes.clone().all(|c| c.is_some()) {
                UInt32Chunked::from_vec(name.into(), codes.flatten().collect())
            } else {
                UInt32Chunked::from_iter_options(name.into(), codes)
            };
            Column::from(ca.into_series())
        }
        let person_column =
            |name: &str, k: usize| coded(name, self.who.iter().map(|&w| people[w as usize][k]));
        let question_column = |name: &str, k: usize| {
            coded(name, self.asked.iter().map(|&q| questions[q as usize][k]))
        };
        let height = self.value.len();
        let df = DataFrame::new(
            height,
            vec![
                person_column(col::SOURCE, 0),
                person_column(col::RESPONDENT, 1),
                person_column(col::MUNICIPALITY, 2),
                person_column(col::UNIT, 3),
                person_column(col::ROLE, 4),
                person_column(col::POSITION, 5),
                person_column(col::WAVE, 6),
                question_column(col::INSTRUMENT, 0),
                question_column(col::CONSTRUCT, 1),
                question_column(col::TARGET, 2),
                question_column(col::ITEM, 3),
                Column::new(col::VALUE.into(), self.value),
            ],
        )?;
        Ok(Answers {
            df,
            names: Names(sorted),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_keeps_missing_answers_as_nulls() {
        let mut b = AnswersBuilder::default();
        let who = Respondent {
            id: "r1".into(),
            role: "Læge".into(),
            ..Default::default()
        };
        let q = Question {
            instrument: "rc",
            construct: "timely",
            target: Some("Sygeplejerske"),
            item: None,
        };
        let r = b.respondent("staff", &who);
        let q = b.question(q);
        b.push(r, q, Some(4.0));
        b.push(r, q, None);
        let a = b.finish().unwrap();
        assert_eq!(a.df.height(), 2);
        assert_eq!(a.df.column(col::VALUE).unwrap().null_count(), 1);
        assert_eq!(a.df.column(col::UNIT).unwrap().null_count(), 2);
    }

    #[test]
    fn codes_sort_like_their_strings() {
        let mut b = AnswersBuilder::default();
        for (id, role) in [
            ("r2", "Sygeplejerske"),
            ("r1", "Læge"),
            ("r3", "Jobkonsulent"),
        ] {
            let who = Respondent {
                id: id.into(),
                role: role.into(),
                ..Default::default()
            };
            let r = b.respondent("staff", &who);
            let q = b.question(Question {
                instrument: "rc",
                construct: "timely",
                target: Some("Læge"),
                item: None,
            });
            b.push(r, q, Some(3.0));
        }
        let a = b.finish().unwrap();
        let sorted =
            a.df.sort([col::ROLE], SortMultipleOptions::default())
                .unwrap();
        assert_eq!(
            a.names.strings(&sorted, col::ROLE).unwrap(),
            ["Jobkonsulent", "Læge", "Sygeplejerske"].map(|s| Some(s.to_string()))
        );
        assert_eq!(a.names.code("Læge"), a.names.code("Læge"));
        assert_eq!(a.names.code("nobody"), None);
    }

    fn with_waves(waves: &[&str]) -> Answers {
        let mut b = AnswersBuilder::default();
        for (i, w) in waves.iter().enumerate() {
            let who = Respondent {
                id: format!("r{i}"),
                role: "A".into(),
                wave: Some(w.to_string()),
                ..Default::default()
            };
            let r = b.respondent("staff", &who);
            let q = b.question(Question {
                instrument: "rc",
                construct: "timely",
                target: Some("B"),
                item: None,
            });
            b.push(r, q, Some(3.0));
        }
        b.finish().unwrap()
    }

    #[test]
    fn waves_are_ordered_as_given_else_by_number_else_by_text() {
        let a = with_waves(&["2025", "9", "2024"]);
        assert_eq!(a.waves(&[]).unwrap(), ["9", "2024", "2025"]);
        assert_eq!(a.waves(&["2025".into()]).unwrap(), ["2025", "9", "2024"]);
        // Staff and citizens labelled alike give each wave once.
        let order: Vec<String> = ["2024", "2025", "2024", "2025"].map(String::from).to_vec();
        assert_eq!(a.waves(&order).unwrap(), ["2024", "2025", "9"]);
        let b = with_waves(&["2025-03-01", "2024-11-15", "baseline"]);
        assert_eq!(
            b.waves(&[]).unwrap(),
            ["2024-11-15", "2025-03-01", "baseline"]
        );
        assert_eq!(b.only_wave("baseline").unwrap().df.height(), 1);
    }
}
