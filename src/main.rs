//! The relcap binary: parse the command line, run it, print the error chain, exit 0/1/2.

use clap::Parser;

fn main() {
    let cli = relcap::cli::Cli::parse();
    if let Err(err) = relcap::run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(relcap::error::exit_code(&err));
    }
}
