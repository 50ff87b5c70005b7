//! The result types: the single source of results.json and of every table written.

use serde::Serialize;

use crate::config::Settings;

/// Bumped when a field changes meaning or disappears; adding fields keeps the version.
pub const SCHEMA_VERSION: &str = "1.0";

/// Everything one run found, after the privacy pass.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub schema_version: String,
    pub tool: Tool,
    pub settings: Settings,
    pub inputs: Vec<InputSummary>,
    pub rc: Rc,
    /// Plain-language remarks about the data (ignored columns, dropped respondents, ...).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// What happened to one input file. `used` and `skipped` count respondents; in the
/// wide layout a respondent is a row.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    pub file: String,
    pub kind: String,
    pub layout: String,
    /// How the file was read: its encoding (or "xlsx, sheet …"), delimiter and header rows.
    pub encoding: String,
    pub delimiter: Option<String>,
    pub header_rows: usize,
    /// Data rows in the file (header excluded).
    pub rows: usize,
    pub respondents: usize,
    /// Respondents who have a respondent RC score.
    pub used: usize,
    pub skipped: usize,
    /// Why the skipped respondents were skipped; the counts add up to `skipped`.
    pub skipped_reasons: Vec<Reason>,
    /// Answers read as missing under --lenient because they were not valid answers.
    pub problems: Vec<InputProblem>,
}

/// One answer that --lenient read as missing, with where it was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputProblem {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub reason: String,
    pub count: usize,
}

/// A mean over distinct respondents, with its spread, interval and strength band.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Estimate {
    pub score: Option<f64>,
    pub sd: Option<f64>,
    /// Distinct respondents behind the figure.
    pub n: usize,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub band: Option<String>,
    pub suppressed: bool,
}

/// Relational coordination: the network, its dimensions, role pairs and units.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rc {
    pub network: Network,
    /// The network figures for leaders and for staff, when the input has a position column.
    pub by_position: Vec<PositionNetwork>,
    pub dimensions: Vec<Dimension>,
    pub pairs: Vec<Pair>,
    pub units: Vec<Unit>,
    /// Units with fewer than min-n respondents: shown without a score and left out of
    /// unit-level analyses.
    pub units_suppressed: usize,
    pub municipalities: Vec<Municipality>,
}

/// The network figures. `score` is the mean of respondent RC; `within` and `between`
/// are means of valid ties to the rater's own role and to other roles; each sub-figure
/// has its own n of distinct respondents and is null when that n is below min-n.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Network {
    pub score: Option<f64>,
    pub sd: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub band: Option<String>,
    pub n_respondents: usize,
    pub within: Option<f64>,
    pub n_within: usize,
    pub between: Option<f64>,
    pub n_between: usize,
    pub communication: Option<f64>,
    pub n_communication: usize,
    pub relationship: Option<f64>,
    pub n_relationship: usize,
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionNetwork {
    /// "leader" or "staff".
    pub position: String,
    #[serde(flatten)]
    pub network: Network,
}

/// One dimension's mean over the valid ties that answered it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    pub dimension: String,
    pub subindex: String,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// Answers (valid ties that answered this dimension).
    pub n: usize,
    /// Distinct respondents behind those answers.
    pub n_respondents: usize,
    pub suppressed: bool,
}

/// A directed role-pair cell: how respondents in `rater_role` rate `target_role`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub rater_role: String,
    pub target_role: String,
    #[serde(flatten)]
    pub estimate: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub municipality: Option<String>,
    pub unit: String,
    #[serde(flatten)]
    pub estimate: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Municipality {
    pub municipality: String,
    #[serde(flatten)]
    pub estimate: Estimate,
}
