//! The codebook: a TOML file that says what each column of an export means.
//!
//! ```toml
//! missing = ["9", "99"]            # codes meaning "no answer", besides the built-in ones
//! header_rows = 1                   # rows above the data, the names first (optional)
//!
//! [columns]                         # which columns hold who answered
//! respondent = "ResponseId"
//! role = "Q2"
//! unit = "Afdeling"                 # municipality, unit, position: optional
//!
//! [positions]                       # raw position values → leader or staff (optional)
//! "Leder med personaleansvar" = "leader"
//!
//! [scales.enighed]                  # a label set of your own (values 1–5)
//! "Helt uenig" = 1
//!
//! [[items]]                         # one per answer column
//! column = "Q5_1"
//! instrument = "rc"                 # rc, or the name of a custom instrument
//! construct = "timely"              # for rc: one of the seven dimensions
//! target = "Jobkonsulent"           # for rc: the rated role
//! scale = "enighed"                 # optional: a [scales] name or a built-in scale
//! reverse = false                   # optional: reverse-scored (1 ↔ 5)
//! group = "framing"                 # for leadership items: the dimension's group
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{InputError, Problem};
use crate::input::labels;
use crate::instruments::{rc_dimension, LEADERSHIP, RC, RC_DIMENSIONS};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    #[serde(default)]
    pub missing: Vec<String>,
    pub header_rows: Option<usize>,
    #[serde(default)]
    pub columns: Columns,
    #[serde(default)]
    pub positions: BTreeMap<String, String>,
    #[serde(default)]
    pub scales: BTreeMap<String, BTreeMap<String, f64>>,
    #[serde(default)]
    pub items: Vec<Item>,
    /// Where the codebook was read from (not part of the TOML).
    #[serde(skip)]
    pub path: PathBuf,
}

/// Export column names of the respondent, grouping and long-layout columns.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub respondent: Option<String>,
    pub role: Option<String>,
    pub municipality: Option<String>,
    pub unit: Option<String>,
    pub position: Option<String>,
    pub target: Option<String>,
    pub dimension: Option<String>,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub column: String,
    pub instrument: String,
    pub construct: String,
    pub target: Option<String>,
    pub item: Option<String>,
    /// The group of a leadership item (framing, engaging, involving, or your own).
    pub group: Option<String>,
    pub scale: Option<String>,
    #[serde(default)]
    pub reverse: bool,
}

/// Reads and checks a codebook; every problem is reported with its line in the TOML.
pub fn load(path: &Path) -> Result<Codebook, InputError> {
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Unreadable {
        file: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<Codebook, InputError> {
    let mut book: Codebook = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| 1 + text[..s.start].matches('\n').count() as u64);
        InputError::Problems {
            file: path.to_path_buf(),
            problems: vec![Problem::at(line, None, e.message().trim().to_string())],
        }
    })?;
    book.path = path.to_path_buf();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map_or(1, |i| i as u64 + 1)
    };
    let mut problems = Vec::new();
    for (name, scale) in &book.scales {
        for (label, value) in scale {
            if !(1.0..=5.0).contains(value) {
                problems.push(Problem::at(
                    line_of(&format!("{label:?}")),
                    None,
                    format!("scale \"{name}\": label \"{label}\" has the value {value}; values lie on the 1–5 scale"),
                ));
            }
        }
    }
    for (raw, position) in &book.positions {
        if !["leader", "staff"].contains(&position.as_str()) {
            problems.push(Problem::at(
                line_of(&format!("{raw:?}")),
                None,
                format!("position \"{raw}\" maps to \"{position}\"; use leader or staff"),
            ));
        }
    }
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for item in &mut book.items {
        let line = line_of(&format!("\"{}\"", item.column));
        if seen.insert(&item.column, ()).is_some() {
            problems.push(Problem::at(
                line,
                None,
                format!("column \"{}\" has two items", item.column),
            ));
        }
        if let Some(scale) = &item.scale {
            if !book.scales.contains_key(scale) && labels::builtin(scale).is_none() {
                problems.push(Problem::at(
                    line,
                    None,
                    format!(
                        "item \"{}\": scale \"{scale}\" is neither in [scales] nor built in ({})",
                        item.column,
                        labels::BUILTIN_SCALES.join(", ")
                    ),
                ));
            }
        }
        if item.instrument.trim().is_empty() {
            problems.push(Problem::at(
                line,
                None,
                format!("item \"{}\": the instrument is empty", item.column),
            ));
        }
        if item.instrument == LEADERSHIP
            && item.group.as_deref().is_none_or(|g| g.trim().is_empty())
        {
            problems.push(Problem::at(
                line,
                None,
                format!("item \"{}\": a leadership item needs its group (framing, engaging, involving, or your own)", item.column),
            ));
        }
        if item.instrument == RC {
            match rc_dimension(&item.construct) {
                Some(d) => item.construct = d.to_string(),
                None => problems.push(Problem::at(
                    line,
                    None,
                    format!(
                        "item \"{}\": \"{}\" is not a relational-coordination dimension; expected one of {}",
                        item.column,
                        item.construct,
                        RC_DIMENSIONS.map(|(d, _)| d).join(", ")
                    ),
                )),
            }
            if item.target.as_deref().is_none_or(|t| t.trim().is_empty()) {
                problems.push(Problem::at(
                    line,
                    None,
                    format!(
                        "item \"{}\": an rc item needs the rated role as target",
                        item.column
                    ),
                ));
            }
        }
    }
    crate::error::refuse(path, problems)?;
    Ok(book)
}

