//! Paginators: a [`Stream`] of the pages of a paginated operation, and of
//! the items on those pages.
//!
//! A generated fluent builder's `into_paginator()` returns a [`Paginator`];
//! it sends the input as built, then resends it with the token the previous
//! page returned, until a page comes back without a token (absent or empty).
//! Tokens are usually strings; some services page with a map (DynamoDB's
//! `LastEvaluatedKey`), which is carried across pages the same way and ends
//! the pagination when absent or empty ([`PageToken`]).
//! A service that hands back the token it was just sent would make the
//! paginator loop forever; it ends with an error instead. An error ends the
//! stream after it is yielded.
//!
//! Both types are streams (`futures_core::Stream`) and also have an inherent
//! `next()`, so no futures crate is needed to drive them:
//!
//! ```no_run
//! use aws_json_runtime::paginator::{PaginatedInput, PaginatedOutput, Paginator};
//! use aws_json_runtime::RequestError;
//!
//! // With a generated client: `client.list_things().into_paginator()`.
//! async fn all_pages<I, O, E>(mut pages: Paginator<I, O, E>) -> Result<Vec<O>, E>
//! where
//!     I: PaginatedInput,
//!     O: PaginatedOutput<Token = I::Token> + Send + 'static,
//!     E: From<RequestError> + Send + Unpin + 'static,
//! {
//!     let mut all = Vec::new();
//!     while let Some(page) = pages.next().await {
//!         all.push(page?);
//!     }
//!     Ok(all)
//! }
//! ```

use crate::http::BoxFuture;
use crate::{RequestError, RequestErrorKind};
use futures_core::Stream;
use std::pin::Pin;
use std::task::{Context, Poll};

/// What a page hands to the next: a string, or a map of keys.
#[doc(hidden)]
pub trait PageToken: Clone + PartialEq + Send + Unpin + 'static {
    /// An empty token (`""`, `{}`) means there is no next page.
    fn is_empty(&self) -> bool;
    /// What an error about the token shows of it: never the whole of a
    /// token the service made up.
    fn describe(&self) -> String;
}

impl PageToken for String {
    fn is_empty(&self) -> bool {
        str::is_empty(self)
    }

    fn describe(&self) -> String {
        crate::error::quoted(self)
    }
}

impl<K, V> PageToken for std::collections::BTreeMap<K, V>
where
    K: Clone + Ord + Send + Unpin + 'static,
    V: Clone + PartialEq + Send + Unpin + 'static,
{
    fn is_empty(&self) -> bool {
        std::collections::BTreeMap::is_empty(self)
    }

    fn describe(&self) -> String {
        format!("a map of {} keys", self.len())
    }
}

/// An operation input the paginator can resend with another token.
#[doc(hidden)]
pub trait PaginatedInput: Clone + Send + Unpin + 'static {
    /// The token's type: the input member's.
    type Token: PageToken;
    /// The token this input carries (`None` on a first page).
    fn token(&self) -> Option<&Self::Token>;
    /// Sets the token for the next page.
    fn set_token(&mut self, token: Self::Token);
}

/// An operation output that may name a next page.
#[doc(hidden)]
pub trait PaginatedOutput {
    /// The token's type: the output member's, the input's.
    type Token;
    /// The token of the next page, if any (empty counts as none).
    fn next_token(&self) -> Option<&Self::Token>;
}

/// An input with a modelled page-size member (what [`Paginator::page_size`] sets).
#[doc(hidden)]
pub trait PageSize {
    /// Sets the page size.
    fn set_page_size(&mut self, size: i32);
}

/// An output whose pages hold items (the paginator's `items` path).
#[doc(hidden)]
pub trait PageItems {
    /// One item.
    type Item: Unpin;
    /// The items of this page, in order (none when the path leads nowhere).
    fn into_items(self) -> Vec<Self::Item>;
}

/// Sends one input; what the generated code hands to [`Paginator::new`].
#[doc(hidden)]
pub type SendFn<I, O, E> = fn(crate::client::ClientHandle, I) -> BoxFuture<'static, Result<O, E>>;

