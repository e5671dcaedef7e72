//! Reading a [`ResponseBody`] within limits: a size cap checked against
//! `Content-Length` before reading and against the bytes counted while
//! reading, and stalled-stream protection while waiting for them.

use super::body::{BoxError, ResponseBody};
use super::limits::MinimumThroughput;
use super::throughput::Window;
use super::timer::until;
use crate::bounded::describe_size;
use bytes::{Bytes, BytesMut};
use std::fmt;
use std::pin::Pin;
use tokio::time::{Instant, Sleep};

/// At most this much is reserved ahead from a declared `Content-Length`:
/// a length is a claim, not bytes received.
const MAX_RESERVE: u64 = 1024 * 1024;

/// How much of a body to read, and what to do beyond it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SizeLimit {
    /// The largest body, in bytes.
    pub max: u64,
    /// `true`: keep the first `max` bytes and stop; `false`: fail.
    pub truncate: bool,
    /// How the error names the limit and says how to raise it, e.g.
    /// "the maximum response body size (`ResponseLimits::with_max_body`)".
    pub name: &'static str,
}

/// A body read within its limits.
#[derive(Debug)]
pub(crate) struct ReadBody {
    pub bytes: Bytes,
    /// Whether reading stopped at a truncating limit.
    pub truncated: bool,
}

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// Larger than a failing limit.
    TooLarge {
        limit: SizeLimit,
        /// The `Content-Length`, when that is how it was known.
        declared: Option<u64>,
    },
    /// Below the minimum throughput.
    Stalled {
        received: u64,
        min: MinimumThroughput,
    },
    /// The transport failed while reading.
    Transport(BoxError),
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::TooLarge { limit, declared } => {
                f.write_str("the response body ")?;
                if let Some(n) = declared {
                    write!(f, "(Content-Length: {n}) ")?;
                }
                write!(
                    f,
                    "is larger than {}, the limit set by {}; raise it there if such responses are expected",
                    describe_size(limit.max),
                    limit.name
                )
            }
            BodyError::Stalled { received, min } => write!(
                f,
                "the response body stalled: {received} bytes in the last {:?}, below the minimum of {} byte(s) per second \
                 (stalled-stream protection: `TimeoutConfig::with_minimum_throughput`)",
                min.grace(),
                min.bytes_per_sec()
            ),
            BodyError::Transport(e) => write!(f, "the connection failed while reading the response body: {e}"),
        }
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BodyError::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// `Content-Length`, when present and a valid length. An invalid one is
/// ignored here: the byte count still enforces the limit.
pub(crate) fn content_length(headers: &http::HeaderMap) -> Option<u64> {
    let value = headers.get(http::header::CONTENT_LENGTH)?.to_str().ok()?;
    let digits = value.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // `parse` checks for overflow: 20 nines is not a length.
    digits.parse::<u64>().ok()
}

/// Reads `body` (declared `declared` bytes long, if known) within `limit`,
/// failing when it arrives slower than the minimum throughput of `stall`
/// allows; its timer (the attempt's, see [`super::timer`]) is armed only
/// when a chunk has to be waited for.
///
/// A function returning an `async move` block rather than an `async fn`:
/// an `async fn` keeps each argument twice in its state (as passed, and
/// as the local it is moved into), and this state is part of every call's.
pub(crate) fn read_body<'t>(
    body: ResponseBody,
    declared: Option<u64>,
    limit: SizeLimit,
    stall: Option<(MinimumThroughput, Pin<&'t mut Sleep>)>,
) -> impl std::future::Future<Output = Result<ReadBody, BodyError>> + Send + 't {
    let declared = declared.or_else(|| body.exact_len());
    read_within(body, declared, limit, stall)
}

