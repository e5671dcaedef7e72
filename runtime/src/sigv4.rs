//! AWS Signature Version 4, Authorization-header form.
//!
//! This module owns everything between "a request and some credentials" and
//! "the headers that make AWS accept it": the canonical request, the string
//! to sign, the signing-key derivation, the `X-Amz-Date` clock format and the
//! `Authorization` header. It does not fetch credentials, choose the region
//! or the signing name, or decide when to sign; the caller does, and signs
//! each attempt again (the date and a refreshed token may change).
//!
//! Presigned URLs (query-string signing) are out of scope.

use std::borrow::Cow;
use smallvec::SmallVec;
use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::crypto::{Crypto, HmacKey};
use crate::datetime::DateTime;
use crate::percent;
use crate::{Redacted, REDACTED};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

// Output header names, spelled as the AWS reference signer (aws-c-auth) writes
// them so that a signed request reads byte for byte like the test suite's.
// HTTP header names are case-insensitive; `http::HeaderName` lowercases them.
const X_AMZ_DATE: &str = "X-Amz-Date";
const X_AMZ_SECURITY_TOKEN: &str = "X-Amz-Security-Token";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";
const AUTHORIZATION: &str = "Authorization";

/// Headers never signed: proxies and the HTTP stack rewrite or add them after
/// signing (`authorization` is the signature itself). Same list as smithy-rs.
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// Everything that identifies and scopes a signature.
///
/// Its `Debug` output never shows the secret access key or the session token.
#[derive(Clone)]
pub struct SigningParams<'a> {
    /// Access key id, written into the `Credential=` part of the `Authorization` header.
    pub access_key_id: &'a str,
    /// Secret access key; only ever used to derive the signing key.
    pub secret_access_key: &'a str,
    /// Session token of temporary credentials, sent as `X-Amz-Security-Token`.
    /// An empty token is treated as no token.
    pub session_token: Option<&'a str>,
    /// Region of the credential scope, e.g. `us-east-1`.
    pub region: &'a str,
    /// Signing name of the service (the `aws.auth#sigv4` trait's `name`), e.g. `proton`.
    pub service: &'a str,
    /// Signing time; `X-Amz-Date` and the scope date are this instant in UTC.
    pub time: SystemTime,
    /// Canonicalisation choices that differ between services.
    pub settings: SigningSettings,
}

impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &Redacted)
            .field("session_token", &self.session_token.map(|_| Redacted))
            .field("region", &self.region)
            .field("service", &self.service)
            .field("time", &self.time)
            .field("settings", &self.settings)
            .finish()
    }
}

/// Canonicalisation choices that differ between services.
///
/// The default is right for every service except S3, which wants
/// `normalize_path` and `uri_double_encode` off and `sign_payload_header` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningSettings {
    /// Remove `.` and `..` segments and empty segments (repeated `/`) from the
    /// path before signing. Default `true`.
    pub normalize_path: bool,
    /// Percent-encode the path as it goes on the wire once more, so an escape
    /// such as `%3A` is signed as `%253A`. Default `true`; S3 wants `false`,
    /// which signs each path segment encoded exactly once.
    pub uri_double_encode: bool,
    /// Add the `x-amz-content-sha256` header (the payload hash) and sign it.
    /// Default `false`.
    pub sign_payload_header: bool,
    /// Send the session token as `X-Amz-Security-Token` but leave it out of
    /// the signature, for services that want it so. Default `false`.
    pub omit_session_token: bool,
}

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            normalize_path: true,
            uri_double_encode: true,
            sign_payload_header: false,
            omit_session_token: false,
        }
    }
}

/// A request to sign, borrowed.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method, e.g. `POST`; signed as given (methods are case-sensitive).
    pub method: &'a str,
    /// Path plus optional `?query`, as it goes on the wire (origin form: it
    /// starts with `/`, or is empty for `/`).
    pub uri: &'a str,
    /// Header names and values in order; duplicates are allowed and signed in
    /// the order given. Must include `host`. Every header is signed except
    /// `authorization`, `user-agent`, `x-amzn-trace-id` and
    /// `transfer-encoding`, which intermediaries may change, and except
    /// `x-amz-date` (and `x-amz-security-token` / `x-amz-content-sha256` when
    /// the signer adds its own), which the output headers replace.
    pub headers: &'a [(&'a str, &'a str)],
    /// The payload, hashed into the signature.
    pub body: &'a [u8],
}

/// The result of signing: what to add to the request, and the intermediate
/// strings AWS returns in a `SignatureDoesNotMatch` error, for comparison.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// The canonical request (SigV4 task 1).
    pub canonical_request: String,
    /// The string to sign (SigV4 task 2).
    pub string_to_sign: String,
    /// The signature, lowercase hex.
    pub signature: String,
    /// Headers the caller must add to the request, replacing any of the same
    /// name, in this order: `X-Amz-Security-Token` (when there is a session
    /// token, signed or not), `X-Amz-Date`, `x-amz-content-sha256` (when
    /// [`SigningSettings::sign_payload_header`] is set), `Authorization`.
    /// The names are spelled as the AWS reference signer writes them; compare
    /// them case-insensitively.
    pub headers: Vec<(&'static str, String)>,
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &dyn fmt::Debug)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value: &dyn fmt::Debug = if name.eq_ignore_ascii_case(X_AMZ_SECURITY_TOKEN) {
                    &Redacted
                } else {
                    value
                };
                (*name, value)
            })
            .collect();
        f.debug_struct("SigningOutput")
            .field(
                "canonical_request",
                &redact_token_line(&self.canonical_request),
            )
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("headers", &headers)
            .finish()
    }
}

