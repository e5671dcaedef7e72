//! The adaptive retry mode's client-side rate limiter, as the AWS SDKs
//! specify it (smithy-rs `ClientRateLimiter`, botocore `adaptive.py`, the
//! Go v2 SDK): a token bucket whose fill rate follows the service's
//! throttling answers with CUBIC congestion control.
//!
//! * Until the first throttling answer the bucket is off: nothing waits.
//! * Each attempt takes tokens first (1 for a first attempt, 5 for a
//!   retry, 10 for a retry after a timeout or connection failure); when
//!   the bucket lacks them the attempt waits `(needed − available) / rate`.
//! * Each answer updates the rate: the measured send rate is smoothed over
//!   half-second buckets; a throttling answer cuts the rate to 70 % of the
//!   lower of the measured and the current rate (and turns the bucket on);
//!   other answers grow it back along the CUBIC curve
//!   `0.4 · (t − t_throttle − ∛(rate_max · 0.3 / 0.4))³ + rate_max`,
//!   never above twice the measured rate. The rate never drops below 0.5
//!   tokens a second.
//!
//! Time is read from tokio's clock, so tests drive it with a paused clock.

use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

const MIN_FILL_RATE: f64 = 0.5;
const MIN_CAPACITY: f64 = 1.0;
const SMOOTH: f64 = 0.8;
/// How far the rate drops after throttling.
const BETA: f64 = 0.7;
/// How quickly the rate grows back.
const SCALE_CONSTANT: f64 = 0.4;

/// Why an attempt is being made, which decides its token cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestReason {
    /// The first attempt of a call (1 token).
    InitialRequest,
    /// A retry after an error answer (5 tokens).
    Retry,
    /// A retry after a timeout or connection failure (10 tokens).
    RetryTimeout,
}

impl RequestReason {
    fn cost(self) -> f64 {
        match self {
            RequestReason::InitialRequest => 1.0,
            RequestReason::Retry => 5.0,
            RequestReason::RetryTimeout => 10.0,
        }
    }
}

/// The limiter one client shares across its calls.
#[derive(Debug)]
pub struct ClientRateLimiter {
    start: Instant,
    state: Mutex<State>,
}

#[derive(Debug, Clone, PartialEq)]
struct State {
    fill_rate: f64,
    max_capacity: f64,
    current_capacity: f64,
    last_refill: Option<f64>,
    enabled: bool,
    measured_tx_rate: f64,
    last_tx_rate_bucket: f64,
    request_count: u64,
    last_max_rate: f64,
    last_throttle_time: f64,
}

