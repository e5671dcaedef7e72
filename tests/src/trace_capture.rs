//! A `tracing` subscriber that keeps everything, at every level, as text:
//! each span's name and fields when it is created (and fields recorded
//! later), each event's level, target, fields and the spans it happened
//! in. What any real subscriber could print is a subset of this, so a test
//! that finds no secret here has shown none can be logged.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::{DefaultGuard, Interest};
use tracing::{Event, Metadata, Subscriber};

/// Everything traced while it is the default subscriber of this thread.
#[derive(Clone, Default)]
pub struct Capture {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    lines: Mutex<Vec<String>>,
    /// Each span's `name{fields}`.
    spans: Mutex<HashMap<u64, String>>,
    /// The spans each thread is in, innermost last.
    stacks: Mutex<HashMap<ThreadId, Vec<u64>>>,
    next: AtomicU64,
}

impl Capture {
    /// Starts capturing on this thread (with `#[tokio::test]`'s
    /// current-thread runtime: everything the test runs) until the guard
    /// is dropped.
    pub fn start() -> (Self, DefaultGuard) {
        let capture = Self::default();
        let guard = tracing::subscriber::set_default(capture.clone());
        (capture, guard)
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.inner.lines.lock().unwrap().clone()
    }

    /// Every line so far, one per line.
    pub fn text(&self) -> String {
        self.lines().join("\n")
    }

    /// The lines containing every one of `parts`.
    pub fn matching(&self, parts: &[&str]) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|l| parts.iter().all(|p| l.contains(p)))
            .collect()
    }
}

/// Writes fields as ` name=value`.
struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }
}

impl Subscriber for Capture {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::always()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.inner.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut text = format!("{}{{", span.metadata().name());
        span.record(&mut Fields(&mut text));
        text.push('}');
        self.inner
            .lines
            .lock()
            .unwrap()
            .push(format!("SPAN {} {text}", span.metadata().level()));
        self.inner.spans.lock().unwrap().insert(id, text);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut text = String::new();
        values.record(&mut Fields(&mut text));
        self.inner
            .lines
            .lock()
            .unwrap()
            .push(format!("RECORD span {}:{text}", span.into_u64()));
        if let Some(s) = self.inner.spans.lock().unwrap().get_mut(&span.into_u64()) {
            s.push_str(&text);
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        let mut text = format!("{} {}:", meta.level(), meta.target());
        event.record(&mut Fields(&mut text));
        let stack = self
            .inner
            .stacks
            .lock()
            .unwrap()
            .get(&std::thread::current().id())
            .cloned()
            .unwrap_or_default();
        let spans = self.inner.spans.lock().unwrap();
        let path: Vec<&str> = stack
            .iter()
            .filter_map(|id| spans.get(id).map(String::as_str))
            .collect();
        if !path.is_empty() {
            let _ = write!(text, " in {}", path.join(" > "));
        }
        drop(spans);
        self.inner.lines.lock().unwrap().push(text);
    }

    fn enter(&self, span: &Id) {
        self.inner
            .stacks
            .lock()
            .unwrap()
            .entry(std::thread::current().id())
            .or_default()
            .push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut stacks = self.inner.stacks.lock().unwrap();
        if let Some(stack) = stacks.get_mut(&std::thread::current().id()) {
            if let Some(at) = stack.iter().rposition(|s| *s == span.into_u64()) {
                stack.remove(at);
            }
        }
    }
}
