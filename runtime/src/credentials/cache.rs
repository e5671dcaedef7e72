//! `CredentialsCache`: reuses credentials until shortly before they expire.
//!
//! As the AWS SDK for Rust's lazy identity cache does:
//!
//! * credentials are reused until `expiry − buffer`, the buffer being 10 s
//!   shortened by a random 0–50 % (so many clients do not all refresh at
//!   the same instant), then loaded again;
//! * credentials without an expiry are reloaded after 15 minutes;
//! * concurrent callers during a load wait for that one load instead of
//!   starting their own;
//! * a failed load is not cached: the next caller tries again; but when a
//!   refresh fails while the cached credentials have not expired yet,
//!   those keep being handed out (a passing STS or network outage during
//!   the refresh window costs nothing), and the refresh is tried again
//!   after [`RETRY_AFTER_FAILED_REFRESH`] or at expiry, whichever is first.
//!
//! Credentials are never handed out at or after their expiry: the refresh
//! point is always before it, and a provider that returns already-expired
//! credentials gets an error instead (check the clock).
//!
//! Unlike the Rust SDK's cache there is no overall 5 s load timeout: each
//! provider bounds its own work (HTTP timeouts, the `credential_process`
//! time limit), so a slow-but-legitimate process is not cut off at 5 s.

use super::{Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider};
use crate::clock::Clock;
use crate::http::BoxFuture;
use crate::retry::jitter;
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// Time before expiry at which credentials are refreshed (before jitter).
pub const DEFAULT_BUFFER_TIME: Duration = Duration::from_secs(10);
/// After a failed refresh with credentials still valid, how long to keep
/// using them before trying again.
pub const RETRY_AFTER_FAILED_REFRESH: Duration = Duration::from_secs(5);
/// How long credentials without an expiry are reused.
pub const DEFAULT_EXPIRATION: Duration = Duration::from_secs(15 * 60);

/// Caches the credentials of another provider.
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    clock: Clock,
    buffer_time: Duration,
    default_expiration: Duration,
    /// The fraction of the buffer to drop, in `[0, 0.5]`.
    jitter: Arc<dyn Fn() -> f64 + Send + Sync>,
    cached: RwLock<Option<Cached>>,
    /// Held while loading, so one caller loads and the others wait.
    load: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    /// `None`: never (the refresh time is past what `SystemTime` holds).
    refresh_at: Option<SystemTime>,
}

impl CredentialsCache {
    /// Caches `provider`'s credentials, with the system clock.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self {
            provider: SharedCredentialsProvider::new(provider),
            clock: Clock::system(),
            buffer_time: DEFAULT_BUFFER_TIME,
            default_expiration: DEFAULT_EXPIRATION,
            jitter: Arc::new(|| jitter() * 0.5),
            cached: RwLock::new(None),
            load: tokio::sync::Mutex::new(()),
        }
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Refreshes `buffer_time` (before jitter) ahead of expiry; default 10 s.
    pub fn with_buffer_time(mut self, buffer_time: Duration) -> Self {
        self.buffer_time = buffer_time;
        self
    }

    /// Reuses credentials without an expiry for `expiration`; default 15 min.
    pub fn with_default_expiration(mut self, expiration: Duration) -> Self {
        self.default_expiration = expiration;
        self
    }

    /// Replaces the random buffer reduction (a fraction in `[0, 0.5]`,
    /// clamped), e.g. with a constant in tests.
    pub fn with_jitter(mut self, jitter: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        self.jitter = Arc::new(jitter);
        self
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let cached = self.cached.read().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|c| c.refresh_at.is_none_or(|at| now < at))
            .map(|c| c.credentials.clone())
    }

    /// Cached credentials, or freshly loaded ones.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.fresh(self.clock.now()) {
            return Ok(credentials);
        }
        let _loading = self.load.lock().await;
        // Another caller may have loaded while this one waited.
        let now = self.clock.now();
        if let Some(credentials) = self.fresh(now) {
            return Ok(credentials);
        }
        let credentials = match self.provider.provide_credentials().await {
            Ok(credentials) => credentials,
            Err(e) => return self.still_valid(now).ok_or(e),
        };
        let now = self.clock.now();
        let refresh_at = match credentials.expiry() {
            Some(expiry) => {
                if expiry <= now {
                    return Err(CredentialsError::provider_failed(
                        credentials.provider_name(),
                        format!(
                            "returned credentials that expired at {}, which is not after the current time {} (is the clock right?)",
                            crate::DateTime::from(expiry),
                            crate::DateTime::from(now)
                        ),
                    ));
                }
                let fraction = (self.jitter)();
                // A jitter function giving NaN counts as no jitter.
                let fraction = if fraction.is_nan() {
                    0.0
                } else {
                    fraction.clamp(0.0, 0.5)
                };
                // `mul_f64` panics where the product leaves `Duration`'s range.
                let buffer =
                    Duration::try_from_secs_f64(self.buffer_time.as_secs_f64() * (1.0 - fraction))
                        .unwrap_or(self.buffer_time);
                Some(expiry.checked_sub(buffer).unwrap_or(expiry))
            }
            None => now.checked_add(self.default_expiration),
        };
        crate::trace::event!(
            debug,
            provider = credentials.provider_name(),
            expiry = %credentials.expiry().map_or_else(|| "never".to_owned(), |e| crate::DateTime::from(e).to_string()),
            "credentials loaded"
        );
        *self.cached.write().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
            credentials: credentials.clone(),
            refresh_at,
        });
        Ok(credentials)
    }
}

