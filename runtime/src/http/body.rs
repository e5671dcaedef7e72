//! [`ResponseBody`]: the body an [`HttpClient`](super::HttpClient) hands
//! back, read by the caller chunk by chunk so that size and stall limits
//! hold while it arrives rather than after it was buffered.

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::BodyExt;
use std::fmt;

/// An error from a body stream.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A response body: either already in memory, or a stream of chunks.
///
/// Doubles and other HTTP stacks build one with `From` (`Bytes`,
/// `Vec<u8>`, `&'static str`, `String`) or [`ResponseBody::streaming`].
pub struct ResponseBody(Kind);

enum Kind {
    Full(Option<Bytes>),
    Streaming(UnsyncBoxBody<Bytes, BoxError>),
    /// The default client's bodies, unboxed.
    Pooled(super::pool::PooledBody),
}

impl ResponseBody {
    /// An empty body.
    pub fn empty() -> Self {
        Self(Kind::Full(None))
    }

    /// A body read from `body` as it arrives (trailers are ignored).
    pub fn streaming<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Self(Kind::Streaming(body.map_err(Into::into).boxed_unsync()))
    }

    /// A body of the default client's pool.
    pub(crate) fn pooled(body: super::pool::PooledBody) -> Self {
        Self(Kind::Pooled(body))
    }

    /// The body's length, when it is known before reading (in memory, or
    /// a stream whose `Content-Length` the transport checked).
    pub fn exact_len(&self) -> Option<u64> {
        match &self.0 {
            Kind::Full(bytes) => Some(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Kind::Streaming(body) => http_body::Body::size_hint(body).exact(),
            Kind::Pooled(body) => http_body::Body::size_hint(body).exact(),
        }
    }

    /// The next chunk of data; `None` at the end. Dropping the future
    /// before it completes loses nothing.
    pub async fn chunk(&mut self) -> Option<Result<Bytes, BoxError>> {
        match &mut self.0 {
            Kind::Full(bytes) => bytes.take().map(Ok),
            Kind::Streaming(body) => next_data(body).await,
            Kind::Pooled(body) => next_data(body).await,
        }
    }
}

/// The next non-empty data frame of `body`; trailers are skipped (they
/// carry nothing awsJson uses).
async fn next_data<B>(body: &mut B) -> Option<Result<Bytes, BoxError>>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    loop {
        match body.frame().await? {
            Err(e) => return Some(Err(e.into())),
            Ok(frame) => match frame.into_data() {
                Ok(data) if data.is_empty() => continue,
                Ok(data) => return Some(Ok(data)),
                Err(_) => continue,
            },
        }
    }
}

impl Default for ResponseBody {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the content: a body may hold credentials.
        match &self.0 {
            Kind::Full(bytes) => write!(
                f,
                "ResponseBody({} bytes)",
                bytes.as_ref().map_or(0, Bytes::len)
            ),
            Kind::Streaming(_) | Kind::Pooled(_) => f.write_str("ResponseBody(streaming)"),
        }
    }
}

impl From<Bytes> for ResponseBody {
    fn from(bytes: Bytes) -> Self {
        Self(Kind::Full(Some(bytes)))
    }
}

impl From<Vec<u8>> for ResponseBody {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<String> for ResponseBody {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for ResponseBody {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<&'static [u8]> for ResponseBody {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{Full, StreamBody};

    #[tokio::test]
    async fn full_bodies_are_one_chunk_and_know_their_length() {
        let mut body = ResponseBody::from("abc");
        assert_eq!(body.exact_len(), Some(3));
        assert_eq!(&body.chunk().await.unwrap().unwrap()[..], b"abc");
        assert!(body.chunk().await.is_none());
        assert_eq!(ResponseBody::empty().exact_len(), Some(0));
        assert_eq!(
            format!("{:?}", ResponseBody::from("secret")),
            "ResponseBody(6 bytes)"
        );
    }

    #[tokio::test]
    async fn streams_skip_empty_frames_and_report_errors() {
        let frames: Vec<Result<http_body::Frame<Bytes>, BoxError>> = vec![
            Ok(http_body::Frame::data(Bytes::from_static(b"a"))),
            Ok(http_body::Frame::data(Bytes::new())),
            Ok(http_body::Frame::trailers(http::HeaderMap::new())),
            Ok(http_body::Frame::data(Bytes::from_static(b"b"))),
            Err("reset".into()),
        ];
        let stream = futures_lite_iter(frames);
        let mut body = ResponseBody::streaming(StreamBody::new(stream));
        assert_eq!(body.exact_len(), None);
        assert_eq!(&body.chunk().await.unwrap().unwrap()[..], b"a");
        assert_eq!(&body.chunk().await.unwrap().unwrap()[..], b"b");
        assert_eq!(
            body.chunk().await.unwrap().unwrap_err().to_string(),
            "reset"
        );
        let full = ResponseBody::streaming(Full::new(Bytes::from_static(b"xyz")));
        assert_eq!(full.exact_len(), Some(3));
    }

    /// A stream over `items` (futures' `stream::iter` without the dependency).
    fn futures_lite_iter<T: Unpin>(items: Vec<T>) -> impl futures_core::Stream<Item = T> + Unpin {
        struct Iter<T>(std::collections::VecDeque<T>);
        impl<T: Unpin> futures_core::Stream for Iter<T> {
            type Item = T;
            fn poll_next(
                mut self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<T>> {
                std::task::Poll::Ready(self.0.pop_front())
            }
        }
        Iter(items.into())
    }
}
