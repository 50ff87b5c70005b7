//! The wave charts: `rc_matrix_change.svg`, the role-pair cells' change as a diverging heat
//! map in which every change whose interval includes 0 is grey, and `trend.svg`, the
//! network and the dimensions over the waves with their intervals.

use plotters::style::RGBColor;

use super::canvas::{clip, palette, svg, text_width, ticks, Align, Result};
use super::matrix::{Place, RoleGrid};
use crate::config::Lang;
use crate::output::i18n::{dimension, num, signed, t};
use crate::results::{Changes, Difference, Wave};

/// How one cell of the change matrix is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeCell {
    /// The interval excludes 0.
    Detectable {
        change: f64,
        ci: (f64, f64),
    },
    /// The interval includes 0 (or there is none): grey, whatever the sign.
    Undetectable {
        change: f64,
    },
    /// Hidden or missing in either wave.
    NotShown,
    NoData,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeMatrix {
    pub roles: Vec<String>,
    pub cells: Vec<Vec<ChangeCell>>,
    pub from: String,
    pub to: String,
}

fn cell(d: &Difference) -> ChangeCell {
    match (d.change, d.ci_low, d.ci_high, d.verdict.as_str()) {
        (Some(change), Some(lo), Some(hi), "increase" | "decrease") => ChangeCell::Detectable {
            change,
            ci: (lo, hi),
        },
        (Some(change), ..) => ChangeCell::Undetectable { change },
        _ => ChangeCell::NotShown,
    }
}

pub fn prepare_matrix(c: &Changes, lang: Lang) -> std::result::Result<ChangeMatrix, String> {
    if c.pairs.iter().all(|p| p.change.change.is_none()) {
        return Err(t(
            lang,
            "Ingen rollepar er vist i begge bølger.",
            "No role pair is shown in both waves.",
        )
        .into());
    }
    let (roles, cells) = super::matrix::grid(
        &c.pairs,
        |p| (&p.rater_role, &p.target_role),
        |p| p.map_or(ChangeCell::NoData, |p| cell(&p.change)),
    );
    Ok(ChangeMatrix {
        roles,
        cells,
        from: c.from.clone(),
        to: c.to.clone(),
    })
}

/// Blue for a gain, vermillion for a loss (Okabe–Ito), stronger with the size up to ±1.
fn diverging(change: f64) -> RGBColor {
    let w = change.abs().min(1.0) * 0.75 + 0.25;
    let base = if change >= 0.0 {
        palette::BLUE
    } else {
        palette::VERMILLION
    };
    let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * w).round() as u8;
    RGBColor(mix(base.0), mix(base.1), mix(base.2))
}

const CELL_W: i32 = 100;
const CELL_H: i32 = 56;

