//! The SVG charts in DIR/charts/. Each chart's data preparation is a pure function of
//! the Results (tested on its own); drawing is a thin layer over plotters' SVG backend.

pub mod canvas;
pub mod change;
pub mod dotplot;
pub mod estimates;
pub mod matrix;
pub mod network;
pub mod quadrant;
pub mod scatter;

use crate::output::i18n::t;
use crate::results::Results;

/// One chart: its file name (part of the output contract) and its SVG, or why it is not
/// drawn.
pub struct Chart {
    pub file: &'static str,
    pub svg: Result<String, String>,
}

/// Every chart relcap knows, in report order, for the analyses that were run.
pub fn all(r: &Results) -> Vec<Chart> {
    let lang = r.settings.lang;
    let min_n = r.settings.min_n;
    let bands = r.settings.bands;
    let mut out = Vec::new();
    let mut add = |file: &'static str, svg: Result<String, String>| out.push(Chart { file, svg });
    if let Some(rc) = &r.rc {
        add(
            "rc_matrix.svg",
            matrix::prepare(rc, min_n, lang).and_then(|d| matrix::draw(&d, lang)),
        );
        add(
            "rc_dimensions.svg",
            estimates::dimensions(rc, bands, min_n, lang).and_then(|p| dotplot::draw(&p, lang)),
        );
        add(
            "rc_network.svg",
            network::prepare(rc, lang).and_then(|d| network::draw(&d, lang)),
        );
        add(
            "rc_units.svg",
            estimates::units(rc, bands, min_n, lang).and_then(|p| dotplot::draw(&p, lang)),
        );
    }
    if let Some(c) = r.changes.last() {
        add(
            "rc_matrix_change.svg",
            change::prepare_matrix(c, lang).and_then(|d| change::draw_matrix(&d, lang)),
        );
    }
    if r.waves.len() >= 2 {
        add(
            "trend.svg",
            change::prepare_trend(&r.waves, lang).and_then(|d| change::draw_trend(&d, lang)),
        );
    }
    if let Some(rel) = &r.relations {
        add(
            "relations_quadrant.svg",
            quadrant::prepare(rel, lang)
                .and_then(|p| quadrant::draw(&p, r.settings.relations, lang)),
        );
    }
    if let Some(l) = &r.leadership {
        add(
            "leadership.svg",
            estimates::leadership(l, min_n, lang).and_then(|p| dotplot::draw(&p, lang)),
        );
    }
    for (file, name, x, y) in [
        (
            "model_quality_on_rc.svg",
            "quality_on_rc",
            t(
                lang,
                "enhedens relationelle koordinering",
                "unit relational coordination",
            ),
            t(
                lang,
                "borgeroplevet kvalitet",
                "citizen-experienced quality",
            ),
        ),
        (
            "model_rc_on_leadership.svg",
            "rc_on_leadership",
            t(lang, "ledelse", "leadership"),
            t(lang, "relationel koordinering", "relational coordination"),
        ),
    ] {
        if let Some(m) = r.models.iter().find(|m| m.name == name) {
            add(
                file,
                scatter::prepare(m, lang).and_then(|m| scatter::draw(m, x, y, lang)),
            );
        }
    }
    out
}

