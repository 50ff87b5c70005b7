//! The relcap binary: parse the command line, run it, print the error chain, exit 0/1/2.

use clap::Parser;

// A national run makes and frees millions of small strings and tables; glibc's allocator
// spent about a fifth of the run in malloc and free (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = relcap::cli::Cli::parse();
    if let Err(err) = relcap::run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(relcap::error::exit_code(&err));
    }
}
