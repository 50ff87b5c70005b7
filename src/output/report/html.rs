//! report.html: one self-contained file — CSS and SVG inline, no script, no network —
//! printable on A4.

use super::{Block, Document};
use crate::config::Lang;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
@page { size: A4; margin: 16mm 14mm; }
:root { --ink: #222; --muted: #666; --rule: #ddd; --shade: #f4f4f4; --accent: #0072B2; --warn: #fff6d6; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: var(--ink); margin: 0; line-height: 1.45; font-size: 10.5pt; }
main { max-width: 190mm; margin: 0 auto; padding: 10mm 4mm; }
h1 { font-size: 22pt; margin: 0 0 2mm; }
.subtitle { color: var(--muted); margin: 0 0 8mm; font-size: 9.5pt; }
h2 { font-size: 16pt; margin: 10mm 0 3mm; padding-bottom: 1.5mm; border-bottom: 2px solid var(--accent); }
h3 { font-size: 12pt; margin: 6mm 0 2mm; }
p { margin: 0 0 3mm; }
ul { margin: 0 0 4mm; padding-left: 5mm; }
li { margin-bottom: 1.5mm; }
.note { color: var(--muted); font-size: 9pt; }
.callout { background: var(--warn); border-left: 4px solid #E69F00; padding: 3mm 4mm; margin: 0 0 4mm; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 0 0 5mm; }
.figure { flex: 1 1 40mm; background: var(--shade); border-radius: 2mm; padding: 3mm 4mm; }
.figure .label { font-size: 9pt; color: var(--muted); }
.figure .value { font-size: 20pt; font-weight: bold; }
.figure .sub { font-size: 9pt; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 0 0 4mm; font-size: 9.5pt; }
th, td { padding: 1.3mm 2mm; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--shade); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 0 0 5mm; break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figure.chart figcaption { color: var(--muted); font-size: 9pt; }
.missing { color: var(--muted); font-style: italic; border: 1px dashed var(--rule); padding: 3mm; }
@media print {
  h2.break { break-before: page; }
  h2, h3 { break-after: avoid; }
  table, .figures, .callout { break-inside: avoid; }
  main { padding: 0; }
}
"#;

/// Renders the document as one HTML page.
pub fn render(d: &Document) -> String {
    let lang = match d.lang {
        Lang::Da => "da",
        Lang::En => "en",
    };
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n",
        esc(&d.title),
        esc(&d.title),
        esc(&d.subtitle)
    );
    for b in &d.blocks {
        match b {
            Block::Section { title, page_break } => {
                h += &format!(
                    "<h2{}>{}</h2>\n",
                    if *page_break { " class=\"break\"" } else { "" },
                    esc(title)
                );
            }
            Block::Subsection(s) => h += &format!("<h3>{}</h3>\n", esc(s)),
            Block::Paragraph(s) => h += &format!("<p>{}</p>\n", esc(s)),
            Block::Note(s) => h += &format!("<p class=\"note\">{}</p>\n", esc(s)),
            Block::Callout(s) => h += &format!("<div class=\"callout\">{}</div>\n", esc(s)),
            Block::Bullets(items) => {
                h += "<ul>\n";
                for i in items {
                    h += &format!("<li>{}</li>\n", esc(i));
                }
                h += "</ul>\n";
            }
            Block::Figures(fs) => {
                h += "<div class=\"figures\">\n";
                for (label, value, sub) in fs {
                    h += &format!(
                        "<div class=\"figure\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"sub\">{}</div></div>\n",
                        esc(label),
                        esc(value),
                        esc(sub)
                    );
                }
                h += "</div>\n";
            }
            Block::Table {
                head,
                rows,
                numeric,
            } => {
                let class = |j: usize| {
                    if numeric.get(j).copied().unwrap_or(false) {
                        " class=\"num\""
                    } else {
                        ""
                    }
                };
                h += "<table>\n<thead><tr>";
                for (j, c) in head.iter().enumerate() {
                    h += &format!("<th{}>{}</th>", class(j), esc(c));
                }
                h += "</tr></thead>\n<tbody>\n";
                for row in rows {
                    h += "<tr>";
                    for (j, c) in row.iter().enumerate() {
                        h += &format!("<td{}>{}</td>", class(j), esc(c));
                    }
                    h += "</tr>\n";
                }
                h += "</tbody>\n</table>\n";
            }
            Block::Chart {
                alt, svg, reason, ..
            } => match svg {
                Some(svg) => {
                    h += &format!(
                        "<figure class=\"chart\" role=\"img\" aria-label=\"{}\">\n{}\n</figure>\n",
                        esc(alt),
                        svg.trim()
                    );
                }
                None => {
                    h += &format!(
                        "<p class=\"missing\">{} {}</p>\n",
                        esc(alt),
                        esc(reason.as_deref().unwrap_or(""))
                    );
                }
            },
        }
    }
    h += "</main>\n</body>\n</html>\n";
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_the_page_is_self_contained() {
        let d = Document {
            title: "A & B".into(),
            subtitle: "<x>".into(),
            lang: Lang::Da,
            blocks: vec![
                Block::Paragraph("Pædagog → Lærer".into()),
                Block::Chart {
                    file: "charts/x.svg".into(),
                    alt: "x".into(),
                    svg: Some("<svg viewBox=\"0 0 1 1\"></svg>".into()),
                    reason: None,
                },
            ],
        };
        let h = render(&d);
        assert!(h.contains("<title>A &amp; B</title>") && h.contains("&lt;x&gt;"));
        assert!(h.contains("<html lang=\"da\">"));
        assert!(h.contains("<svg viewBox"));
        for remote in ["http://", "https://", "<script", "<link", "src="] {
            let outside_svg = h.replace("http://www.w3.org/2000/svg", "");
            assert!(!outside_svg.contains(remote), "{remote}");
        }
    }
}
