//! The result types: the single source of results.json and of every table written.

use schemars::JsonSchema;
use serde::Serialize;

use crate::config::Settings;

/// The JSON Schema of results.json, generated from these types (schema/results.schema.json).
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(Results)
}

/// Bumped when a field changes meaning or disappears; adding fields keeps the version.
pub const SCHEMA_VERSION: &str = "1.0";

/// Everything one run found, after the privacy pass.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Results {
    pub schema_version: String,
    pub tool: Tool,
    pub settings: Settings,
    pub inputs: Vec<InputSummary>,
    /// Relational coordination; null only in the output of `relcap relations`.
    pub rc: Option<Rc>,
    /// Null when the staff file has no leadership items.
    pub leadership: Option<Leadership>,
    /// Null when no leaders file was given.
    pub relations: Option<Relations>,
    /// Citizen-experienced quality; null when no citizens file was given.
    pub quality: Option<Quality>,
    /// The effect models whose inputs were given.
    pub models: Vec<Model>,
    /// The charts in DIR/charts, and why any was not drawn.
    pub charts: Vec<ChartInfo>,
    /// Plain-language remarks about the data (ignored columns, dropped respondents, ...).
    pub notes: Vec<String>,
    /// With two or more survey waves: every wave's figures, in wave order. The sections
    /// above are then those of the last wave. Empty with one wave.
    pub waves: Vec<Wave>,
    /// With two or more waves: the change of every figure from each wave to the next.
    pub changes: Vec<Changes>,
}

impl Results {
    /// Results with these settings and nothing found yet: no inputs, sections or notes.
    pub fn new(settings: Settings) -> Self {
        Results {
            schema_version: SCHEMA_VERSION.into(),
            tool: Tool::default(),
            settings,
            inputs: Vec::new(),
            rc: None,
            leadership: None,
            relations: None,
            quality: None,
            models: Vec::new(),
            charts: Vec::new(),
            notes: Vec::new(),
            waves: Vec::new(),
            changes: Vec::new(),
        }
    }
}

/// One survey wave's figures, after the privacy pass (min-n applies per wave).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Wave {
    pub label: String,
    pub rc: Option<Rc>,
    pub leadership: Option<Leadership>,
    pub quality: Option<Quality>,
}

/// The change of one figure from one wave to the next (`to − from`), with its interval.
/// A change is shown only when the figure is shown in both waves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Difference {
    pub from: Option<f64>,
    pub to: Option<f64>,
    pub n_from: Option<usize>,
    pub n_to: Option<usize>,
    /// Respondents with an answer in both waves.
    pub n_paired: Option<usize>,
    pub change: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// "welch", "paired", "partially_paired" or "clustered" (see the README).
    pub method: Option<String>,
    /// "increase" or "decrease" when the interval excludes 0, else "no_detectable_change";
    /// "not_shown" when the figure is hidden or missing in either wave.
    pub verdict: String,
    pub suppressed: bool,
}