impl Codebook {
    /// The label scale of a codebook or built-in name.
    pub fn scale(&self, name: &str) -> Option<labels::Scale> {
        match self.scales.get(name) {
            Some(map) => Some(labels::Scale {
                name: name.to_string(),
                labels: map
                    .iter()
                    .map(|(l, v)| (labels::normalize_label(l), *v))
                    .collect(),
            }),
            None => labels::builtin(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
missing = ["9"]
[columns]
respondent = "ResponseId"
role = "Faggruppe"
[positions]
"Leder" = "leader"
[scales.enighed]
"Helt uenig" = 1
"Helt enig" = 5
[[items]]
column = "Q5_1"
instrument = "rc"
construct = "Timely"
target = "Jobkonsulent"
scale = "enighed"
reverse = true
"#;

    #[test]
    fn a_codebook_is_read_and_its_dimension_names_made_canonical() {
        let book = parse(Path::new("cb.toml"), GOOD).unwrap();
        assert_eq!(book.columns.respondent.as_deref(), Some("ResponseId"));
        assert_eq!(book.items[0].construct, "timely");
        assert!(book.items[0].reverse);
        assert_eq!(book.scale("enighed").unwrap().value("helt ENIG"), Some(5.0));
        assert_eq!(
            book.scale("quality").unwrap().value("Meget godt"),
            Some(5.0)
        );
    }

    #[test]
    fn toml_errors_name_the_line() {
        let err = parse(
            Path::new("cb.toml"),
            "missing = [\"9\"]\n[columns]\nrespondant = \"x\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("cb.toml:3: unknown field `respondant`"),
            "{err}"
        );
    }

    #[test]
    fn every_meaning_problem_is_listed() {
        let text = GOOD
            .replace("\"Helt enig\" = 5", "\"Helt enig\" = 7")
            .replace("scale = \"enighed\"", "scale = \"nope\"")
            .replace("construct = \"Timely\"", "construct = \"speed\"")
            + "[[items]]\ncolumn = \"Q5_1\"\ninstrument = \"custom\"\nconstruct = \"x\"\n";
        let err = parse(Path::new("cb.toml"), &text).unwrap_err().to_string();
        assert!(err.contains("label \"Helt enig\" has the value 7"), "{err}");
        assert!(err.contains("scale \"nope\" is neither"), "{err}");
        assert!(
            err.contains("\"speed\" is not a relational-coordination dimension"),
            "{err}"
        );
        assert!(err.contains("column \"Q5_1\" has two items"), "{err}");
    }
}
