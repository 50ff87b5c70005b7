//! The one canonical long table of answers that every analysis reads.

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
}

/// The canonical answers table: one row per answer, missing answers kept as null values.
///
/// Columns: source, respondent, municipality, unit, role, position, instrument,
/// construct, target, item, value (f64; null = missing).
#[derive(Debug, Clone)]
pub struct Answers {
    pub df: DataFrame,
}

/// Collects answers column by column and turns them into an [`Answers`] table.
#[derive(Debug, Default)]
pub struct AnswersBuilder {
    source: Vec<String>,
    respondent: Vec<String>,
    municipality: Vec<Option<String>>,
    unit: Vec<Option<String>>,
    role: Vec<String>,
    position: Vec<Option<String>>,
    instrument: Vec<String>,
    construct: Vec<String>,
    target: Vec<Option<String>>,
    item: Vec<Option<String>>,
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
    pub fn push(&mut self, source: &str, who: &Respondent, q: Question<'_>, value: Option<f64>) {
        self.source.push(source.to_string());
        self.respondent.push(who.id.clone());
        self.municipality.push(who.municipality.clone());
        self.unit.push(who.unit.clone());
        self.role.push(who.role.clone());
        self.position.push(who.position.clone());
        self.instrument.push(q.instrument.to_string());
        self.construct.push(q.construct.to_string());
        self.target.push(q.target.map(str::to_string));
        self.item.push(q.item.map(str::to_string));
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

    pub fn finish(self) -> PolarsResult<Answers> {
        let height = self.value.len();
        let df = DataFrame::new(
            height,
            vec![
                Column::new(col::SOURCE.into(), self.source),
                Column::new(col::RESPONDENT.into(), self.respondent),
                Column::new(col::MUNICIPALITY.into(), self.municipality),
                Column::new(col::UNIT.into(), self.unit),
                Column::new(col::ROLE.into(), self.role),
                Column::new(col::POSITION.into(), self.position),
                Column::new(col::INSTRUMENT.into(), self.instrument),
                Column::new(col::CONSTRUCT.into(), self.construct),
                Column::new(col::TARGET.into(), self.target),
                Column::new(col::ITEM.into(), self.item),
                Column::new(col::VALUE.into(), self.value),
            ],
        )?;
        Ok(Answers { df })
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
        b.push("staff", &who, q, Some(4.0));
        b.push("staff", &who, q, None);
        let a = b.finish().unwrap();
        assert_eq!(a.df.height(), 2);
        assert_eq!(a.df.column(col::VALUE).unwrap().null_count(), 1);
        assert_eq!(a.df.column(col::UNIT).unwrap().null_count(), 2);
    }
}
