//! relations_quadrant.svg: importance × functioning, one jittered point per directed
//! relation; the "important, not working" corner is shaded and its points named.

use super::canvas::{palette, svg, Align, Result, Scale};
use crate::config::{Lang, RelationThresholds};
use crate::output::i18n::{num, t};
use crate::results::Relations;
use crate::stats::bootstrap::SplitMix64;

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub importance: f64,
    pub functioning: f64,
    /// Jitter in [−0.2, 0.2] on both axes, the same on every run.
    pub jitter: (f64, f64),
    pub flagged: bool,
    /// "A → B".
    pub label: String,
}

pub fn prepare(r: &Relations, lang: Lang) -> std::result::Result<Vec<Point>, String> {
    let mut rng = SplitMix64::new(7);
    let mut jitter = move || ((rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.4;
    let mut points = Vec::new();
    for d in &r.dyads {
        for (dir, from, to) in [
            (&d.a_to_b, &d.leader_a, &d.leader_b),
            (&d.b_to_a, &d.leader_b, &d.leader_a),
        ] {
            if let Some(x) = dir {
                if let (Some(i), Some(f)) = (x.importance, x.functioning) {
                    points.push(Point {
                        importance: i,
                        functioning: f,
                        jitter: (jitter(), jitter()),
                        flagged: x.flagged,
                        label: format!("{from} → {to}"),
                    });
                }
            }
        }
    }
    if points.is_empty() {
        return Err(t(
            lang,
            "Ingen relation har både vigtighed og funktion besvaret.",
            "No relation has both importance and functioning answered.",
        )
        .into());
    }
    Ok(points)
}

/// With more ratings than this, each answer combination is drawn as one circle whose area
/// follows its count: thousands of jittered points were one blob per cell and tens of
/// megabytes.
pub const POINTS_UP_TO: usize = 600;

/// The ratings per (importance, functioning) answer, with whether that corner is flagged:
/// (importance, functioning, count, flagged), in answer order.
pub fn cells(points: &[Point]) -> Vec<(f64, f64, usize, bool)> {
    let mut cells: std::collections::BTreeMap<(i64, i64), (f64, f64, usize, bool)> =
        std::collections::BTreeMap::new();
    for p in points {
        let key = (
            (p.importance * 1000.0).round() as i64,
            (p.functioning * 1000.0).round() as i64,
        );
        let c = cells
            .entry(key)
            .or_insert((p.importance, p.functioning, 0, false));
        c.2 += 1;
        c.3 |= p.flagged;
    }
    cells.into_values().collect()
}

pub fn draw(points: &[Point], thresholds: RelationThresholds, lang: Lang) -> Result<String> {
    let aggregate = points.len() > POINTS_UP_TO;
    let (w, h) = (860, 760);
    let (left, right, top, bottom) = (90, 620, 90, 640);
    let x = Scale {
        lo: 0.5,
        hi: 5.5,
        from: left,
        to: right,
    };
    let y = Scale {
        lo: 0.5,
        hi: 5.5,
        from: bottom,
        to: top,
    };
    svg(w, h, |c| {
        c.bold(
            t(
                lang,
                "Lederrelationer: vigtighed og funktion",
                "Leader relations: importance and functioning",
            ),
            (24, 26),
            20,
            palette::INK,
            Align::Left,
        )?;
        c.text(
            if aggregate {
                t(lang, "Hver cirkel samler vurderingerne med samme svar; arealet følger antallet.", "Each circle gathers the ratings with the same answers; its area follows their number.")
            } else {
                t(lang, "Hvert punkt er én leders vurdering af én relation (let forskudt, så ens svar ses).", "Each point is one leader's rating of one relation (slightly jittered so equal answers show).")
            },
            (24, 52),
            13,
            palette::MUTED,
            Align::Left,
        )?;
        c.rect(
            (
                x.px(thresholds.important_from - 0.5),
                y.px(thresholds.working_up_to + 0.5),
            ),
            (x.px(5.5), y.px(0.5)),
            palette::YELLOW,
        )?;
        c.text(
            t(lang, "Vigtig, men fungerer ikke", "Important, not working"),
            (x.px(5.4), y.px(0.7)),
            12,
            palette::INK,
            Align::Right,
        )?;
        for v in 1..=5 {
            let v = v as f64;
            c.line(vec![(x.px(v), top), (x.px(v), bottom)], palette::SHADE, 1)?;
            c.line(vec![(left, y.px(v)), (right, y.px(v))], palette::SHADE, 1)?;
            c.text(
                &num(v, 0, lang),
                (x.px(v), bottom + 16),
                12,
                palette::MUTED,
                Align::Center,
            )?;
            c.text(
                &num(v, 0, lang),
                (left - 12, y.px(v)),
                12,
                palette::MUTED,
                Align::Right,
            )?;
        }
        c.outline((left, top), (right, bottom), palette::RULE, 1)?;
        c.text(
            t(
                lang,
                "Hvor vigtig er relationen for mit arbejde (1–5)",
                "How important the relation is for my work (1–5)",
            ),
            ((left + right) / 2, bottom + 40),
            13,
            palette::INK,
            Align::Center,
        )?;
        c.text(
            t(
                lang,
                "Hvor godt fungerer den (1–5) ↑",
                "How well it works (1–5) ↑",
            ),
            (left - 60, top - 22),
            13,
            palette::INK,
            Align::Left,
        )?;
        if aggregate {
            let cells = cells(points);
            let most = cells.iter().map(|c| c.2).max().unwrap_or(1) as f64;
            for (i, f, n, flagged) in cells {
                let at = (x.px(i), y.px(f));
                let colour = if flagged {
                    palette::VERMILLION
                } else {
                    palette::BLUE
                };
                // Area ∝ count; the largest fills most of its cell.
                let r = (46.0 * (n as f64 / most).sqrt()).max(4.0).round() as i32;
                c.circle(at, r as u32, colour)?;
                c.text(
                    &n.to_string(),
                    (at.0, if r >= 14 { at.1 } else { at.1 - r - 8 }),
                    11,
                    if r >= 14 {
                        palette::WHITE
                    } else {
                        palette::INK
                    },
                    Align::Center,
                )?;
            }
        } else {
            for p in points {
                let at = (
                    x.px(p.importance + p.jitter.0),
                    y.px(p.functioning + p.jitter.1),
                );
                let colour = if p.flagged {
                    palette::VERMILLION
                } else {
                    palette::BLUE
                };
                c.circle(at, 5, colour)?;
            }
        }
        let mut flagged: Vec<&Point> = points.iter().filter(|p| p.flagged).collect();
        flagged.sort_by(|a, b| {
            (b.importance - b.functioning)
                .total_cmp(&(a.importance - a.functioning))
                .then(a.label.cmp(&b.label))
        });
        c.bold(
            t(lang, "Markerede relationer", "Flagged relations"),
            (right + 24, top),
            13,
            palette::INK,
            Align::Left,
        )?;
        for (i, p) in flagged.iter().take(28).enumerate() {
            let at = (
                x.px(p.importance + p.jitter.0),
                y.px(p.functioning + p.jitter.1),
            );
            // Numbered points only where each rating is a point of its own.
            if !aggregate {
                c.text(
                    &format!("{}", i + 1),
                    (at.0 + 7, at.1 - 7),
                    10,
                    palette::INK,
                    Align::Left,
                )?;
            }
            c.text(
                &format!("{}. {}", i + 1, p.label),
                (right + 24, top + 20 + 18 * i as i32),
                11,
                palette::INK,
                Align::Left,
            )?;
        }
        if flagged.len() > 28 {
            c.text(
                &format!("… +{}", flagged.len() - 28),
                (right + 24, top + 20 + 18 * 28),
                11,
                palette::MUTED,
                Align::Left,
            )?;
        }
        c.circle((24, h as i32 - 46), 5, palette::VERMILLION)?;
        c.text(
            t(lang, "vigtig, men fungerer ikke", "important, not working"),
            (36, h as i32 - 46),
            12,
            palette::INK,
            Align::Left,
        )?;
        c.circle((230, h as i32 - 46), 5, palette::BLUE)?;
        c.text(
            t(lang, "øvrige", "others"),
            (242, h as i32 - 46),
            12,
            palette::INK,
            Align::Left,
        )?;
        c.text(
            &match lang {
                Lang::Da => format!(
                    "n = {} vurderinger. Fortroligt: navngiver ledere.",
                    points.len()
                ),
                Lang::En => format!("n = {} ratings. Confidential: names leaders.", points.len()),
            },
            (24, h as i32 - 20),
            12,
            palette::MUTED,
            Align::Left,
        )?;
        Ok(())
    })
}