/// The canonical request with the signed session token's value hidden.
fn redact_token_line(canonical_request: &str) -> String {
    const PREFIX: &str = "x-amz-security-token:";
    canonical_request
        .split('\n')
        .map(|line| match line.strip_prefix(PREFIX) {
            Some(_) => Cow::Owned(format!("{PREFIX}{REDACTED}")),
            None => Cow::Borrowed(line),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a request could not be signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningError {
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ErrorKind {
    TimeBeforeEpoch,
    TimeAfterYear9999,
    MissingHost,
    InvalidMethod(String),
    InvalidUri(String),
    InvalidHeaderName(String),
    // The value itself is left out: it may be a credential.
    InvalidHeaderValue(String),
    HeaderValueNotUtf8(String),
    InvalidSessionToken,
    InvalidScopePart { part: &'static str, value: String },
    NoCryptoProvider,
}

impl SigningError {
    fn new(kind: ErrorKind) -> Self {
        SigningError { kind }
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::TimeBeforeEpoch => {
                f.write_str("cannot sign: the signing time is before 1970-01-01T00:00:00Z")
            }
            ErrorKind::TimeAfterYear9999 => {
                f.write_str("cannot sign: the signing time is after the year 9999")
            }
            ErrorKind::MissingHost => {
                f.write_str("cannot sign: the request has no `host` header and no host in its URI")
            }
            ErrorKind::InvalidMethod(method) => {
                write!(f, "cannot sign: {method:?} is not a valid HTTP method")
            }
            ErrorKind::InvalidUri(uri) => write!(
                f,
                "cannot sign: request target {uri:?} is not a path (it must start with `/`)"
            ),
            ErrorKind::InvalidHeaderName(name) => {
                write!(f, "cannot sign: {name:?} is not a valid header name")
            }
            ErrorKind::InvalidHeaderValue(name) => write!(
                f,
                "cannot sign: the value of header `{name}` contains a control character"
            ),
            ErrorKind::HeaderValueNotUtf8(name) => write!(
                f,
                "cannot sign: the value of header `{name}` is not valid UTF-8"
            ),
            ErrorKind::InvalidSessionToken => f.write_str(
                "cannot sign: the session token contains a character not allowed in a header value",
            ),
            ErrorKind::InvalidScopePart { part, value } => write!(
                f,
                "cannot sign: {part} {value:?} must be non-empty, without `/`, whitespace or control characters"
            ),
            ErrorKind::NoCryptoProvider => f.write_str(
                "cannot sign: no SHA-256 (enable the `aws-lc-rs` or `ring` feature, or install a \
                 process-wide rustls crypto provider)",
            ),
        }
    }
}

impl std::error::Error for SigningError {}

/// Signs `request`, returning the headers to add and the intermediate strings.
///
/// # Errors
/// When the signing time is outside 1970–9999, the request has no `host`
/// header, or the method, target, a header, the session token, the access key
/// id, the region or the service cannot appear in a signed request.
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    sign_with(request, params, None)
}

/// [`sign`], taking the signing key from `cache` when it holds the one for
/// these credentials, day, region and service.
fn sign_with(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
) -> Result<SigningOutput, SigningError> {
    let headers = request.headers.iter().map(|&header| Ok(header));
    let (mut canonical_request, mut string_to_sign) = (String::new(), String::new());
    let signed = sign_parts(
        request.method,
        request.uri,
        headers,
        false,
        request.body,
        params,
        cache,
        Scratch {
            canonical_request: &mut canonical_request,
            string_to_sign: &mut string_to_sign,
        },
    )?;
    let mut headers = Vec::with_capacity(4);
    if let Some(token) = session_token(params) {
        headers.push((X_AMZ_SECURITY_TOKEN, token.to_owned()));
    }
    let signature = signed.signature().to_owned();
    headers.push((X_AMZ_DATE, signed.amz_date.as_str().to_owned()));
    if let Some(hash) = signed.payload_hash {
        headers.push((X_AMZ_CONTENT_SHA256, hash));
    }
    headers.push((AUTHORIZATION, signed.authorization));
    Ok(SigningOutput {
        canonical_request,
        string_to_sign,
        signature,
        headers,
    })
}

/// The session token to send: none when empty.
fn session_token<'a>(params: &SigningParams<'a>) -> Option<&'a str> {
    params.session_token.filter(|token| !token.is_empty())
}

/// One signature, before it becomes a [`SigningOutput`] or a request's
/// headers.
struct Signed {
    /// `YYYYMMDDTHHMMSSZ`.
    amz_date: UtcTime,
    /// The payload hash, when the settings send it as a header.
    payload_hash: Option<String>,
    /// The whole `Authorization` value; the signature ends it.
    authorization: String,
}

impl Signed {
    /// The signature, lowercase hex: the last 64 bytes of `Authorization`.
    fn signature(&self) -> &str {
        let at = self.authorization.len().saturating_sub(64);
        self.authorization.get(at..).unwrap_or_default()
    }
}

/// Where the canonical request and the string to sign are written (each
/// cleared first): strings [`sign`] returns, or a thread's buffers reused
/// by every request it signs ([`sign_http_request`]).
struct Scratch<'s> {
    canonical_request: &'s mut String,
    string_to_sign: &'s mut String,
}

/// Up to this many signed headers are sorted on the stack; more, on the
/// heap.
const INLINE_HEADERS: usize = 16;

/// The headers to sign, name and value, in the order given.
type SignedHeaders<'h> = SmallVec<[(Cow<'h, str>, Cow<'h, str>); INLINE_HEADERS]>;

