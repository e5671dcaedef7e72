//! Reading what the environment hands us — files named by settings, the
//! pipes of a child process — with a size cap, so that a wrong path
//! (`/dev/zero`, a log file) or a runaway program costs at most the cap in
//! memory, never everything it can produce.
//!
//! Input is read incrementally and reading stops at the first byte past
//! the cap: the size a file claims (`metadata().len()`) is not trusted, as
//! FIFOs and device files claim 0.

use std::fmt;
use std::io::Read;
use std::path::Path;
use tokio::io::{AsyncRead, AsyncReadExt};

/// Why a bounded read stopped.
#[derive(Debug)]
pub(crate) enum BoundedReadError {
    /// More than `limit` bytes were available; reading stopped there.
    TooLarge {
        /// The cap that was exceeded, in bytes.
        limit: usize,
    },
    /// The read itself failed.
    Io(std::io::Error),
}

impl fmt::Display for BoundedReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoundedReadError::TooLarge { limit } => {
                write!(
                    f,
                    "larger than the limit of {}",
                    describe_size(*limit as u64)
                )
            }
            BoundedReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// `1 MiB (1048576 bytes)`: a cap as people read it and as they set it.
pub(crate) fn describe_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB ({bytes} bytes)", bytes / MIB)
    } else if bytes >= KIB && bytes % KIB == 0 {
        format!("{} KiB ({bytes} bytes)", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The whole file at `path`, or [`BoundedReadError::TooLarge`] once more than
/// `limit` bytes have been read (at most `limit + 1` are ever held).
pub(crate) fn read_file(path: &Path, limit: usize) -> Result<Vec<u8>, BoundedReadError> {
    let file = std::fs::File::open(path).map_err(BoundedReadError::Io)?;
    let mut out = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(BoundedReadError::Io)?;
    if out.len() > limit {
        return Err(BoundedReadError::TooLarge { limit });
    }
    Ok(out)
}

/// Reads `pipe` to its end, failing once more than `limit` bytes have come
/// through, and keeps only the first `keep` bytes (`keep <= limit` holds
/// the whole output; a smaller `keep` drains a stream that only needs a
/// prefix kept, such as a program's standard error shown in a message).
pub(crate) async fn read_pipe<R: AsyncRead + Unpin>(
    mut pipe: R,
    limit: usize,
    keep: usize,
) -> Result<Vec<u8>, BoundedReadError> {
    let mut kept = Vec::new();
    let mut total = 0usize;
    let mut buf = [0u8; 8192];
    loop {
        let n = pipe.read(&mut buf).await.map_err(BoundedReadError::Io)?;
        if n == 0 {
            return Ok(kept);
        }
        total = total.saturating_add(n);
        if total > limit {
            return Err(BoundedReadError::TooLarge { limit });
        }
        let room = keep.min(limit).saturating_sub(kept.len());
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_set() {
        assert_eq!(describe_size(16 << 20), "16 MiB (16777216 bytes)");
        assert_eq!(describe_size(64 << 10), "64 KiB (65536 bytes)");
        assert_eq!(describe_size(1000), "1000 bytes");
    }

    #[test]
    fn files_up_to_the_limit_are_read_and_larger_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, [b'x'; 100]).unwrap();
        assert_eq!(read_file(&path, 100).unwrap().len(), 100);
        let err = read_file(&path, 99).unwrap_err();
        assert!(
            matches!(err, BoundedReadError::TooLarge { limit: 99 }),
            "{err}"
        );
        assert!(matches!(
            read_file(&dir.path().join("missing"), 10),
            Err(BoundedReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound
        ));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_file_stops_at_the_limit() {
        // /dev/zero claims size 0 and never ends.
        let err = read_file(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(matches!(err, BoundedReadError::TooLarge { limit } if limit == 1 << 20));
    }

    #[tokio::test]
    async fn pipes_keep_a_prefix_and_stop_at_the_limit() {
        let data = vec![7u8; 50_000];
        assert_eq!(
            read_pipe(&data[..], 50_000, usize::MAX).await.unwrap(),
            data
        );
        assert_eq!(read_pipe(&data[..], 50_000, 10).await.unwrap(), [7u8; 10]);
        let err = read_pipe(&data[..], 49_999, 10).await.unwrap_err();
        assert!(matches!(err, BoundedReadError::TooLarge { limit: 49_999 }));
    }
}
