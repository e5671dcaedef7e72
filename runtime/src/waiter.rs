//! Waiters: poll an operation until its response says a resource reached a
//! state, following the Smithy waiters specification.
//!
//! A generated client has one `wait_until_<waiter>()` method per waiter in
//! the model. It polls at once, then after each delay; the model's
//! acceptors, compiled into the generated crate, classify every response
//! (first match wins): `success` and `failure` end the wait, `retry` polls
//! again. An error no acceptor matches ends the wait with
//! [`WaiterError::Operation`]; a successful response no acceptor matches is
//! polled again.
//!
//! Delays follow the Smithy formula ([`delay`]): exponential from the
//! waiter's `minDelay`, capped by its `maxDelay`, with jitter, and never past
//! the caller's maximum wait: the last poll happens at the deadline, after
//! which the wait fails with [`WaiterError::MaxWaitExceeded`]. Sleeping uses
//! `tokio::time`, so tests can run on a paused clock.

use std::fmt;
use std::future::Future;
use std::time::Duration;

/// What an acceptor decides about a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// The resource reached the wanted state: stop, successfully.
    Success,
    /// The resource can no longer reach it: stop, with an error.
    Failure,
    /// Not yet: poll again.
    Retry,
}

/// The delays of a waiter, from the model (`minDelay`, `maxDelay`; Smithy
/// defaults 2 s and 120 s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaiterDelays {
    /// The shortest delay between polls, in seconds.
    pub min_delay: u64,
    /// The longest delay between polls, in seconds.
    pub max_delay: u64,
}

impl Default for WaiterDelays {
    fn default() -> Self {
        Self {
            min_delay: 2,
            max_delay: 120,
        }
    }
}

/// The delay before retry number `attempt` (1-based) of a waiter, given the
/// time left before the caller's maximum wait (Smithy waiters, "Waiter
/// retries"):
///
/// ```text
/// attemptCeiling = log(maxDelay / minDelay) / log(2) + 1
/// delay = attempt > attemptCeiling ? maxDelay : minDelay * 2^(attempt - 1)
/// delay = random_int_inclusive(minDelay, delay)
/// if remainingTime - delay <= minDelay: delay = remainingTime
/// ```
///
/// `random(low, high)` picks an integer in `[low, high]` (seconds). The
/// result never exceeds `remaining`.
pub fn delay(
    attempt: u32,
    delays: WaiterDelays,
    remaining: Duration,
    random: impl FnOnce(u64, u64) -> u64,
) -> Duration {
    let min = delays.min_delay;
    let max = delays.max_delay.max(min);
    let ceiling = if min == 0 {
        f64::INFINITY
    } else {
        (max as f64 / min as f64).ln() / 2f64.ln() + 1.0
    };
    let cap = if f64::from(attempt) > ceiling {
        max
    } else {
        2u64.checked_pow(attempt.saturating_sub(1))
            .and_then(|f| min.checked_mul(f))
            .map_or(max, |d| d.min(max))
    };
    let chosen = random(min, cap).clamp(min, cap);
    let chosen = Duration::from_secs(chosen);
    if remaining.saturating_sub(chosen) <= Duration::from_secs(min) {
        remaining
    } else {
        chosen
    }
}

/// A uniform integer in `[low, high]`.
fn random_inclusive(low: u64, high: u64) -> u64 {
    if high <= low {
        return low;
    }
    let span = (high - low + 1) as f64;
    low + ((crate::retry::jitter() * span) as u64).min(high - low)
}

/// Why a waiter did not succeed.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// A `failure` acceptor matched: the resource will not reach the wanted
    /// state. Holds the response it matched.
    FailureState {
        /// The waiter's name in the model.
        waiter: &'static str,
        /// The response the acceptor matched (an output or an error).
        response: Box<Result<O, E>>,
    },
    /// The caller's maximum wait passed before an acceptor ended the wait.
    MaxWaitExceeded {
        /// The waiter's name in the model.
        waiter: &'static str,
        /// The maximum wait given.
        max_wait: Duration,
        /// How many times the operation was called.
        attempts: u32,
    },
    /// The operation failed with an error no acceptor expects (or the input
    /// could not be built).
    Operation(E),
}