pub fn draw_matrix(d: &ChangeMatrix, lang: Lang) -> Result<String> {
    let grid = RoleGrid::new(&d.roles, (CELL_W, CELL_H));
    let width = (grid.right() + 40).max(700);
    let height = grid.bottom() + 120;
    svg(width as u32, height as u32, |c| {
        let title = match lang {
            Lang::Da => format!(
                "Ændring i relationel koordinering fra {} til {}",
                d.from, d.to
            ),
            Lang::En => format!(
                "Change in relational coordination from {} to {}",
                d.from, d.to
            ),
        };
        let subtitle = t(
            lang,
            "Rækker: den vurderende rolle. Kolonner: den vurderede rolle. Farvet: intervallet udelukker 0. Gråt: ingen påviselig ændring.",
            "Rows: the rating role. Columns: the rated role. Coloured: the interval excludes 0. Grey: no detectable change.",
        );
        grid.draw(c, (&title, subtitle), 14, lang, |c, i, j, place| {
            let Place {
                from: (x0, y0),
                to: (x1, y1),
                mid,
            } = place;
            {
                let cell = &d.cells[i][j];
                match cell {
                    ChangeCell::Detectable { change, ci } => {
                        let fill = diverging(*change);
                        c.rect((x0, y0), (x1, y1), fill)?;
                        let ink = if change.abs() > 0.5 {
                            palette::WHITE
                        } else {
                            palette::INK
                        };
                        c.bold(
                            &signed(*change, 2, lang),
                            (mid.0, mid.1 - 9),
                            15,
                            ink,
                            Align::Center,
                        )?;
                        c.text(
                            &format!("{} … {}", signed(ci.0, 2, lang), signed(ci.1, 2, lang)),
                            (mid.0, mid.1 + 11),
                            10,
                            ink,
                            Align::Center,
                        )?;
                    }
                    ChangeCell::Undetectable { change } => {
                        c.rect((x0, y0), (x1, y1), palette::SHADE)?;
                        c.text(
                            &signed(*change, 2, lang),
                            mid,
                            12,
                            palette::MUTED,
                            Align::Center,
                        )?;
                    }
                    ChangeCell::NotShown => {
                        c.outline((x0, y0), (x1, y1), palette::RULE, 1)?;
                        c.text(
                            t(lang, "skjult", "hidden"),
                            mid,
                            11,
                            palette::MUTED,
                            Align::Center,
                        )?;
                    }
                    ChangeCell::NoData => {
                        c.outline((x0, y0), (x1, y1), palette::RULE, 1)?;
                        c.text("–", mid, 12, palette::MUTED, Align::Center)?;
                    }
                }
                if i == j {
                    c.outline((x0 - 2, y0 - 2), (x1 + 2, y1 + 2), palette::INK, 2)?;
                }
            }
            Ok(())
        })?;
        let ly = grid.bottom() + 34;
        let mut x = 24;
        for (fill, label) in [
            (
                diverging(0.6),
                t(lang, "påviselig stigning", "detectable increase"),
            ),
            (
                diverging(-0.6),
                t(lang, "påviseligt fald", "detectable decrease"),
            ),
            (
                palette::SHADE,
                t(lang, "ingen påviselig ændring", "no detectable change"),
            ),
        ] {
            c.rect((x, ly - 9), (x + 22, ly + 9), fill)?;
            c.text(label, (x + 30, ly), 12, palette::INK, Align::Left)?;
            x += 44 + text_width(label, 12);
        }
        c.text(
            t(
                lang,
                "Tallet er ændringen på skalaen 1–5; under det 95 %-intervallet. Med mange celler kan enkelte krydse 0 ved et tilfælde.",
                "The number is the change on the 1–5 scale; below it the 95 % interval. With many cells, a few may cross 0 by chance.",
            ),
            (24, ly + 32),
            12,
            palette::MUTED,
            Align::Left,
        )?;
        Ok(())
    })
}

/// A value and its interval, when it has one.
pub type Point = (f64, Option<(f64, f64)>);

/// One line of the trend chart: a label and, per wave, the value and its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<Option<Point>>,
    pub bold: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub waves: Vec<String>,
    pub series: Vec<Series>,
}

pub fn prepare_trend(waves: &[Wave], lang: Lang) -> std::result::Result<Trend, String> {
    let rcs: Vec<Option<&crate::results::Rc>> = waves.iter().map(|w| w.rc.as_ref()).collect();
    if rcs
        .iter()
        .all(|r| r.and_then(|r| r.network.score).is_none())
    {
        return Err(t(
            lang,
            "Netværket er ikke vist i nogen bølge.",
            "The network is not shown in any wave.",
        )
        .into());
    }
    let mut series = vec![Series {
        label: t(lang, "Netværket", "Network").into(),
        points: rcs
            .iter()
            .map(|r| {
                let n = &(*r)?.network;
                Some((n.score?, n.ci_low.zip(n.ci_high)))
            })
            .collect(),
        bold: true,
    }];
    let dims: Vec<String> = rcs
        .iter()
        .flatten()
        .flat_map(|r| r.dimensions.iter().map(|d| d.dimension.clone()))
        .collect::<Vec<_>>();
    let mut seen = Vec::new();
    for d in dims {
        if seen.contains(&d) {
            continue;
        }
        seen.push(d.clone());
        series.push(Series {
            label: dimension(lang, &d),
            points: rcs
                .iter()
                .map(|r| {
                    let x = (*r)?.dimensions.iter().find(|x| x.dimension == d)?;
                    if x.suppressed {
                        return None;
                    }
                    Some((x.mean?, x.ci_low.zip(x.ci_high)))
                })
                .collect(),
            bold: false,
        });
    }
    Ok(Trend {
        waves: waves.iter().map(|w| w.label.clone()).collect(),
        series,
    })
}

const COLOURS: [RGBColor; 7] = [
    palette::ORANGE,
    palette::SKY,
    palette::GREEN,
    palette::BLUE,
    palette::VERMILLION,
    palette::PURPLE,
    palette::MUTED,
];

