//! The relcap binary: parse the command line, run it, print the error chain, exit 0/1/2.

use clap::Parser;

// A national run makes and frees millions of small strings and tables; glibc's allocator
// spent about a fifth of the run in malloc and free (see BENCHMARKS.md).
// It counts the bytes held only when RELCAP_TIMINGS asks for each step's memory.
#[global_allocator]
static ALLOCATOR: relcap::heap::Counting = relcap::heap::Counting;

// mimalloc's defaults, set before mimalloc starts (see relcap::heap::tune).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00090"]
static TUNE_ALLOCATOR: extern "C" fn() = relcap::heap::tune;

fn main() {
    relcap::heap::tune();
    if std::env::var_os("RELCAP_TIMINGS").is_some() {
        relcap::heap::Counting::start();
    }
    let cli = relcap::cli::Cli::parse();
    if let Err(err) = relcap::run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(relcap::error::exit_code(&err));
    }
}