impl CredentialsCache {
    /// The cached credentials if they have not expired, kept for a little
    /// longer (the refresh that was due just failed).
    fn still_valid(&self, now: SystemTime) -> Option<Credentials> {
        let mut cached = self.cached.write().unwrap_or_else(|e| e.into_inner());
        let entry = cached.as_mut()?;
        let expiry = entry.credentials.expiry()?;
        if expiry <= now {
            return None;
        }
        // `expiry > now`, so this is a time after `now` whatever the clock.
        entry.refresh_at = Some(
            now.checked_add(RETRY_AFTER_FAILED_REFRESH)
                .map_or(expiry, |retry| retry.min(expiry)),
        );
        Some(entry.credentials.clone())
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("provider", &self.provider)
            .field("buffer_time", &self.buffer_time)
            .field("default_expiration", &self.default_expiration)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }

    /// The cached credentials while they are fresh; near their expiry,
    /// `None`, and the call refreshes them through `provide_credentials`.
    fn credentials_at_hand(&self) -> Option<Credentials> {
        self.fresh(self.clock.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::credentials::CredentialsErrorKind;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    use std::time::UNIX_EPOCH;

    /// Hands out the scripted credentials in order and counts loads; each
    /// load can be made to take a while.
    #[derive(Debug)]
    struct Scripted {
        script: Mutex<Vec<Result<Credentials, CredentialsError>>>,
        loads: Arc<AtomicUsize>,
        delay: Duration,
    }

    impl Scripted {
        fn new(script: Vec<Result<Credentials, CredentialsError>>) -> (Self, Arc<AtomicUsize>) {
            let loads = Arc::new(AtomicUsize::new(0));
            (
                Self {
                    script: Mutex::new(script),
                    loads: loads.clone(),
                    delay: Duration::ZERO,
                },
                loads,
            )
        }
    }

    impl ProvideCredentials for Scripted {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                self.loads.fetch_add(1, Ordering::SeqCst);
                if !self.delay.is_zero() {
                    tokio::time::sleep(self.delay).await;
                }
                let mut script = self.script.lock().unwrap();
                assert!(!script.is_empty(), "unexpected load");
                script.remove(0)
            })
        }
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn creds(id: &str, expiry: Option<u64>) -> Result<Credentials, CredentialsError> {
        Ok(Credentials::new(id, "secret", None, expiry.map(at), "test"))
    }

    fn make_cache(
        script: Vec<Result<Credentials, CredentialsError>>,
        clock: &ManualClock,
        jitter: f64,
    ) -> (CredentialsCache, Arc<AtomicUsize>) {
        let (provider, loads) = Scripted::new(script);
        (
            CredentialsCache::new(provider)
                .with_clock(clock.clock())
                .with_jitter(move || jitter),
            loads,
        )
    }