/// Every figure's change from wave `from` to wave `to`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Changes {
    pub from: String,
    pub to: String,
    pub network: Option<Difference>,
    pub dimensions: Vec<DimensionChange>,
    pub pairs: Vec<PairChange>,
    pub units: Vec<UnitChange>,
    pub municipalities: Vec<MunicipalityChange>,
    pub leadership: Option<LeadershipChange>,
    /// Citizen-experienced quality per unit.
    pub quality_units: Vec<UnitChange>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DimensionChange {
    pub dimension: String,
    #[serde(flatten)]
    pub change: Difference,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PairChange {
    pub rater_role: String,
    pub target_role: String,
    #[serde(flatten)]
    pub change: Difference,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnitChange {
    pub municipality: Option<String>,
    pub unit: String,
    #[serde(flatten)]
    pub change: Difference,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MunicipalityChange {
    pub municipality: String,
    #[serde(flatten)]
    pub change: Difference,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LeadershipChange {
    pub score: Difference,
    pub groups: Vec<GroupChange>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupChange {
    pub group: String,
    #[serde(flatten)]
    pub change: Difference,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct InputProblem {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Reason {
    /// A stable code: no_answers, too_few_dimensions, own_role_only,
    /// too_few_leadership_dimensions, too_few_quality_items or rated_no_relation.
    pub code: String,
    /// The reason in words.
    pub reason: String,
    pub count: usize,
}

/// A mean over distinct respondents, with its spread, interval and strength band.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Estimate {
    pub score: Option<f64>,
    pub sd: Option<f64>,
    /// Distinct respondents behind the figure; null when the figure is hidden because it
    /// rests on fewer than min-n respondents (read it as "fewer than min-n").
    pub n: Option<usize>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub band: Option<String>,
    pub suppressed: bool,
}

/// Relational coordination: the network, its dimensions, role pairs and units.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
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
    /// Cronbach's alpha of the seven dimensions over complete ties.
    pub reliability: Reliability,
    /// ICC(1), ICC(2), ANOVA F and median rwg(j) of respondent RC by unit.
    pub aggregation: Aggregation,
}

/// The network figures. `score` is the mean of respondent RC; `within` and `between`
/// are means of valid ties to the rater's own role and to other roles; each sub-figure
/// has its own n of distinct respondents and is null when that n is below min-n.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Network {
    pub score: Option<f64>,
    pub sd: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub band: Option<String>,
    pub n_respondents: Option<usize>,
    pub within: Option<f64>,
    pub n_within: Option<usize>,
    pub between: Option<f64>,
    pub n_between: Option<usize>,
    pub communication: Option<f64>,
    pub n_communication: Option<usize>,
    pub relationship: Option<f64>,
    pub n_relationship: Option<usize>,
    pub suppressed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PositionNetwork {
    /// "leader" or "staff".
    pub position: String,
    #[serde(flatten)]
    pub network: Network,
}

/// One dimension's mean over the valid ties that answered it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Dimension {
    pub dimension: String,
    pub subindex: String,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// Answers (valid ties that answered this dimension); null when hidden.
    pub n: Option<usize>,
    /// Distinct respondents behind those answers; null when hidden.
    pub n_respondents: Option<usize>,
    /// The 95 % interval of the mean, clustered by respondent (CR1, t on G − 1 df).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub suppressed: bool,
}

/// A directed role-pair cell: how respondents in `rater_role` rate `target_role`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Pair {
    pub rater_role: String,
    pub target_role: String,
    #[serde(flatten)]
    pub estimate: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Unit {
    pub municipality: Option<String>,
    pub unit: String,
    #[serde(flatten)]
    pub estimate: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Municipality {
    pub municipality: String,
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// Leader relations: importance × functioning dyads. These name leaders by design.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Relations {
    /// Who may see these figures.
    pub confidentiality: String,
    /// Whether leader names were replaced by codes (--pseudonymize).
    pub pseudonymized: bool,
    pub dyads: Vec<Dyad>,
    /// Dyads with at least one flagged direction, highest priority first.
    pub dialogue: Vec<DialogueEntry>,
    pub leaders: Vec<LeaderRelations>,
}

/// One leader's rating of their relation to another.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Direction {
    pub importance: Option<f64>,
    pub functioning: Option<f64>,
    /// Important (importance ≥ the threshold) but not working (functioning ≤ its threshold).
    pub flagged: bool,
}

/// An unordered pair of leaders, `leader_a` < `leader_b`, with at least one direction rated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Dyad {
    pub leader_a: String,
    pub leader_b: String,
    /// A's rating of the relation to B.
    pub a_to_b: Option<Direction>,
    /// B's rating of the relation to A.
    pub b_to_a: Option<Direction>,
    /// The mean functioning of the directions present.
    pub mutual_functioning: Option<f64>,
    /// A→B minus B→A, when both directions exist.
    pub importance_gap: Option<f64>,
    pub functioning_gap: Option<f64>,
    pub flagged: bool,
    /// The largest importance − functioning of a flagged direction.
    pub priority: Option<f64>,
    /// Only one of the two rated the relation.
    pub one_direction_only: bool,
    /// Both rated it, and only one flags it.
    pub flagged_by_one_side_only: bool,
    /// Both rated it, and only one finds it important.
    pub important_to_one_side_only: bool,
    /// Any of the three above.
    pub one_sided: bool,
}

/// A dyad to talk about: `inviter` flagged the relation and invites `invitee`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DialogueEntry {
    pub rank: usize,
    pub inviter: String,
    pub invitee: String,
    /// The inviter's importance − functioning.
    pub priority: f64,
    pub importance: Option<f64>,
    pub functioning: Option<f64>,
    /// The invitee's own ratings of the relation, when they gave any.
    pub invitee_importance: Option<f64>,
    pub invitee_functioning: Option<f64>,
    /// Both leaders flag the relation.
    pub flagged_by_both: bool,
}

/// One leader's relations: how many they rated and flagged, and how many flag them.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LeaderRelations {
    pub leader: String,
    pub municipality: Option<String>,
    pub unit: Option<String>,
    pub relations_rated: usize,
    pub relations_flagged: usize,
    /// Counterparts whose rating of the relation to this leader is flagged.
    pub flagged_by: usize,
}

/// Staff ratings of their own leader: framing, engaging and involving leadership.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Leadership {
    /// The leadership score: each respondent's mean over all answered dimensions.
    pub score: Estimate,
    /// The groups in their fixed order (framing, engaging, involving, then others);
    /// `rank` 1 marks the highest mean.
    pub groups: Vec<LeadershipFigure>,
    pub dimensions: Vec<LeadershipFigure>,
    /// Per unit, i.e. per leader as their staff see them.
    pub units: Vec<LeadershipUnit>,
    pub units_suppressed: usize,
    pub municipalities: Vec<LeadershipMunicipality>,
    /// Cronbach's alpha of the leadership items over complete cases.
    pub reliability: Reliability,
}

