//! Credentials printed by an external program (`credential_process`).
//!
//! The command runs through the shell (`sh -c` on Unix, `cmd.exe /C` on
//! Windows), inherits the process environment, and must exit 0 printing:
//!
//! ```json
//! {"Version": 1, "AccessKeyId": "ASIA…", "SecretAccessKey": "…",
//!  "SessionToken": "…", "Expiration": "2022-05-02T18:36:00+00:00"}
//! ```
//!
//! `Version` must be the number 1; `AccessKeyId` and `SecretAccessKey` are
//! required; `SessionToken` and `Expiration` (RFC 3339; absent = never
//! expires) are optional. Keys match in any letter case, as in the AWS SDK
//! for Rust.
//!
//! The command line may carry secrets, so messages show only its first word
//! (the program); its output is never shown; its standard error is, as it is
//! where such programs explain themselves.

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::bounded::{self, describe_size, BoundedReadError};
use crate::datetime::{DateTime, Format};
use crate::http::BoxFuture;
use crate::json::JsonReader;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::process::Stdio;
use std::task::Poll;
use std::time::{Duration, SystemTime};

/// How long a `credential_process` may run before it is killed: one minute,
/// as in the AWS SDK for Go (the Rust SDK has no limit of its own).
pub const DEFAULT_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// The most a `credential_process` may write to standard output, and
/// separately to standard error, before it is stopped: 1 MiB.
///
/// Credentials are a few KB of JSON; the limit leaves room for programs
/// that log verbosely to standard error while bounding what a runaway
/// program costs. Raise it with
/// [`CredentialProcessProvider::with_max_output`] (or
/// [`ProfileCredentialsProvider::with_process_max_output`](super::profile::ProfileCredentialsProvider::with_process_max_output)).
pub const DEFAULT_MAX_OUTPUT: usize = 1 << 20;

/// Stderr beyond this many bytes is cut from error messages (and not kept).
const MAX_STDERR: usize = 4096;

const PROVIDER_NAME: &str = "CredentialProcess";

/// Runs a command and reads credentials from its output.
#[derive(Clone)]
pub struct CredentialProcessProvider {
    command: String,
    timeout: Duration,
    max_output: usize,
    source_name: Cow<'static, str>,
}

impl CredentialProcessProvider {
    /// A provider running `command` through the shell.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            timeout: DEFAULT_PROCESS_TIMEOUT,
            max_output: DEFAULT_MAX_OUTPUT,
            source_name: Cow::Borrowed("credential_process"),
        }
    }

    /// Kills the process and fails if it runs longer than `timeout`
    /// (default [`DEFAULT_PROCESS_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Stops the process and fails if it writes more than `bytes` to
    /// standard output, or to standard error (default
    /// [`DEFAULT_MAX_OUTPUT`], 1 MiB).
    pub fn with_max_output(mut self, bytes: usize) -> Self {
        self.max_output = bytes;
        self
    }

    /// Names the source in errors (the profile provider says which profile).
    pub(crate) fn with_source_name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.source_name = name.into();
        self
    }

    /// The command with its arguments hidden: `` `/opt/bin/creds` (arguments not shown) ``.
    fn describe(&self) -> String {
        let trimmed = self.command.trim();
        let program = trimmed.split_whitespace().next().unwrap_or("");
        if program.len() == trimmed.len() {
            format!("`{program}`")
        } else {
            format!("`{program}` (arguments not shown)")
        }
    }

    fn fail(&self, message: String) -> CredentialsError {
        CredentialsError::provider_failed(self.source_name.clone(), message)
    }

    /// Runs the command and parses its output.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut command = if cfg!(windows) {
            let mut c = tokio::process::Command::new("cmd.exe");
            c.arg("/C").arg(&self.command);
            c
        } else {
            let mut c = tokio::process::Command::new("sh");
            c.arg("-c").arg(&self.command);
            c
        };
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Dropping the future on timeout must not leave the process running.
            .kill_on_drop(true);
        let shell = if cfg!(windows) { "cmd.exe /C" } else { "sh -c" };
        let mut child = command.spawn().map_err(|e| {
            self.fail(format!(
                "could not start `{shell}` to run {}: {e}",
                self.describe()
            ))
        })?;
        let run = self.wait_with_bounded_output(&mut child);
        let output = match tokio::time::timeout(self.timeout, run).await {
            Ok(Ok(output)) => output,
            Ok(Err(e)) => {
                // Stop it now rather than when `child` is dropped.
                let _ = child.start_kill();
                return Err(self.fail(e));
            }
            Err(_) => {
                return Err(self.fail(format!(
                    "{} did not finish within {:?} and was stopped",
                    self.describe(),
                    self.timeout
                )))
            }
        };
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let mut stderr = stderr.trim().to_owned();
            if stderr.len() > MAX_STDERR {
                let mut cut = MAX_STDERR;
                while !stderr.is_char_boundary(cut) {
                    cut -= 1;
                }
                stderr.truncate(cut);
                stderr.push_str(" […]");
            }
            let stderr = if stderr.is_empty() {
                "(empty)".to_owned()
            } else {
                stderr
            };
            return Err(self.fail(format!(
                "{} failed with {}; stderr: {stderr}",
                self.describe(),
                output.status
            )));
        }
        parse_output(&output.stdout).map_err(|why| {
            self.fail(format!(
                "{} printed invalid credentials: {why}",
                self.describe()
            ))
        })
    }
}

