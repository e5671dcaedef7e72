//! One timer per attempt: the response-headers timeout and the stall
//! checks of the body's reading share one [`Sleep`], set only when what it
//! guards has to wait. A timer costs its registration with tokio's timer
//! wheel when it is first polled; a response body that has already arrived
//! with its headers (the usual case for an awsJson answer) never arms it.

use std::future::Future;
use std::pin::{pin, Pin};
use std::task::Poll;
use tokio::time::{Instant, Sleep};

/// Runs `future` to completion, or until `at` if it has to wait that long
/// (then `None`; the future is dropped, as `tokio::time::timeout_at`
/// would). `timer` is moved to `at` only when the future is not ready at
/// once.
pub(crate) async fn until<F: Future>(
    future: F,
    at: Instant,
    mut timer: Pin<&mut Sleep>,
) -> Option<F::Output> {
    let mut future = pin!(future);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        if timer.deadline() != at {
            timer.as_mut().reset(at);
        }
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn a_ready_future_wins_and_a_waiting_one_times_out_at_the_deadline() {
        let start = Instant::now();
        let mut timer = pin!(tokio::time::sleep_until(start));
        // Ready at once: the deadline, even a past one, does not matter.
        assert_eq!(until(async { 7 }, start, timer.as_mut()).await, Some(7));
        let at = start + Duration::from_secs(5);
        let slow = tokio::time::sleep(Duration::from_secs(6));
        assert_eq!(until(slow, at, timer.as_mut()).await, None);
        assert_eq!(Instant::now(), at);
        // The same timer, moved later, lets a future that finishes in time finish.
        let later = at + Duration::from_secs(5);
        let quick = async {
            tokio::time::sleep(Duration::from_secs(4)).await;
            "done"
        };
        assert_eq!(until(quick, later, timer.as_mut()).await, Some("done"));
        assert_eq!(Instant::now(), at + Duration::from_secs(4));
        // And moved earlier again, it fires there.
        let earlier = Instant::now() + Duration::from_millis(10);
        assert_eq!(
            until(std::future::pending::<()>(), earlier, timer.as_mut()).await,
            None
        );
        assert_eq!(Instant::now(), earlier);
    }
}
