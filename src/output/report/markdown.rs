//! report.md: the same content as the HTML report, for pasting into documents; charts are
//! linked as the files in charts/.

use super::{Block, Document};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders the document as Markdown.
pub fn render(d: &Document) -> String {
    let mut m = format!("# {}\n\n{}\n\n", d.title, d.subtitle);
    for b in &d.blocks {
        match b {
            Block::Section { title, .. } => m += &format!("## {title}\n\n"),
            Block::Subsection(s) => m += &format!("### {s}\n\n"),
            Block::Paragraph(s) => m += &format!("{s}\n\n"),
            Block::Note(s) => m += &format!("*{s}*\n\n"),
            Block::Callout(s) => m += &format!("> **{s}**\n\n"),
            Block::Bullets(items) => {
                for i in items {
                    m += &format!("- {i}\n");
                }
                m += "\n";
            }
            Block::Figures(fs) => {
                for (label, value, sub) in fs {
                    m += &format!("- **{label}: {value}** ({sub})\n");
                }
                m += "\n";
            }
            Block::Table {
                head,
                rows,
                numeric,
            } => {
                m += &format!(
                    "| {} |\n",
                    head.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")
                );
                m += &format!(
                    "|{}|\n",
                    (0..head.len())
                        .map(|j| if numeric.get(j).copied().unwrap_or(false) {
                            "---:"
                        } else {
                            "---"
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                );
                for row in rows {
                    m += &format!(
                        "| {} |\n",
                        row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    );
                }
                m += "\n";
            }
            Block::Chart {
                file,
                alt,
                svg,
                reason,
            } => match svg {
                Some(_) => m += &format!("![{alt}]({file})\n\n"),
                None => m += &format!("*{alt} {}*\n\n", reason.as_deref().unwrap_or("")),
            },
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Lang;

    #[test]
    fn tables_and_charts_become_markdown() {
        let d = Document {
            title: "T".into(),
            subtitle: "S".into(),
            lang: Lang::En,
            blocks: vec![
                Block::Table {
                    head: vec!["a".into(), "b".into()],
                    rows: vec![vec!["x|y".into(), "1".into()]],
                    numeric: vec![false, true],
                },
                Block::Chart {
                    file: "charts/rc_matrix.svg".into(),
                    alt: "Matrix".into(),
                    svg: Some(String::new()),
                    reason: None,
                },
            ],
        };
        let m = render(&d);
        assert!(m.contains("| a | b |\n|---|---:|\n| x\\|y | 1 |"));
        assert!(m.contains("![Matrix](charts/rc_matrix.svg)"));
    }
}