/// Signs a request given as its parts; `headers` yields names and values
/// (or why one cannot be signed). With `typed_names`, they come from an
/// `http::HeaderMap`: the names are lowercase tokens and the values free of
/// control characters but tab already, so neither is checked again.
#[allow(clippy::too_many_arguments)]
fn sign_parts<'h>(
    method: &str,
    uri: &str,
    headers: impl Iterator<Item = Result<(&'h str, &'h str), SigningError>>,
    typed_names: bool,
    body: &[u8],
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
    scratch: Scratch<'_>,
) -> Result<Signed, SigningError> {
    check_scope_part("access key id", params.access_key_id)?;
    check_scope_part("region", params.region)?;
    check_scope_part("service", params.service)?;
    if !is_token(method) {
        return Err(SigningError::new(ErrorKind::InvalidMethod(
            method.to_owned(),
        )));
    }
    let session_token = session_token(params);
    if let Some(token) = session_token {
        if !is_header_value(token) {
            return Err(SigningError::new(ErrorKind::InvalidSessionToken));
        }
    }

    let time = UtcTime::from_system_time(params.time)?;
    let amz_date = time.as_str();
    let date = time.date();
    let crypto = Crypto::get().ok_or(SigningError::new(ErrorKind::NoCryptoProvider))?;
    let payload_digest = crypto.sha256(body);

    let (path, query) = match uri.split_once('?') {
        Some((path, query)) => (path, query),
        None => (uri, ""),
    };
    if !(path.is_empty() || path.starts_with('/')) {
        return Err(SigningError::new(ErrorKind::InvalidUri(uri.to_owned())));
    }

    let signed_token = session_token.filter(|_| !params.settings.omit_session_token);
    // Before the list that borrows it (dropped after it on every path).
    let payload_hash = params
        .settings
        .sign_payload_header
        .then(|| hex(payload_digest.as_ref()));
    let mut list = SignedHeaders::new();
    let mut has_host = false;
    for header in headers {
        let (name, value) = header?;
        if !typed_names && !is_token(name) {
            return Err(SigningError::new(ErrorKind::InvalidHeaderName(
                name.to_owned(),
            )));
        }
        // An `http::HeaderValue` holds no control character but tab (its
        // constructors check; the unchecked one is `unsafe`).
        if !typed_names && !is_header_value(value) {
            return Err(SigningError::new(ErrorKind::InvalidHeaderValue(
                name.to_owned(),
            )));
        }
        // `http::HeaderName`s are lowercase already: no copy for them.
        let name = if !typed_names && name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        has_host |= name == "host";
        let replaced_by_signer = name == "x-amz-date"
            || (name == "x-amz-security-token" && session_token.is_some())
            || (name == "x-amz-content-sha256" && params.settings.sign_payload_header);
        if replaced_by_signer || UNSIGNED_HEADERS.contains(&name.as_ref()) {
            continue;
        }
        list.push((name, normalize_header_value(value)));
    }
    if !has_host {
        return Err(SigningError::new(ErrorKind::MissingHost));
    }
    list.push((Cow::Borrowed("x-amz-date"), Cow::Borrowed(amz_date)));
    if let Some(token) = signed_token {
        list.push((Cow::Borrowed("x-amz-security-token"), Cow::Borrowed(token)));
    }
    if let Some(hash) = &payload_hash {
        list.push((Cow::Borrowed("x-amz-content-sha256"), Cow::Borrowed(hash)));
    }
    let signed = list.as_mut_slice();
    // Stable: repeated headers keep the order they were given in.
    signed.sort_by(|a, b| a.0.cmp(&b.0));

    // The canonical request, written in one buffer: method, URI, query,
    // headers, signed header names, payload hash.
    let canonical_request = scratch.canonical_request;
    canonical_request.clear();
    canonical_request.reserve(
        256 + uri.len()
            + signed
                .iter()
                .map(|(n, v)| 2 * n.len() + v.len() + 3)
                .sum::<usize>(),
    );
    canonical_request.push_str(method);
    canonical_request.push('\n');
    push_canonical_uri(canonical_request, path, &params.settings);
    canonical_request.push('\n');
    if !query.is_empty() {
        canonical_request.push_str(&canonical_query(query));
    }
    canonical_request.push('\n');
    for (i, (name, value)) in signed.iter().enumerate() {
        if i > 0 && signed[i - 1].0 == *name {
            canonical_request.pop();
            canonical_request.push(',');
        } else {
            canonical_request.push_str(name);
            canonical_request.push(':');
        }
        canonical_request.push_str(value);
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    // The signed header names, kept where they are for `Authorization`.
    let names_start = canonical_request.len();
    for (i, (name, _)) in signed.iter().enumerate() {
        if i > 0 && signed[i - 1].0 == *name {
            continue;
        }
        if i > 0 {
            canonical_request.push(';');
        }
        canonical_request.push_str(name);
    }
    let names_end = canonical_request.len();
    // It borrows the date and the payload hash, which the result takes.
    drop(list);
    canonical_request.push('\n');
    push_hex(canonical_request, payload_digest.as_ref());
    let signed_headers = &canonical_request[names_start..names_end];

    let scope_len = date.len() + params.region.len() + params.service.len() + 16;
    let string_to_sign = scratch.string_to_sign;
    string_to_sign.clear();
    string_to_sign.reserve(ALGORITHM.len() + amz_date.len() + scope_len + 68);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(amz_date);
    string_to_sign.push('\n');
    let scope_start = string_to_sign.len();
    string_to_sign.push_str(date);
    string_to_sign.push('/');
    string_to_sign.push_str(params.region);
    string_to_sign.push('/');
    string_to_sign.push_str(params.service);
    string_to_sign.push_str("/aws4_request");
    let scope_end = string_to_sign.len();
    string_to_sign.push('\n');
    push_hex(string_to_sign, &crypto.sha256(canonical_request.as_bytes()));
    let scope = &string_to_sign[scope_start..scope_end];

    let (secret, region, service) = (params.secret_access_key, params.region, params.service);
    let signature = match cache {
        Some(cache) => cache
            .key(crypto, secret, date, region, service)
            .key
            .sign(string_to_sign.as_bytes()),
        None => derive_signing_key(crypto, secret, date, region, service)
            .sign(string_to_sign.as_bytes()),
    };

    // Sized exactly: the header value made from it takes its buffer as it is.
    const CREDENTIAL: &str = " Credential=";
    const SIGNED_HEADERS: &str = ", SignedHeaders=";
    const SIGNATURE: &str = ", Signature=";
    let mut authorization = String::with_capacity(
        ALGORITHM.len()
            + CREDENTIAL.len()
            + params.access_key_id.len()
            + 1
            + scope.len()
            + SIGNED_HEADERS.len()
            + signed_headers.len()
            + SIGNATURE.len()
            + 64,
    );
    authorization.push_str(ALGORITHM);
    authorization.push_str(CREDENTIAL);
    authorization.push_str(params.access_key_id);
    authorization.push('/');
    authorization.push_str(scope);
    authorization.push_str(SIGNED_HEADERS);
    authorization.push_str(signed_headers);
    authorization.push_str(SIGNATURE);
    push_hex(&mut authorization, &signature);

    Ok(Signed {
        amz_date: time,
        payload_hash,
        authorization,
    })
}

/// The signing key of the last credentials, day, region and service a
/// client signed for: deriving it costs four HMACs, and a client signs
/// every request of a day with the same one.
///
/// Its `Debug` output shows nothing of the key or the secret it came from.
/// Shared (`Arc`): a signature takes the key without copying it.
#[derive(Default)]
pub(crate) struct SigningKeyCache(Mutex<Option<Arc<CachedKey>>>);

struct CachedKey {
    secret: String,
    date: String,
    region: String,
    service: String,
    key: HmacKey,
}

impl SigningKeyCache {
    /// The key for this scope: the cached one when it matches, else a new
    /// one, which then replaces it.
    fn key(
        &self,
        crypto: Crypto,
        secret: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> Arc<CachedKey> {
        let mut cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = cached.as_ref() {
            if c.date == date && c.region == region && c.service == service && c.secret == secret {
                return Arc::clone(c);
            }
        }
        let key = Arc::new(CachedKey {
            secret: secret.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            key: derive_signing_key(crypto, secret, date, region, service),
        });
        *cached = Some(Arc::clone(&key));
        key
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

/// Signs an `http::Request` whose body is in memory, adding (or replacing)
/// `X-Amz-Date`, `Authorization` and, as configured, `X-Amz-Security-Token`
/// and `x-amz-content-sha256`.
///
/// When the request has no `Host` header, one is added from the URI (port
/// kept only when it is not the scheme's default, as hyper-util would send
/// it), so that what is signed is what is sent. Signing a request again (a
/// retry) replaces the previous signature's headers.
///
/// # Errors
/// As [`sign`], and when a header value is not valid UTF-8.
pub fn sign_http_request<B: AsRef<[u8]>>(
    request: &mut http::Request<B>,
    params: &SigningParams<'_>,
) -> Result<(), SigningError> {
    sign_http_request_with(request, params, None)
}

thread_local! {
    /// The canonical request and the string to sign of the requests this
    /// thread signs: written again for each, never allocated again (they
    /// stay on the thread; each is cleared before it is written).
    static SCRATCH: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

/// A scratch buffer larger than this after a signature is dropped.
const MAX_KEPT_SCRATCH: usize = 16 * 1024;

/// [`sign_http_request`] with a client's [`SigningKeyCache`].
pub(crate) fn sign_http_request_with<B: AsRef<[u8]>>(
    request: &mut http::Request<B>,
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
) -> Result<(), SigningError> {
    if !request.headers().contains_key(http::header::HOST) {
        let host = host_from_uri(request.uri())
            .ok_or_else(|| SigningError::new(ErrorKind::MissingHost))?;
        let host = http::HeaderValue::from_str(&host)
            .map_err(|_| SigningError::new(ErrorKind::InvalidHeaderValue("host".to_owned())))?;
        request.headers_mut().insert(http::header::HOST, host);
    }
    let signed = {
        let headers = request.headers().iter().map(|(name, value)| {
            match std::str::from_utf8(value.as_bytes()) {
                Ok(value) => Ok((name.as_str(), value)),
                Err(_) => Err(SigningError::new(ErrorKind::HeaderValueNotUtf8(
                    name.as_str().to_owned(),
                ))),
            }
        });
        let method = request.method().as_str();
        let uri = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
        let body = request.body().as_ref();
        SCRATCH.with(|kept| {
            // Not reentered; were it, fresh buffers would do.
            let mut fresh = (String::new(), String::new());
            let mut kept = kept.try_borrow_mut();
            let (canonical_request, string_to_sign) = match &mut kept {
                Ok(kept) => &mut **kept,
                Err(_) => &mut fresh,
            };
            let signed = sign_parts(
                method,
                uri,
                headers,
                true,
                body,
                params,
                cache,
                Scratch {
                    canonical_request: &mut *canonical_request,
                    string_to_sign: &mut *string_to_sign,
                },
            );
            // A buffer grown by an unusually large request is not kept.
            for buffer in [canonical_request, string_to_sign] {
                if buffer.capacity() > MAX_KEPT_SCRATCH {
                    *buffer = String::new();
                }
            }
            signed
        })?
    };
    // Each value's buffer becomes the header's, uncopied; `Authorization`
    // and the token are marked sensitive (kept out of `Debug` output and
    // HPACK tables).
    let value = |name: &str, text: String, sensitive: bool| {
        let mut value = http::HeaderValue::from_maybe_shared(bytes::Bytes::from(text))
            .map_err(|_| SigningError::new(ErrorKind::InvalidHeaderValue(name.to_owned())))?;
        value.set_sensitive(sensitive);
        Ok::<_, SigningError>(value)
    };
    let headers = request.headers_mut();
    if let Some(token) = session_token(params) {
        headers.insert(
            http::HeaderName::from_static("x-amz-security-token"),
            value(X_AMZ_SECURITY_TOKEN, token.to_owned(), true)?,
        );
    }
    // Shared with the other signatures of its second on this thread.
    let amz_date = http::HeaderValue::from_maybe_shared(signed.amz_date.compact)
        .map_err(|_| SigningError::new(ErrorKind::InvalidHeaderValue(X_AMZ_DATE.to_owned())))?;
    headers.insert(http::HeaderName::from_static("x-amz-date"), amz_date);
    if let Some(hash) = signed.payload_hash {
        headers.insert(
            http::HeaderName::from_static("x-amz-content-sha256"),
            value(X_AMZ_CONTENT_SHA256, hash, false)?,
        );
    }
    headers.insert(
        http::header::AUTHORIZATION,
        value(AUTHORIZATION, signed.authorization, true)?,
    );
    Ok(())
}

/// The `Host` header hyper-util derives from a URI.
pub(crate) fn host_from_uri(uri: &http::Uri) -> Option<String> {
    let host = uri.host()?;
    let secure = matches!(uri.scheme_str(), Some("https" | "wss"));
    match uri.port_u16() {
        Some(443) if secure => Some(host.to_owned()),
        Some(80) if !secure => Some(host.to_owned()),
        Some(port) => Some(format!("{host}:{port}")),
        None => Some(host.to_owned()),
    }
}

fn derive_signing_key(
    crypto: Crypto,
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> HmacKey {
    let hmac_sha256 = |key: &[u8], data: &[u8]| crypto.hmac_key(key).sign(data);
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"aws4_request");
    crypto.hmac_key(&k_signing)
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// Each byte's two lowercase hex digits.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        pairs[i] = [DIGITS[i >> 4], DIGITS[i & 0xf]];
        i += 1;
    }
    pairs
};

fn push_hex(out: &mut String, bytes: &[u8]) {
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(32) {
        for (pair, &b) in buf.chunks_exact_mut(2).zip(chunk) {
            pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
        }
        // Hex digits are ASCII: always UTF-8.
        out.push_str(std::str::from_utf8(&buf[..2 * chunk.len()]).unwrap_or_default());
    }
}

/// Rejects what would make the credential scope ambiguous (`/` separates its
/// parts) or corrupt the `Authorization` header.
fn check_scope_part(part: &'static str, value: &str) -> Result<(), SigningError> {
    // Printable ASCII (the usual case) is checked a byte at a time.
    let valid = !value.is_empty()
        && (value.bytes().all(|b| b.is_ascii_graphic() && b != b'/')
            || !value
                .chars()
                .any(|c| c == '/' || c.is_whitespace() || c.is_control()));
    if valid {
        Ok(())
    } else {
        Err(SigningError::new(ErrorKind::InvalidScopePart {
            part,
            value: value.to_owned(),
        }))
    }
}

/// RFC 9110 `token`: what header names and methods are made of.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            matches!(b,
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'
                | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+'
                | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~')
        })
}

/// What `http::HeaderValue` accepts: no control character other than tab. A
/// line break would otherwise forge extra lines in the canonical request.
fn is_header_value(s: &str) -> bool {
    s.bytes().all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// Trims the value and collapses each inner run of spaces and tabs into one
/// space. Tabs count as whitespace because HTTP's optional whitespace is
/// "spaces and tabs", and a server strips both around a value before it
/// checks the signature (smithy-rs handles spaces only; botocore both).
fn normalize_header_value(value: &str) -> Cow<'_, str> {
    if is_clean_header_value(value.as_bytes()) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    for word in value.split([' ', '\t']).filter(|word| !word.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(out)
}

/// Whether `bytes` needs no normalization (the usual case): no tab, no
/// space at either end, no two spaces in a row. Eight bytes at a time:
/// every request has several values to check.
fn is_clean_header_value(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `v` that is `b`, exactly (the zero-byte
    // test without false flags: no carry crosses a byte).
    let flags = |v: u64, b: u8| {
        let x = v ^ (ONES * u64::from(b));
        !(((x & !HIGH) + !HIGH) | x) & HIGH
    };
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut words = bytes.chunks_exact(8);
    // The flag of a space ending the word before, moved to the first byte.
    let mut space_before = 0;
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let spaces = flags(v, b' ');
        // A space whose byte before (the lower one) is a space too.
        if flags(v, b'\t') != 0 || spaces & ((spaces << 8) | space_before) != 0 {
            return false;
        }
        space_before = spaces >> 56;
    }
    let mut space = space_before != 0;
    for &b in words.remainder() {
        if b == b'\t' || (space && b == b' ') {
            return false;
        }
        space = b == b' ';
    }
    true
}

/// Appends [`canonical_uri`]; the root path, what every awsJson request
/// goes to, without building it first.
fn push_canonical_uri(out: &mut String, path: &str, settings: &SigningSettings) {
    if path.is_empty() || path == "/" {
        out.push('/');
    } else {
        out.push_str(&canonical_uri(path, settings));
    }
}

fn canonical_uri(path: &str, settings: &SigningSettings) -> String {
    let path = if settings.normalize_path {
        Cow::Owned(normalize_path(path))
    } else if path.is_empty() {
        Cow::Borrowed("/")
    } else {
        Cow::Borrowed(path)
    };
    let mut out = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if settings.uri_double_encode {
            // The wire path is already encoded once; this is the second time.
            percent::encode_into(&mut out, segment.as_bytes());
        } else {
            // Decoding first makes "encoded exactly once" hold whether or not
            // the caller escaped the segment, and upper-cases its escapes.
            percent::encode_into(&mut out, &percent::decode(segment, false));
        }
    }
    out
}

/// Removes `.`, `..` and empty segments; keeps a trailing `/` when the path
/// had one (as botocore and smithy-rs do: `/a/b/..` becomes `/a`, not `/a/`).
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() || path.ends_with('/') {
        out.push('/');
    }
    out
}