/// A group's or a dimension's mean of respondent scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct LeadershipFigure {
    pub group: String,
    /// Null for a group figure.
    pub dimension: Option<String>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// Null when hidden (fewer than min-n).
    pub n: Option<usize>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// 1 for the highest group mean; null for dimensions and suppressed groups.
    pub rank: Option<usize>,
    pub suppressed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct LeadershipUnit {
    pub municipality: Option<String>,
    pub unit: String,
    pub score: Estimate,
    pub groups: Vec<LeadershipFigure>,
    pub dimensions: Vec<LeadershipFigure>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct LeadershipMunicipality {
    pub municipality: String,
    pub score: Estimate,
    pub groups: Vec<LeadershipFigure>,
    pub dimensions: Vec<LeadershipFigure>,
    /// How much the leadership score varies between the municipality's shown units.
    pub between_units: Spread,
}

/// The spread of unit means: sd, min and max over the units that are shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Spread {
    pub units: usize,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Citizen-experienced quality per unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Quality {
    /// The mean of citizen quality over all citizens with a score.
    pub score: Estimate,
    pub units: Vec<Unit>,
    /// Units with fewer than min-n citizens: shown without a score, left out of the models.
    pub units_suppressed: usize,
    pub municipalities: Vec<Municipality>,
    /// The quality items read.
    pub items: Vec<String>,
}

/// A fitted effect model.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Model {
    pub name: String,
    pub y: String,
    pub x: Vec<String>,
    /// "log-log" or "linear".
    pub transform: String,
    /// "classical", "hc1" or "cr1".
    pub se_type: String,
    /// The column or level the clusters are, for cr1.
    pub cluster_by: Option<String>,
    pub n: usize,
    pub k: usize,
    pub clusters: Option<usize>,
    /// Degrees of freedom of the t and F distributions (n − k, or G − 1 with clusters).
    pub df: f64,
    pub r2: Option<f64>,
    pub adj_r2: Option<f64>,
    pub f: Option<f64>,
    pub f_p: Option<f64>,
    pub resid_sd: f64,
    /// The intercept first.
    pub coefficients: Vec<ModelCoefficient>,
    /// The effect of +10 % in the first predictor.
    pub effect_10pct: Option<Effect>,
    /// The wild cluster bootstrap, when it was run.
    pub bootstrap: Option<Bootstrap>,
    pub warnings: Vec<String>,
    /// The covariance matrix of the coefficients (the one the standard errors come from),
    /// in coefficient order; for confidence bands and tests of your own.
    pub vcov: Vec<Vec<f64>>,
    /// What the model chart plots; never a respondent-level point.
    pub scatter: Option<Scatter>,
}

