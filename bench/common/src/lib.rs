//! What the three load programs (`bench-ours`, `bench-official`,
//! `bench-floor`) share, so that they measure the same way: a counting
//! global allocator, the process's CPU time from `getrusage`, and the
//! report line `cargo xtask bench` reads.
//!
//! Each program installs the allocator with
//! `#[global_allocator] static ALLOC: bench_common::CountingAlloc = bench_common::CountingAlloc;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Allocations flushed from the threads' local counts.
static FLUSHED: AtomicU64 = AtomicU64::new(0);

/// A thread adds its local count to [`FLUSHED`] every this many
/// allocations: one shared atomic per allocation would bounce a cache line
/// between the cores on every call and slow the very thing measured. The
/// count is off by at most this much per thread, against millions counted.
const FLUSH_EVERY: u64 = 256;

thread_local! {
    // `const` and without a destructor: the allocator may touch it at any
    // time, even while the thread is being torn down.
    static LOCAL: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    let _ = LOCAL.try_with(|n| {
        let v = n.get() + 1;
        if v == FLUSH_EVERY {
            FLUSHED.fetch_add(v, Ordering::Relaxed);
            n.set(0);
        } else {
            n.set(v);
        }
    });
}

/// The system allocator, counting every allocation and reallocation.
pub struct CountingAlloc;

// SAFETY: every call is forwarded unchanged to `System`; the count is a
// thread-local `Cell` and a relaxed atomic, neither of which allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// Allocations counted so far, process-wide (to within [`FLUSH_EVERY`] per thread).
pub fn allocations() -> u64 {
    FLUSHED.load(Ordering::Relaxed) + LOCAL.try_with(Cell::get).unwrap_or(0)
}

/// User + system CPU time of the whole process (every thread) so far.
pub fn cpu_time() -> Duration {
    // SAFETY: `getrusage` writes a `rusage` we own; zeroed is a valid value.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// The counters at the start of a measured run.
pub struct Measure {
    started: Instant,
    cpu: Duration,
    allocations: u64,
}

impl Measure {
    /// Starts measuring (after the warm-up).
    pub fn start() -> Self {
        Measure {
            started: Instant::now(),
            cpu: cpu_time(),
            allocations: allocations(),
        }
    }

    /// Prints the report of a load run whose calls took `latencies`:
    /// `requests=… seconds=… rps=… p50_us=… p99_us=… cpu_us_per_call=…
    /// allocs_per_call=…`, then `latencies_us=…` (every call, for the
    /// percentiles `cargo xtask bench` computes itself).
    pub fn report(self, mut latencies: Vec<Duration>) {
        let elapsed = self.started.elapsed();
        let cpu = cpu_time().saturating_sub(self.cpu);
        // Counted before the report allocates.
        let allocations = allocations().saturating_sub(self.allocations);
        latencies.sort();
        let n = latencies.len().max(1);
        let pct = |p: f64| {
            if latencies.is_empty() {
                return 0.0;
            }
            let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
            latencies[rank.clamp(1, latencies.len()) - 1].as_secs_f64() * 1e6
        };
        println!(
            "requests={} seconds={:.3} rps={:.1} p50_us={:.1} p99_us={:.1} cpu_us_per_call={:.2} allocs_per_call={:.1}",
            latencies.len(),
            elapsed.as_secs_f64(),
            latencies.len() as f64 / elapsed.as_secs_f64(),
            pct(50.0),
            pct(99.0),
            cpu.as_secs_f64() * 1e6 / n as f64,
            allocations as f64 / n as f64,
        );
        let all: Vec<String> = latencies
            .iter()
            .map(|d| format!("{:.1}", d.as_secs_f64() * 1e6))
            .collect();
        println!("latencies_us={}", all.join(","));
    }
}