/// Decodes then re-encodes each name and value, so that a query signs the
/// same whether or not (and however) the caller escaped it. `+` is read as a
/// space, as in form encoding, like smithy-rs does.
fn canonical_query(query: &str) -> String {
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|param| !param.is_empty())
        .map(|param| {
            let (name, value) = param.split_once('=').unwrap_or((param, ""));
            let mut encoded_name = String::new();
            percent::encode_into(&mut encoded_name, &percent::decode(name, true));
            let mut encoded_value = String::new();
            percent::encode_into(&mut encoded_value, &percent::decode(value, true));
            (encoded_name, encoded_value)
        })
        .collect();
    params.sort();
    let mut out = String::with_capacity(query.len());
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// A signing instant as the two forms SigV4 uses.
#[derive(Debug, PartialEq, Eq)]
struct UtcTime {
    /// `YYYYMMDDTHHMMSSZ`, ASCII.
    compact: bytes::Bytes,
}

thread_local! {
    /// The second this thread signed at last, and its `X-Amz-Date`: the
    /// signatures of one second share it (a reference count), not written
    /// and allocated again for each.
    static LAST_SECOND: RefCell<Option<(u64, bytes::Bytes)>> = const { RefCell::new(None) };
}

impl UtcTime {
    fn from_system_time(time: SystemTime) -> Result<Self, SigningError> {
        let secs = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SigningError::new(ErrorKind::TimeBeforeEpoch))?
            .as_secs();
        let last = LAST_SECOND.with(|last| match &*last.borrow() {
            Some((at, compact)) if *at == secs => Some(compact.clone()),
            _ => None,
        });
        if let Some(compact) = last {
            return Ok(UtcTime { compact });
        }
        // The whole second; it fails past year 9999, which `X-Amz-Date`
        // cannot show.
        let compact = i64::try_from(secs)
            .ok()
            .and_then(|secs| DateTime::from_secs(secs).compact_utc().ok())
            .ok_or_else(|| SigningError::new(ErrorKind::TimeAfterYear9999))?;
        // ASCII digits, `T` and `Z`; sized exactly, so the header value
        // made from it takes its buffer as it is.
        let compact = bytes::Bytes::copy_from_slice(&compact);
        LAST_SECOND.with(|last| *last.borrow_mut() = Some((secs, compact.clone())));
        Ok(UtcTime { compact })
    }

    /// `YYYYMMDDTHHMMSSZ`, the `X-Amz-Date` value.
    fn as_str(&self) -> &str {
        // Always ASCII (written above).
        std::str::from_utf8(&self.compact).unwrap_or_default()
    }

    /// `YYYYMMDD`, the credential scope's date.
    fn date(&self) -> &str {
        self.as_str().get(..8).unwrap_or_default()
    }

    /// `YYYYMMDDTHHMMSSZ`, the `X-Amz-Date` value.
    #[cfg(test)]
    fn amz_date(&self) -> String {
        self.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    /// 2015-08-30T12:36:00Z
    const EXAMPLE_TIME: u64 = 1_440_938_160;

    fn params(session_token: Option<&str>) -> SigningParams<'_> {
        SigningParams {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: SECRET,
            session_token,
            region: "us-east-1",
            service: "proton",
            time: UNIX_EPOCH + Duration::from_secs(EXAMPLE_TIME),
            settings: SigningSettings::default(),
        }
    }

    const EXAMPLE_HEADERS: &[(&str, &str)] = &[
        ("Content-Type", "application/x-amz-json-1.0"),
        ("Host", "proton.us-east-1.amazonaws.com"),
        ("X-Amz-Target", "AwsProton20200720.ListServices"),
    ];

    fn example_request() -> SignableRequest<'static> {
        SignableRequest {
            method: "POST",
            uri: "/",
            headers: EXAMPLE_HEADERS,
            body: b"{}",
        }
    }

    fn header<'a>(output: &'a SigningOutput, name: &str) -> Option<&'a str> {
        output
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_cached_signing_key_signs_as_a_fresh_one_and_follows_every_scope_change() {
        let cache = SigningKeyCache::default();
        let request = example_request();
        let next_day = UNIX_EPOCH + Duration::from_secs(EXAMPLE_TIME + 86_400);
        let variants = [
            params(None),
            params(None), // the same scope again: from the cache
            SigningParams {
                time: next_day,
                ..params(None)
            },
            SigningParams {
                region: "eu-west-1",
                ..params(None)
            },
            SigningParams {
                service: "other",
                ..params(None)
            },
            SigningParams {
                secret_access_key: "another/secret",
                ..params(None)
            },
            params(None),
        ];
        for p in &variants {
            let fresh = sign(&request, p).unwrap();
            let cached = sign_with(&request, p, Some(&cache)).unwrap();
            assert_eq!(cached, fresh, "{p:?}");
        }
        assert_eq!(format!("{cache:?}"), "SigningKeyCache");
    }

    // SPEC 4.2.
    #[test]
    fn worked_example() {
        let output = sign(&example_request(), &params(None)).unwrap();
        assert_eq!(
            output.canonical_request,
            "POST\n/\n\n\
             content-type:application/x-amz-json-1.0\n\
             host:proton.us-east-1.amazonaws.com\n\
             x-amz-date:20150830T123600Z\n\
             x-amz-target:AwsProton20200720.ListServices\n\n\
             content-type;host;x-amz-date;x-amz-target\n\
             44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(
            output.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/proton/aws4_request\n\
             d36ac26cb70ce33cac056b4b90bd632d15a06ee443f11aaa76f9044724f27d3d"
        );
        assert_eq!(
            output.signature,
            "05597bbd0628b9ed08a9c2dd550195101340a63c28bca454d873662bf1bddd04"
        );
        assert_eq!(
            output.headers,
            vec![
                ("X-Amz-Date", "20150830T123600Z".to_owned()),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/proton/aws4_request, \
                     SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
                     Signature=05597bbd0628b9ed08a9c2dd550195101340a63c28bca454d873662bf1bddd04"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn worked_example_with_session_token() {
        let output = sign(&example_request(), &params(Some("EXAMPLETOKEN"))).unwrap();
        assert_eq!(
            output.signature,
            "4af5d1b3253bcfc6b22c72702b2cca11a381271921e02ecf24454ee60f291be4"
        );
        assert!(output
            .canonical_request
            .contains("\nx-amz-security-token:EXAMPLETOKEN\n"));
        assert!(header(&output, "authorization").unwrap().contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
        ));
        let names: Vec<_> = output.headers.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            ["X-Amz-Security-Token", "X-Amz-Date", "Authorization"]
        );
        assert_eq!(
            header(&output, "x-amz-security-token"),
            Some("EXAMPLETOKEN")
        );
    }

    #[test]
    fn omitted_session_token_is_sent_but_not_signed() {
        let mut params = params(Some("EXAMPLETOKEN"));
        params.settings.omit_session_token = true;
        let output = sign(&example_request(), &params).unwrap();
        // Same signature as without a token.
        assert_eq!(
            output.signature,
            "05597bbd0628b9ed08a9c2dd550195101340a63c28bca454d873662bf1bddd04"
        );
        assert_eq!(
            header(&output, "x-amz-security-token"),
            Some("EXAMPLETOKEN")
        );
    }

    #[test]
    fn empty_session_token_is_no_token() {
        let output = sign(&example_request(), &params(Some(""))).unwrap();
        assert_eq!(
            output.signature,
            "05597bbd0628b9ed08a9c2dd550195101340a63c28bca454d873662bf1bddd04"
        );
        assert_eq!(header(&output, "x-amz-security-token"), None);
    }

    #[test]
    fn payload_header_is_added_and_signed() {
        let mut params = params(None);
        params.settings.sign_payload_header = true;
        let output = sign(&example_request(), &params).unwrap();
        let hash = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        assert!(output
            .canonical_request
            .contains(&format!("\nx-amz-content-sha256:{hash}\n")));
        assert_eq!(header(&output, "x-amz-content-sha256"), Some(hash));
        let names: Vec<_> = output.headers.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            ["X-Amz-Date", "x-amz-content-sha256", "Authorization"]
        );
    }

    #[test]
    fn unsigned_and_replaced_headers_stay_out_of_the_signature() {
        let headers = [
            ("Host", "proton.us-east-1.amazonaws.com"),
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", "AwsProton20200720.ListServices"),
            ("User-Agent", "aws-sdk-rust"),
            (
                "X-Amzn-Trace-Id",
                "Root=1-5759e988-bd862e3fe1be46a994272793",
            ),
            ("Transfer-Encoding", "chunked"),
            ("Authorization", "a stale signature"),
            ("X-Amz-Date", "19990101T000000Z"),
        ];
        let request = SignableRequest {
            headers: &headers,
            ..example_request()
        };
        let output = sign(&request, &params(None)).unwrap();
        assert_eq!(
            output.signature,
            "05597bbd0628b9ed08a9c2dd550195101340a63c28bca454d873662bf1bddd04"
        );
    }

    #[test]
    fn signs_an_http_request() {
        let mut request = http::Request::post("https://proton.us-east-1.amazonaws.com/")
            .header("content-type", "application/x-amz-json-1.0")
            .header("x-amz-target", "AwsProton20200720.ListServices")
            .body(b"{}".to_vec())
            .unwrap();
        sign_http_request(&mut request, &params(None)).unwrap();
        let headers = request.headers();
        assert_eq!(headers["host"], "proton.us-east-1.amazonaws.com");
        assert_eq!(headers["x-amz-date"], "20150830T123600Z");
        assert_eq!(
            headers["authorization"],
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/proton/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-target, \
             Signature=05597bbd0628b9ed08a9c2dd550195101340a63c28bca454d873662bf1bddd04"
        );
        assert!(headers["authorization"].is_sensitive());

        // A retry signs again: the previous signature's headers are replaced.
        let mut later = params(Some("EXAMPLETOKEN"));
        later.time += Duration::from_secs(60);
        sign_http_request(&mut request, &later).unwrap();
        let headers = request.headers();
        assert_eq!(headers.get_all("authorization").iter().count(), 1);
        assert_eq!(headers.get_all("x-amz-date").iter().count(), 1);
        assert_eq!(headers["x-amz-date"], "20150830T123700Z");
        assert_eq!(headers["x-amz-security-token"], "EXAMPLETOKEN");
        assert!(headers["x-amz-security-token"].is_sensitive());
        assert_eq!(headers.len(), 6);
    }

    #[test]
    fn host_from_uri_keeps_only_non_default_ports() {
        let host = |uri: &str| host_from_uri(&uri.parse().unwrap());
        assert_eq!(host("https://example.com/").as_deref(), Some("example.com"));
        assert_eq!(
            host("https://example.com:443/").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host("http://example.com:80/").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host("https://example.com:80/").as_deref(),
            Some("example.com:80")
        );
        assert_eq!(
            host("http://localhost:8080/x").as_deref(),
            Some("localhost:8080")
        );
        assert_eq!(host("/relative"), None);
    }

    #[test]
    fn debug_redacts_secrets() {
        let params = params(Some("EXAMPLETOKEN"));
        let debug = format!("{params:?}");
        assert!(debug.contains("secret_access_key: *** Sensitive Data Redacted ***"));
        assert!(debug.contains("session_token: Some(*** Sensitive Data Redacted ***)"));
        assert!(debug.contains("AKIDEXAMPLE"));
        assert!(!debug.contains(SECRET));
        assert!(!debug.contains("EXAMPLETOKEN"));

        let output = sign(&example_request(), &params).unwrap();
        let debug = format!("{output:?}");
        assert!(debug.contains("x-amz-security-token:*** Sensitive Data Redacted ***"));
        assert!(debug.contains("4af5d1b3253bcfc6b22c72702b2cca11a381271921e02ecf24454ee60f291be4"));
        assert!(!debug.contains("EXAMPLETOKEN"));
    }

    #[test]
    fn time_before_1970_is_an_error() {
        let mut params = params(None);
        params.time = UNIX_EPOCH - Duration::from_secs(1);
        let error = sign(&example_request(), &params).unwrap_err();
        assert_eq!(error.kind, ErrorKind::TimeBeforeEpoch);
        assert_eq!(
            error.to_string(),
            "cannot sign: the signing time is before 1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn invalid_input_is_an_error() {
        let error_for =
            |request: SignableRequest<'_>| sign(&request, &params(None)).unwrap_err().kind;
        assert_eq!(
            error_for(SignableRequest {
                headers: &[("content-type", "application/x-amz-json-1.0")],
                ..example_request()
            }),
            ErrorKind::MissingHost
        );
        assert_eq!(
            error_for(SignableRequest {
                headers: &[("host", "example.com"), ("x-forged", "a\nx-amz-target:b")],
                ..example_request()
            }),
            ErrorKind::InvalidHeaderValue("x-forged".to_owned())
        );
        assert_eq!(
            error_for(SignableRequest {
                headers: &[("host", "example.com"), ("bad name", "v")],
                ..example_request()
            }),
            ErrorKind::InvalidHeaderName("bad name".to_owned())
        );
        assert_eq!(
            error_for(SignableRequest {
                method: "PO ST",
                ..example_request()
            }),
            ErrorKind::InvalidMethod("PO ST".to_owned())
        );
        assert_eq!(
            error_for(SignableRequest {
                uri: "https://example.com/",
                ..example_request()
            }),
            ErrorKind::InvalidUri("https://example.com/".to_owned())
        );

        let mut bad_region = params(None);
        bad_region.region = "us-east-1/x";
        let error = sign(&example_request(), &bad_region).unwrap_err();
        assert!(error.to_string().contains("region \"us-east-1/x\""));

        let bad_token = params(Some("line\nbreak"));
        let error = sign(&example_request(), &bad_token).unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidSessionToken);
        assert!(!error.to_string().contains("line"));
    }

    #[test]
    fn non_utf8_header_value_is_an_error() {
        let mut request = http::Request::post("https://proton.us-east-1.amazonaws.com/")
            .header(
                "x-custom",
                http::HeaderValue::from_bytes(b"caf\xe9").unwrap(),
            )
            .body(Vec::new())
            .unwrap();
        let error = sign_http_request(&mut request, &params(None)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot sign: the value of header `x-custom` is not valid UTF-8"
        );
        assert!(!request.headers().contains_key("authorization"));
    }

    #[test]
    fn dates_are_formatted_in_utc() {
        let at = |secs: u64| UtcTime::from_system_time(UNIX_EPOCH + Duration::from_secs(secs));
        let amz_date = |secs| at(secs).unwrap().amz_date();
        assert_eq!(amz_date(0), "19700101T000000Z");
        assert_eq!(amz_date(EXAMPLE_TIME), "20150830T123600Z");
        assert_eq!(amz_date(951_782_400), "20000229T000000Z"); // leap day of a century
        assert_eq!(amz_date(4_102_444_799), "20991231T235959Z");
        assert_eq!(amz_date(253_402_300_799), "99991231T235959Z");
        assert_eq!(
            at(253_402_300_800).unwrap_err().kind,
            ErrorKind::TimeAfterYear9999
        );
        assert_eq!(at(EXAMPLE_TIME).unwrap().date(), "20150830");
        // Sub-second precision is dropped, not rounded.
        let time = UNIX_EPOCH + Duration::from_millis(EXAMPLE_TIME * 1000 + 999);
        assert_eq!(
            UtcTime::from_system_time(time).unwrap().amz_date(),
            "20150830T123600Z"
        );
    }

    #[test]
    fn signatures_of_one_second_share_their_date_and_the_next_second_gets_its_own() {
        let at = |secs: u64| UtcTime::from_system_time(UNIX_EPOCH + Duration::from_secs(secs));
        let (first, again) = (at(EXAMPLE_TIME).unwrap(), at(EXAMPLE_TIME).unwrap());
        assert_eq!(first.compact.as_ptr(), again.compact.as_ptr());
        let next = at(EXAMPLE_TIME + 1).unwrap();
        assert_eq!(next.amz_date(), "20150830T123601Z");
        assert_ne!(next.compact.as_ptr(), first.compact.as_ptr());
        // And back: the value is the second's, whatever was signed between.
        assert_eq!(at(EXAMPLE_TIME).unwrap().amz_date(), "20150830T123600Z");
        assert_eq!(first.amz_date(), "20150830T123600Z");
    }

    #[test]
    fn canonical_uri_rules() {
        let double = SigningSettings::default();
        let single = SigningSettings {
            uri_double_encode: false,
            ..double
        };
        let raw = SigningSettings {
            normalize_path: false,
            ..double
        };
        assert_eq!(canonical_uri("", &double), "/");
        assert_eq!(canonical_uri("", &raw), "/");
        assert_eq!(canonical_uri("/a/b/../c/./d//", &double), "/a/c/d/");
        assert_eq!(canonical_uri("/a/b/..", &double), "/a");
        assert_eq!(canonical_uri("/../..", &double), "/");
        assert_eq!(canonical_uri("/a//b", &raw), "/a//b");
        assert_eq!(
            canonical_uri("/arn%3Aaws/x y", &double),
            "/arn%253Aaws/x%20y"
        );
        assert_eq!(canonical_uri("/arn%3aaws/x y", &single), "/arn%3Aaws/x%20y");
        assert_eq!(canonical_uri("/a%2Fb", &single), "/a%2Fb");
        assert_eq!(canonical_uri("/é!", &double), "/%C3%A9%21");
    }

    #[test]
    fn canonical_query_rules() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("&&"), "");
        assert_eq!(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
        assert_eq!(canonical_query("k=a+b%2Bc"), "k=a%20b%2Bc");
        assert_eq!(canonical_query("k=100%&q=%zz%4"), "k=100%25&q=%25zz%254");
        assert_eq!(canonical_query("k=%e1%88%b4&x=a=b"), "k=%E1%88%B4&x=a%3Db");
        // Sorted by encoded name: `%` (0x25) sorts before letters.
        assert_eq!(canonical_query("a=1&%C3%A9=2"), "%C3%A9=2&a=1");
    }

    /// More headers than sort on the stack: all signed, sorted, repeated
    /// ones joined in the order given across the spill, the same signature
    /// whatever order the distinct ones come in; and the http path (whose
    /// buffers are reused) signs as the plain one, again and again.
    #[test]
    fn many_headers_are_all_signed_in_order() {
        let names: Vec<String> = (0..2 * INLINE_HEADERS)
            .map(|i| format!("x-h{i:02}"))
            .collect();
        let mut headers: Vec<(&str, &str)> = vec![("host", "example.com"), ("x-rep", "1")];
        headers.extend(names.iter().rev().map(|n| (n.as_str(), "v")));
        headers.push(("x-rep", "2"));
        fn request<'a>(headers: &'a [(&'a str, &'a str)]) -> SignableRequest<'a> {
            SignableRequest {
                method: "POST",
                uri: "/",
                headers,
                body: b"{}",
            }
        }
        let output = sign(&request(&headers), &params(None)).unwrap();
        let listed: Vec<&str> = output
            .canonical_request
            .lines()
            .filter_map(|l| l.split_once(':').map(|(n, _)| n))
            .collect();
        let mut want: Vec<&str> = names.iter().map(String::as_str).collect();
        want.extend(["host", "x-amz-date", "x-rep"]);
        want.sort_unstable();
        assert_eq!(listed, want);
        assert!(output.canonical_request.contains("\nx-rep:1,2\n"));

        let mut shuffled = headers.clone();
        shuffled[2..2 + names.len()].reverse();
        let again = sign(&request(&shuffled), &params(None)).unwrap();
        assert_eq!(again.signature, output.signature);

        for _ in 0..3 {
            let mut http_request = http::Request::post("https://example.com/")
                .body(b"{}".to_vec())
                .unwrap();
            for (name, value) in headers.iter().filter(|(n, _)| *n != "host") {
                http_request.headers_mut().append(
                    http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    http::HeaderValue::from_str(value).unwrap(),
                );
            }
            sign_http_request(&mut http_request, &params(None)).unwrap();
            let authorization = http_request.headers()["authorization"].to_str().unwrap();
            assert!(
                authorization.ends_with(&output.signature),
                "{authorization}"
            );
        }
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        assert_eq!(normalize_header_value("  a   b\t\t c  "), "a b c");
        assert_eq!(normalize_header_value("\"a   b\""), "\"a b\"");
        assert_eq!(normalize_header_value("   "), "");
        assert_eq!(normalize_header_value("x"), "x");
        // Two spaces or a tab anywhere, across the eight-byte words the
        // check reads too, against a byte-by-byte reading.
        let slow = |v: &str| {
            let b = v.as_bytes();
            b.first() != Some(&b' ')
                && b.last() != Some(&b' ')
                && !v.contains('\t')
                && !v.contains("  ")
        };
        for len in 1..=20 {
            for at in 0..len {
                for mark in ["  ", "\t", " "] {
                    let mut v = "a".repeat(len);
                    v.replace_range(at..at + 1, mark);
                    assert_eq!(is_clean_header_value(v.as_bytes()), slow(&v), "{v:?}");
                    let clean = normalize_header_value(&v);
                    assert!(slow(&clean), "{v:?} -> {clean:?}");
                }
            }
        }
        assert!(is_clean_header_value(b"application/x-amz-json-1.0"));
        assert!(is_clean_header_value(
            "aws-proton/0.1.0 aws-json-runtime/0.1.0 é".as_bytes()
        ));
        assert!(!is_clean_header_value(
            b"aws-proton/0.1.0  aws-json-runtime/0.1.0"
        ));
    }
}
