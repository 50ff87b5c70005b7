//! The CSV tables: long role pairs, the wide matrix, units, municipalities, dimensions.

use std::collections::BTreeSet;

use csv::Writer;

use super::number;
use crate::results::{
    Direction, Estimate, Leadership, LeadershipFigure, Model, Quality, Rc, Relations,
};

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

const LEADERSHIP_HEADER: [&str; 10] = [
    "level",
    "group",
    "dimension",
    "mean",
    "sd",
    "n",
    "ci_low",
    "ci_high",
    "rank",
    "suppressed",
];

fn leadership_rows(
    score: &Estimate,
    groups: &[LeadershipFigure],
    dims: &[LeadershipFigure],
) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "score".to_string(),
        String::new(),
        String::new(),
        number(score.score),
        number(score.sd),
        score.n.to_string(),
        number(score.ci_low),
        number(score.ci_high),
        String::new(),
        score.suppressed.to_string(),
    ]];
    for (level, figures) in [("group", groups), ("dimension", dims)] {
        for f in figures {
            rows.push(vec![
                level.to_string(),
                f.group.clone(),
                f.dimension.clone().unwrap_or_default(),
                number(f.mean),
                number(f.sd),
                f.n.to_string(),
                number(f.ci_low),
                number(f.ci_high),
                f.rank.map(|r| r.to_string()).unwrap_or_default(),
                f.suppressed.to_string(),
            ]);
        }
    }
    rows
}

/// leadership.csv: the leadership score, the groups (ranked) and the dimensions.
pub fn leadership(l: &Leadership) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record(LEADERSHIP_HEADER)?;
    for row in leadership_rows(&l.score, &l.groups, &l.dimensions) {
        w.write_record(row)?;
    }
    finish(w)
}

/// leadership_units.csv: the same figures per unit, long.
pub fn leadership_units(l: &Leadership) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record(["municipality", "unit"].iter().chain(&LEADERSHIP_HEADER))?;
    for u in &l.units {
        for row in leadership_rows(&u.score, &u.groups, &u.dimensions) {
            let mut full = vec![u.municipality.clone().unwrap_or_default(), u.unit.clone()];
            full.extend(row);
            w.write_record(full)?;
        }
    }
    finish(w)
}

/// leadership_municipalities.csv: the same figures per municipality, long, with the spread
/// of the leadership score between its shown units on the score row.
pub fn leadership_municipalities(l: &Leadership) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    let spread = [
        "units_shown",
        "between_units_sd",
        "between_units_min",
        "between_units_max",
    ];
    w.write_record(
        ["municipality"]
            .iter()
            .chain(&LEADERSHIP_HEADER)
            .chain(&spread),
    )?;
    for m in &l.municipalities {
        for (i, row) in leadership_rows(&m.score, &m.groups, &m.dimensions)
            .into_iter()
            .enumerate()
        {
            let mut full = vec![m.municipality.clone()];
            full.extend(row);
            if i == 0 {
                let s = &m.between_units;
                full.extend([
                    s.units.to_string(),
                    number(s.sd),
                    number(s.min),
                    number(s.max),
                ]);
            } else {
                full.extend([String::new(), String::new(), String::new(), String::new()]);
            }
            w.write_record(full)?;
        }
    }
    finish(w)
}

/// relations_dyads.csv: one row per pair of leaders.
pub fn relations_dyads(r: &Relations) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record([
        "leader_a",
        "leader_b",
        "a_importance",
        "a_functioning",
        "a_flagged",
        "b_importance",
        "b_functioning",
        "b_flagged",
        "mutual_functioning",
        "importance_gap",
        "functioning_gap",
        "flagged",
        "priority",
        "one_direction_only",
        "flagged_by_one_side_only",
        "important_to_one_side_only",
    ])?;
    let side = |d: &Option<Direction>| match d {
        Some(d) => [
            number(d.importance),
            number(d.functioning),
            d.flagged.to_string(),
        ],
        None => [String::new(), String::new(), String::new()],
    };
    for d in &r.dyads {
        let mut row = vec![d.leader_a.clone(), d.leader_b.clone()];
        row.extend(side(&d.a_to_b));
        row.extend(side(&d.b_to_a));
        row.extend([
            number(d.mutual_functioning),
            number(d.importance_gap),
            number(d.functioning_gap),
            d.flagged.to_string(),
            number(d.priority),
            d.one_direction_only.to_string(),
            d.flagged_by_one_side_only.to_string(),
            d.important_to_one_side_only.to_string(),
        ]);
        w.write_record(row)?;
    }
    finish(w)
}

/// relations_dialogue.csv: the dialogue list, its own file so it can go to the leaders alone.
pub fn relations_dialogue(r: &Relations) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record([
        "rank",
        "inviter",
        "invitee",
        "priority",
        "importance",
        "functioning",
        "invitee_importance",
        "invitee_functioning",
        "flagged_by_both",
    ])?;
    for e in &r.dialogue {
        w.write_record([
            e.rank.to_string(),
            e.inviter.clone(),
            e.invitee.clone(),
            number(Some(e.priority)),
            number(e.importance),
            number(e.functioning),
            number(e.invitee_importance),
            number(e.invitee_functioning),
            e.flagged_by_both.to_string(),
        ])?;
    }
    finish(w)
}

/// relations_leaders.csv: per leader, relations rated and flagged, and how many flag them.
pub fn relations_leaders(r: &Relations) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record([
        "leader",
        "municipality",
        "unit",
        "relations_rated",
        "relations_flagged",
        "flagged_by",
    ])?;
    for l in &r.leaders {
        w.write_record([
            l.leader.clone(),
            l.municipality.clone().unwrap_or_default(),
            l.unit.clone().unwrap_or_default(),
            l.relations_rated.to_string(),
            l.relations_flagged.to_string(),
            l.flagged_by.to_string(),
        ])?;
    }
    finish(w)
}

/// quality_units.csv: citizen-experienced quality per unit.
pub fn quality_units(q: &Quality) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record(["municipality", "unit"].iter().chain(&ESTIMATE_HEADER))?;
    for u in &q.units {
        let mut row = vec![u.municipality.clone().unwrap_or_default(), u.unit.clone()];
        row.extend(estimate_fields(&u.estimate));
        w.write_record(row)?;
    }
    finish(w)
}

/// models.csv: one row per model coefficient, with the model's fit on every row.
pub fn models(models: &[Model]) -> Csv {
    let mut w = Writer::from_writer(Vec::new());
    w.write_record([
        "model",
        "transform",
        "se_type",
        "n",
        "clusters",
        "r2",
        "term",
        "estimate",
        "std_error",
        "t",
        "p",
        "ci_low",
        "ci_high",
        "bootstrap_p",
        "effect_10pct",
        "effect_ci_low",
        "effect_ci_high",
    ])?;
    for m in models {
        for c in &m.coefficients {
            let e = c.effect_10pct.as_ref();
            w.write_record([
                m.name.clone(),
                m.transform.clone(),
                m.se_type.clone(),
                m.n.to_string(),
                m.clusters.map(|g| g.to_string()).unwrap_or_default(),
                number(m.r2),
                c.term.clone(),
                number(Some(c.estimate)),
                number(Some(c.std_error)),
                number(c.t),
                number(c.p),
                number(Some(c.ci_low)),
                number(Some(c.ci_high)),
                number(c.bootstrap_p),
                number(e.map(|e| e.y_change_pct)),
                number(e.map(|e| e.ci_low)),
                number(e.map(|e| e.ci_high)),
            ])?;
        }
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
