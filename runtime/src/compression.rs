//! Request compression (`@requestCompression`): which requests are
//! gzip-compressed, and the settings that decide it, read as the AWS SDKs
//! read them.
//!
//! An operation the model marks `@requestCompression` (with `gzip` among
//! its encodings) sends its body gzip-compressed, with `Content-Encoding:
//! gzip`, when the body is at least the minimum size (10,240 bytes unless
//! configured) and compression is not disabled. The body is compressed once
//! per call, before signing: every attempt sends and signs the same bytes.
//!
//! | setting | code | environment | profile |
//! |---|---|---|---|
//! | disable | `disable_request_compression(true)` | `AWS_DISABLE_REQUEST_COMPRESSION` | `disable_request_compression` |
//! | minimum size, 0–10,485,760 bytes | `request_min_compression_size_bytes(n)` | `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` | `request_min_compression_size_bytes` |

use std::io::Write as _;

/// The default minimum body size for compression, in bytes (as the AWS SDKs).
pub const DEFAULT_MIN_SIZE_BYTES: u32 = 10_240;
/// The largest minimum size the SDKs accept, in bytes (10 MiB).
pub const MAX_MIN_SIZE_BYTES: u32 = 10_485_760;

/// Whether and from which size request bodies of `@requestCompression`
/// operations are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestCompression {
    disabled: bool,
    min_size_bytes: u32,
}

impl Default for RequestCompression {
    /// Enabled, from [`DEFAULT_MIN_SIZE_BYTES`].
    fn default() -> Self {
        Self {
            disabled: false,
            min_size_bytes: DEFAULT_MIN_SIZE_BYTES,
        }
    }
}

impl RequestCompression {
    /// Compression disabled (`true`) or enabled.
    pub fn with_disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }

    /// Bodies smaller than `bytes` are sent as they are. At most
    /// [`MAX_MIN_SIZE_BYTES`]: the loader and client configs refuse larger
    /// values (every call then fails, naming the setting).
    pub fn with_min_size_bytes(mut self, bytes: u32) -> Self {
        self.min_size_bytes = bytes;
        self
    }

    /// Whether compression is disabled.
    pub fn disabled(&self) -> bool {
        self.disabled
    }

    /// The minimum body size compressed.
    pub fn min_size_bytes(&self) -> u32 {
        self.min_size_bytes
    }

    /// Whether a body of `len` bytes is compressed.
    pub(crate) fn applies_to(&self, len: usize) -> bool {
        !self.disabled && len as u64 >= u64::from(self.min_size_bytes)
    }

    /// The error about a minimum size out of range, naming where it came from.
    pub(crate) fn check(bytes: u64, from: &str) -> Result<u32, String> {
        u32::try_from(bytes)
            .ok()
            .filter(|b| *b <= MAX_MIN_SIZE_BYTES)
            .ok_or_else(|| {
                format!(
                    "invalid {from}: `{bytes}` (the minimum request size to compress must be \
                     between 0 and {MAX_MIN_SIZE_BYTES} bytes)"
                )
            })
    }
}

/// `body` gzip-compressed (RFC 1952, default level).
pub(crate) fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 2),
        flate2::Compression::default(),
    );
    // Writing into a `Vec` cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn gzip_round_trips() {
        let body = "{\"data\":\"".to_owned() + &"abcdefgh".repeat(2000) + "\"}";
        let compressed = gzip(body.as_bytes());
        assert_eq!(&compressed[..2], &[0x1f, 0x8b], "gzip magic");
        assert!(compressed.len() < body.len() / 10);
        let mut out = String::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, body);
    }

    #[test]
    fn the_minimum_size_and_the_switch_decide() {
        let default = RequestCompression::default();
        assert!(!default.applies_to(10_239));
        assert!(default.applies_to(10_240));
        assert!(!default.with_disabled(true).applies_to(1 << 20));
        assert!(default.with_min_size_bytes(0).applies_to(0));
    }

    #[test]
    fn minimum_sizes_out_of_range_are_refused() {
        assert_eq!(RequestCompression::check(10_485_760, "x"), Ok(10_485_760));
        assert_eq!(RequestCompression::check(0, "x"), Ok(0));
        let e = RequestCompression::check(10_485_761, "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES")
            .unwrap_err();
        assert!(e.contains("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"), "{e}");
        assert!(RequestCompression::check(u64::MAX, "x").is_err());
    }
}
