//! Property and complexity tests of every parser that reads outside input
//! (issue 12, items 3 and 4): `fuzz` feeds arbitrary and structured input
//! through each and requires `Ok` or a clear error, never a panic;
//! `linear` checks that adversarial input families cost time linear in
//! their size.
//!
//! Case counts are bounded for `cargo test`; `PROPTEST_CASES=N` runs every
//! target with `N` cases instead (a long campaign:
//! `PROPTEST_CASES=100000 cargo test --release -p aws-json-runtime fuzz`).

mod fuzz;
mod linear;

use cpu_time::ThreadTime;
use proptest::test_runner::Config;
use std::time::Duration;

/// The proptest settings of a target, for every fuzz target of the crate:
/// `cases` under `cargo test`, or `PROPTEST_CASES` when set. Failures are
/// not written into the source tree (proptest prints the shrunk input).
pub(crate) fn fuzz_config(cases: u32) -> Config {
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

/// The least of `runs` results of `measure`.
fn best_time<I>(input: &I, runs: usize, measure: &impl Fn(&I) -> Duration) -> Duration {
    (0..runs).map(|_| measure(input)).min().unwrap_or_default()
}

/// The CPU time this thread spends running `work(input)` `repeat` times,
/// extrapolated from the runs done once more than `budget` is spent.
///
/// Thread CPU time, not wall time: the machine is shared, and time spent
/// waiting for a core is not work.
fn measure<I>(input: &I, repeat: u32, budget: Duration, work: &impl Fn(&I)) -> Duration {
    let start = ThreadTime::now();
    for done in 1..=repeat {
        work(input);
        let spent = start.elapsed();
        if spent > budget {
            return spent.saturating_mul(repeat) / done;
        }
    }
    start.elapsed()
}

/// Asserts that `work` is about linear in its input along one adversarial
/// family: doubling the size at most triples the time (quadratic work
/// quadruples it; one loop per unit of an exponent's value grows tenfold
/// per digit).
///
/// `make(n)` builds an input of size about `n`, for `n` from `start`,
/// doubled until one run takes at least 2 ms of CPU (so timer resolution is
/// small against it) or `n` reaches `max`; below 2 ms, each measurement
/// repeats the work (the same number of times for every size). Then the
/// best of five measurements at `n`, `2n` and `4n` are taken in one
/// process, so the machine's speed cancels out, and one of the two
/// doublings must stay within 3x: a working set leaving a CPU cache can
/// make one step look quadratic, but not two in a row, as real quadratic
/// work does. A failure is measured again, up to three times, before the
/// test fails.
pub(crate) fn assert_linear<I>(
    family: &str,
    (start, max): (usize, usize),
    make: impl Fn(usize) -> I,
    work: impl Fn(&I),
) {
    const MIN_RUN: Duration = Duration::from_millis(2);
    let mut n = start.max(1);
    loop {
        if n >= max || measure(&make(n), 1, Duration::MAX, &work) >= MIN_RUN {
            break;
        }
        n *= 2;
    }
    let mut repeat = 1;
    let smallest = make(n);
    while repeat < 1 << 20 && measure(&smallest, repeat, Duration::MAX, &work) < MIN_RUN {
        repeat *= 2;
    }
    let inputs = [smallest, make(2 * n), make(4 * n)];
    let mut seen = Vec::new();
    for _ in 0..3 {
        let base = best_time(&inputs[0], 5, &|i| measure(i, repeat, Duration::MAX, &work));
        // Far past linear is a failure already: stop measuring there rather
        // than running, say, a billion-step loop a thousand times.
        let budget = base.saturating_mul(100);
        let t = [
            base,
            best_time(&inputs[1], 5, &|i| measure(i, repeat, budget, &work)),
            best_time(&inputs[2], 5, &|i| measure(i, repeat, budget, &work)),
        ];
        let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64().max(1e-9);
        let (r1, r2) = (ratio(t[0], t[1]), ratio(t[1], t[2]));
        if r1.min(r2) <= 3.0 {
            return;
        }
        seen.push(format!(
            "{:?} -> {:?} -> {:?} ({r1:.1}x, {r2:.1}x)",
            t[0], t[1], t[2]
        ));
    }
    panic!(
        "{family}: from n = {n} ({repeat} runs a measurement), each doubling of the input more than tripled the CPU time: {}",
        seen.join("; ")
    );
}

/// Sizes for [`assert_linear`]: from `start` up to what it takes.
pub(crate) fn from(start: usize) -> (usize, usize) {
    (start, 1 << 24)
}