impl<O, E> WaiterError<O, E> {
    /// The operation error, for [`Operation`](Self::Operation) and for a
    /// [`FailureState`](Self::FailureState) that matched an error.
    pub fn as_operation_error(&self) -> Option<&E> {
        match self {
            Self::Operation(e) => Some(e),
            Self::FailureState { response, .. } => response.as_ref().as_ref().err(),
            Self::MaxWaitExceeded { .. } => None,
        }
    }
}

/// The operation error's, when the wait ended on one
/// ([`as_operation_error`](WaiterError::as_operation_error)); else `None`.
impl<O, E: crate::ProvideErrorMetadata> crate::ProvideErrorMetadata for WaiterError<O, E> {
    fn code(&self) -> Option<&str> {
        self.as_operation_error().and_then(|e| e.code())
    }
    fn message(&self) -> Option<&str> {
        self.as_operation_error().and_then(|e| e.message())
    }
    fn request_id(&self) -> Option<&str> {
        self.as_operation_error().and_then(|e| e.request_id())
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FailureState { waiter, response } => match response.as_ref() {
                Ok(_) => write!(f, "waiter {waiter}: the resource reached a failure state"),
                Err(e) => write!(
                    f,
                    "waiter {waiter}: the resource reached a failure state: {e}"
                ),
            },
            Self::MaxWaitExceeded {
                waiter,
                max_wait,
                attempts,
            } => write!(
                f,
                "waiter {waiter}: the maximum wait of {max_wait:?} passed after {attempts} attempts"
            ),
            Self::Operation(e) => write!(f, "waiter failed on an unexpected error: {e}"),
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Operation(e) => Some(e),
            Self::FailureState { response, .. } => match response.as_ref() {
                Err(e) => Some(e),
                Ok(_) => None,
            },
            Self::MaxWaitExceeded { .. } => None,
        }
    }
}

/// `stringEquals`: the value is a string equal to `expected` (`null` never is).
#[doc(hidden)]
pub fn string_equals(value: Option<&str>, expected: &str) -> bool {
    value == Some(expected)
}

/// `booleanEquals`: the value is a boolean equal to `expected`.
#[doc(hidden)]
pub fn boolean_equals(value: Option<bool>, expected: bool) -> bool {
    value == Some(expected)
}

/// `allStringEquals`: a non-empty list whose every element equals `expected`.
#[doc(hidden)]
pub fn all_string_equals<'a>(
    values: impl IntoIterator<Item = Option<&'a str>>,
    expected: &str,
) -> bool {
    let mut any = false;
    for v in values {
        if v != Some(expected) {
            return false;
        }
        any = true;
    }
    any
}

/// `anyStringEquals`: some element of the list equals `expected`.
#[doc(hidden)]
pub fn any_string_equals<'a>(
    values: impl IntoIterator<Item = Option<&'a str>>,
    expected: &str,
) -> bool {
    values.into_iter().any(|v| v == Some(expected))
}

/// An `errorType` matcher: the error response's code is `code`.
#[doc(hidden)]
pub fn error_code_is(meta: Option<&crate::ErrorMeta>, code: &str) -> bool {
    meta.and_then(crate::ErrorMeta::code) == Some(code)
}

