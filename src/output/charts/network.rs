//! rc_network.svg: roles on a circle and directed ties between them, coloured and
//! thickened by RC, drawn side by side so that A→B and B→A can differ visibly.

use std::collections::BTreeSet;

use super::canvas::{band_colour, clip, palette, svg, text_width, Align, Result};
use crate::config::Lang;
use crate::output::i18n::{band, num, t};
use crate::results::Rc;

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// None when hidden (fewer than min-n respondents).
    pub score: Option<f64>,
    pub band: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkData {
    pub roles: Vec<String>,
    /// The within-role score and band of each role, when shown.
    pub within: Vec<Option<(f64, String)>>,
    pub edges: Vec<Edge>,
    pub n_respondents: usize,
}

pub fn prepare(rc: &Rc, lang: Lang) -> std::result::Result<NetworkData, String> {
    let roles: Vec<String> = rc
        .pairs
        .iter()
        .flat_map(|p| [p.rater_role.clone(), p.target_role.clone()])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = |r: &str| roles.iter().position(|x| x == r).expect("listed");
    let edges: Vec<Edge> = rc
        .pairs
        .iter()
        .filter(|p| p.rater_role != p.target_role && p.estimate.n != Some(0))
        .map(|p| Edge {
            from: index(&p.rater_role),
            to: index(&p.target_role),
            score: p.estimate.score,
            band: p.estimate.band.clone(),
        })
        .collect();
    if roles.len() < 2 || edges.iter().all(|e| e.score.is_none()) {
        return Err(t(
            lang,
            "Ingen forbindelse mellem to roller har svar nok til at blive vist.",
            "No tie between two roles has enough answers to be shown.",
        )
        .into());
    }
    let within = roles
        .iter()
        .map(|r| {
            rc.pairs
                .iter()
                .find(|p| &p.rater_role == r && &p.target_role == r)
                .and_then(|p| Some((p.estimate.score?, p.estimate.band.clone()?)))
        })
        .collect();
    Ok(NetworkData {
        roles,
        within,
        edges,
        n_respondents: rc.network.n_respondents.unwrap_or(0),
    })
}

/// The line width of a tie: 2 px at 2.5 or below, 8 px at 5.
pub fn width(score: f64) -> u32 {
    (2.0 + (score - 2.5).max(0.0) * 2.4).round() as u32
}

pub fn draw(d: &NetworkData, lang: Lang) -> Result<String> {
    let (w, h) = (900, 820);
    let (cx, cy, radius) = (450.0, 420.0, 250.0);
    let k = d.roles.len();
    let pos: Vec<(f64, f64)> = (0..k)
        .map(|i| {
            let a = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / k as f64;
            (cx + radius * a.cos(), cy + radius * a.sin())
        })
        .collect();
    let node_r = 26.0;
    svg(w, h, |c| {
        c.bold(
            t(lang, "Koordinationsnetværket", "The coordination network"),
            (24, 26),
            20,
            palette::INK,
            Align::Left,
        )?;
        c.text(
            t(
                lang,
                "Hver pil går fra den vurderende til den vurderede rolle; farve og tykkelse viser styrken.",
                "Each arrow runs from the rating to the rated role; colour and width show its strength.",
            ),
            (24, 52),
            13,
            palette::MUTED,
            Align::Left,
        )?;
        let mut ordered: Vec<&Edge> = d.edges.iter().collect();
        // Hidden ties first, then strong to weak, so the weak ties — the ones to talk
        // about — lie on top.
        ordered.sort_by(|a, b| {
            a.score
                .is_some()
                .cmp(&b.score.is_some())
                .then(b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)))
        });
        for e in ordered {
            let (a, b) = (pos[e.from], pos[e.to]);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = (dx * dx + dy * dy).sqrt();
            let (ux, uy) = (dx / len, dy / len);
            // Offset to the right of the direction, so the two directions run side by side.
            let (ox, oy) = (-uy * 7.0, ux * 7.0);
            let start = (a.0 + ux * node_r + ox, a.1 + uy * node_r + oy);
            let end = (
                b.0 - ux * (node_r + 4.0) + ox,
                b.1 - uy * (node_r + 4.0) + oy,
            );
            let p = |x: (f64, f64)| (x.0.round() as i32, x.1.round() as i32);
            match (e.score, &e.band) {
                (Some(s), Some(bd)) => {
                    let colour = band_colour(bd);
                    c.line(vec![p(start), p(end)], colour, width(s))?;
                    let back = (end.0 - ux * 12.0, end.1 - uy * 12.0);
                    let head = vec![
                        p(end),
                        p((back.0 - uy * 6.0, back.1 + ux * 6.0)),
                        p((back.0 + uy * 6.0, back.1 - ux * 6.0)),
                    ];
                    c.polygon(head, colour, 1.0)?;
                }
                _ => c.line_alpha(vec![p(start), p(end)], palette::MUTED, 0.35, 1)?,
            }
        }
        for (i, role) in d.roles.iter().enumerate() {
            let (x, y) = (pos[i].0.round() as i32, pos[i].1.round() as i32);
            match &d.within[i] {
                Some((s, b)) => {
                    c.circle((x, y), node_r as u32, band_colour(b))?;
                    c.text(
                        &num(*s, 2, lang),
                        (x, y),
                        12,
                        super::canvas::ink_on(b),
                        Align::Center,
                    )?;
                }
                None => c.circle((x, y), node_r as u32, palette::SHADE)?,
            }
            c.ring((x, y), node_r as u32, palette::INK, 2)?;
            let label = clip(role, 24);
            let (ux, uy) = ((pos[i].0 - cx) / radius, (pos[i].1 - cy) / radius);
            let (lx, ly) = (
                pos[i].0 + ux * (node_r + 12.0),
                pos[i].1 + uy * (node_r + 16.0),
            );
            // Labels sit outside the circle, on the side away from the centre.
            let align = if ux > 0.3 {
                Align::Left
            } else if ux < -0.3 {
                Align::Right
            } else {
                Align::Center
            };
            c.bold(
                &label,
                (lx.round() as i32, ly.round() as i32),
                14,
                palette::INK,
                align,
            )?;
        }
        let ly = h as i32 - 52;
        let mut x = 24;
        for b in ["weak", "moderate", "strong"] {
            c.line(vec![(x, ly), (x + 30, ly)], band_colour(b), 5)?;
            let label = band(lang, b);
            c.text(label, (x + 38, ly), 12, palette::INK, Align::Left)?;
            x += 60 + text_width(label, 12);
        }
        c.line_alpha(vec![(x, ly), (x + 30, ly)], palette::MUTED, 0.35, 1)?;
        c.text(
            t(lang, "skjult (for få svar)", "hidden (too few answers)"),
            (x + 38, ly),
            12,
            palette::INK,
            Align::Left,
        )?;
        c.text(
            &match lang {
                Lang::Da => format!(
                    "Cirklen viser koordineringen inden for rollen. n = {} respondenter.",
                    d.n_respondents
                ),
                Lang::En => format!(
                    "The circle shows coordination within the role. n = {} respondents.",
                    d.n_respondents
                ),
            },
            (24, ly + 26),
            12,
            palette::MUTED,
            Align::Left,
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stronger_ties_are_drawn_thicker() {
        assert_eq!(width(2.0), 2);
        assert!(width(4.5) > width(3.5));
        assert_eq!(width(5.0), 8);
    }
}