/// What a finished process left: its status, all of stdout, the first
/// [`MAX_STDERR`] bytes of stderr.
struct Output {
    status: std::process::ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl CredentialProcessProvider {
    /// Reads both pipes as the process writes (so it never blocks on a full
    /// pipe) and waits for it to exit; fails as soon as either stream passes
    /// [`with_max_output`](Self::with_max_output).
    async fn wait_with_bounded_output(
        &self,
        child: &mut tokio::process::Child,
    ) -> Result<Output, String> {
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return Err(format!("could not read the output of {}", self.describe()));
        };
        let stream_error = |stream: &str, e: BoundedReadError| match e {
            BoundedReadError::TooLarge { .. } => format!(
                "{} wrote more than {} to {stream} and was stopped; credentials are a few KB, \
                 so this is likely the wrong program (the limit is set with \
                 `with_max_output` / `with_process_max_output`)",
                self.describe(),
                describe_size(self.max_output as u64)
            ),
            BoundedReadError::Io(e) => {
                format!("could not read the {stream} of {}: {e}", self.describe())
            }
        };
        // One byte past what messages show, so they can say it was cut.
        let (stdout, stderr) = join_or_fail(
            bounded::read_pipe(stdout, self.max_output, usize::MAX),
            bounded::read_pipe(stderr, self.max_output, MAX_STDERR + 1),
        )
        .await
        .map_err(|(which, e)| stream_error(which, e))?;
        let status = child
            .wait()
            .await
            .map_err(|e| format!("could not wait for {}: {e}", self.describe()))?;
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }
}

/// Runs both reads to completion, or stops at the first that fails (naming
/// its stream), without the `tokio` macros feature.
async fn join_or_fail<A, B>(
    stdout: A,
    stderr: B,
) -> Result<(Vec<u8>, Vec<u8>), (&'static str, BoundedReadError)>
where
    A: Future<Output = Result<Vec<u8>, BoundedReadError>>,
    B: Future<Output = Result<Vec<u8>, BoundedReadError>>,
{
    let (mut stdout, mut stderr) = (pin!(stdout), pin!(stderr));
    let (mut out, mut err) = (None, None);
    std::future::poll_fn(|cx| {
        if out.is_none() {
            if let Poll::Ready(result) = stdout.as_mut().poll(cx) {
                match result {
                    Ok(bytes) => out = Some(bytes),
                    Err(e) => return Poll::Ready(Err(("standard output", e))),
                }
            }
        }
        if err.is_none() {
            if let Poll::Ready(result) = stderr.as_mut().poll(cx) {
                match result {
                    Ok(bytes) => err = Some(bytes),
                    Err(e) => return Poll::Ready(Err(("standard error", e))),
                }
            }
        }
        match (out.take(), err.take()) {
            (Some(o), Some(e)) => Poll::Ready(Ok((o, e))),
            (o, e) => {
                (out, err) = (o, e);
                Poll::Pending
            }
        }
    })
    .await
}

impl fmt::Debug for CredentialProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialProcessProvider")
            .field("command", &self.describe())
            .field("timeout", &self.timeout)
            .field("max_output", &self.max_output)
            .finish()
    }
}

impl ProvideCredentials for CredentialProcessProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}

