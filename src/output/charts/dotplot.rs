//! One drawing for every "estimates with intervals" chart: dimensions, units, leadership.
//! Rows of a point and its 95 % interval, in sections, over a shared x axis.

use plotters::style::RGBColor;

use super::canvas::{clip, palette, svg, text_width, ticks, Align, Result, Scale};
use crate::config::Lang;
use crate::output::i18n::num;

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub value: f64,
    pub ci: Option<(f64, f64)>,
    pub colour: RGBColor,
    /// Right-hand note, such as "n = 12".
    pub note: String,
    /// A range drawn as a thin bar behind the point (the spread across units).
    pub spread: Option<(f64, f64)>,
    /// Small marks on the row (each unit's mean).
    pub marks: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: Option<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DotPlot {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
    pub x_label: String,
    /// Vertical guide lines with their labels (the band thresholds).
    pub guides: Vec<(f64, String)>,
    pub caption: Vec<String>,
}

/// The x range: the data and guides, padded to whole half points, inside 1–5.
pub fn x_range(p: &DotPlot) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for r in p.sections.iter().flat_map(|s| &s.rows) {
        let (a, b) = r.ci.unwrap_or((r.value, r.value));
        let (c, d) = r.spread.unwrap_or((a, b));
        for v in [a, b, c, d, r.value]
            .into_iter()
            .chain(r.marks.iter().copied())
        {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    for (g, _) in &p.guides {
        lo = lo.min(*g);
        hi = hi.max(*g);
    }
    if !lo.is_finite() {
        return (1.0, 5.0);
    }
    let lo = (((lo - 0.1) * 2.0).floor() / 2.0).max(1.0);
    let hi = (((hi + 0.1) * 2.0).ceil() / 2.0).min(5.0);
    if hi > lo {
        (lo, hi)
    } else {
        (1.0, 5.0)
    }
}

const ROW_H: i32 = 26;

pub fn draw(p: &DotPlot, lang: Lang) -> Result<String> {
    let total_rows: usize = p.sections.iter().map(|s| s.rows.len()).sum();
    let label_w = p
        .sections
        .iter()
        .flat_map(|s| s.rows.iter().map(|r| text_width(&clip(&r.label, 40), 12)))
        .max()
        .unwrap_or(80)
        .max(120);
    let headings: i32 = p
        .sections
        .iter()
        .map(|s| i32::from(s.heading.is_some()))
        .sum();
    let left = 24 + label_w + 16;
    let plot_w = 520;
    let right = left + plot_w;
    let width = right + 110;
    let top = 96;
    let bottom = top + (headings + total_rows as i32) * ROW_H + 8;
    let height = bottom + 60 + 18 * p.caption.len() as i32;
    let (lo, hi) = x_range(p);
    let scale = Scale {
        lo,
        hi,
        from: left,
        to: right,
    };
    // Intervals that run past the axis (tiny n) are drawn to its end.
    let x = move |v: f64| scale.px(v.clamp(lo, hi));
    svg(width as u32, height as u32, |c| {
        c.bold(&p.title, (24, 26), 20, palette::INK, Align::Left)?;
        c.text(&p.subtitle, (24, 52), 13, palette::MUTED, Align::Left)?;
        for v in ticks(lo, hi, 8) {
            let px = x(v);
            c.line(vec![(px, top - 8), (px, bottom)], palette::SHADE, 1)?;
            c.text(
                &num(v, 1, lang),
                (px, bottom + 14),
                11,
                palette::MUTED,
                Align::Center,
            )?;
        }
        c.text(
            &p.x_label,
            ((left + right) / 2, bottom + 34),
            12,
            palette::INK,
            Align::Center,
        )?;
        for (g, label) in &p.guides {
            let px = x(*g);
            c.line(vec![(px, top - 14), (px, bottom)], palette::MUTED, 1)?;
            c.text(label, (px, top - 22), 11, palette::MUTED, Align::Center)?;
        }
        let mut y = top;
        for s in &p.sections {
            if let Some(h) = &s.heading {
                c.bold(h, (24, y + ROW_H / 2), 13, palette::INK, Align::Left)?;
                y += ROW_H;
            }
            for r in &s.rows {
                let cy = y + ROW_H / 2;
                c.text(&clip(&r.label, 40), (32, cy), 12, palette::INK, Align::Left)?;
                if let Some((a, b)) = r.spread {
                    c.rect((x(a), cy - 5), (x(b), cy + 5), palette::SHADE)?;
                }
                // One tick per pixel column: thousands of units' ticks at the same place
                // look like one, and cost a line each.
                let mut ticks: Vec<i32> = r.marks.iter().map(|m| x(*m)).collect();
                ticks.sort_unstable();
                ticks.dedup();
                for px in ticks {
                    c.line(vec![(px, cy - 6), (px, cy + 6)], palette::MUTED, 1)?;
                }
                if let Some((a, b)) = r.ci {
                    c.line(vec![(x(a), cy), (x(b), cy)], palette::INK, 2)?;
                    c.line(vec![(x(a), cy - 4), (x(a), cy + 4)], palette::INK, 2)?;
                    c.line(vec![(x(b), cy - 4), (x(b), cy + 4)], palette::INK, 2)?;
                }
                c.circle((x(r.value), cy), 6, r.colour)?;
                c.ring((x(r.value), cy), 6, palette::INK, 1)?;
                c.text(&r.note, (right + 12, cy), 11, palette::MUTED, Align::Left)?;
                y += ROW_H;
            }
        }
        for (i, line) in p.caption.iter().enumerate() {
            c.text(
                line,
                (24, bottom + 58 + 18 * i as i32),
                12,
                palette::MUTED,
                Align::Left,
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot(values: &[f64]) -> DotPlot {
        DotPlot {
            title: "T".into(),
            subtitle: "S".into(),
            sections: vec![Section {
                heading: None,
                rows: values
                    .iter()
                    .map(|v| Row {
                        label: "r".into(),
                        value: *v,
                        ci: Some((v - 0.2, v + 0.2)),
                        colour: palette::SKY,
                        note: String::new(),
                        spread: None,
                        marks: vec![],
                    })
                    .collect(),
            }],
            x_label: "x".into(),
            guides: vec![(3.5, "3,5".into()), (4.0, "4,0".into())],
            caption: vec![],
        }
    }

    #[test]
    fn the_range_covers_intervals_and_guides_in_half_points() {
        assert_eq!(x_range(&plot(&[3.7, 3.9])), (3.0, 4.5));
        assert_eq!(x_range(&plot(&[1.1, 4.9])), (1.0, 5.0));
    }

    #[test]
    fn rows_are_drawn_as_points_with_whiskers() {
        let svg = draw(&plot(&[3.7]), Lang::Da).unwrap();
        assert!(svg.contains("<circle") && svg.contains("3,5"));
    }
}