/// The data behind a model's chart, on the original scale.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Scatter {
    /// Observations that are published figures anyway (unit means).
    pub points: Vec<[f64; 2]>,
    /// The unit of each point, so the privacy pass can drop the points of hidden units;
    /// never written.
    #[serde(skip)]
    #[schemars(skip)]
    pub point_units: Vec<(Option<String>, String)>,
    /// A 2-D histogram of respondent-level observations instead of points.
    pub bins: Option<Bins>,
    /// The fitted line and its 95 % band, on the original scale: [x, fitted, low, high].
    pub line: Vec<[f64; 4]>,
}

/// Counts of observations in a grid; null where fewer than min-n fall in a cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Bins {
    /// What a cell counts: "respondents" or "units".
    pub of: String,
    pub x_edges: Vec<f64>,
    pub y_edges: Vec<f64>,
    /// counts[i][j]: observations with x in bin i and y in bin j.
    pub counts: Vec<Vec<Option<usize>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ModelCoefficient {
    pub term: String,
    pub estimate: f64,
    pub std_error: f64,
    pub t: Option<f64>,
    pub p: Option<f64>,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The wild cluster bootstrap p (slopes only, when the bootstrap was run).
    pub bootstrap_p: Option<f64>,
    /// The effect of +10 % in this predictor (slopes only).
    pub effect_10pct: Option<Effect>,
}

/// "+10 % X → p % Y", with the uncertainty carried through.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Effect {
    pub term: String,
    /// "log-log: (1.1^β − 1)·100" or "linear at the means: 10·b·x̄/ȳ".
    pub definition: String,
    /// The change in Y, in percent, for +10 % in X.
    pub y_change_pct: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// For log-log: the linear approximation 10·β, for comparison.
    pub approximation_pct: Option<f64>,
    /// The effect in one plain sentence.
    pub statement: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Bootstrap {
    /// Wild cluster bootstrap, restricted, Rademacher weights.
    pub method: String,
    pub draws: usize,
    /// Every sign vector was used (2^G ≤ the draws asked for): exact, seed-free.
    pub enumerated: bool,
    pub seed: u64,
}

/// Cronbach's alpha of a scale.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Reliability {
    pub alpha: Option<f64>,
    pub std_alpha: Option<f64>,
    /// Complete cases used (every item answered).
    pub n: usize,
    pub items: Vec<ReliabilityItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReliabilityItem {
    pub item: String,
    /// Correlation with the sum of the other items.
    pub item_total: Option<f64>,
    pub alpha_if_dropped: Option<f64>,
}

/// Whether unit-level RC is meaningful: one-way ANOVA of respondent RC by unit, over the
/// units with at least min-n respondents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Aggregation {
    pub icc1: Option<f64>,
    pub icc2: Option<f64>,
    pub f: Option<f64>,
    pub p: Option<f64>,
    /// The median over units of rwg(j) of the seven dimensions (uniform null, 5 points).
    pub rwg_median: Option<f64>,
    pub units: usize,
    pub n: usize,
}

/// A chart file and whether it was drawn.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ChartInfo {
    pub file: String,
    pub drawn: bool,
    /// Why it was not drawn (missing or suppressed data).
    pub reason: Option<String>,
}
