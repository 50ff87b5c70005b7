//! The report for leader meetings: one document model built from the Results, rendered as
//! self-contained HTML (charts inline) and as Markdown (charts as files). Wording is
//! neutral and role-level (domain.md §1.9): scores can trigger defensiveness.

pub mod content;
pub mod html;
pub mod markdown;

/// A block of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading; sections start on a new printed page when `page_break`.
    Section {
        title: String,
        page_break: bool,
    },
    Subsection(String),
    Paragraph(String),
    /// Muted small print.
    Note(String),
    /// A highlighted box (confidentiality, warnings).
    Callout(String),
    Bullets(Vec<String>),
    /// Headline figures: label, value, small print.
    Figures(Vec<(String, String, String)>),
    /// A table; `numeric[j]` right-aligns column j.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric: Vec<bool>,
    },
    /// A chart from DIR/charts, with a text alternative; `reason` when it was not drawn.
    Chart {
        file: String,
        alt: String,
        svg: Option<String>,
        reason: Option<String>,
    },
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    pub lang: crate::config::Lang,
    pub blocks: Vec<Block>,
}