pub fn draw_trend(d: &Trend, lang: Lang) -> Result<String> {
    let (w, h) = (980, 520);
    let (left, right, top, bottom) = (70, 640, 90, 440);
    let values: Vec<f64> = d
        .series
        .iter()
        .flat_map(|s| s.points.iter().flatten())
        .flat_map(|(v, ci)| {
            let (lo, hi) = ci.unwrap_or((*v, *v));
            [lo, hi]
        })
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = ((lo - 0.1).max(1.0), (hi + 0.1).min(5.0));
    let (lo, hi) = if hi - lo < 0.4 {
        ((lo - 0.2).max(1.0), (hi + 0.2).min(5.0))
    } else {
        (lo, hi)
    };
    let y = |v: f64| bottom - ((v - lo) / (hi - lo) * f64::from(bottom - top)).round() as i32;
    let k = d.waves.len().max(2) as i32;
    let x = |i: usize| left + 40 + (i as i32) * (right - left - 80) / (k - 1);
    svg(w, h, |c| {
        c.bold(
            t(
                lang,
                "Relationel koordinering over bølgerne",
                "Relational coordination over the waves",
            ),
            (24, 26),
            20,
            palette::INK,
            Align::Left,
        )?;
        c.text(
            t(
                lang,
                "Gennemsnit med 95 %-interval. Overlappende intervaller: ændringen er næppe påviselig.",
                "Mean with its 95 % interval. Overlapping intervals: the change is hardly detectable.",
            ),
            (24, 52),
            13,
            palette::MUTED,
            Align::Left,
        )?;
        for v in ticks(lo, hi, 5) {
            c.line(vec![(left, y(v)), (right, y(v))], palette::SHADE, 1)?;
            c.text(
                &num(v, 2, lang),
                (left - 8, y(v)),
                11,
                palette::MUTED,
                Align::Right,
            )?;
        }
        for (i, label) in d.waves.iter().enumerate() {
            c.bold(
                &clip(label, 14),
                (x(i), bottom + 22),
                13,
                palette::INK,
                Align::Center,
            )?;
        }
        for (s_i, s) in d.series.iter().enumerate() {
            let colour = if s.bold {
                palette::INK
            } else {
                COLOURS[(s_i - 1) % COLOURS.len()]
            };
            let offset = if s.bold { 0 } else { (s_i as i32 - 4) * 4 };
            let pts: Vec<(usize, Point)> = s
                .points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.map(|p| (i, p)))
                .collect();
            for win in pts.windows(2) {
                c.line(
                    vec![
                        (x(win[0].0) + offset, y(win[0].1 .0)),
                        (x(win[1].0) + offset, y(win[1].1 .0)),
                    ],
                    colour,
                    if s.bold { 3 } else { 1 },
                )?;
            }
            for (i, (v, ci)) in &pts {
                if let Some((a, b)) = ci {
                    c.line(
                        vec![(x(*i) + offset, y(*a)), (x(*i) + offset, y(*b))],
                        colour,
                        if s.bold { 2 } else { 1 },
                    )?;
                }
                c.circle((x(*i) + offset, y(*v)), if s.bold { 5 } else { 3 }, colour)?;
            }
            let ly = top + 10 + s_i as i32 * 24;
            c.line(
                vec![(right + 30, ly), (right + 54, ly)],
                colour,
                if s.bold { 3 } else { 2 },
            )?;
            let label = match s.points.last().copied().flatten() {
                Some((v, _)) => format!("{} ({})", s.label, num(v, 2, lang)),
                None => s.label.clone(),
            };
            c.text(
                &clip(&label, 40),
                (right + 62, ly),
                12,
                palette::INK,
                Align::Left,
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_whose_interval_excludes_zero_are_coloured() {
        let mut d = Difference {
            change: Some(0.4),
            ci_low: Some(-0.1),
            ci_high: Some(0.9),
            verdict: "no_detectable_change".into(),
            ..Difference::default()
        };
        assert_eq!(cell(&d), ChangeCell::Undetectable { change: 0.4 });
        d.ci_low = Some(0.1);
        d.verdict = "increase".into();
        assert_eq!(
            cell(&d),
            ChangeCell::Detectable {
                change: 0.4,
                ci: (0.1, 0.9)
            }
        );
        let hidden = Difference {
            verdict: "not_shown".into(),
            suppressed: true,
            ..Difference::default()
        };
        assert_eq!(cell(&hidden), ChangeCell::NotShown);
    }

    #[test]
    fn gains_are_blue_and_losses_vermillion() {
        let (up, down) = (diverging(0.8), diverging(-0.8));
        assert!(up.2 > up.0, "{up:?}");
        assert!(down.0 > down.2, "{down:?}");
    }
}
