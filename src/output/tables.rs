//! The CSV tables: long role pairs, the wide matrix, units, municipalities, dimensions.

use std::collections::BTreeSet;

use csv::Writer;

use super::number;
use crate::results::{Estimate, Rc};

type Csv = csv::Result<Vec<u8>>;

const ESTIMATE_HEADER: [&str; 7] = [
    "score",
    "sd",
    "n",
    "ci_low",
    "ci_high",
    "band",
    "suppressed",
];

fn estimate_fields(e: &Estimate) -> [String; 7] {
    [
        number(e.score),
        number(e.sd),
        e.n.to_string(),
        number(e.ci_low),
        number(e.ci_high),
        e.band.clone().unwrap_or_default(),
        e.suppressed.to_string(),
    ]
}

fn finish(w: Writer<Vec<u8>>) -> Csv {
    w.into_inner().map_err(|e| e.into_error().into())
}

/// pairs.csv: one row per directed role pair.
pub fn pairs(rc: &Rc) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record(["rater_role", "target_role"].iter().chain(&ESTIMATE_HEADER))?;
    for p in &rc.pairs {
        let mut row = vec![p.rater_role.clone(), p.target_role.clone()];
        row.extend(estimate_fields(&p.estimate));
        w.write_record(row)?;
    }
    finish(w)
}

/// matrix.csv: rater roles as rows, rated roles as columns, the cell score in each cell;
/// an empty cell is a suppressed pair or a pair nobody rated (see pairs.csv for which).
pub fn matrix(rc: &Rc) -> Csv {
    let raters: BTreeSet<&str> = rc.pairs.iter().map(|p| p.rater_role.as_str()).collect();
    let targets: BTreeSet<&str> = rc.pairs.iter().map(|p| p.target_role.as_str()).collect();
    let mut w = Writer::from_writer(Vec::new());
    w.write_record(std::iter::once("rater_role").chain(targets.iter().copied()))?;
    for r in &raters {
        let mut row = vec![r.to_string()];
        for t in &targets {
            let score = rc
                .pairs
                .iter()
                .find(|p| p.rater_role == *r && p.target_role == *t)
                .and_then(|p| p.estimate.score);
            row.push(number(score));
        }
        w.write_record(row)?;
    }
    finish(w)
}

/// units.csv: one row per unit.
pub fn units(rc: &Rc) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record(["municipality", "unit"].iter().chain(&ESTIMATE_HEADER))?;
    for u in &rc.units {
        let mut row = vec![u.municipality.clone().unwrap_or_default(), u.unit.clone()];
        row.extend(estimate_fields(&u.estimate));
        w.write_record(row)?;
    }
    finish(w)
}

/// municipalities.csv: one row per municipality.
pub fn municipalities(rc: &Rc) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record(["municipality"].iter().chain(&ESTIMATE_HEADER))?;
    for m in &rc.municipalities {
        let mut row = vec![m.municipality.clone()];
        row.extend(estimate_fields(&m.estimate));
        w.write_record(row)?;
    }
    finish(w)
}

/// dimensions.csv: the seven dimensions in their canonical order.
pub fn dimensions(rc: &Rc) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record([
        "dimension",
        "subindex",
        "mean",
        "sd",
        "n",
        "n_respondents",
        "suppressed",
    ])?;
    for d in &rc.dimensions {
        w.write_record([
            d.dimension.clone(),
            d.subindex.clone(),
            number(d.mean),
            number(d.sd),
            d.n.to_string(),
            d.n_respondents.to_string(),
            d.suppressed.to_string(),
        ])?;
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Pair;

    fn pair(r: &str, t: &str, score: Option<f64>) -> Pair {
        Pair {
            rater_role: r.into(),
            target_role: t.into(),
            estimate: Estimate {
                score,
                n: 5,
                suppressed: score.is_none(),
                ..Estimate::default()
            },
        }
    }

    #[test]
    fn matrix_has_rater_rows_and_target_columns_with_blanks_for_hidden_cells() {
        let rc = Rc {
            pairs: vec![
                pair("Læge", "Læge", Some(4.5)),
                pair("Læge", "Sygeplejerske", None),
                pair("Sygeplejerske", "Læge", Some(3.25)),
            ],
            ..Rc::default()
        };
        let text = String::from_utf8(matrix(&rc).unwrap()).unwrap();
        assert_eq!(
            text,
            "rater_role,Læge,Sygeplejerske\nLæge,4.5,\nSygeplejerske,3.25,\n"
        );
    }

    #[test]
    fn pairs_are_written_long_with_every_estimate_field() {
        let rc = Rc {
            pairs: vec![pair("A", "B", Some(4.0))],
            ..Rc::default()
        };
        let text = String::from_utf8(pairs(&rc).unwrap()).unwrap();
        assert_eq!(
            text,
            "rater_role,target_role,score,sd,n,ci_low,ci_high,band,suppressed\nA,B,4,,5,,,,false\n"
        );
    }
}