impl Default for ClientRateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientRateLimiter {
    /// A limiter that lets everything through until a throttling answer.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            state: Mutex::new(State {
                fill_rate: MIN_FILL_RATE,
                max_capacity: f64::MAX,
                current_capacity: 0.0,
                last_refill: None,
                enabled: false,
                measured_tx_rate: 0.0,
                last_tx_rate_bucket: 0.0,
                request_count: 0,
                last_max_rate: 0.0,
                last_throttle_time: 0.0,
            }),
        }
    }

    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the tokens `reason` costs; how long to wait first (zero when
    /// the bucket is off or holds enough).
    pub fn acquire(&self, reason: RequestReason) -> Duration {
        let now = self.now();
        let mut state = self.lock();
        if !state.enabled {
            return Duration::ZERO;
        }
        state.refill(now);
        let amount = reason.cost();
        let wait = if amount > state.current_capacity {
            (amount - state.current_capacity) / state.fill_rate
        } else {
            0.0
        };
        state.current_capacity -= amount;
        // The rate is at least MIN_FILL_RATE and the shortfall at most 10
        // tokens, so the wait is finite and at most 20 s per caller ahead.
        Duration::try_from_secs_f64(wait).unwrap_or(Duration::from_secs(20))
    }

    /// [`acquire`](Self::acquire), then waits as long as it says.
    pub async fn wait_for(&self, reason: RequestReason) {
        let wait = self.acquire(reason);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Takes an answer into account: `throttled` when it was a throttling
    /// error.
    pub fn update(&self, throttled: bool) {
        let now = self.now();
        self.lock().update(now, throttled);
    }

    /// The current fill rate in tokens a second, and whether the bucket is
    /// on (for diagnostics and tests).
    pub fn fill_rate(&self) -> (f64, bool) {
        let state = self.lock();
        (state.fill_rate, state.enabled)
    }
}

impl State {
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let fill = (now - last).max(0.0) * self.fill_rate;
            self.current_capacity = (self.current_capacity + fill).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    fn update(&mut self, now: f64, throttled: bool) {
        self.update_measured_rate(now);
        let calculated = if throttled {
            let rate = if self.enabled {
                self.measured_tx_rate.min(self.fill_rate)
            } else {
                self.measured_tx_rate
            };
            self.last_max_rate = rate;
            self.last_throttle_time = now;
            self.enabled = true;
            rate * BETA
        } else {
            self.cubic_success(now)
        };
        let new_rate = calculated.min(2.0 * self.measured_tx_rate);
        self.refill(now);
        self.fill_rate = new_rate.max(MIN_FILL_RATE);
        self.max_capacity = new_rate.max(MIN_CAPACITY);
        self.current_capacity = self.current_capacity.min(self.max_capacity);
    }

    fn update_measured_rate(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.request_count = self.request_count.saturating_add(1);
        if bucket > self.last_tx_rate_bucket {
            let current = self.request_count as f64 / (bucket - self.last_tx_rate_bucket);
            self.measured_tx_rate = current * SMOOTH + self.measured_tx_rate * (1.0 - SMOOTH);
            self.request_count = 0;
            self.last_tx_rate_bucket = bucket;
        }
    }

    fn time_window(&self) -> f64 {
        ((self.last_max_rate * (1.0 - BETA)) / SCALE_CONSTANT).cbrt()
    }

    fn cubic_success(&self, now: f64) -> f64 {
        let dt = now - self.last_throttle_time - self.time_window();
        SCALE_CONSTANT * dt.powi(3) + self.last_max_rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(last_max_rate: f64, last_throttle_time: f64) -> State {
        State {
            last_max_rate,
            last_throttle_time,
            ..ClientRateLimiter::new().lock().clone()
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn cubic_curve_matches_the_sdks_reference_values() {
        // The shared test vectors (Go v2, smithy-rs, botocore): throttled
        // at t = 5 s at 10 tokens/s.
        let s = state(10.0, 5.0);
        for (t, want) in [
            (5.0, 7.0),
            (6.0, 9.64893600966),
            (7.0, 10.000030849917364),
            (8.0, 10.453284520772092),
            (9.0, 13.408697022224185),
            (10.0, 21.26626835427364),
            (11.0, 36.425998516920465),
        ] {
            let got = s.cubic_success(t);
            assert!(close(got, want), "t={t}: {got} != {want}");
        }
    }

    #[test]
    fn throttles_then_successes_follow_the_reference_curve() {
        let mut s = state(10.0, 5.0);
        let mut calculated = 0.0;
        for (throttled, t, want) in [
            (false, 5.0, 7.0),
            (false, 6.0, 9.64893600966),
            (true, 7.0, 6.754255206761999),
            (true, 8.0, 4.727978644733399),
            (false, 9.0, 4.670125557970046),
            (false, 10.0, 4.770870456867401),
            (false, 11.0, 6.011819748005445),
            (false, 12.0, 10.792973431384178),
        ] {
            if throttled {
                calculated *= BETA;
                s.last_throttle_time = t;
                s.last_max_rate = calculated;
            } else {
                calculated = s.cubic_success(t);
            }
            assert!(close(calculated, want), "t={t}: {calculated} != {want}");
        }
    }

    #[test]
    fn measured_and_fill_rates_follow_the_reference_sequence() {
        // One answer every 200 ms from a fresh limiter (the SDKs' shared
        // vectors): the smoothed send rate and the resulting fill rate.
        let mut s = State {
            measured_tx_rate: 0.0,
            fill_rate: 0.0,
            ..ClientRateLimiter::new().lock().clone()
        };
        for (i, (throttled, measured, fill)) in [
            (false, 0.0, 0.5),
            (false, 0.0, 0.5),
            (false, 4.800000000000001, 0.5),
            (false, 4.800000000000001, 0.5),
            (false, 4.16, 0.5),
            (false, 4.16, 0.6912),
            (false, 4.16, 1.0975999999999997),
            (false, 5.632000000000001, 1.6384000000000005),
            (false, 5.632000000000001, 2.3328),
            (true, 4.3264, 3.0284799999999996),
            (false, 4.3264, 3.48663917347026),
            (false, 4.3264, 3.821874416040255),
            (false, 5.66528, 4.053385727709987),
            (false, 5.66528, 4.200373108479454),
            (false, 4.333056, 4.282036558348658),
            (true, 4.333056, 2.99742559084406),
            (false, 4.333056, 3.4522263943863463),
        ]
        .into_iter()
        .enumerate()
        {
            let t = (i + 1) as f64 * 0.2;
            s.update(t, throttled);
            assert!(
                close(s.measured_tx_rate, measured),
                "t={t}: measured {} != {measured}",
                s.measured_tx_rate
            );
            assert!(
                close(s.fill_rate, fill),
                "t={t}: fill {} != {fill}",
                s.fill_rate
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn nothing_waits_until_the_first_throttle() {
        let limiter = ClientRateLimiter::new();
        for _ in 0..100 {
            assert_eq!(
                limiter.acquire(RequestReason::InitialRequest),
                Duration::ZERO
            );
            limiter.update(false);
        }
        assert!(!limiter.fill_rate().1);
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_slows_sending_down_and_successes_speed_it_up() {
        let limiter = ClientRateLimiter::new();
        // Send 20 requests a second for 5 s with successes.
        for _ in 0..100 {
            limiter.wait_for(RequestReason::InitialRequest).await;
            limiter.update(false);
            tokio::time::advance(Duration::from_millis(50)).await;
        }
        // A throttle: the bucket turns on at 70 % of the measured rate.
        limiter.update(true);
        let measured = limiter.lock().last_max_rate;
        assert!((15.0..=25.0).contains(&measured), "{measured}");
        let (rate, enabled) = limiter.fill_rate();
        assert!(enabled);
        assert!(close(rate, measured * BETA), "{rate} vs {measured}");
        // The bucket may hold a burst of up to one second's tokens; once
        // it is drained, sending as fast as the limiter allows proceeds at
        // about `rate` requests a second (the paused clock shows the pace).
        let mut burst = 0;
        while limiter.acquire(RequestReason::InitialRequest).is_zero() {
            burst += 1;
            assert!(burst <= 30, "the burst is bounded by the bucket's capacity");
        }
        let start = Instant::now();
        for _ in 0..40 {
            limiter.wait_for(RequestReason::InitialRequest).await;
        }
        let pace = 40.0 / start.elapsed().as_secs_f64();
        assert!(
            (rate * 0.9..=rate * 1.1).contains(&pace),
            "pace {pace} vs rate {rate}"
        );
        // Successes over the following seconds raise the rate past the old one.
        for _ in 0..200 {
            limiter.wait_for(RequestReason::InitialRequest).await;
            limiter.update(false);
        }
        let (grown, _) = limiter.fill_rate();
        assert!(grown > rate, "{grown} <= {rate}");
        // A retry costs 5 tokens and waits for them.
        limiter.update(true);
        let (rate, _) = limiter.fill_rate();
        let _ = limiter.acquire(RequestReason::RetryTimeout);
        let wait = limiter.acquire(RequestReason::Retry);
        assert!(
            wait >= Duration::from_secs_f64(5.0 / rate * 0.99),
            "{wait:?} at {rate}/s"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_never_falls_below_the_minimum() {
        let limiter = ClientRateLimiter::new();
        for _ in 0..50 {
            limiter.update(true);
            tokio::time::advance(Duration::from_secs(1)).await;
        }
        let (rate, _) = limiter.fill_rate();
        assert_eq!(rate, MIN_FILL_RATE);
        // At the minimum rate a retry after a timeout waits at most 20 s.
        assert!(limiter.acquire(RequestReason::RetryTimeout) <= Duration::from_secs(20));
    }
}
