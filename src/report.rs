//! The `report` command: read → normalize → measure → privacy → render → commit.

use std::io::Write;

use anyhow::{Context, Result};

use crate::answers::AnswersBuilder;
use crate::cli::ReportArgs;
use crate::config::Settings;
use crate::input::{self, codebook, Source};
use crate::measures::rc;
use crate::output::{self, json, tables, OutputFile};
use crate::privacy;
use crate::results::{InputProblem, InputSummary, Results, Tool, SCHEMA_VERSION};

/// Runs the whole analysis and writes its outputs to `args.out`.
pub fn run(args: &ReportArgs) -> Result<Results> {
    let settings = Settings::from_rules(&args.rules)?;
    let codebook = args
        .input
        .codebook
        .as_deref()
        .map(codebook::load)
        .transpose()?;
    let source = Source {
        codebook: codebook.as_ref(),
        header_rows: args.input.header_rows,
        lenient: args.input.lenient,
    };
    let mut builder = AnswersBuilder::default();
    let loaded = input::load_staff(&args.staff, source, &settings, &mut builder)?;
    let file = &loaded.file;
    let answers = builder
        .finish()
        .context("building the answers table from the staff file")?;

    let (mut rc, accounting) =
        rc::compute(&answers, &settings).context("computing relational coordination")?;
    privacy::apply(&mut rc, settings.min_n);

    let mut notes = Vec::new();
    if !file.ignored_columns.is_empty() {
        notes.push(format!(
            "{}: columns not read (neither grouping nor answer columns): {}",
            args.staff.display(),
            file.ignored_columns.join(", ")
        ));
    }
    if !file.problems.is_empty() {
        notes.push(format!(
            "{}: {} answers were not valid and were read as missing (--lenient); inputs[].problems lists them",
            args.staff.display(),
            file.problems.len()
        ));
    }
    if !file.targets_without_raters.is_empty() {
        notes.push(format!(
            "rated roles that no respondent has as their own role (check the spelling against the role column): {}",
            file.targets_without_raters.join(", ")
        ));
    }
    if rc.units_suppressed > 0 {
        notes.push(format!(
            "{} of {} units have fewer than {} respondents with a score: they are shown without a score and left out of unit-level analyses",
            rc.units_suppressed,
            rc.units.len(),
            settings.min_n
        ));
    }
    let skipped = accounting.respondents - accounting.used;
    let results = Results {
        schema_version: SCHEMA_VERSION.into(),
        tool: Tool::default(),
        inputs: vec![InputSummary {
            file: args.staff.display().to_string(),
            kind: "staff".into(),
            layout: file.layout.name().into(),
            encoding: loaded.encoding.clone(),
            delimiter: loaded.delimiter.map(|d| {
                if d == '\t' {
                    "tab".into()
                } else {
                    d.to_string()
                }
            }),
            header_rows: loaded.header_rows,
            rows: file.rows,
            respondents: accounting.respondents,
            used: accounting.used,
            skipped,
            skipped_reasons: accounting.skipped_reasons,
            problems: file
                .problems
                .iter()
                .map(|p| InputProblem {
                    line: p.line,
                    column: p.column.clone(),
                    message: p.message.clone(),
                })
                .collect(),
        }],
        settings,
        rc,
        notes,
    };

    let files = render(&results)?;
    output::commit(&args.out, &files)?;
    if !args.quiet {
        summary(&results, args, &files)?;
    }
    Ok(results)
}

/// Every output file, rendered in memory.
pub fn render(results: &Results) -> Result<Vec<OutputFile>> {
    let rc = &results.rc;
    let file = |name: &str, bytes: Vec<u8>| OutputFile {
        name: name.into(),
        bytes,
    };
    Ok(vec![
        file("results.json", json::render(results)?),
        file("pairs.csv", tables::pairs(rc)?),
        file("matrix.csv", tables::matrix(rc)?),
        file("units.csv", tables::units(rc)?),
        file("municipalities.csv", tables::municipalities(rc)?),
        file("dimensions.csv", tables::dimensions(rc)?),
    ])
}

/// A few lines on stderr saying what was found and written.
fn summary(results: &Results, args: &ReportArgs, files: &[OutputFile]) -> Result<()> {
    let mut err = std::io::stderr().lock();
    let input = &results.inputs[0];
    let net = &results.rc.network;
    writeln!(
        err,
        "{}: {} respondents, {} with a score, {} skipped",
        input.file, input.respondents, input.used, input.skipped
    )?;
    match net.score {
        Some(score) => writeln!(
            err,
            "network RC {:.2} ({}), {} respondents",
            score,
            net.band.as_deref().unwrap_or(""),
            net.n_respondents
        )?,
        None => writeln!(
            err,
            "network RC suppressed: fewer than {} respondents",
            results.settings.min_n
        )?,
    }
    let shown = results
        .rc
        .pairs
        .iter()
        .filter(|p| !p.estimate.suppressed)
        .count();
    writeln!(
        err,
        "{} of {} role pairs shown, {} of {} units shown",
        shown,
        results.rc.pairs.len(),
        results.rc.units.len() - results.rc.units_suppressed,
        results.rc.units.len()
    )?;
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    writeln!(err, "wrote {} to {}", names.join(", "), args.out.display())?;
    Ok(())
}