    #[tokio::test]
    async fn reused_before_expiry_minus_buffer_and_refreshed_at_it() {
        let clock = ManualClock::new(at(1000));
        let (cache, loads) = make_cache(
            vec![creds("one", Some(2000)), creds("two", Some(3000))],
            &clock,
            0.0,
        );
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        clock.set(at(1989)); // 11 s before expiry: still fresh
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        clock.set(at(1990)); // expiry − 10 s: refresh
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "two");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    /// What a call takes without a future: fresh credentials only; near
    /// expiry nothing, so the call refreshes them through the cache.
    #[tokio::test]
    async fn at_hand_only_while_fresh() {
        let clock = ManualClock::new(at(1000));
        let (cache, loads) = make_cache(
            vec![creds("one", Some(2000)), creds("two", Some(3000))],
            &clock,
            0.0,
        );
        assert!(cache.credentials_at_hand().is_none(), "nothing loaded yet");
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        clock.set(at(1989));
        let shared = SharedCredentialsProvider::new(cache);
        assert_eq!(shared.credentials_at_hand().unwrap().access_key_id(), "one");
        clock.set(at(1990));
        assert!(shared.credentials_at_hand().is_none(), "due for refresh");
        assert_eq!(
            shared.provide_credentials().await.unwrap().access_key_id(),
            "two"
        );
        assert_eq!(shared.credentials_at_hand().unwrap().access_key_id(), "two");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn jitter_shortens_the_buffer_by_up_to_half() {
        let clock = ManualClock::new(at(1000));
        let (cache, _) = make_cache(
            vec![creds("one", Some(2000)), creds("two", Some(3000))],
            &clock,
            0.5,
        );
        cache.credentials().await.unwrap();
        clock.set(at(1994)); // buffer is 5 s with 50 % jitter
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        clock.set(at(1995));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "two");
        // Jitter outside [0, 0.5] is clamped: the buffer never vanishes.
        let (cache, _) = make_cache(
            vec![creds("a", Some(4000)), creds("b", Some(5000))],
            &clock,
            7.0,
        );
        clock.set(at(3000));
        cache.credentials().await.unwrap();
        clock.set(at(3995));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "b");
    }

    #[tokio::test]
    async fn default_random_jitter_stays_within_bounds() {
        for _ in 0..50 {
            let clock = ManualClock::new(at(1000));
            let (provider, _) =
                Scripted::new(vec![creds("one", Some(2000)), creds("two", Some(3000))]);
            let cache = CredentialsCache::new(provider).with_clock(clock.clock());
            cache.credentials().await.unwrap();
            clock.set(at(1989)); // before expiry − 10 s: always fresh
            assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
            clock.set(at(1995)); // expiry − 5 s: the buffer is at least 5 s, so always refreshed
            assert_eq!(cache.credentials().await.unwrap().access_key_id(), "two");
        }
    }

    #[tokio::test]
    async fn never_expiring_credentials_are_reloaded_after_15_minutes() {
        let clock = ManualClock::new(at(1000));
        let (cache, loads) = make_cache(vec![creds("one", None), creds("two", None)], &clock, 0.0);
        cache.credentials().await.unwrap();
        clock.advance(Duration::from_secs(15 * 60 - 1));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        clock.advance(Duration::from_secs(1));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "two");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn extreme_settings_and_times_do_not_panic() {
        // A default expiration past the end of `SystemTime`: kept for good.
        let clock = ManualClock::new(at(1000));
        let (provider, loads) = Scripted::new(vec![creds("one", None)]);
        let cache = CredentialsCache::new(provider)
            .with_clock(clock.clock())
            .with_default_expiration(Duration::MAX)
            .with_jitter(|| f64::NAN);
        cache.credentials().await.unwrap();
        clock.advance(Duration::from_secs(1 << 40));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        // A NaN jitter and a huge buffer with an expiry near the epoch.
        let clock = ManualClock::new(at(0));
        let (provider, _) = Scripted::new(vec![creds("two", Some(5)), creds("three", Some(6))]);
        let cache = CredentialsCache::new(provider)
            .with_clock(clock.clock())
            .with_buffer_time(Duration::MAX)
            .with_jitter(|| f64::NAN);
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "two");
    }

    #[tokio::test]
    async fn failures_are_not_cached() {
        let clock = ManualClock::new(at(1000));
        let (cache, loads) = make_cache(
            vec![
                Err(CredentialsError::provider_failed("test", "boom")),
                creds("one", None),
            ],
            &clock,
            0.0,
        );
        assert_eq!(
            cache.credentials().await.unwrap_err().to_string(),
            "test: boom"
        );
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_credentials_that_still_work() {
        let clock = ManualClock::new(at(1000));
        let (cache, loads) = make_cache(
            vec![
                creds("one", Some(2000)),
                Err(CredentialsError::provider_failed("test", "STS down")),
                Err(CredentialsError::provider_failed("test", "STS still down")),
                creds("two", Some(3000)),
                Err(CredentialsError::provider_failed("test", "STS down again")),
            ],
            &clock,
            0.0,
        );
        cache.credentials().await.unwrap();
        clock.set(at(1992)); // refresh due (expiry − 10 s), and it fails
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
        clock.set(at(1996)); // not retried within 5 s
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
        clock.set(at(1997)); // retried, fails again, still valid
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        clock.set(at(1999)); // capped at the expiry, then refreshed
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "one");
        clock.set(at(2000));
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "two");
        // Once expired, a failure is the caller's error.
        clock.set(at(3000));
        assert_eq!(
            cache.credentials().await.unwrap_err().to_string(),
            "test: STS down again"
        );
        assert_eq!(loads.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn expired_credentials_are_never_handed_out() {
        let clock = ManualClock::new(at(1000));
        let (cache, _) = make_cache(
            vec![creds("stale", Some(1000)), creds("ok", Some(1005))],
            &clock,
            0.0,
        );
        let err = cache.credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
        assert_eq!(
            err.to_string(),
            "test: returned credentials that expired at 1970-01-01T00:16:40Z, which is not after the current time 1970-01-01T00:16:40Z (is the clock right?)"
        );
        // Valid but inside the buffer: handed out now, reloaded next time.
        assert_eq!(cache.credentials().await.unwrap().access_key_id(), "ok");
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_load() {
        let clock = ManualClock::new(at(1000));
        let (mut provider, loads) = Scripted::new(vec![creds("one", Some(5000))]);
        provider.delay = Duration::from_millis(50);
        let cache = Arc::new(CredentialsCache::new(provider).with_clock(clock.clock()));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.credentials().await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().access_key_id(), "one");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }
}
