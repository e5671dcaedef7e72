//! Rules: which calls of one operation they take, and what they answer.

use super::response::{self, MockResponse};
use super::{MockError, MockOperation};
use crate::http::{ConnectorError, HttpResponse};
use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

/// Makes the HTTP answer to one call, given the request ID to answer with.
pub(super) type Respond = Arc<dyn Fn(&str) -> Result<HttpResponse, ConnectorError> + Send + Sync>;

type Matcher = Arc<dyn Fn(&dyn Any) -> bool + Send + Sync>;

/// A rule for one operation: which of its calls it takes, and the answers
/// it gives. Made by a [`RuleBuilder`]; cloning shares it (and its count of
/// answers).
#[derive(Clone)]
pub struct Rule(Arc<Inner>);

struct Inner {
    operation: &'static str,
    matcher: Option<Matcher>,
    answers: Vec<Respond>,
    /// The last answer repeats forever (a `then_*` rule, or a sequence
    /// built with `repeat`), else each answer is given once.
    repeat_last: bool,
    calls: Mutex<usize>,
}

/// What a rule does with a call.
pub(super) enum Take {
    /// It answers with this.
    Answer(Respond),
    /// Its `match_requests` refused the input.
    NoMatch,
    /// It matched, but has given all its answers.
    Exhausted,
}

impl Rule {
    fn new(
        operation: &'static str,
        matcher: Option<Matcher>,
        answers: Vec<Respond>,
        repeat_last: bool,
    ) -> Self {
        Self(Arc::new(Inner {
            operation,
            matcher,
            answers,
            repeat_last,
            calls: Mutex::new(0),
        }))
    }

    /// The operation it answers (`GetThing`).
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }

    /// How many calls it answered.
    pub fn num_calls(&self) -> usize {
        *self.calls()
    }

    /// Whether it has given every answer it has (a sequence, after its
    /// last answer; never for a rule made with a `then_*` method).
    pub fn is_exhausted(&self) -> bool {
        !self.0.repeat_last && *self.calls() >= self.0.answers.len()
    }

    fn calls(&self) -> std::sync::MutexGuard<'_, usize> {
        self.0.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn take(&self, input: &dyn Any) -> Take {
        if let Some(matcher) = &self.0.matcher {
            if !matcher(input) {
                return Take::NoMatch;
            }
        }
        let mut calls = self.calls();
        let index = if self.0.repeat_last {
            (*calls).min(self.0.answers.len().saturating_sub(1))
        } else {
            *calls
        };
        match self.0.answers.get(index) {
            Some(respond) => {
                *calls += 1;
                Take::Answer(respond.clone())
            }
            None => Take::Exhausted,
        }
    }
}

/// A rule is itself (so `Mocks::new([&rule])` keeps `rule` to ask it later).
impl From<&Rule> for Rule {
    fn from(rule: &Rule) -> Self {
        rule.clone()
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &self.0.operation)
            .field("matches_requests", &self.0.matcher.is_some())
            .field("answers", &self.0.answers.len())
            .field("repeat_last", &self.0.repeat_last)
            .field("calls", &self.num_calls())
            .finish()
    }
}

/// Starts a rule for operation `O`: [`match_requests`](Self::match_requests)
/// to narrow it, then one of the `then_*` methods or
/// [`sequence`](Self::sequence). Made by [`mock!`](crate::mock).
pub struct RuleBuilder<O: MockOperation> {
    matcher: Option<Matcher>,
    operation: PhantomData<fn() -> O>,
}

impl<O: MockOperation> fmt::Debug for RuleBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleBuilder")
            .field("operation", &O::NAME)
            .field("matches_requests", &self.matcher.is_some())
            .finish()
    }
}

impl<O: MockOperation> RuleBuilder<O> {
    /// The builder for the operation `method` calls (what
    /// [`mock!`](crate::mock) expands to).
    #[doc(hidden)]
    pub fn for_method<C>(method: fn(&C) -> O) -> Self {
        let _ = method;
        Self {
            matcher: None,
            operation: PhantomData,
        }
    }