/// Parses a `credential_process` output document.
pub(crate) fn parse_output(stdout: &[u8]) -> Result<Credentials, String> {
    let mut version = None;
    let mut access_key_id = None;
    let mut secret_access_key = None;
    let mut session_token = None;
    let mut expiration = None;
    let mut reader = JsonReader::new(stdout);
    reader
        .object(|r, key| {
            let slot = match key {
                k if k.eq_ignore_ascii_case("Version") => {
                    if !r.read_null()? {
                        version = Some(r.integer()?);
                    }
                    return Ok(());
                }
                k if k.eq_ignore_ascii_case("AccessKeyId") => &mut access_key_id,
                k if k.eq_ignore_ascii_case("SecretAccessKey") => &mut secret_access_key,
                k if k.eq_ignore_ascii_case("SessionToken") => &mut session_token,
                k if k.eq_ignore_ascii_case("Expiration") => &mut expiration,
                _ => return r.skip_value(),
            };
            *slot = r.nullable::<String>()?;
            Ok(())
        })
        .and_then(|()| reader.end())
        .map_err(|e| format!("not the expected JSON object: {e}"))?;
    match version {
        Some(1) => {}
        None => return Err("`\"Version\": 1` is missing".to_owned()),
        Some(other) => {
            return Err(format!(
                "`\"Version\": {other}` is not supported; only version 1 is"
            ))
        }
    }
    let access_key_id = access_key_id
        .filter(|v| !v.is_empty())
        .ok_or("`AccessKeyId` is missing")?;
    let secret_access_key = secret_access_key
        .filter(|v| !v.is_empty())
        .ok_or("`SecretAccessKey` is missing")?;
    let expiry = expiration.map(|text| parse_expiration(&text)).transpose()?;
    Ok(Credentials::new(
        access_key_id,
        secret_access_key,
        session_token.filter(|t| !t.is_empty()),
        expiry,
        PROVIDER_NAME,
    ))
}

