//! relcap: an analyzer for relational-coordination surveys.
//!
//! Data flow one way: `input` (files → Answers) → `measures` (Answers → results) →
//! `privacy` (what may be shown) → `output` (Results → bytes → files).

pub mod answers;
pub mod audit;
pub mod cli;
pub mod config;
pub mod error;
pub mod heap;
pub mod init;
pub mod input;
pub mod instruments;
pub mod measures;
pub mod output;
pub mod privacy;
pub mod progress;
pub mod regress;
pub mod report;
pub mod results;
pub mod simulate;
pub mod stats;
pub mod texts;
pub mod validate;

/// What a scoped thread returned; a panic in it goes on in this thread.
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Runs one parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<()> {
    match cli.command {
        cli::Command::Report(args) => report::run(&args).map(|_| ()),
        cli::Command::Relations(args) => report::run_relations(&args).map(|_| ()),
        cli::Command::Leadership(args) => report::run_leadership(&args).map(|_| ()),
        cli::Command::Regress(args) => regress::run(&args),
        cli::Command::Validate(args) => validate::run(&args),
        cli::Command::Simulate(a) => {
            let shape = simulate::Shape {
                municipalities: a.municipalities,
                units: a.units,
                staff: a.staff,
                citizens: a.citizens,
                roles: a.roles,
                seed: a.seed,
            };
            let s = simulate::write(&a.out, shape)?;
            eprintln!(
                "wrote {} respondents, {} citizens and {} leaders to {} (planted elasticities: rc_on_leadership {}, quality_on_rc {})",
                s.respondents,
                s.citizens,
                s.leaders,
                a.out.display(),
                s.planted.rc_on_leadership,
                s.planted.quality_on_rc
            );
            Ok(())
        }
        cli::Command::Audit(a) => run_audit(&a),
        cli::Command::Schema => {
            let mut text = serde_json::to_string_pretty(&results::schema())?;
            text.push('\n');
            print(text.as_bytes())
        }
        cli::Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <cli::Cli as clap::CommandFactory>::command(),
                "relcap",
                &mut out,
            );
            print(&out)
        }
        cli::Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<cli::Cli as clap::CommandFactory>::command())
                .render(&mut out)?;
            print(&out)
        }
        cli::Command::Init(args) => init_codebook(&args),
    }
}

fn init_codebook(args: &cli::InitArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    let opts = input::read::ReadOptions {
        header_rows: args.header_rows,
    };
    let table = input::read::read_table(&args.export, opts)?;
    let text = init::draft(&table);
    match &args.out {
        None => {
            use std::io::Write;
            std::io::stdout().lock().write_all(text.as_bytes())?;
        }
        Some(path) => {
            if path.exists() && !args.force {
                return Err(error::InputError::Usage(format!(
                    "{} exists; use --force to overwrite it",
                    path.display()
                ))
                .into());
            }
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "wrote a draft codebook to {}; edit it, then pass it with --codebook",
                path.display()
            );
        }
    }
    Ok(())
}

/// Writes to stdout; a closed pipe (`relcap schema | head`) is not an error.
fn print(bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn run_audit(a: &cli::AuditArgs) -> anyhow::Result<()> {
    let mut ids = audit::Ids::default();
    for (files, column) in [(&a.staff, "respondent"), (&a.citizens, "citizen")] {
        for path in files {
            let table = input::read::read_table(path, input::read::ReadOptions::default())?;
            let i = table
                .find(column)
                .ok_or_else(|| error::InputError::MissingColumn {
                    file: path.clone(),
                    column: column.into(),
                    found: table.headers.join(", "),
                })?;
            table.each_row(|r| {
                let id = r.fields[i].trim();
                if audit::looks_like_id(id) {
                    ids.insert(id);
                }
            })?;
        }
    }
    let (findings, files) = audit::check_folder(&a.dir, &ids)?;
    if findings.is_empty() {
        eprintln!(
            "{}: no findings ({} files checked, {} input ids looked for)",
            a.dir.display(),
            files,
            ids.len()
        );
        return Ok(());
    }
    for f in &findings {
        println!("{}: {}: {}", a.dir.display(), f.file, f.message);
    }
    anyhow::bail!(
        "the audit found {} problems in {}",
        findings.len(),
        a.dir.display()
    )
}
