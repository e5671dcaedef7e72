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
use crate::datetime::{DateTime, Format};
use crate::http::BoxFuture;
use crate::json::JsonReader;
use std::borrow::Cow;
use std::fmt;
use std::process::Stdio;
use std::time::{Duration, SystemTime};

/// How long a `credential_process` may run before it is killed: one minute,
/// as in the AWS SDK for Go (the Rust SDK has no limit of its own).
pub const DEFAULT_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// Stderr beyond this many bytes is cut from error messages.
const MAX_STDERR: usize = 4096;

const PROVIDER_NAME: &str = "CredentialProcess";

/// Runs a command and reads credentials from its output.
#[derive(Clone)]
pub struct CredentialProcessProvider {
    command: String,
    timeout: Duration,
    source_name: Cow<'static, str>,
}

impl CredentialProcessProvider {
    /// A provider running `command` through the shell.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            timeout: DEFAULT_PROCESS_TIMEOUT,
            source_name: Cow::Borrowed("credential_process"),
        }
    }

    /// Kills the process and fails if it runs longer than `timeout`
    /// (default [`DEFAULT_PROCESS_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
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
        let child = command.spawn().map_err(|e| {
            self.fail(format!(
                "could not start `{shell}` to run {}: {e}",
                self.describe()
            ))
        })?;
        let output = match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Ok(Ok(output)) => output,
            Ok(Err(e)) => {
                return Err(self.fail(format!(
                    "could not read the output of {}: {e}",
                    self.describe()
                )))
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

impl fmt::Debug for CredentialProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialProcessProvider")
            .field("command", &self.describe())
            .field("timeout", &self.timeout)
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
        .map_err(|e| format!("`Expiration` `{text}` is not an RFC 3339 date-time: {e}"))
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
                "`Expiration` `tomorrow` is not an RFC 3339 date-time",
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
