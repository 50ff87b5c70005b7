//! Normalizes a leader-relations file (long or wide) into the Answers: each leader
//! rates how important each relation to another leader is, and how well it works.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::answers::{AnswersBuilder, Asked, Question, Respondent};
use crate::config::Settings;
use crate::error::{InputError, Problem};
use crate::input::labels::{self, parse_answer, Scale};
use crate::input::read::Table;
use crate::instruments::{FUNCTIONING, IMPORTANCE, RELATIONS};
use crate::texts::Texts;

/// A leader within a wave: the numbers of the wave (if any) and the id.
type Key = (Option<u32>, u32);

/// The source name of leader-relation answers in the Answers.
pub const SOURCE: &str = "leaders";
/// The role every rater in a leader-relations file has.
pub const LEADER_ROLE: &str = "leader";

/// What normalizing one leaders file found.
#[derive(Debug, Clone)]
pub struct LeadersFile {
    /// "long" or "wide".
    pub layout: &'static str,
    pub rows: usize,
    /// Distinct leaders in the leader column.
    pub leaders: usize,
    /// Leaders who rated at least one relation.
    pub raters: usize,
    /// Rows that rate no relation (every importance and functioning missing).
    pub unrated_rows: usize,
    pub ignored_columns: Vec<String>,
    /// Answer-level problems read as missing under `lenient`.
    pub problems: Vec<Problem>,
}