/// The language-independent list of charts and whether each was drawn, for results.json.
pub fn summary(charts: &[Chart]) -> Vec<crate::results::ChartInfo> {
    charts
        .iter()
        .map(|c| crate::results::ChartInfo {
            file: format!("charts/{}", c.file),
            drawn: c.svg.is_ok(),
            reason: c.svg.as_ref().err().cloned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_name_is_unique() {
        let names = [
            "rc_matrix.svg",
            "rc_dimensions.svg",
            "rc_network.svg",
            "rc_units.svg",
            "rc_matrix_change.svg",
            "trend.svg",
            "relations_quadrant.svg",
            "leadership.svg",
            "model_quality_on_rc.svg",
            "model_rc_on_leadership.svg",
        ];
        let set: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(set.len(), names.len());
    }

    use crate::config::{Bands, Lang, RelationThresholds};
    use crate::results::{
        Direction, Dyad, Estimate, Leadership, LeadershipFigure, LeadershipUnit, Pair, Rc,
        Relations, Unit,
    };

    fn est(score: f64, n: usize) -> Estimate {
        Estimate {
            score: Some(score),
            sd: Some(0.5),
            n: Some(n),
            ci_low: Some(score - 0.2),
            ci_high: Some(score + 0.2),
            band: Some(Bands::default().classify(score).into()),
            suppressed: false,
        }
    }

    /// A national-scale result: 40 roles (1,600 pairs), 36,000 units (as 1M staff in teams
    /// of 25 give), 72,000 leader ratings.
    fn large() -> (Rc, Relations) {
        let roles: Vec<String> = (0..40).map(|i| format!("Rolle nummer {i}")).collect();
        let mut rc = Rc::default();
        for (i, r) in roles.iter().enumerate() {
            for (j, t) in roles.iter().enumerate() {
                rc.pairs.push(Pair {
                    rater_role: r.clone(),
                    target_role: t.clone(),
                    estimate: est(2.5 + ((i * 7 + j * 3) % 25) as f64 / 10.0, 30),
                });
            }
        }
        for u in 0..36_000 {
            rc.units.push(Unit {
                municipality: Some(format!("Kommune {}", u % 98)),
                unit: format!("Enhed {u}"),
                estimate: est(3.0 + (u % 17) as f64 / 10.0, 33),
            });
        }
        rc.network.n_respondents = Some(100_000);
        let mut rel = Relations::default();
        for k in 0..36_000 {
            let d = Direction {
                importance: Some((k % 5 + 1) as f64),
                functioning: Some(((k / 5) % 5 + 1) as f64),
                flagged: k % 5 >= 3 && (k / 5) % 5 <= 2,
            };
            rel.dyads.push(Dyad {
                leader_a: format!("Leder {k}"),
                leader_b: format!("Leder {}", k + 1000),
                a_to_b: Some(d.clone()),
                b_to_a: Some(d),
                ..Dyad::default()
            });
        }
        (rc, rel)
    }

    #[test]
    fn charts_stay_under_one_megabyte_at_national_scale() {
        let (rc, rel) = large();
        let lang = Lang::Da;
        let figure = |group: &str, dimension: Option<&str>, mean: f64| LeadershipFigure {
            group: group.into(),
            dimension: dimension.map(str::to_string),
            mean: Some(mean),
            n: Some(900_000),
            ..LeadershipFigure::default()
        };
        let dims = [
            ("framing", "retning"),
            ("engaging", "mening"),
            ("involving", "dialog"),
        ];
        let leadership = Leadership {
            groups: dims.iter().map(|(g, _)| figure(g, None, 3.5)).collect(),
            dimensions: dims.iter().map(|(g, d)| figure(g, Some(d), 3.5)).collect(),
            units: (0..36_000)
                .map(|u| LeadershipUnit {
                    unit: format!("Enhed {u}"),
                    dimensions: dims
                        .iter()
                        .map(|(g, d)| figure(g, Some(d), 1.0 + (u % 4001) as f64 / 1000.0))
                        .collect(),
                    ..LeadershipUnit::default()
                })
                .collect(),
            ..Leadership::default()
        };
        let sizes = [
            (
                "matrix",
                matrix::draw(&matrix::prepare(&rc, 5, lang).unwrap(), lang)
                    .unwrap()
                    .len(),
            ),
            (
                "network",
                network::draw(&network::prepare(&rc, lang).unwrap(), lang)
                    .unwrap()
                    .len(),
            ),
            (
                "units",
                dotplot::draw(
                    &estimates::units(&rc, Bands::default(), 5, lang).unwrap(),
                    lang,
                )
                .unwrap()
                .len(),
            ),
            (
                "quadrant",
                quadrant::draw(
                    &quadrant::prepare(&rel, lang).unwrap(),
                    RelationThresholds::default(),
                    lang,
                )
                .unwrap()
                .len(),
            ),
        ];
        let sizes = sizes.into_iter().chain([(
            "leadership",
            dotplot::draw(&estimates::leadership(&leadership, 5, lang).unwrap(), lang)
                .unwrap()
                .len(),
        )]);
        for (name, size) in sizes {
            assert!(size < 1_000_000, "{name}: {size} bytes");
        }
    }

    #[test]
    fn units_are_ranked_high_to_low_and_hidden_ones_only_counted() {
        let mut rc = Rc::default();
        for (name, score) in [("A", 3.2), ("B", 4.1), ("C", 3.7)] {
            rc.units.push(Unit {
                municipality: None,
                unit: name.into(),
                estimate: est(score, 9),
            });
        }
        rc.units.push(Unit {
            municipality: None,
            unit: "D".into(),
            estimate: Estimate {
                n: None,
                suppressed: true,
                ..Estimate::default()
            },
        });
        rc.units_suppressed = 1;
        let p = estimates::units(&rc, Bands::default(), 5, Lang::En).unwrap();
        let labels: Vec<&str> = p.sections[0]
            .rows
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        assert_eq!(labels, ["B", "C", "A"]);
        assert!(p.caption[1].contains("1 unit with fewer than 5 respondents is not shown"));
    }

    #[test]
    fn quadrant_points_are_jittered_the_same_way_every_time() {
        let (_, rel) = large();
        let a = quadrant::prepare(&rel, Lang::Da).unwrap();
        let b = quadrant::prepare(&rel, Lang::Da).unwrap();
        assert_eq!(a, b);
        assert!(a
            .iter()
            .all(|p| p.jitter.0.abs() <= 0.2 && p.jitter.1.abs() <= 0.2));
        assert_eq!(a[0].label, "Leder 0 → Leder 1000");
    }

    #[test]
    fn network_ties_skip_the_diagonal_and_keep_direction() {
        let (rc, _) = large();
        let d = network::prepare(&rc, Lang::Da).unwrap();
        assert_eq!(d.roles.len(), 40);
        assert_eq!(d.edges.len(), 40 * 39);
        assert!(d.edges.iter().all(|e| e.from != e.to));
        assert!(d.within.iter().all(Option::is_some));
    }
}
