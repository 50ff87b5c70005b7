//! The command-line interface: clap types only; nothing else in relcap depends on clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// relcap — analyze relational-coordination surveys.
///
/// Reads staff survey exports, computes relational coordination per role pair, unit,
/// municipality and network, and writes results.json and CSV tables.
#[derive(Debug, Parser)]
#[command(name = "relcap", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze a staff survey and write results.json and CSV tables to a folder.
    Report(ReportArgs),
    /// Leader relations alone: dyads, the dialogue list and per-leader counts.
    Relations(RelationsArgs),
    /// Leadership alone: staff ratings of their own leader, by group, dimension and unit.
    Leadership(LeadershipArgs),
    /// Fit an effect model on any table: OLS with classical, HC1 or cluster-robust errors.
    Regress(RegressArgs),
    /// Write synthetic staff, citizens and leaders files with planted effects.
    Simulate(SimulateArgs),
    /// Check an output folder for figures on fewer than min-n respondents, hidden figures
    /// that can be computed back, and ids from the inputs; exits 1 on any finding.
    Audit(AuditArgs),
    /// Print the JSON Schema of results.json.
    Schema,
    /// Print a shell completion script (bash, zsh, fish, elvish or powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `relcap man > relcap.1`.
    Man,
    /// Check input files without analysing them; list every problem.
    Validate(ValidateArgs),
    /// Write a draft codebook from an export's header, for you to edit.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct RelationsArgs {
    /// Leaders' ratings of their relations: leader, counterpart, importance, functioning
    /// (long), or leader, importance:<leader>, functioning:<leader> (wide).
    #[arg(long, value_name = "FILE")]
    pub leaders: PathBuf,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct LeadershipArgs {
    /// The staff survey with leadership:<group>:<dimension>[:<item>] columns (or a codebook).
    #[arg(long, value_name = "FILE")]
    pub staff: PathBuf,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct RegressArgs {
    /// The table (CSV, TSV or XLSX), one row per observation.
    #[arg(value_name = "TABLE")]
    pub table: PathBuf,

    /// The outcome column.
    #[arg(long, value_name = "COL")]
    pub y: String,

    /// A predictor column (repeatable).
    #[arg(long, value_name = "COL", required = true)]
    pub x: Vec<String>,

    /// Take natural logs of y and every x (constant-elasticity model).
    #[arg(long)]
    pub log_log: bool,

    /// The column whose values are the clusters (municipality, unit, …).
    #[arg(long, value_name = "COL")]
    pub cluster: Option<String>,

    /// Standard errors [default: cr1 with --cluster, else hc1].
    #[arg(long, value_enum)]
    pub se: Option<SeArg>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Wild cluster bootstrap draws (default: 999 when there are fewer than 20 clusters).
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<usize>,

    /// The seed of the bootstrap.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,

    /// Rows above the data, the column names first (default: detected).
    #[arg(long, value_name = "N")]
    pub header_rows: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeArg {
    Classical,
    Hc1,
    Cr1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The folder to write staff.csv, citizens.csv, leaders.csv and simulation.json to.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    #[arg(long, value_name = "N", default_value_t = 5)]
    pub municipalities: usize,

    /// Units per municipality.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub units: usize,

    /// Staff per unit, on average.
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub staff: usize,

    /// Citizens per unit, on average.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub citizens: usize,

    /// Number of roles (2–12).
    #[arg(long, value_name = "N", default_value_t = 7)]
    pub roles: usize,

    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The output folder of `relcap report`.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// A staff file whose respondent ids must not appear (repeatable).
    #[arg(long, value_name = "FILE")]
    pub staff: Vec<PathBuf>,

    /// A citizens file whose citizen ids must not appear (repeatable).
    #[arg(long, value_name = "FILE")]
    pub citizens: Vec<PathBuf>,
}

/// Where and how the outputs are written.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// The folder to write report.html, results.json, the tables and charts/ to (created if
    /// missing; files from an earlier run are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// How CSV tables are written: plain (UTF-8, ",", decimal point) or excel-da (UTF-8
    /// with BOM, ";", decimal comma, for Danish Excel).
    #[arg(long, value_enum, default_value_t = CsvDialect::Plain)]
    pub csv_dialect: CsvDialect,

    /// Also write every table as Parquet, in DIR/parquet/.
    #[arg(long)]
    pub parquet: bool,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvDialect {
    Plain,
    ExcelDa,
}

/// How to read the input files.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// A codebook (TOML) saying what each column of the export means; without one, the
    /// default column convention applies.
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,

    /// Rows above the data, the column names first (default: 1, or 3 for Qualtrics
    /// exports, which are detected).
    #[arg(long, value_name = "N")]
    pub header_rows: Option<usize>,

    /// Read answers that are out of range or have an unknown label as missing, and record
    /// each one in results.json, instead of stopping.
    #[arg(long)]
    pub lenient: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Staff survey files to check (CSV, TSV or XLSX).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub input: InputArgs,

    /// Another answer that means "no answer" (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub missing: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The export whose header the codebook describes (CSV, TSV or XLSX).
    #[arg(value_name = "EXPORT")]
    pub export: PathBuf,

    /// Write the codebook here instead of to standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub force: bool,

    /// Rows above the data, the column names first (default: detected).
    #[arg(long, value_name = "N")]
    pub header_rows: Option<usize>,
}

/// An input file, optionally labelled with its survey wave: `FILE` or `WAVE=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveFile {
    pub wave: Option<String>,
    pub path: PathBuf,
}

