//! model_*.svg: a model's data on log scales with the fitted line and its 95 % band;
//! respondent-level data are shown only as a binned grid, never as points.

use super::canvas::{palette, svg, ticks, Align, Result, Scale};
use crate::config::Lang;
use crate::output::i18n::{num, number, signed, t};
use crate::results::Model;

pub fn prepare(m: &Model, lang: Lang) -> std::result::Result<&Model, String> {
    match &m.scatter {
        Some(s) if !s.line.is_empty() && (!s.points.is_empty() || s.bins.is_some()) => Ok(m),
        _ => Err(t(
            lang,
            "Modellen har ingen data at vise.",
            "The model has no data to show.",
        )
        .into()),
    }
}

/// The range of all that is drawn along one axis, in log units.
fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| *v > 0.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v.ln()), b.max(v.ln()))
        });
    let pad = ((hi - lo) * 0.06).max(0.01);
    (lo - pad, hi + pad)
}

pub fn draw(m: &Model, x_label: &str, y_label: &str, lang: Lang) -> Result<String> {
    let s = m.scatter.as_ref().ok_or("no scatter")?;
    let (w, h) = (820, 640);
    let (left, right, top, bottom) = (90, 780, 90, 540);
    let xs = s
        .points
        .iter()
        .map(|p| p[0])
        .chain(s.line.iter().map(|l| l[0]))
        .chain(s.bins.iter().flat_map(|b| b.x_edges.clone()));
    let ys = s
        .points
        .iter()
        .map(|p| p[1])
        .chain(s.line.iter().flat_map(|l| [l[2], l[3]]))
        .chain(s.bins.iter().flat_map(|b| b.y_edges.clone()));
    let (x0, x1) = log_range(xs);
    let (y0, y1) = log_range(ys);
    let x = Scale {
        lo: x0,
        hi: x1,
        from: left,
        to: right,
    };
    let y = Scale {
        lo: y0,
        hi: y1,
        from: bottom,
        to: top,
    };
    let title = match m.name.as_str() {
        "quality_on_rc" => t(
            lang,
            "Relationel koordinering og borgeroplevet kvalitet",
            "Relational coordination and citizen-experienced quality",
        ),
        "rc_on_leadership" => t(
            lang,
            "Ledelse og relationel koordinering",
            "Leadership and relational coordination",
        ),
        _ => "",
    };
    svg(w, h, |c| {
        c.bold(title, (24, 26), 20, palette::INK, Align::Left)?;
        if let Some(e) = &m.effect_10pct {
            let pct = |v: f64| number(v, 1, lang);
            let line = match lang {
                Lang::Da => format!(
                    "+10 % {} hænger sammen med {} % {} (95 %-interval {} til {} %)",
                    x_label,
                    signed(e.y_change_pct, 1, lang),
                    y_label,
                    pct(e.ci_low),
                    pct(e.ci_high)
                ),
                Lang::En => format!(
                    "+10 % {} goes with {} % {} (95 % interval {} to {} %)",
                    x_label,
                    signed(e.y_change_pct, 1, lang),
                    y_label,
                    pct(e.ci_low),
                    pct(e.ci_high)
                ),
            };
            c.text(&line, (24, 52), 13, palette::MUTED, Align::Left)?;
        }
        // Ticks at round values of the original scale, placed on the log axis.
        for v in ticks(x0.exp(), x1.exp(), 6) {
            if v > 0.0 {
                let px = x.px(v.ln());
                c.line(vec![(px, top), (px, bottom)], palette::SHADE, 1)?;
                c.text(
                    &num(v, 2, lang),
                    (px, bottom + 16),
                    11,
                    palette::MUTED,
                    Align::Center,
                )?;
            }
        }
        for v in ticks(y0.exp(), y1.exp(), 6) {
            if v > 0.0 {
                let py = y.px(v.ln());
                c.line(vec![(left, py), (right, py)], palette::SHADE, 1)?;
                c.text(
                    &num(v, 2, lang),
                    (left - 10, py),
                    11,
                    palette::MUTED,
                    Align::Right,
                )?;
            }
        }
        if let Some(b) = &s.bins {
            let max = b
                .counts
                .iter()
                .flatten()
                .flatten()
                .copied()
                .max()
                .unwrap_or(1) as f64;
            for (i, col) in b.counts.iter().enumerate() {
                for (j, count) in col.iter().enumerate() {
                    if let Some(n) = count {
                        let alpha = 0.15 + 0.8 * (*n as f64 / max);
                        c.rect_alpha(
                            (x.px(b.x_edges[i].ln()), y.px(b.y_edges[j + 1].ln())),
                            (x.px(b.x_edges[i + 1].ln()), y.px(b.y_edges[j].ln())),
                            palette::SKY,
                            alpha,
                        )?;
                    }
                }
            }
        }
        let band: Vec<(i32, i32)> = s
            .line
            .iter()
            .map(|l| (x.px(l[0].ln()), y.px(l[3].ln())))
            .chain(
                s.line
                    .iter()
                    .rev()
                    .map(|l| (x.px(l[0].ln()), y.px(l[2].ln()))),
            )
            .collect();
        c.polygon(band, palette::ORANGE, 0.25)?;
        c.line(
            s.line
                .iter()
                .map(|l| (x.px(l[0].ln()), y.px(l[1].ln())))
                .collect(),
            palette::VERMILLION,
            3,
        )?;
        for p in &s.points {
            c.circle((x.px(p[0].ln()), y.px(p[1].ln())), 6, palette::BLUE)?;
            c.ring((x.px(p[0].ln()), y.px(p[1].ln())), 6, palette::WHITE, 1)?;
        }
        c.outline((left, top), (right, bottom), palette::RULE, 1)?;
        c.text(
            &format!("{x_label} ({})", t(lang, "logaritmisk akse", "log axis")),
            ((left + right) / 2, bottom + 40),
            13,
            palette::INK,
            Align::Center,
        )?;
        c.text(
            &format!("{y_label} ↑"),
            (left - 70, top - 20),
            13,
            palette::INK,
            Align::Left,
        )?;
        let what = match &s.bins {
            Some(b) if b.of == "units" => t(lang, "Felterne tæller enheder (felter med færre end 5 er tomme); linjen er den estimerede sammenhæng med 95 %-bånd.", "Cells count units (cells with fewer than 5 are blank); the line is the estimated relation with its 95 % band."),
            Some(_) => t(lang, "Felterne tæller respondenter (felter med færre end 5 er tomme); linjen er den estimerede sammenhæng med 95 %-bånd.", "Cells count respondents (cells with fewer than 5 are blank); the line is the estimated relation with its 95 % band."),
            None => t(
                lang,
                "Hvert punkt er en enhed; linjen er den estimerede sammenhæng med 95 %-bånd.",
                "Each point is a unit; the line is the estimated relation with its 95 % band.",
            ),
        };
        c.text(what, (24, h as i32 - 46), 12, palette::MUTED, Align::Left)?;
        let clusters = m
            .clusters
            .map(|g| format!(", {g} {}", t(lang, "klynger", "clusters")))
            .unwrap_or_default();
        let boot = m
            .coefficients
            .get(1)
            .and_then(|c| c.bootstrap_p)
            .map(|p| match lang {
                Lang::Da => format!(
                    " Få klynger: wild cluster bootstrap p = {}.",
                    num(p, 3, lang)
                ),
                Lang::En => format!(
                    " Few clusters: wild cluster bootstrap p = {}.",
                    num(p, 3, lang)
                ),
            })
            .unwrap_or_default();
        c.text(
            &format!(
                "n = {}{clusters}. R² = {}.{boot}",
                m.n,
                m.r2.map_or("–".into(), |r| num(r, 2, lang))
            ),
            (24, h as i32 - 24),
            12,
            palette::MUTED,
            Align::Left,
        )?;
        Ok(())
    })
}
