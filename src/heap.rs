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

/// mimalloc's option `purge_delay`, by its number in `mimalloc.h` (v3).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets mimalloc's defaults for a run that builds and frees tables of hundreds of
/// megabytes, step after step; the environment variable `MIMALLOC_PURGE_DELAY` still
/// overrides it. Call it first thing in `main`.
///
/// Freed memory is given back to the system after 100 ms instead of mimalloc's second, so
/// the tables a step frees do not stay resident while the next step allocates its own: at
/// 1M respondents the resident peak fell from 0.77 GB (0.75–0.82) to 0.65 GB (0.65–0.69) in
/// the same time, at 100k from 220 to 210 MB (BENCHMARKS.md, fourteenth round). (Arenas
/// committed only as they are used lowered it further, but that option is read before
/// `main`, and setting it here does nothing.)
pub fn tune() {
    // SAFETY: setting an option's default only writes mimalloc's option table; no
    // allocation depends on its old value.
    unsafe { libmimalloc_sys::mi_option_set_default(PURGE_DELAY, 100) }
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