impl std::str::FromStr for WaveFile {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // A file that exists is a file, even with "=" in its name.
        if std::path::Path::new(s).exists() {
            return Ok(WaveFile {
                wave: None,
                path: s.into(),
            });
        }
        match s.split_once('=') {
            Some((wave, path)) if !wave.trim().is_empty() && !wave.contains(['/', '\\']) => {
                if path.is_empty() {
                    return Err(format!("no file after \"{wave}=\""));
                }
                Ok(WaveFile {
                    wave: Some(wave.trim().to_string()),
                    path: path.into(),
                })
            }
            _ => Ok(WaveFile {
                wave: None,
                path: s.into(),
            }),
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The staff survey: CSV, TSV or XLSX; wide (<dimension>:<target role> columns) or long.
    /// Repeat with a wave label to compare waves: --staff 2024=a.csv --staff 2025=b.csv
    /// (or give one file with a wave column).
    #[arg(long, value_name = "[WAVE=]FILE", required_unless_present = "example")]
    pub staff: Vec<WaveFile>,

    /// Run on the demo data built into relcap (staff, leaders and citizens), to see a full
    /// report with one command.
    #[arg(long, conflicts_with_all = ["staff", "leaders", "citizens", "codebook"])]
    pub example: bool,

    /// Leaders' ratings of their relations to other leaders (importance × functioning);
    /// repeatable with wave labels like --staff.
    #[arg(long, value_name = "[WAVE=]FILE")]
    pub leaders: Vec<WaveFile>,

    /// Citizens' ratings of the quality they experience: citizen, unit, quality:<item>;
    /// repeatable with wave labels like --staff.
    #[arg(long, value_name = "[WAVE=]FILE")]
    pub citizens: Vec<WaveFile>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub rules: RuleArgs,
}

/// The scoring rules; every default is the field's common convention.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Suppress every figure based on fewer distinct respondents than this.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub min_n: usize,

    /// The share of a score's dimensions that must be answered (0.5: 4 of 7 for a tie,
    /// 2 of 4 for communication, 2 of 3 for relationship).
    #[arg(long, value_name = "SHARE", default_value_t = 0.5)]
    pub min_answered_share: f64,

    /// Leave ties to the respondent's own role out of respondent, unit and network RC.
    #[arg(long)]
    pub exclude_own_role: bool,

    /// The lowest score of the moderate band.
    #[arg(long, value_name = "SCORE", default_value_t = 3.5)]
    pub band_moderate: f64,

    /// The lowest score of the strong band.
    #[arg(long, value_name = "SCORE", default_value_t = 4.0)]
    pub band_strong: f64,

    /// Another answer that means "no answer" (repeatable), besides blank, NA, Ved ikke,
    /// Ikke relevant, Don't know and Not applicable.
    #[arg(long, value_name = "TEXT")]
    pub missing: Vec<String>,

    /// Leader relations: importance at or above this is "important".
    #[arg(long, value_name = "SCORE", default_value_t = 4.0)]
    pub important_from: f64,

    /// Leader relations: functioning at or below this is "not working".
    #[arg(long, value_name = "SCORE", default_value_t = 3.0)]
    pub working_up_to: f64,

    /// Leader relations: replace leader names by stable codes (L01, L02, … in name order).
    #[arg(long)]
    pub pseudonymize: bool,

    /// Models: wild cluster bootstrap draws (default: 999 when there are fewer than 20
    /// clusters; 0 turns it off).
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<usize>,

    /// The seed of every random draw (the bootstrap).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,

    /// The language of the charts and the report.
    #[arg(long, value_enum, default_value_t = LangArg::Da)]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// Danish
    Da,
    /// English
    En,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wave_label_comes_before_an_equals_sign() {
        let w: WaveFile = "2024=data/staff.csv".parse().unwrap();
        assert_eq!(w.wave.as_deref(), Some("2024"));
        assert_eq!(w.path, PathBuf::from("data/staff.csv"));
        let plain: WaveFile = "data/staff.csv".parse().unwrap();
        assert_eq!(plain.wave, None);
        // "=" after a path separator belongs to the path (an existing file always does).
        let folder: WaveFile = "runs/a=b/staff.csv".parse().unwrap();
        assert_eq!(folder.wave, None);
        assert!("2024=".parse::<WaveFile>().is_err());
    }
}