/// An RFC 3339 `Expiration` as a `SystemTime`.
pub(crate) fn parse_expiration(text: &str) -> Result<SystemTime, String> {
    DateTime::from_str(text, Format::DateTime)
        .and_then(SystemTime::try_from)
        .map_err(|e| format!("`Expiration` is not an RFC 3339 date-time: {e}"))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn provider(script: &str) -> CredentialProcessProvider {
        CredentialProcessProvider::new(script)
    }

    #[tokio::test]
    async fn reads_full_output() {
        let creds = provider(
            r#"printf '{"Version": 1, "AccessKeyId": "ASIARTESTID", "SecretAccessKey": "TESTSECRETKEY", "SessionToken": "TESTSESSIONTOKEN", "Expiration": "2022-05-02T18:36:00+00:00", "AccountId": "123"}'"#,
        )
        .credentials()
        .await
        .unwrap();
        assert_eq!(creds.access_key_id(), "ASIARTESTID");
        assert_eq!(creds.secret_access_key(), "TESTSECRETKEY");
        assert_eq!(creds.session_token(), Some("TESTSESSIONTOKEN"));
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_651_516_560))
        );
        assert_eq!(creds.provider_name(), "CredentialProcess");
    }

    #[tokio::test]
    async fn minimal_output_never_expires_and_keys_ignore_case() {
        let creds =
            provider(r#"printf '{"version": 1, "accesskeyid": "A", "SECRETACCESSKEY": "S"}\n'"#)
                .credentials()
                .await
                .unwrap();
        assert_eq!(creds.access_key_id(), "A");
        assert_eq!(creds.session_token(), None);
        assert_eq!(creds.expiry(), None);
    }

    #[tokio::test]
    async fn output_without_version_1_is_rejected() {
        for (json, why) in [
            (
                r#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "`\"Version\": 1` is missing",
            ),
            (
                r#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "`\"Version\": 2` is not supported; only version 1 is",
            ),
            (
                r#"{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "expected a number, found a string at `Version`",
            ),
        ] {
            let err = provider(&format!("printf '{json}'"))
                .credentials()
                .await
                .unwrap_err();
            assert_eq!(
                err.kind(),
                super::super::CredentialsErrorKind::ProviderFailed
            );
            let text = err.to_string();
            assert!(text.starts_with("credential_process: `printf` (arguments not shown) printed invalid credentials: "), "{text}");
            assert!(text.contains(why), "{text}");
            assert!(!text.contains("\"S\""), "{text}");
        }
    }

    #[tokio::test]
    async fn missing_fields_and_bad_expiration() {
        for (json, why) in [
            (
                r#"{"Version": 1, "SecretAccessKey": "S"}"#,
                "`AccessKeyId` is missing",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "A"}"#,
                "`SecretAccessKey` is missing",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "tomorrow"}"#,
                "`Expiration` is not an RFC 3339 date-time: `tomorrow` is not a valid",
            ),
            (
                "not json",
                "not the expected JSON object: expected an object",
            ),
            (
                r#"{"Version": 1} trailing"#,
                "unexpected data after the JSON value",
            ),
        ] {
            let err = provider(&format!("printf '{json}'"))
                .credentials()
                .await
                .unwrap_err();
            assert!(err.to_string().contains(why), "{err}");
        }
    }

    #[tokio::test]
    async fn failing_process_reports_status_and_stderr() {
        let err = provider(
            "echo 'token expired, run login' >&2; echo '{\"leak\": \"SECRETOUT\"}'; exit 3",
        )
        .credentials()
        .await
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "credential_process: `echo` (arguments not shown) failed with exit status: 3; stderr: token expired, run login"
        );
        assert!(!err.to_string().contains("SECRETOUT"));
        let err = provider("exit 1").credentials().await.unwrap_err();
        assert!(
            err.to_string()
                .ends_with("failed with exit status: 1; stderr: (empty)"),
            "{err}"
        );
    }

    const MINIMAL: &str = r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"}"#;

    #[tokio::test]
    async fn output_up_to_the_limit_is_read_and_more_is_refused() {
        let print = format!("printf '{MINIMAL}'");
        let creds = provider(&print)
            .with_max_output(MINIMAL.len())
            .credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "A");
        let err = provider(&print)
            .with_max_output(MINIMAL.len() - 1)
            .credentials()
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "credential_process: `printf` (arguments not shown) wrote more than {} bytes to standard output \
                 and was stopped; credentials are a few KB, so this is likely the wrong program \
                 (the limit is set with `with_max_output` / `with_process_max_output`)",
                MINIMAL.len() - 1
            )
        );
    }

    /// Whether process `pid` is gone (or a zombie about to be reaped).
    #[cfg(target_os = "linux")]
    fn is_stopped(pid: &str) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        }
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn endless_output_is_cut_at_the_default_limit_and_the_process_stopped() {
        let dir = tempfile::tempdir().unwrap();
        for (stream, redirect) in [("standard output", ""), ("standard error", " >&2")] {
            let pid_file = dir.path().join("pid");
            // Never ends, and ignores the closed pipe: read whole, its output
            // would exhaust memory, and only a kill stops it.
            let line = "y".repeat(1000);
            let script = format!(
                "echo $$ > {}; trap '' PIPE; while :; do echo {line}{redirect} 2>/dev/null || :; done",
                pid_file.display()
            );
            let err = provider(&script).credentials().await.unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains(&format!(
                    "wrote more than 1 MiB (1048576 bytes) to {stream} and was stopped"
                )),
                "{text}"
            );
            let pid = std::fs::read_to_string(&pid_file).unwrap();
            let pid = pid.trim();
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while !is_stopped(pid) {
                assert!(
                    std::time::Instant::now() < deadline,
                    "process {pid} still runs"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }

    #[tokio::test]
    async fn long_stderr_is_cut_in_the_message() {
        let err = provider("head -c 100000 /dev/zero | tr '\\0' e >&2; exit 2")
            .credentials()
            .await
            .unwrap_err();
        let text = err.to_string();
        let shown = format!("stderr: {} […]", "e".repeat(MAX_STDERR));
        assert!(text.ends_with(&shown), "{}", &text[..200]);
    }

    #[tokio::test]
    async fn slow_process_times_out() {
        let started = std::time::Instant::now();
        let err = provider("sleep 30")
            .with_timeout(Duration::from_millis(200))
            .credentials()
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(
            err.to_string(),
            "credential_process: `sleep` (arguments not shown) did not finish within 200ms and was stopped"
        );
    }

    #[test]
    fn debug_hides_arguments() {
        let p = provider("/opt/bin/creds --password hunter2");
        let debug = format!("{p:?}");
        assert!(debug.contains("/opt/bin/creds"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
