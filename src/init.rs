//! `relcap init`: a draft codebook written from an export's header.

use std::fmt::Write as _;

use crate::input::read::Table;
use crate::instruments::{rc_dimension, RC_DIMENSIONS};

/// Header names (lower case) that are taken for each grouping column.
const GUESSES: [(&str, &[&str]); 5] = [
    (
        "respondent",
        &[
            "respondent",
            "respondent_id",
            "respondentid",
            "respondent id",
            "responseid",
            "id",
            "løbenummer",
        ],
    ),
    (
        "role",
        &[
            "role",
            "rolle",
            "faggruppe",
            "workgroup",
            "profession",
            "funktion",
        ],
    ),
    ("municipality", &["municipality", "kommune"]),
    ("unit", &["unit", "enhed", "afdeling", "team"]),
    ("position", &["position", "stilling", "ledelsesniveau"]),
];

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The text of a draft codebook for `table`: grouping columns guessed from their names,
/// `<dimension>:<target>` columns written as rc items, every other column as a
/// commented-out item to fill in.
pub fn draft(table: &Table) -> String {
    let mut out = String::new();
    let file = table.file.display();
    let _ = writeln!(
        out,
        "# relcap codebook, drafted by `relcap init` from {file}."
    );
    let _ = writeln!(
        out,
        "# Check every entry, fill in each TODO, and delete what you do not need;"
    );
    let _ = writeln!(
        out,
        "# the README's \"Codebook\" section explains every key.\n"
    );
    if table.header_rows != 1 {
        let _ = writeln!(out, "header_rows = {}\n", table.header_rows);
    }
    let _ = writeln!(
        out,
        "# Codes that mean \"no answer\", besides blank, NA, Ved ikke, Ikke relevant,"
    );
    let _ = writeln!(
        out,
        "# Don't know and Not applicable; for example [\"9\", \"99\"]."
    );
    let _ = writeln!(out, "missing = []\n");
    let _ = writeln!(out, "[columns]");
    let mut taken = Vec::new();
    for (key, names) in GUESSES {
        let found = table
            .headers
            .iter()
            .position(|h| names.contains(&h.trim().to_lowercase().as_str()) && !taken.contains(&h));
        match (found, key) {
            (Some(i), _) => {
                taken.push(&table.headers[i]);
                let _ = writeln!(out, "{key} = {}", quote(&table.headers[i]));
            }
            (None, "respondent") => {
                let _ = writeln!(
                    out,
                    "respondent = \"TODO\"  # the column with the respondent id"
                );
            }
            (None, "role") => {
                let _ = writeln!(
                    out,
                    "role = \"TODO\"  # the column with the respondent's own role"
                );
            }
            (None, _) => {
                let _ = writeln!(out, "# {key} = \"\"");
            }
        }
    }
    let _ = writeln!(
        out,
        "\n# Raw position values and whether they are leader or staff (optional):"
    );
    let _ = writeln!(
        out,
        "# [positions]\n# \"Leder\" = \"leader\"\n# \"Medarbejder\" = \"staff\""
    );

    let mut unknown = Vec::new();
    for (i, header) in table.headers.iter().enumerate() {
        if taken.contains(&header) {
            continue;
        }
        let rc = header
            .split_once(':')
            .and_then(|(d, t)| rc_dimension(d).map(|d| (d, t.trim())));
        match rc {
            Some((dimension, target)) if !target.is_empty() => {
                let _ = writeln!(out, "\n[[items]]");
                let _ = writeln!(out, "column = {}", quote(header));
                let _ = writeln!(
                    out,
                    "instrument = \"rc\"\nconstruct = {}\ntarget = {}",
                    quote(dimension),
                    quote(target)
                );
            }
            _ => unknown.push(i),
        }
    }
    if !unknown.is_empty() {
        let dims = RC_DIMENSIONS.map(|(d, _)| d).join(", ");
        let _ = writeln!(
            out,
            "\n# Columns not recognised. To read one as answers, remove the # in front of"
        );
        let _ = writeln!(
            out,
            "# its lines and fill in the TODOs; rc constructs are {dims}."
        );
        for i in unknown {
            let header = &table.headers[i];
            let _ = writeln!(out, "\n# [[items]]");
            match table
                .descriptions
                .as_ref()
                .and_then(|d| d.get(i))
                .filter(|d| !d.trim().is_empty())
            {
                Some(text) => {
                    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let _ = writeln!(out, "# column = {}  # {}", quote(header), text);
                }
                None => {
                    let _ = writeln!(out, "# column = {}", quote(header));
                }
            }
            let _ = writeln!(
                out,
                "# instrument = \"rc\"\n# construct = \"TODO\"\n# target = \"TODO\""
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::codebook;
    use crate::input::read::{parse_table, ReadOptions};
    use std::path::Path;

    #[test]
    fn a_draft_of_a_default_convention_file_reads_back_as_a_codebook() {
        let t = parse_table(
            Path::new("s.csv"),
            "Respondent,Rolle,Kommune,timely:Læge,shared_goals:Pæd \"A\",StartDate\nr1,Læge,X,4,5,2024\n".as_bytes(),
            ReadOptions::default(),
        )
        .unwrap();
        let text = draft(&t);
        let book = codebook::parse(Path::new("cb.toml"), &text).unwrap();
        assert_eq!(book.columns.respondent.as_deref(), Some("Respondent"));
        assert_eq!(book.columns.role.as_deref(), Some("Rolle"));
        assert_eq!(book.columns.municipality.as_deref(), Some("Kommune"));
        assert_eq!(book.items.len(), 2);
        assert_eq!(book.items[1].target.as_deref(), Some("Pæd \"A\""));
        assert!(text.contains("# column = \"StartDate\""));
    }

    #[test]
    fn unknown_required_columns_are_marked_todo_and_question_texts_kept() {
        let t = parse_table(
            Path::new("q.csv"),
            b"ResponseId,Q2,Q5_1\nResponse ID,Your role,How timely is Jobcenter?\n{\"ImportId\":\"_recordId\"},{\"ImportId\":\"QID2\"},{\"ImportId\":\"QID5_1\"}\nR_1,L,4\n",
            ReadOptions::default(),
        )
        .unwrap();
        let text = draft(&t);
        assert!(text.contains("header_rows = 3"));
        assert!(text.contains("respondent = \"ResponseId\""));
        assert!(text.contains("role = \"TODO\""));
        assert!(text.contains("# column = \"Q5_1\"  # How timely is Jobcenter?"));
    }
}