// Not an `async fn` on purpose (see above): its state would hold the
// arguments twice.
#[allow(clippy::manual_async_fn)]
fn read_within<'t>(
    mut body: ResponseBody,
    declared: Option<u64>,
    limit: SizeLimit,
    stall: Option<(MinimumThroughput, Pin<&'t mut Sleep>)>,
) -> impl std::future::Future<Output = Result<ReadBody, BodyError>> + Send + 't {
    async move {
        if let Some(n) = declared {
            if n > limit.max && !limit.truncate {
                return Err(BodyError::TooLarge {
                    limit,
                    declared: Some(n),
                });
            }
        }
        let (mut window, mut timer) = match stall {
            Some((min, timer)) => (Some(Window::new(min, Instant::now())), Some(timer)),
            None => (None, None),
        };
        let mut first: Option<Bytes> = None;
        let mut rest = BytesMut::new();
        let mut total: u64 = 0;
        let mut truncated = false;
        loop {
            let deadline = window.as_ref().and_then(Window::deadline);
            let next = match (deadline, timer.as_mut()) {
                (Some(at), Some(timer)) => match until(body.chunk(), at, timer.as_mut()).await {
                    Some(next) => next,
                    None => {
                        check(&mut window, Instant::now())?;
                        continue;
                    }
                },
                _ => body.chunk().await,
            };
            let chunk = match next {
                None => break,
                Some(Err(e)) => return Err(BodyError::Transport(e)),
                Some(Ok(chunk)) => chunk,
            };
            if let Some(w) = window.as_mut() {
                let now = Instant::now();
                w.record(now, chunk.len());
                check(&mut window, now)?;
            }
            let room = limit.max.saturating_sub(total);
            let len = chunk.len() as u64;
            let chunk = if len > room {
                if !limit.truncate {
                    return Err(BodyError::TooLarge {
                        limit,
                        declared: None,
                    });
                }
                truncated = true;
                // `room < len <= usize::MAX`, so it fits.
                chunk.slice(..usize::try_from(room).unwrap_or(0))
            } else {
                chunk
            };
            total = total.saturating_add(chunk.len() as u64);
            // One chunk (the usual case for small bodies) is kept without a copy.
            match first.take() {
                None if rest.is_empty() => first = Some(chunk),
                held => {
                    if rest.is_empty() {
                        let reserve = declared.unwrap_or(0).min(limit.max).min(MAX_RESERVE);
                        rest.reserve(usize::try_from(reserve).unwrap_or(0));
                    }
                    if let Some(held) = held {
                        rest.extend_from_slice(&held);
                    }
                    rest.extend_from_slice(&chunk);
                }
            }
            if truncated {
                break;
            }
        }
        let bytes = match first {
            Some(only) => only,
            None => rest.freeze(),
        };
        Ok(ReadBody { bytes, truncated })
    }
}