    /// Takes only calls whose input `matcher` accepts (replacing any
    /// earlier matcher). Without one, the rule takes every call of its
    /// operation.
    pub fn match_requests(
        mut self,
        matcher: impl Fn(&O::Input) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matcher = Some(Arc::new(move |input: &dyn Any| {
            input.downcast_ref::<O::Input>().is_some_and(&matcher)
        }));
        self
    }

    /// Answers every call it takes with the output `output` returns.
    pub fn then_output(self, output: impl Fn() -> O::Output + Send + Sync + 'static) -> Rule {
        self.sequence().output(output).repeat()
    }

    /// Answers every call it takes with the error `error` returns: a
    /// modelled error or an unmodelled one as an error response, an error
    /// that got no answer as a connection failure (or a timeout).
    pub fn then_error(self, error: impl Fn() -> O::Error + Send + Sync + 'static) -> Rule {
        self.sequence().error(error).repeat()
    }

    /// Answers every call it takes with the HTTP response `response`
    /// returns (a 503, a body the client cannot read, ...).
    pub fn then_http_response(
        self,
        response: impl Fn() -> MockResponse + Send + Sync + 'static,
    ) -> Rule {
        self.sequence().http_response(response).repeat()
    }

    /// Answers successive calls with successive answers.
    pub fn sequence(self) -> SequenceBuilder<O> {
        SequenceBuilder {
            matcher: self.matcher,
            answers: Vec::new(),
            operation: PhantomData,
        }
    }
}

/// Successive answers of one rule: each answers one call, in order. Build
/// with [`build`](Self::build) (the rule is then exhausted after the last
/// answer, and calls fall through to later rules) or
/// [`repeat`](Self::repeat) (the last answer repeats forever).
pub struct SequenceBuilder<O: MockOperation> {
    matcher: Option<Matcher>,
    answers: Vec<Respond>,
    operation: PhantomData<fn() -> O>,
}

impl<O: MockOperation> fmt::Debug for SequenceBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SequenceBuilder")
            .field("operation", &O::NAME)
            .field("answers", &self.answers.len())
            .finish()
    }
}

impl<O: MockOperation> SequenceBuilder<O> {
    /// Then answers with the output `output` returns.
    pub fn output(mut self, output: impl Fn() -> O::Output + Send + Sync + 'static) -> Self {
        self.answers.push(Arc::new(move |request_id: &str| {
            Ok(response::output(&output(), request_id))
        }));
        self
    }

    /// Then answers with the error `error` returns (see
    /// [`RuleBuilder::then_error`]).
    pub fn error(mut self, error: impl Fn() -> O::Error + Send + Sync + 'static) -> Self {
        self.answers.push(Arc::new(move |request_id: &str| {
            response::error(error().mock_answer(), request_id)
        }));
        self
    }

    /// Then answers with the HTTP response `response` returns.
    pub fn http_response(
        mut self,
        response: impl Fn() -> MockResponse + Send + Sync + 'static,
    ) -> Self {
        self.answers.push(Arc::new(move |request_id: &str| {
            Ok(response().into_http(request_id))
        }));
        self
    }

    /// Gives the last answer added `times` times in all (`0` drops it).
    pub fn times(mut self, times: usize) -> Self {
        if let Some(last) = self.answers.pop() {
            self.answers.extend(std::iter::repeat_n(last, times));
        }
        self
    }

    /// The rule: exhausted once every answer was given.
    pub fn build(self) -> Rule {
        Rule::new(O::NAME, self.matcher, self.answers, false)
    }

    /// The rule: its last answer repeats forever.
    pub fn repeat(self) -> Rule {
        Rule::new(O::NAME, self.matcher, self.answers, true)
    }
}
