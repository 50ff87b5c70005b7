//! `relcap validate`: read and check input files without analysing them.

use std::io::Write;

use anyhow::Result;

use crate::answers::AnswersBuilder;
use crate::cli::ValidateArgs;
use crate::config::Settings;
use crate::error::InputError;
use crate::input;

/// Checks every file, printing one line per good file and every problem of a bad one.
/// Fails (exit 2) when any file has a problem.
pub fn run(args: &ValidateArgs) -> Result<()> {
    let mut settings = Settings::default();
    settings.missing.extend(args.missing.iter().cloned());
    let codebook = crate::report::read_codebook(&args.input)?;
    let source = crate::report::source(&args.input, codebook.as_ref(), false);
    let mut failed = 0;
    let mut out = std::io::stdout().lock();
    for path in &args.files {
        let mut answers = AnswersBuilder::default();
        match input::load_staff(input::Input::new(path), source, &settings, &mut answers) {
            Ok(loaded) => {
                let f = &loaded.file;
                writeln!(
                    out,
                    "{}: ok — {} rows, {} respondents, {} answers ({} missing), {} layout, {}{}",
                    path.display(),
                    f.rows,
                    f.respondents,
                    answers.len(),
                    answers.missing(),
                    f.layout.name(),
                    loaded.encoding,
                    loaded
                        .delimiter
                        .map(|d| format!(
                            ", delimiter {}",
                            if d == '\t' {
                                "TAB".into()
                            } else {
                                format!("\"{d}\"")
                            }
                        ))
                        .unwrap_or_default()
                )?;
                for p in &f.problems {
                    let column = p
                        .column
                        .as_deref()
                        .map(|c| format!(" column \"{c}\":"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "warning: {}:{}:{column} {} (read as missing)",
                        path.display(),
                        p.line,
                        p.message
                    )?;
                }
                if !f.ignored_columns.is_empty() {
                    writeln!(out, "  not read: {}", f.ignored_columns.join(", "))?;
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if failed > 0 {
        return Err(InputError::Invalid {
            failed,
            total: args.files.len(),
        }
        .into());
    }
    Ok(())
}
