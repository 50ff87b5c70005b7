//! relcap: an analyzer for relational-coordination surveys.
//!
//! Data flow one way: `input` (files → Answers) → `measures` (Answers → results) →
//! `privacy` (what may be shown) → `output` (Results → bytes → files).

pub mod answers;
pub mod cli;
pub mod config;
pub mod error;
pub mod input;
pub mod instruments;
pub mod measures;
pub mod output;
pub mod privacy;
pub mod report;
pub mod results;
pub mod stats;

/// Runs one parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<()> {
    match cli.command {
        cli::Command::Report(args) => report::run(&args).map(|_| ()),
    }
}