enum State<I, O, E> {
    /// The next request to send; `None` for the first one.
    Next(I),
    /// The input could not be built: yield this error, then end.
    Failed(E),
    Sending(BoxFuture<'static, Result<O, E>>, I),
    Done,
}

/// The pages of a paginated operation, as a [`Stream`] of
/// `Result<Output, Error>`; see the [module docs](self).
///
/// Made by a fluent builder's `into_paginator()`. Set a page size with
/// `page_size(n)` (where the model names a page-size member); take the items
/// instead of whole pages with [`items`](Self::items).
#[must_use = "a paginator does nothing until polled"]
pub struct Paginator<I, O, E> {
    handle: crate::client::ClientHandle,
    send: SendFn<I, O, E>,
    state: State<I, O, E>,
}

impl<I, O, E> std::fmt::Debug for Paginator<I, O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.state {
            State::Next(_) => "ready",
            State::Failed(_) => "failed",
            State::Sending(..) => "sending",
            State::Done => "done",
        };
        f.debug_struct("Paginator")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

impl<I, O, E> Paginator<I, O, E>
where
    I: PaginatedInput,
    O: PaginatedOutput<Token = I::Token> + Send + 'static,
    E: From<RequestError> + Send + Unpin + 'static,
{
    /// A paginator that sends `input` (or yields its build error) through `send`.
    #[doc(hidden)]
    pub fn new(
        handle: crate::client::ClientHandle,
        input: Result<I, E>,
        send: SendFn<I, O, E>,
    ) -> Self {
        let state = match input {
            Ok(input) => State::Next(input),
            Err(e) => State::Failed(e),
        };
        Self {
            handle,
            send,
            state,
        }
    }

    /// The next page: `None` once the last page (or an error) has been yielded.
    pub async fn next(&mut self) -> Option<Result<O, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items of every page in order, instead of the pages.
    pub fn items(self) -> Items<I, O, E>
    where
        O: PageItems,
    {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<I: PageSize, O, E> Paginator<I, O, E> {
    /// Asks for at most `size` results per page (the model's page-size
    /// member). Only takes effect before the first page is sent.
    pub fn page_size(mut self, size: i32) -> Self {
        if let State::Next(input) = &mut self.state {
            input.set_page_size(size);
        }
        self
    }
}

impl<I, O, E> Stream for Paginator<I, O, E>
where
    I: PaginatedInput,
    O: PaginatedOutput<Token = I::Token> + Send + 'static,
    E: From<RequestError> + Send + Unpin + 'static,
{
    type Item = Result<O, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(e) => return Poll::Ready(Some(Err(e))),
                State::Next(input) => {
                    let future = (this.send)(this.handle.clone(), input.clone());
                    this.state = State::Sending(future, input);
                }
                State::Sending(mut future, mut input) => {
                    let output = match future.as_mut().poll(cx) {
                        Poll::Pending => {
                            this.state = State::Sending(future, input);
                            return Poll::Pending;
                        }
                        Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                        Poll::Ready(Ok(output)) => output,
                    };
                    match output.next_token().filter(|t| !t.is_empty()) {
                        None => {}
                        Some(token) if input.token() == Some(token) => {
                            this.state = State::Failed(E::from(RequestError::new(
                                RequestErrorKind::Response,
                                format!(
                                    "the service returned the token it was sent ({}) as the next page's token; stopping rather than requesting the same page forever",
                                    token.describe()
                                ),
                            )));
                        }
                        Some(token) => {
                            input.set_token(token.clone());
                            this.state = State::Next(input);
                        }
                    }
                    return Poll::Ready(Some(Ok(output)));
                }
            }
        }
    }
}

/// The items of every page of a paginated operation, in order, as a
/// [`Stream`] of `Result<Item, Error>`. An error ends the stream after it is
/// yielded. Made by [`Paginator::items`].
#[must_use = "a paginator does nothing until polled"]
pub struct Items<I, O: PageItems, E> {
    pages: Paginator<I, O, E>,
    buffer: std::vec::IntoIter<O::Item>,
}

impl<I, O: PageItems, E> std::fmt::Debug for Items<I, O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<I, O, E> Items<I, O, E>
where
    I: PaginatedInput,
    O: PaginatedOutput<Token = I::Token> + PageItems + Send + 'static,
    E: From<RequestError> + Send + Unpin + 'static,
{
    /// The next item: `None` once the last one (or an error) has been yielded.
    pub async fn next(&mut self) -> Option<Result<O::Item, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<I, O, E> Stream for Items<I, O, E>
where
    I: PaginatedInput,
    O: PaginatedOutput<Token = I::Token> + PageItems + Send + 'static,
    E: From<RequestError> + Send + Unpin + 'static,
{
    type Item = Result<O::Item, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // `Items` is `Unpin`: every field is (boxed futures, plain values).
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer = page.into_items().into_iter(),
            }
        }
    }
}
