//! `relcap simulate`: realistic synthetic exports with planted effects, for tests,
//! benchmarks and demonstrations. Deterministic for a given seed.
//!
//! Planted, on the scales relcap measures:
//! - respondent level: ln(RC) = α + 0.70·ln(leadership score) + unit effect + noise, where the
//!   leadership score is the respondent's own measured score (so rc_on_leadership recovers
//!   0.70 without attenuation from rating noise);
//! - unit level: ln(quality) = γ + 0.41·ln(unit RC) + noise, with the unit's measured RC
//!   (so quality_on_rc recovers 0.41: "+10 % RC → +4 % quality", as in seed 002).
//!
//! Answers are drawn around their level with noise and rounded to 1–5 by stochastic
//! rounding, which keeps their mean unbiased. About 5 % of answers are missing (blank,
//! "Ved ikke" or "NA"), some respondents skip a role ("Ikke relevant"), and every ninth unit
//! has only 3 respondents, under the default min-n.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::instruments::RC_DIMENSIONS;
use crate::stats::bootstrap::SplitMix64;

/// The planted elasticity of respondent RC on the leadership score.
pub const RC_ON_LEADERSHIP: f64 = 0.70;
/// The planted elasticity of unit quality on unit RC.
pub const QUALITY_ON_RC: f64 = 0.41;

const ROLES: [&str; 12] = [
    "Jobkonsulent",
    "Familierådgiver",
    "Socialrådgiver",
    "PPR-psykolog",
    "Sundhedsplejerske",
    "Lærer",
    "Pædagog",
    "Sagsbehandler",
    "Ergoterapeut",
    "Misbrugskonsulent",
    "Psykiatrisygeplejerske",
    "Skolepsykolog",
];

const LEADERSHIP: [(&str, &str, f64); 8] = [
    ("framing", "retning", -0.30),
    ("framing", "tydelighed", -0.30),
    ("engaging", "anerkendelse", 0.0),
    ("engaging", "mening", 0.0),
    ("engaging", "succeser", 0.0),
    ("involving", "inddragelse", 0.25),
    ("involving", "dialog", 0.25),
    ("involving", "lytning", 0.25),
];

/// The size of a simulated survey.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Shape {
    pub municipalities: usize,
    /// Units per municipality.
    pub units: usize,
    /// Staff per unit, on average.
    pub staff: usize,
    /// Citizens per unit, on average.
    pub citizens: usize,
    pub roles: usize,
    pub seed: u64,
}

/// What a simulation wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub shape: Shape,
    pub respondents: usize,
    pub citizens: usize,
    pub leaders: usize,
    pub planted: Planted,
}

#[derive(Debug, Clone, Serialize)]
pub struct Planted {
    pub rc_on_leadership: f64,
    pub quality_on_rc: f64,
}

struct Rng(SplitMix64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal draw (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// A 1–5 answer around `level`: clamped, then rounded up with probability equal to the
    /// fractional part, so its expectation is the level.
    fn answer(&mut self, level: f64) -> u8 {
        let x = level.clamp(1.0, 5.0);
        let floor = x.floor();
        let up = self.uniform() < x - floor;
        (floor as u8 + u8::from(up)).min(5)
    }

    fn missing(&mut self) -> &'static str {
        ["", "Ved ikke", "NA"][(self.uniform() * 3.0) as usize % 3]
    }
}

