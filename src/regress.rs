//! `relcap regress`: the statistics engine on any table, for BI pipelines.

use std::io::Write;

use anyhow::{Context, Result};

use crate::cli::{Format, RegressArgs, SeArg};
use crate::config::Settings;
use crate::error::{InputError, Problem};
use crate::input::labels::parse_number;
use crate::input::read::{read_table, ReadOptions};
use crate::measures::models::{estimate, Data, Spec};
use crate::output::tables;
use crate::results::Model;
use crate::stats::ols::SeType;

/// Reads the table, fits the model and prints it in the chosen format.
pub fn run(args: &RegressArgs) -> Result<()> {
    let se = match (args.se, &args.cluster) {
        (Some(SeArg::Cr1), None) => {
            return Err(InputError::Usage("--se cr1 needs --cluster COL".into()).into());
        }
        (Some(SeArg::Classical), _) => SeType::Classical,
        (Some(SeArg::Hc1), _) => SeType::Hc1,
        (Some(SeArg::Cr1), Some(_)) | (None, Some(_)) => SeType::Cr1,
        (None, None) => SeType::Hc1,
    };
    let (data, skipped) = load(args)?;
    let settings = Settings::default();
    let spec = Spec {
        name: "regress".into(),
        y: args.y.clone(),
        x: args.x.clone(),
        log_log: args.log_log,
        se,
        cluster_by: args.cluster.clone(),
        bootstrap: args.bootstrap,
        seed: args.seed,
        confidence: settings.confidence,
    };
    let mut model = estimate(&spec, &data)
        .with_context(|| format!("cannot fit the model on {}", args.table.display()))?;
    if skipped > 0 {
        model.warnings.push(format!(
            "{skipped} rows with a missing value in a model column were left out"
        ));
    }
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => {
            let mut bytes = serde_json::to_vec_pretty(&model)?;
            bytes.push(b'\n');
            out.write_all(&bytes)
        }
        Format::Csv => out.write_all(&tables::to_csv(
            &tables::models(std::slice::from_ref(&model)),
            tables::Dialect::Plain,
        )?),
        Format::Table => out.write_all(table(&model).as_bytes()),
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// The model columns of the table as numbers; rows with a missing value are counted and
/// left out, anything else that is not a number is an error with its line and column.
fn load(args: &RegressArgs) -> Result<(Data, usize)> {
    let table = read_table(
        &args.table,
        ReadOptions {
            header_rows: args.header_rows,
        },
    )?;
    let find = |name: &str| {
        table.find(name).ok_or_else(|| InputError::MissingColumn {
            file: table.file.clone(),
            column: name.to_string(),
            found: table.headers.join(", "),
        })
    };
    let y = find(&args.y)?;
    let xs: Vec<usize> = args.x.iter().map(|x| find(x)).collect::<Result<_, _>>()?;
    let cluster = args.cluster.as_deref().map(find).transpose()?;
    let settings = Settings::default();
    let mut data = Data {
        y: Vec::new(),
        x: vec![Vec::new(); xs.len()],
        clusters: None,
    };
    let mut labels: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    let mut skipped = 0;
    table.each_row(|row| {
        let mut values = Vec::with_capacity(xs.len() + 1);
        let mut missing = false;
        for &c in std::iter::once(&y).chain(&xs) {
            let raw = &row.fields[c];
            if settings.is_missing(raw) {
                missing = true;
                continue;
            }
            match parse_number(raw) {
                Some(v) if args.log_log && v <= 0.0 => problems.push(Problem::at(
                    row.line,
                    Some(&table.headers[c]),
                    format!(
                        "\"{}\" is not positive, so it has no logarithm (--log-log)",
                        raw.trim()
                    ),
                )),
                Some(v) => values.push(v),
                None => problems.push(Problem::at(
                    row.line,
                    Some(&table.headers[c]),
                    format!("\"{}\" is not a number", raw.trim()),
                )),
            }
        }
        let label = cluster.map(|c| row.fields[c].trim().to_string());
        if missing || label.as_deref() == Some("") {
            skipped += 1;
            return;
        }
        if values.len() == xs.len() + 1 {
            data.y.push(values[0]);
            for (j, v) in values[1..].iter().enumerate() {
                data.x[j].push(*v);
            }
            if let Some(l) = label {
                labels.push(l);
            }
        }
    })?;
    if cluster.is_some() {
        data.clusters = Some(crate::measures::models::cluster_ids(labels));
    }
    crate::error::refuse(&table.file, problems)?;
    Ok((data, skipped))
}

fn fixed(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "—".into())
}

/// The model as a plain-text table for the terminal.
pub fn table(m: &Model) -> String {
    let mut s = String::new();
    let se = match (&m.se_type[..], m.clusters) {
        ("cr1", Some(g)) => format!(
            "cluster-robust (CR1) by {}, {g} clusters",
            m.cluster_by.as_deref().unwrap_or("cluster")
        ),
        ("hc1", _) => "heteroskedasticity-robust (HC1)".into(),
        _ => "classical".into(),
    };
    s += &format!(
        "{} ~ {}   {}, n = {}\nstandard errors: {se}\n\n",
        m.y,
        m.x.join(" + "),
        m.transform,
        m.n
    );
    let width = m
        .coefficients
        .iter()
        .map(|c| c.term.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    s += &format!(
        "{:width$}  {:>12}  {:>11}  {:>8}  {:>8}  {:>25}{}\n",
        "term",
        "estimate",
        "std. error",
        "t",
        "p",
        "95 % CI",
        if m.bootstrap.is_some() {
            "  bootstrap p"
        } else {
            ""
        }
    );
    for c in &m.coefficients {
        s += &format!(
            "{:width$}  {:>12.6}  {:>11.6}  {:>8}  {:>8}  {:>25}{}\n",
            c.term,
            c.estimate,
            c.std_error,
            fixed(c.t, 3),
            fixed(c.p, 4),
            format!("[{:.6}, {:.6}]", c.ci_low, c.ci_high),
            match (m.bootstrap.is_some(), c.bootstrap_p) {
                (true, Some(p)) => format!("  {p:>11.4}"),
                _ => String::new(),
            }
        );
    }
    s += &format!(
        "\nR² {}  adj. R² {}  F({}, {}) = {}  p = {}  residual sd {}\n",
        fixed(m.r2, 4),
        fixed(m.adj_r2, 4),
        m.k - 1,
        m.df,
        fixed(m.f, 3),
        fixed(m.f_p, 4),
        tables::format_number(m.resid_sd, tables::Dialect::Plain),
    );
    if let Some(b) = &m.bootstrap {
        s += &format!(
            "bootstrap: {}, {} draws{}\n",
            b.method,
            b.draws,
            if b.enumerated {
                " (every sign vector: exact)".to_string()
            } else {
                format!(", seed {}", b.seed)
            }
        );
    }
    for c in &m.coefficients {
        if let Some(e) = &c.effect_10pct {
            s += &format!("effect: {}   [{}]\n", e.statement, e.definition);
        }
    }
    for w in &m.warnings {
        s += &format!("warning: {w}\n");
    }
    s
}