/// The generic waiter loop the generated `wait` methods call.
///
/// Polls with `send(input.clone())`, classifies each response with
/// `acceptors(&input, &response)`, and returns the response a `success`
/// acceptor matched.
#[doc(hidden)]
pub async fn wait<I, O, E, F, Fut>(
    waiter: &'static str,
    delays: WaiterDelays,
    max_wait: Duration,
    input: I,
    send: F,
    acceptors: fn(&I, &Result<O, E>) -> Option<AcceptorState>,
) -> Result<Result<O, E>, WaiterError<O, E>>
where
    I: Clone,
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let start = tokio::time::Instant::now();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let response = send(input.clone()).await;
        match acceptors(&input, &response) {
            Some(AcceptorState::Success) => return Ok(response),
            Some(AcceptorState::Failure) => {
                return Err(WaiterError::FailureState {
                    waiter,
                    response: Box::new(response),
                })
            }
            Some(AcceptorState::Retry) => {}
            None => {
                if let Err(e) = response {
                    return Err(WaiterError::Operation(e));
                }
            }
        }
        let remaining = max_wait.saturating_sub(start.elapsed());
        if remaining.is_zero() {
            return Err(WaiterError::MaxWaitExceeded {
                waiter,
                max_wait,
                attempts: attempt,
            });
        }
        tokio::time::sleep(delay(attempt, delays, remaining, random_inclusive)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROTON: WaiterDelays = WaiterDelays {
        min_delay: 5,
        max_delay: 4999,
    };
    const HOUR: Duration = Duration::from_secs(3600 * 100);

    fn highest(_: u64, high: u64) -> u64 {
        high
    }

    fn lowest(low: u64, _: u64) -> u64 {
        low
    }

    #[test]
    fn the_ceiling_doubles_from_min_delay_then_stays_at_max_delay() {
        let caps: Vec<u64> = (1..=13)
            .map(|n| delay(n, PROTON, HOUR, highest).as_secs())
            .collect();
        // ceiling = log2(4999 / 5) + 1 ≈ 10.97: attempts 1-10 double, 11+ use maxDelay.
        assert_eq!(
            caps,
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 4999, 4999, 4999]
        );
        let defaults: Vec<u64> = (1..=9)
            .map(|n| delay(n, WaiterDelays::default(), HOUR, highest).as_secs())
            .collect();
        assert_eq!(defaults, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
    }

    #[test]
    fn jitter_picks_between_min_delay_and_the_ceiling() {
        for n in 1..20 {
            assert_eq!(delay(n, PROTON, HOUR, lowest), Duration::from_secs(5));
            let mut asked = None;
            delay(n, PROTON, HOUR, |low, high| {
                asked = Some((low, high));
                low
            });
            let (low, high) = asked.unwrap();
            assert_eq!(low, 5);
            assert!((5..=4999).contains(&high));
        }
        for _ in 0..1000 {
            let d = random_inclusive(5, 40);
            assert!((5..=40).contains(&d), "{d}");
        }
        // A random choice out of range is clamped.
        assert_eq!(delay(3, PROTON, HOUR, |_, _| 1000).as_secs(), 20);
    }

    #[test]
    fn the_last_delay_ends_at_the_deadline() {
        // 30 s left, 20 s drawn: 10 s would remain, more than minDelay: keep 20 s.
        assert_eq!(
            delay(3, PROTON, Duration::from_secs(30), highest),
            Duration::from_secs(20)
        );
        // 24 s left, 20 s drawn: 4 s would remain (≤ 5): wait the whole 24 s.
        assert_eq!(
            delay(3, PROTON, Duration::from_secs(24), highest),
            Duration::from_secs(24)
        );
        // Less left than the delay: never past the deadline.
        assert_eq!(
            delay(3, PROTON, Duration::from_millis(1500), highest),
            Duration::from_millis(1500)
        );
    }

    #[test]
    fn huge_attempts_do_not_overflow() {
        let d = WaiterDelays {
            min_delay: 1,
            max_delay: u64::MAX / 2,
        };
        assert_eq!(delay(200, d, HOUR, lowest), Duration::from_secs(1));
        assert!(delay(200, d, HOUR, highest) <= HOUR);
    }

    #[test]
    fn comparators() {
        assert!(string_equals(Some("A"), "A"));
        assert!(!string_equals(None, "A"));
        assert!(boolean_equals(Some(true), true));
        assert!(!boolean_equals(None, false));
        assert!(all_string_equals([Some("A"), Some("A")], "A"));
        assert!(!all_string_equals([Some("A"), None], "A"));
        assert!(
            !all_string_equals([], "A"),
            "an empty list is not all-equal"
        );
        assert!(any_string_equals([None, Some("A")], "A"));
        assert!(!any_string_equals([], "A"));
    }

    #[tokio::test(start_paused = true)]
    async fn the_loop_polls_until_success_and_sleeps_the_computed_delays() {
        use std::sync::{Arc, Mutex};
        let times = Arc::new(Mutex::new(Vec::new()));
        let start = tokio::time::Instant::now();
        let t = times.clone();
        let result: Result<Result<u32, String>, _> = wait(
            "Test",
            WaiterDelays {
                min_delay: 1,
                max_delay: 1,
            },
            Duration::from_secs(60),
            (),
            move |()| {
                let t = t.clone();
                async move {
                    let mut t = t.lock().unwrap();
                    t.push(start.elapsed().as_secs());
                    Ok(t.len() as u32)
                }
            },
            |_, r| match r {
                Ok(3) => Some(AcceptorState::Success),
                _ => None,
            },
        )
        .await;
        assert_eq!(result.unwrap().unwrap(), 3);
        assert_eq!(*times.lock().unwrap(), [0, 1, 2]);
    }
}