/// Writes staff.csv, citizens.csv, leaders.csv and simulation.json to `dir`.
pub fn write(dir: &Path, shape: Shape) -> Result<Summary> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let roles = &ROLES[..shape.roles.clamp(2, ROLES.len())];
    let mut rng = Rng(SplitMix64::new(shape.seed));
    let writer = |name: &str| -> Result<csv::Writer<BufWriter<File>>> {
        let path = dir.join(name);
        let file =
            File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(csv::Writer::from_writer(BufWriter::with_capacity(
            1 << 20,
            file,
        )))
    };
    let mut staff = writer("staff.csv")?;
    let mut citizens = writer("citizens.csv")?;
    let mut leaders = writer("leaders.csv")?;

    let mut header: Vec<String> = ["respondent", "municipality", "unit", "role", "position"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for t in roles {
        for (d, _) in RC_DIMENSIONS {
            header.push(format!("{d}:{t}"));
        }
    }
    for (g, d, _) in LEADERSHIP {
        header.push(format!("leadership:{g}:{d}"));
    }
    staff.write_record(&header)?;
    citizens.write_record([
        "citizen",
        "municipality",
        "unit",
        "quality:sammenhaeng",
        "quality:tilgaengelighed",
        "quality:respekt",
        "quality:helhed",
    ])?;
    leaders.write_record([
        "leader",
        "counterpart",
        "importance",
        "functioning",
        "municipality",
        "unit",
    ])?;

    // Fixed structure of the network: each rater role's view of each target, centred so a
    // respondent's mean stays at their level.
    let k = roles.len();
    let mut pair_shift = vec![vec![0.0; k]; k];
    for (r, row) in pair_shift.iter_mut().enumerate() {
        for (t, s) in row.iter_mut().enumerate() {
            *s = if r == t { 0.35 } else { 0.2 * rng.normal() };
        }
        let mean = row.iter().sum::<f64>() / k as f64;
        row.iter_mut().for_each(|s| *s -= mean);
    }
    let dim_shift = [-0.2, -0.1, 0.1, 0.0, 0.05, -0.25, 0.4];
    let dim_mean = dim_shift.iter().sum::<f64>() / 7.0;
    let alpha = (1.0 - RC_ON_LEADERSHIP) * 3.7f64.ln();
    let gamma = 3.6f64.ln() - QUALITY_ON_RC * 3.7f64.ln();

    let mut record: Vec<String> = Vec::with_capacity(header.len());
    let (mut n_staff, mut n_citizens, mut n_leaders) = (0usize, 0usize, 0usize);
    for m in 0..shape.municipalities {
        let muni = format!("Kommune {:02}", m + 1);
        let mut unit_names = Vec::new();
        for u in 0..shape.units {
            let unit = format!("Enhed {:02}", u + 1);
            let tiny = u % 9 == 4;
            let size = if tiny {
                3
            } else {
                ((shape.staff as f64) * (0.5 + rng.uniform()))
                    .round()
                    .max(1.0) as usize
            };
            let leader_quality = 3.7 + 0.4 * rng.normal();
            let unit_effect = 0.05 * rng.normal();
            let mut unit_rc = Vec::new();
            for i in 0..size {
                n_staff += 1;
                let role = (i + u + m) % k;
                let is_leader = i == 0 && size >= 10;
                record.clear();
                record.extend([
                    format!("S{n_staff:07}"),
                    muni.clone(),
                    unit.clone(),
                    roles[role].to_string(),
                    if is_leader { "leder" } else { "medarbejder" }.to_string(),
                ]);
                // Leadership first: the respondent's measured score drives their RC.
                let mut lead_items = Vec::with_capacity(8);
                let perception = leader_quality + 0.35 * rng.normal();
                for (_, _, shift) in LEADERSHIP {
                    if is_leader || rng.uniform() < 0.04 {
                        lead_items.push(None);
                    } else {
                        let noise = 0.3 * rng.normal();
                        lead_items.push(Some(rng.answer(perception + shift + noise)));
                    }
                }
                let answered: Vec<f64> =
                    lead_items.iter().flatten().map(|v| f64::from(*v)).collect();
                let lead_score = (answered.len() >= 4)
                    .then(|| answered.iter().sum::<f64>() / answered.len() as f64);
                let log_rc = alpha
                    + RC_ON_LEADERSHIP * lead_score.unwrap_or(leader_quality).ln()
                    + unit_effect
                    + 0.05 * rng.normal();
                let level = log_rc.exp();
                let mut tie_means = Vec::new();
                for (t, row_shift) in pair_shift[role].iter().enumerate() {
                    let skip = t != role && rng.uniform() < 0.08;
                    let mut answers = Vec::new();
                    for (d, shift) in dim_shift.iter().enumerate() {
                        let _ = d;
                        if skip {
                            record.push("Ikke relevant".into());
                        } else if rng.uniform() < 0.05 {
                            record.push(rng.missing().into());
                        } else {
                            let noise = 0.35 * rng.normal();
                            let a = rng.answer(level + row_shift + shift - dim_mean + noise);
                            answers.push(f64::from(a));
                            record.push(a.to_string());
                        }
                    }
                    if answers.len() >= 4 {
                        tie_means.push(answers.iter().sum::<f64>() / answers.len() as f64);
                    }
                }
                for item in &lead_items {
                    match item {
                        Some(v) => record.push(v.to_string()),
                        None => record.push(String::new()),
                    }
                }
                staff.write_record(&record)?;
                if !tie_means.is_empty() {
                    unit_rc.push(tie_means.iter().sum::<f64>() / tie_means.len() as f64);
                }
            }
            // Citizens of the unit: quality follows the unit's measured RC.
            let rc_u = if unit_rc.is_empty() {
                3.7
            } else {
                unit_rc.iter().sum::<f64>() / unit_rc.len() as f64
            };
            let quality = (gamma + QUALITY_ON_RC * rc_u.ln() + 0.01 * rng.normal()).exp();
            let count = if tiny {
                3
            } else {
                ((shape.citizens as f64) * (0.6 + 0.8 * rng.uniform()))
                    .round()
                    .max(1.0) as usize
            };
            for _ in 0..count {
                n_citizens += 1;
                let person = 0.3 * rng.normal();
                let mut row = vec![format!("C{n_citizens:07}"), muni.clone(), unit.clone()];
                for _ in 0..4 {
                    if rng.uniform() < 0.05 {
                        row.push(rng.missing().into());
                    } else {
                        let noise = 0.3 * rng.normal();
                        row.push(rng.answer(quality + person + noise).to_string());
                    }
                }
                citizens.write_record(&row)?;
            }
            unit_names.push((format!("Leder {:02}-{:02}", m + 1, u + 1), unit));
        }
        // Leaders rate their relations to (up to ten) other leaders of the municipality.
        for (i, (name, unit)) in unit_names.iter().enumerate() {
            n_leaders += 1;
            for step in 1..unit_names.len().min(11) {
                let (other, _) = &unit_names[(i + step) % unit_names.len()];
                if rng.uniform() < 0.1 {
                    continue;
                }
                let noise = rng.normal();
                let importance = rng.answer(3.4 + noise);
                let noise = 0.9 * rng.normal();
                let functioning = rng.answer(3.7 + noise);
                leaders.write_record([
                    name,
                    other,
                    &importance.to_string(),
                    &functioning.to_string(),
                    &muni,
                    unit,
                ])?;
            }
        }
    }
    staff.flush()?;
    citizens.flush()?;
    leaders.flush()?;
    let summary = Summary {
        shape,
        respondents: n_staff,
        citizens: n_citizens,
        leaders: n_leaders,
        planted: Planted {
            rc_on_leadership: RC_ON_LEADERSHIP,
            quality_on_rc: QUALITY_ON_RC,
        },
    };
    let mut json = serde_json::to_vec_pretty(&summary)?;
    json.push(b'\n');
    fs::write(dir.join("simulation.json"), json)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stochastic_rounding_keeps_the_mean() {
        let mut rng = Rng(SplitMix64::new(3));
        let n = 20_000;
        let mean = (0..n).map(|_| f64::from(rng.answer(3.3))).sum::<f64>() / n as f64;
        assert!((mean - 3.3).abs() < 0.02, "{mean}");
        assert_eq!(rng.answer(7.0), 5);
        assert_eq!(rng.answer(-1.0), 1);
    }
}
