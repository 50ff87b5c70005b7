//! Progress on stderr for long runs: a spinner with the current step, shown only when
//! stderr is a terminal and --quiet is not given, so logs and pipelines stay clean.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// The spinner, and — when the environment variable `RELCAP_TIMINGS` is set — the start of
/// the current step and the process's processor time then, so each step's wall time is
/// printed to stderr with the processor time all threads spent in it, the resident memory
/// at its end and the peak so far, and (where the binary's allocator counts, see
/// [`crate::heap`]) the bytes held at its end and at most during it (for benchmarking:
/// processor time over wall time is how many cores the step kept busy).
pub struct Progress(Option<ProgressBar>, Option<RefCell<(String, Instant, f64)>>);

impl Progress {
    pub fn new(quiet: bool) -> Self {
        let timings = std::env::var_os("RELCAP_TIMINGS")
            .map(|_| RefCell::new((String::new(), Instant::now(), cpu_seconds())));
        if quiet || !std::io::stderr().is_terminal() {
            return Progress(None, timings);
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar), timings)
    }

    /// A silent progress, for library callers and tests.
    pub fn hidden() -> Self {
        Progress(None, None)
    }

    fn lap(&self, next: &str) {
        if let Some(t) = &self.1 {
            let mut t = t.borrow_mut();
            let cpu = cpu_seconds();
            // The heap held now and at most during the step, where the allocator counts.
            let heap = crate::heap::Counting::on().then(crate::heap::Counting::lap);
            if !t.0.is_empty() {
                let heap = heap.map_or_else(String::new, |(live, peak)| {
                    let mb = |b: isize| b / (1 << 20);
                    format!(" heap {:>4}, {:>4} MB", mb(live), mb(peak))
                });
                eprintln!(
                    "{:>8.3} s {:>6.2} cpu {:>7} {:>7}{heap}  {}",
                    t.1.elapsed().as_secs_f64(),
                    cpu - t.2,
                    memory("VmRSS:"),
                    memory("VmHWM:"),
                    t.0
                );
            }
            *t = (next.to_string(), Instant::now(), cpu);
        }
    }

    pub fn step(&self, message: &str) {
        self.lap(message);
        if let Some(bar) = &self.0 {
            bar.set_message(message.to_string());
        }
    }

    pub fn finish(&self) {
        self.lap("");
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// The processor time (user and system) of every thread of the process so far, in seconds:
/// /proc/self/stat counts it in ticks of 1/100 s (USER_HZ, fixed by the kernel's ABI), 0
/// where there is no such file.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The command's name, in parentheses, may hold spaces; the fields follow it.
            let fields: Vec<&str> = s.get(s.rfind(')')? + 1..)?.split_whitespace().collect();
            // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
            let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
            Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
        })
        .unwrap_or(0.0)
}

/// A line of /proc/self/status in MB (the resident memory now, or its peak so far), or "-"
/// where there is no such file.
fn memory(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or_else(|| "-".to_string(), |kb| format!("{} MB", kb / 1024))
}
