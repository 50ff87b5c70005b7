//! A thin layer over plotters' SVG backend: pixel-space primitives that return plain
//! errors, and the palette every chart shares.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Okabe & Ito's colour-blind-safe palette.
pub mod palette {
    use plotters::style::RGBColor;
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
    pub const MUTED: RGBColor = RGBColor(0x6B, 0x6B, 0x6B);
    pub const RULE: RGBColor = RGBColor(0xCC, 0xCC, 0xCC);
    pub const SHADE: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
    pub const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
}

/// The fill of a strength band: weak orange, moderate sky blue, strong blue.
pub fn band_colour(band: &str) -> RGBColor {
    match band {
        "strong" => palette::BLUE,
        "moderate" => palette::SKY,
        _ => palette::ORANGE,
    }
}

/// Text that reads on a band's fill.
pub fn ink_on(band: &str) -> RGBColor {
    if band == "strong" {
        palette::WHITE
    } else {
        palette::INK
    }
}

pub type Result<T> = std::result::Result<T, String>;

fn err<E: std::fmt::Display>(e: E) -> String {
    format!("drawing failed: {e}")
}

/// Horizontal alignment of text.
#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A drawing surface in pixels.
pub struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
}

/// Draws into a new SVG of `width` × `height` pixels and returns its text.
pub fn svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&Canvas<'_>) -> Result<()>,
) -> Result<String> {
    let mut buf = String::new();
    {
        let area = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        area.fill(&palette::WHITE).map_err(err)?;
        let canvas = Canvas { area };
        draw(&canvas)?;
        canvas.area.present().map_err(err)?;
    }
    Ok(buf)
}

impl Canvas<'_> {
    pub fn rect(&self, (x0, y0): (i32, i32), (x1, y1): (i32, i32), fill: RGBColor) -> Result<()> {
        self.area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled()))
            .map_err(err)
    }

    pub fn rect_alpha(
        &self,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
        fill: RGBColor,
        alpha: f64,
    ) -> Result<()> {
        self.area
            .draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                fill.mix(alpha).filled(),
            ))
            .map_err(err)
    }

    pub fn outline(
        &self,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
        colour: RGBColor,
        width: u32,
    ) -> Result<()> {
        self.area
            .draw(&Rectangle::new(
                [(x0, y0), (x1, y1)],
                colour.stroke_width(width),
            ))
            .map_err(err)
    }

    pub fn line(&self, points: Vec<(i32, i32)>, colour: RGBColor, width: u32) -> Result<()> {
        self.area
            .draw(&PathElement::new(points, colour.stroke_width(width)))
            .map_err(err)
    }

    pub fn line_alpha(
        &self,
        points: Vec<(i32, i32)>,
        colour: RGBColor,
        alpha: f64,
        width: u32,
    ) -> Result<()> {
        self.area
            .draw(&PathElement::new(
                points,
                colour.mix(alpha).stroke_width(width),
            ))
            .map_err(err)
    }

    pub fn polygon(&self, points: Vec<(i32, i32)>, fill: RGBColor, alpha: f64) -> Result<()> {
        self.area
            .draw(&Polygon::new(points, fill.mix(alpha).filled()))
            .map_err(err)
    }

    pub fn circle(&self, (x, y): (i32, i32), r: u32, fill: RGBColor) -> Result<()> {
        self.area
            .draw(&Circle::new((x, y), r, fill.filled()))
            .map_err(err)
    }

    pub fn ring(&self, (x, y): (i32, i32), r: u32, colour: RGBColor, width: u32) -> Result<()> {
        self.area
            .draw(&Circle::new((x, y), r, colour.stroke_width(width)))
            .map_err(err)
    }

    /// Text anchored at (x, y): vertically centred, horizontally as `align` says.
    pub fn text(
        &self,
        s: &str,
        (x, y): (i32, i32),
        size: u32,
        colour: RGBColor,
        align: Align,
    ) -> Result<()> {
        self.styled(s, (x, y), size, colour, align, false)
    }

    pub fn bold(
        &self,
        s: &str,
        (x, y): (i32, i32),
        size: u32,
        colour: RGBColor,
        align: Align,
    ) -> Result<()> {
        self.styled(s, (x, y), size, colour, align, true)
    }

    fn styled(
        &self,
        s: &str,
        (x, y): (i32, i32),
        size: u32,
        colour: RGBColor,
        align: Align,
        bold: bool,
    ) -> Result<()> {
        let h = match align {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
            Align::Right => HPos::Right,
        };
        let font = if bold {
            ("sans-serif", size as f64, FontStyle::Bold).into_font()
        } else {
            ("sans-serif", size as f64).into_font()
        };
        let style = font.color(&colour).pos(Pos::new(h, VPos::Center));
        self.area
            .draw(&Text::new(s.to_string(), (x, y), style))
            .map_err(err)
    }
}

/// A linear map from data values to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub from: i32,
    pub to: i32,
}

impl Scale {
    pub fn px(&self, v: f64) -> i32 {
        let t = (v - self.lo) / (self.hi - self.lo);
        (self.from as f64 + t * (self.to - self.from) as f64).round() as i32
    }
}

/// Round tick values covering [lo, hi], about `count` of them, at 1, 2 or 5 × 10^k steps.
pub fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) || count == 0 {
        return vec![lo];
    }
    let raw = (hi - lo) / count as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut v = first;
    while v <= hi + step * 1e-9 {
        out.push((v / step).round() * step);
        v += step;
    }
    out
}

/// The approximate width in pixels of `s` at `size` (sans-serif, average glyph width).
pub fn text_width(s: &str, size: u32) -> i32 {
    (s.chars().count() as f64 * size as f64 * 0.56).ceil() as i32
}

/// `s` cut to at most `max` characters, with an ellipsis when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(1.0, 5.0, 4), [1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(ticks(0.0, 1.0, 4), [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(ticks(3.0, 3.0, 4), [3.0]);
    }

    #[test]
    fn scales_map_ends_to_ends_and_may_run_backwards() {
        let s = Scale {
            lo: 1.0,
            hi: 5.0,
            from: 100,
            to: 500,
        };
        assert_eq!((s.px(1.0), s.px(3.0), s.px(5.0)), (100, 300, 500));
        let up = Scale {
            lo: 0.0,
            hi: 10.0,
            from: 400,
            to: 0,
        };
        assert_eq!(up.px(10.0), 0);
    }

    #[test]
    fn svg_text_is_text_and_escaped() {
        let out = svg(100, 50, |c| {
            c.text("Pædagog & Lærer", (10, 10), 12, palette::INK, Align::Left)
        })
        .unwrap();
        assert!(out.starts_with("<svg"));
        assert!(out.contains("Pædagog &amp; Lærer"));
    }

    #[test]
    fn clipping_marks_the_cut() {
        assert_eq!(clip("Sundhedsplejerske", 10), "Sundhedsp…");
        assert_eq!(clip("PPR", 10), "PPR");
    }
}
