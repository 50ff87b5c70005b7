//! The binary's allocator: mimalloc, tuned for a run of big tables ([`tune`]) and counting
//! the bytes the program holds when asked to, so `RELCAP_TIMINGS=1` can print each step's
//! live heap and its peak beside the resident memory (which also holds what the allocator
//! keeps for reuse).
//!
//! Counting is off unless [`Counting::start`] turns it on (the binary does when
//! `RELCAP_TIMINGS` is set): then every allocation and free adds to one counter, and
//! allocations raise the peak.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

static ON: AtomicBool = AtomicBool::new(false);
/// Bytes allocated less bytes freed since counting started (frees of what was allocated
/// before may take it below zero, by the few bytes the runtime allocates before `main`).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// mimalloc, counting while [`Counting::start`]ed.
pub struct Counting;

impl Counting {
    /// Counts from now on.
    pub fn start() {
        ON.store(true, Relaxed);
    }

    /// Whether counting is on.
    pub fn on() -> bool {
        ON.load(Relaxed)
    }

    /// The bytes held now, and the most held since the last call (which it resets).
    pub fn lap() -> (isize, isize) {
        let live = LIVE.load(Relaxed);
        let peak = PEAK.swap(live, Relaxed);
        (live, peak.max(live))
    }

    fn grew(by: usize) {
        let now = LIVE.fetch_add(by as isize, Relaxed) + by as isize;
        PEAK.fetch_max(now, Relaxed);
    }

    fn shrank(by: usize) {
        LIVE.fetch_sub(by as isize, Relaxed);
    }
}

/// mimalloc's options `arena_eager_commit` and `purge_delay`, by their numbers in
/// `mimalloc.h` (v3).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The purge delay (ms) of a run, and of a run over inputs of at least
/// [`LARGE_INPUT`] bytes (see [`fit_to_input`]).
const PURGE_DELAY_MS: i64 = 100;
const LARGE_PURGE_DELAY_MS: i64 = 0;
/// Inputs from which memory, not time, is what a run is short of: about half a million
/// respondents.
pub const LARGE_INPUT: u64 = 128 << 20;

/// Sets mimalloc's defaults for a run that builds and frees tables of hundreds of
/// megabytes, step after step; the environment variables (`MIMALLOC_PURGE_DELAY`,
/// `MIMALLOC_ARENA_EAGER_COMMIT`) still override them. It must run before mimalloc starts:
/// the binary has the dynamic loader call it before mimalloc's initializer (priority 101;
/// the lower number runs first, and the Rust runtime's own takes 99), and calls it again
/// first thing in `main`, where only the purge delay still takes effect (for a system
/// without such initializers).
///
/// - Arenas are committed as they are used (`arena_eager_commit` 0), not whole when
///   reserved (mimalloc's default on Linux), so purged memory is decommitted, not only
///   reset. mimalloc reserves its first arena, a gigabyte, at its first allocation, which
///   is before `main`.
/// - Freed memory is given back to the system after 100 ms instead of mimalloc's 10 ms
///   times ten for an arena's, so a step's tables, freed, do not stay resident while the
///   next step makes its own; [`fit_to_input`] gives it back at once for large inputs.
///
/// At 1M respondents the resident peak was 0.77 GB before, 0.65 GB with the delay at
/// 100 ms, and is 0.53 GB with both and the delay at 0, in the same time (BENCHMARKS.md,
/// fourteenth and fifteenth rounds).
pub extern "C" fn tune() {
    // SAFETY: setting an option's default only writes mimalloc's option table; no
    // allocation depends on its old value, and nothing is allocated.
    unsafe {
        libmimalloc_sys::mi_option_set_default(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set_default(PURGE_DELAY, PURGE_DELAY_MS as _);
    }
}

/// Gives freed memory back at once when the inputs take `bytes` of at least
/// [`LARGE_INPUT`], unless `MIMALLOC_PURGE_DELAY` says otherwise: pages given back must be
/// faulted in again when used, which at 100k respondents cost a tenth of the run's time
/// (0.40 → 0.44 s) and at 300k as much (1.30 → 1.45 s), and at 1M nothing measurable,
/// where it lowered the peak by a sixth.
pub fn fit_to_input(bytes: u64) {
    if bytes >= LARGE_INPUT && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: as in `tune`; mimalloc reads the delay each time it purges.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, LARGE_PURGE_DELAY_MS as _) }
    }
}

// SAFETY: every call is mimalloc's own, with the caller's arguments; the counters only
// observe the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { mimalloc::MiMalloc.alloc(layout) };
        if !p.is_null() && ON.load(Relaxed) {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) };
        if !p.is_null() && ON.load(Relaxed) {
            Self::grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) };
        if ON.load(Relaxed) {
            Self::shrank(layout.size());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() && ON.load(Relaxed) {
            if new_size >= layout.size() {
                Self::grew(new_size - layout.size());
            } else {
                Self::shrank(layout.size() - new_size);
            }
        }
        p
    }
}