/// One relation rated on a row: the counterpart, and the column and cell of each answer
/// (`usize::MAX` for a column the layout does not have).
struct Rating<'r> {
    line: u64,
    counterpart: &'r str,
    importance: (usize, &'r str),
    functioning: (usize, &'r str),
}

/// Reads the long layout (leader, counterpart, importance, functioning) or the wide one
/// (leader, importance:<counterpart>, functioning:<counterpart>); municipality and unit
/// are optional in both.
pub fn normalize(
    table: &Table,
    settings: &Settings,
    lenient: bool,
    answers: &mut AnswersBuilder,
) -> Result<LeadersFile, InputError> {
    let leader = table
        .find("leader")
        .ok_or_else(|| InputError::MissingColumn {
            file: table.file.clone(),
            column: "leader".into(),
            found: table.headers.join(", "),
        })?;
    let municipality = table.find("municipality");
    let unit = table.find("unit");
    let long = [
        table.find("counterpart"),
        table.find("importance"),
        table.find("functioning"),
    ];
    let wide: Vec<(usize, &'static str, String)> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let (kind, who) = h.split_once(':')?;
            let kind = match kind.trim().to_lowercase().as_str() {
                "importance" => IMPORTANCE,
                "functioning" => FUNCTIONING,
                _ => return None,
            };
            Some((i, kind, who.trim().to_string()))
        })
        .collect();
    let (layout, mut used) = match long {
        [Some(c), Some(i), Some(f)] => ("long", vec![c, i, f]),
        _ if !wide.is_empty() => ("wide", wide.iter().map(|w| w.0).collect()),
        _ => {
            return Err(InputError::Usage(format!(
                "{}: no relation columns; expected counterpart, importance and functioning (long layout) or importance:<leader> and functioning:<leader> (wide layout)",
                table.file.display()
            )))
        }
    };
    used.extend([Some(leader), municipality, unit].into_iter().flatten());

    let importance_scale = labels::builtin("importance").expect("built in");
    let functioning_scale = labels::builtin("quality").expect("built in");
    let mut row_problems = Vec::new();
    let mut answer_problems = Vec::new();
    // Every text below by its number: a leader is keyed by their id within their wave, and
    // a file of a national survey has hundreds of thousands of rows, where a key made as a
    // string was several allocations a row.
    let mut texts = Texts::default();
    let mut seen: FxHashMap<(Key, u32), u64> = FxHashMap::default();
    let mut raters: FxHashSet<Key> = FxHashSet::default();
    let mut unrated_rows = 0;
    let mut groups: FxHashMap<Key, (Option<u32>, Option<u32>, u64)> = FxHashMap::default();
    // The two questions about each counterpart, asked once.
    let mut asked: FxHashMap<u32, [Asked; 2]> = FxHashMap::default();

    let rows = table.each_row(|row| {
        let text = |i: usize| row.fields[i].trim();
        let optional = |i: Option<usize>| i.map(text).filter(|s| !s.is_empty());
        let who = Respondent {
            id: text(leader),
            role: LEADER_ROLE,
            municipality: optional(municipality),
            unit: optional(unit),
            position: Some("leader"),
            wave: row.wave.as_deref(),
        };
        if who.id.is_empty() {
            row_problems.push(Problem::at(
                row.line,
                Some(&table.headers[leader]),
                "the leader's name is empty",
            ));
            return;
        }
        let mut code = |t: &str| texts.add(t).0;
        let key: Key = (who.wave.map(&mut code), code(who.id));
        let (m, u) = (who.municipality.map(&mut code), who.unit.map(&mut code));
        match groups.get(&key) {
            Some((gm, gu, first)) if (*gm, *gu) != (m, u) => row_problems.push(Problem::at(
                row.line,
                None,
                format!(
                    "leader \"{}\" has another municipality or unit than on line {first}",
                    who.id
                ),
            )),
            Some(_) => {}
            None => {
                groups.insert(key, (m, u, row.line));
            }
        }
        let ratings: Vec<Rating> = match long {
            [Some(c), Some(i), Some(f)] => vec![Rating {
                line: row.line,
                counterpart: text(c),
                importance: (i, &row.fields[i]),
                functioning: (f, &row.fields[f]),
            }],
            _ => {
                let mut by_counterpart: Vec<Rating> = Vec::new();
                for (i, kind, counterpart) in &wide {
                    let slot = match by_counterpart
                        .iter()
                        .position(|r| r.counterpart == counterpart)
                    {
                        Some(p) => p,
                        None => {
                            by_counterpart.push(Rating {
                                line: row.line,
                                counterpart,
                                importance: (usize::MAX, ""),
                                functioning: (usize::MAX, ""),
                            });
                            by_counterpart.len() - 1
                        }
                    };
                    let cell = (*i, &row.fields[*i]);
                    if *kind == IMPORTANCE {
                        by_counterpart[slot].importance = cell;
                    } else {
                        by_counterpart[slot].functioning = cell;
                    }
                }
                by_counterpart
            }
        };
        let mut rated = false;
        for r in ratings {
            let mut read = |(index, raw): &(usize, &str), scale: &Scale| -> Option<f64> {
                if *index == usize::MAX {
                    return None;
                }
                match parse_answer(raw, scale, |x| settings.is_missing(x)) {
                    Ok(v) => v,
                    Err(msg) => {
                        answer_problems.push(Problem::at(
                            r.line,
                            Some(&table.headers[*index]),
                            msg,
                        ));
                        None
                    }
                }
            };
            let importance = read(&r.importance, &importance_scale);
            let functioning = read(&r.functioning, &functioning_scale);
            if importance.is_none() && functioning.is_none() {
                continue; // this relation was not rated
            }
            if r.counterpart.is_empty() {
                row_problems.push(Problem::at(
                    r.line,
                    Some("counterpart"),
                    "the counterpart is empty",
                ));
                continue;
            }
            if r.counterpart == who.id {
                row_problems.push(Problem::at(
                    r.line,
                    None,
                    format!("leader \"{}\" rates their relation to themself", who.id),
                ));
                continue;
            }
            let counterpart = texts.add(r.counterpart).0;
            if let Some(first) = seen.insert((key, counterpart), r.line) {
                row_problems.push(Problem::at(
                    r.line,
                    None,
                    format!(
                        "leader \"{}\" already rated the relation to \"{}\" on line {first}",
                        who.id, r.counterpart
                    ),
                ));
                continue;
            }
            raters.insert(key);
            rated = true;
            let person = answers.respondent(SOURCE, &who);
            let questions = match asked.get(&counterpart) {
                Some(&q) => q,
                None => {
                    let q = [IMPORTANCE, FUNCTIONING].map(|construct| {
                        answers.question(Question {
                            instrument: RELATIONS,
                            construct,
                            target: Some(r.counterpart),
                            item: None,
                        })
                    });
                    asked.insert(counterpart, q);
                    q
                }
            };
            for (q, value) in questions.into_iter().zip([importance, functioning]) {
                answers.push(person, q, value);
            }
        }
        if !rated {
            unrated_rows += 1;
        }
    })?;
    let problems = crate::error::settle(&table.file, lenient, row_problems, answer_problems)?;
    Ok(LeadersFile {
        layout,
        rows,
        leaders: groups.len(),
        raters: raters.len(),
        unrated_rows,
        ignored_columns: (0..table.headers.len())
            .filter(|i| !used.contains(i))
            .map(|i| table.headers[i].clone())
            .collect(),
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::col;
    use crate::input::read::{parse_table, ReadOptions};
    use std::path::Path;

    fn run(text: &str) -> Result<(LeadersFile, crate::answers::Answers), InputError> {
        let t = parse_table(
            Path::new("leaders.csv"),
            text.as_bytes(),
            ReadOptions::default(),
        )
        .unwrap();
        let mut b = AnswersBuilder::default();
        let f = normalize(&t, &Settings::default(), false, &mut b)?;
        Ok((f, b.finish().unwrap()))
    }

    #[test]
    fn long_and_wide_layouts_give_the_same_answers() {
        let (lf, long) = run("leader,counterpart,importance,functioning,unit\nAnne,Bo,5,2,Skole\nBo,Anne,Meget vigtigt,Godt,Job\n").unwrap();
        let (wf, wide) = run("leader,unit,importance:Bo,functioning:Bo,importance:Anne,functioning:Anne\nAnne,Skole,5,2,,\nBo,Job,,,5,4\n").unwrap();
        assert_eq!((lf.layout, wf.layout), ("long", "wide"));
        assert_eq!((lf.raters, wf.raters), (2, 2));
        let values = |a: &crate::answers::Answers| -> Vec<Option<f64>> {
            a.long()
                .unwrap()
                .column(col::VALUE)
                .unwrap()
                .f64()
                .unwrap()
                .iter()
                .collect()
        };
        assert_eq!(values(&long), [Some(5.0), Some(2.0), Some(5.0), Some(4.0)]);
        assert_eq!(values(&long), values(&wide));
    }

    #[test]
    fn a_leader_is_one_rater_within_each_wave() {
        // The same leader rates the same counterpart in two waves: not twice. A leader in
        // another unit in the other wave is no clash either; within one wave it is.
        let waved = |rows: &str| {
            let text = format!("leader,counterpart,importance,functioning,unit,wave\n{rows}");
            let mut t = parse_table(
                Path::new("leaders.csv"),
                text.as_bytes(),
                ReadOptions::default(),
            )
            .unwrap();
            t.wave_column(5);
            normalize(
                &t,
                &Settings::default(),
                false,
                &mut AnswersBuilder::default(),
            )
        };
        let f =
            waved("Anne,Bo,5,2,Skole,2024\nAnne,Bo,4,3,Job,2025\nBo,Anne,3,3,Job,2025\n").unwrap();
        assert_eq!((f.leaders, f.raters), (3, 3));
        let err = waved("Anne,Bo,5,2,Skole,2024\nAnne,Bo,4,3,Job,2024\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "leaders.csv:3: leader \"Anne\" has another municipality or unit than on line 2"
            ),
            "{err}"
        );
        assert!(
            err.contains(
                "leaders.csv:3: leader \"Anne\" already rated the relation to \"Bo\" on line 2"
            ),
            "{err}"
        );
    }

    #[test]
    fn rating_oneself_and_rating_twice_are_errors() {
        let err = run("leader,counterpart,importance,functioning\nAnne,Anne,5,2\nAnne,Bo,4,4\nAnne,Bo,3,3\nCarl,Bo,9,2\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("leaders.csv:2: leader \"Anne\" rates their relation to themself"),
            "{err}"
        );
        assert!(
            err.contains(
                "leaders.csv:4: leader \"Anne\" already rated the relation to \"Bo\" on line 3"
            ),
            "{err}"
        );
        assert!(
            err.contains("leaders.csv:5: column \"importance\": \"9\" is not an answer"),
            "{err}"
        );
    }
}