fn check(window: &mut Option<Window>, now: Instant) -> Result<(), BodyError> {
    match window {
        None => Ok(()),
        Some(w) => w.check(now).map_err(|s| BodyError::Stalled {
            received: s.received,
            min: s.min,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const LIMIT: SizeLimit = SizeLimit {
        max: 10,
        truncate: false,
        name: "the test limit",
    };

    /// A body sending `chunks` with `gap` before each, then ending (or
    /// hanging, if `hang`).
    fn paced(chunks: Vec<&'static [u8]>, gap: Duration, hang: bool) -> ResponseBody {
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<http_body::Frame<Bytes>, BoxError>>(1);
        tokio::spawn(async move {
            for c in chunks {
                tokio::time::sleep(gap).await;
                if tx
                    .send(Ok(http_body::Frame::data(Bytes::from_static(c))))
                    .await
                    .is_err()
                {
                    return;
                }
            }
            if hang {
                std::future::pending::<()>().await;
            }
        });
        ResponseBody::streaming(http_body_util::StreamBody::new(Receiver(rx)))
    }

    struct Receiver<T>(tokio::sync::mpsc::Receiver<T>);
    impl<T> futures_core::Stream for Receiver<T> {
        type Item = T;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<T>> {
            self.0.poll_recv(cx)
        }
    }

    #[tokio::test]
    async fn declared_lengths_over_the_limit_are_refused_before_reading() {
        let err = read_body(ResponseBody::from("x"), Some(u64::MAX), LIMIT, None)
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the response body (Content-Length: 18446744073709551615) is larger than 10 bytes, \
             the limit set by the test limit; raise it there if such responses are expected"
        );
        // A truncating limit reads up to it instead.
        assert_truncated(ResponseBody::from("0123456789abc"), Some(13)).await;
    }

    /// `body` read within [`LIMIT`], truncating, gives its first 10 bytes.
    async fn assert_truncated(body: ResponseBody, declared: Option<u64>) {
        let limit = SizeLimit {
            truncate: true,
            ..LIMIT
        };
        let read = read_body(body, declared, limit, None).await.unwrap();
        assert_eq!(
            (&read.bytes[..], read.truncated),
            (&b"0123456789"[..], true)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn counted_bytes_enforce_the_limit_without_a_length() {
        let body = paced(
            vec![b"01234", b"56789", b"a"],
            Duration::from_millis(1),
            true,
        );
        let err = read_body(body, None, LIMIT, None).await.unwrap_err();
        assert!(
            matches!(err, BodyError::TooLarge { declared: None, .. }),
            "{err}"
        );
        let body = paced(vec![b"01234", b"56789"], Duration::from_millis(1), false);
        let read = read_body(body, None, LIMIT, None).await.unwrap();
        assert_eq!(
            (&read.bytes[..], read.truncated),
            (&b"0123456789"[..], false)
        );
        let body = paced(vec![b"0123", b"456789xyz"], Duration::from_millis(1), true);
        assert_truncated(body, None).await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_body_fails_after_the_grace_period() {
        let body = paced(vec![b"{\"a\":"], Duration::from_millis(10), true);
        let started = Instant::now();
        let timer = std::pin::pin!(tokio::time::sleep_until(started));
        let err = read_body(
            body,
            None,
            LIMIT,
            Some((MinimumThroughput::default(), timer)),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, BodyError::Stalled { received: 0, .. }),
            "{err}"
        );
        // The 5 bytes sent at 10 ms leave the window in the bin starting at 5.5 s.
        assert_eq!(started.elapsed(), Duration::from_millis(5500));
        assert!(err
            .to_string()
            .starts_with("the response body stalled: 0 bytes in the last 5s"));
        // Without protection the same body would wait forever.
        let body = paced(vec![b"{"], Duration::from_millis(10), true);
        let waited = tokio::time::timeout(
            Duration::from_secs(3600),
            read_body(body, None, LIMIT, None),
        )
        .await;
        assert!(waited.is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_but_moving_body_is_read() {
        // 2 bytes every 1.5 s for a minute: above 1 byte per second.
        let chunks: Vec<&'static [u8]> = vec![b"ab"; 40];
        let body = paced(chunks, Duration::from_millis(1500), false);
        let limit = SizeLimit { max: 1000, ..LIMIT };
        let timer = std::pin::pin!(tokio::time::sleep_until(Instant::now()));
        let read = read_body(
            body,
            None,
            limit,
            Some((MinimumThroughput::default(), timer)),
        )
        .await
        .unwrap();
        assert_eq!(read.bytes.len(), 80);
    }

    #[test]
    fn content_length_is_parsed_with_overflow_checked() {
        let h = |v: &str| {
            let mut m = http::HeaderMap::new();
            m.insert("content-length", v.parse().unwrap());
            content_length(&m)
        };
        assert_eq!(h("42"), Some(42));
        assert_eq!(h(" 7 "), Some(7));
        assert_eq!(h("18446744073709551615"), Some(u64::MAX));
        assert_eq!(h("18446744073709551616"), None);
        assert_eq!(h("99999999999999999999999"), None);
        assert_eq!(h("-1"), None);
        assert_eq!(h("+1"), None);
        assert_eq!(h("1,2"), None);
        assert_eq!(content_length(&http::HeaderMap::new()), None);
    }
}
