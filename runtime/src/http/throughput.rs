//! The arithmetic of stalled-stream protection: bytes counted in ten bins
//! per grace period, checked at each bin boundary once the grace period is
//! over. Memory is constant however long the body takes.

use super::limits::MinimumThroughput;
use std::time::Duration;
use tokio::time::Instant;

/// Bins per grace period.
const BINS: u64 = 10;
/// Ring slots: the bins of one window plus the one being filled.
const SLOTS: usize = BINS as usize + 1;

/// A body's arrival rate over the last grace period.
pub(crate) struct Window {
    started: Instant,
    bin_nanos: u64,
    /// Bytes a window must hold.
    required: u64,
    bins: [u64; SLOTS],
    /// The bin `bins[head % SLOTS]` counts.
    head: u64,
    /// The bin at whose start the next check is due.
    next_check: u64,
    min: MinimumThroughput,
}

/// The body fell below the minimum throughput.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stalled {
    /// Bytes received in the last window.
    pub received: u64,
    /// The minimum that was required.
    pub min: MinimumThroughput,
}

impl Window {
    pub(crate) fn new(min: MinimumThroughput, now: Instant) -> Self {
        let grace = u64::try_from(min.grace().as_nanos()).unwrap_or(u64::MAX);
        // A bin of at least 1 ms: a zero grace period would otherwise mean
        // a check on every poll.
        let bin_nanos = (grace / BINS).max(1_000_000);
        let required = u128::from(min.bytes_per_sec())
            .saturating_mul(u128::from(bin_nanos) * u128::from(BINS))
            .div_ceil(1_000_000_000);
        Self {
            started: now,
            bin_nanos,
            required: u64::try_from(required).unwrap_or(u64::MAX),
            bins: [0; SLOTS],
            head: 0,
            next_check: BINS,
            min,
        }
    }

    fn index(&self, t: Instant) -> u64 {
        let elapsed = t.saturating_duration_since(self.started).as_nanos();
        u64::try_from(elapsed / u128::from(self.bin_nanos)).unwrap_or(u64::MAX)
    }

    fn advance(&mut self, k: u64) {
        if k <= self.head {
            return;
        }
        let steps = (k - self.head).min(SLOTS as u64);
        for i in 1..=steps {
            self.bins[((self.head + i) % SLOTS as u64) as usize] = 0;
        }
        self.head = k;
    }

    /// Counts `n` bytes arrived at `t`.
    pub(crate) fn record(&mut self, t: Instant, n: usize) {
        self.advance(self.index(t));
        let slot = &mut self.bins[(self.head % SLOTS as u64) as usize];
        *slot = slot.saturating_add(n as u64);
    }

    /// When the next check is due (`None`: too far away to represent).
    pub(crate) fn deadline(&self) -> Option<Instant> {
        let offset = self.bin_nanos.checked_mul(self.next_check)?;
        self.started.checked_add(Duration::from_nanos(offset))
    }

    /// Checks the last complete window at `t`, if a check is due.
    pub(crate) fn check(&mut self, t: Instant) -> Result<(), Stalled> {
        let k = self.index(t);
        if k < self.next_check {
            return Ok(());
        }
        self.advance(k);
        self.next_check = k.saturating_add(1);
        let received = (1..=BINS)
            .map(|i| self.bins[((k - i) % SLOTS as u64) as usize])
            .fold(0u64, u64::saturating_add);
        if received < self.required {
            Err(Stalled {
                received,
                min: self.min,
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: Instant, ms: u64) -> Instant {
        start + Duration::from_millis(ms)
    }

    #[test]
    fn nothing_at_all_stalls_when_the_grace_period_ends() {
        let t0 = Instant::now();
        let mut w = Window::new(MinimumThroughput::default(), t0);
        assert_eq!(w.deadline(), Some(at(t0, 5000)));
        assert!(w.check(at(t0, 4999)).is_ok(), "within the grace period");
        let stalled = w.check(at(t0, 5000)).unwrap_err();
        assert_eq!(stalled.received, 0);
    }

    #[test]
    fn a_burst_then_silence_stalls_one_window_later() {
        let t0 = Instant::now();
        let mut w = Window::new(MinimumThroughput::default(), t0);
        w.record(at(t0, 100), 1000);
        for ms in (5000..=5000).step_by(500) {
            assert!(w.check(at(t0, ms)).is_ok(), "{ms}");
        }
        // The burst's bin (0) leaves the window at the start of bin 11.
        assert!(w.check(at(t0, 5499)).is_ok());
        assert_eq!(w.check(at(t0, 5500)).unwrap_err().received, 0);
    }

    #[test]
    fn a_slow_steady_body_is_not_a_stall() {
        let t0 = Instant::now();
        let mut w = Window::new(MinimumThroughput::default(), t0);
        // One byte a second for ten minutes.
        for s in 0..600u64 {
            w.record(at(t0, s * 1000 + 1), 1);
            assert!(w.check(at(t0, s * 1000 + 999)).is_ok(), "second {s}");
        }
    }

    #[test]
    fn below_the_rate_over_a_window_stalls() {
        let t0 = Instant::now();
        let min = MinimumThroughput::new(100, Duration::from_secs(1));
        let mut w = Window::new(min, t0);
        // 99 bytes in the first second: one short.
        w.record(at(t0, 10), 99);
        let stalled = w.check(at(t0, 1000)).unwrap_err();
        assert_eq!((stalled.received, stalled.min), (99, min));
        let mut w = Window::new(min, t0);
        w.record(at(t0, 10), 100);
        assert!(w.check(at(t0, 1000)).is_ok());
    }

    #[test]
    fn long_gaps_and_extreme_settings_do_not_overflow() {
        let t0 = Instant::now();
        let mut w = Window::new(MinimumThroughput::new(u64::MAX, Duration::MAX), t0);
        w.record(at(t0, 1), usize::MAX);
        assert!(w.check(at(t0, 10)).is_ok());
        let mut w = Window::new(MinimumThroughput::new(0, Duration::ZERO), t0);
        assert!(
            w.check(at(t0, 1_000_000_000)).is_ok(),
            "a zero rate never stalls"
        );
        let mut w = Window::new(MinimumThroughput::default(), t0);
        w.record(at(t0, 1), 10);
        assert!(w.check(at(t0, 1_000_000_000)).is_err(), "a day of silence");
    }
}
