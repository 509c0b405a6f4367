//! The Calls resource: one method per operation, and the lazy walk over every page of a list.

use std::vec;

use mycpaas_core::paginate::Paginator;
use mycpaas_core::{
    Call, CallPage, CreateCall, DeleteCall, FetchCall, ListCalls, Result, UpdateCall, UpdateStatus,
};

use crate::client::Client;

/// The Calls resource of the account; see [`Client::calls`].
#[derive(Debug, Clone, Copy)]
pub struct Calls<'a> {
    client: &'a Client,
}

// Requests are taken by value so that a call reads `create(CreateCall::new(..).url(..))`, and
// so that both clients keep the same signatures.
#[allow(clippy::needless_pass_by_value)]
impl<'a> Calls<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Calls { client }
    }

    /// Places a call. The request is never retried once it may have reached the server; such a
    /// failure is `Error::MaybeCreated`, since the call may exist.
    ///
    /// Inline LaML goes in as text (`.twiml("<Response>..")`) or as a built
    /// `mycpaas_laml::Response` (`.twiml(&document)`, written compactly).
    pub fn create(&self, call: CreateCall) -> Result<Call> {
        self.client.execute(&call)
    }

    /// Fetches the current state of a call.
    pub fn fetch(&self, sid: &str) -> Result<Call> {
        self.client.execute(&FetchCall::new(sid))
    }

    /// Changes a live call: new LaML (`url`, `twiml`, `laml`), status, callbacks.
    pub fn update(&self, update: UpdateCall) -> Result<Call> {
        self.client.execute(&update)
    }

    /// Cancels a call that is still queued or ringing (`Status=canceled`); no effect once answered.
    pub fn cancel(&self, sid: &str) -> Result<Call> {
        self.update(UpdateCall::new(sid).status(UpdateStatus::Canceled))
    }

    /// Hangs up a call in any state (`Status=completed`).
    pub fn hangup(&self, sid: &str) -> Result<Call> {
        self.update(UpdateCall::new(sid).status(UpdateStatus::Completed))
    }

    /// Deletes a call's record.
    pub fn delete(&self, sid: &str) -> Result<()> {
        self.client.execute(&DeleteCall::new(sid))
    }

    /// Fetches one page of calls, as the filters and `Page`/`PageSize` of `list` ask.
    pub fn list(&self, list: ListCalls) -> Result<CallPage> {
        self.client.execute(&list)
    }

    /// Every call matching `list`, at most `limit` of them, fetched page by page as the iterator
    /// is advanced. The iterator ends after yielding an error.
    ///
    /// ```no_run
    /// use mycpaas_blocking::{CallStatus, Client, ListCalls};
    ///
    /// let client = Client::from_env()?;
    /// for call in client.calls().iter(ListCalls::new().status(CallStatus::Completed), Some(500)) {
    ///     println!("{}", call?.sid);
    /// }
    /// # Ok::<(), mycpaas_blocking::Error>(())
    /// ```
    pub fn iter(&self, list: ListCalls, limit: Option<usize>) -> CallIter {
        CallIter {
            client: self.client.clone(),
            pages: Paginator::new(list, limit),
            current: Vec::new().into_iter(),
            failed: false,
        }
    }
}

/// The lazy iterator of [`Calls::iter`]: holds one page at a time.
#[derive(Debug)]
#[must_use = "iterators are lazy: nothing is fetched until the iterator is advanced"]
pub struct CallIter {
    client: Client,
    pages: Paginator,
    current: vec::IntoIter<Call>,
    failed: bool,
}

impl CallIter {
    /// Fetches the next page into `current`; `None` when the walk is over.
    fn fetch_page(&mut self) -> Option<Result<()>> {
        let request = match self.pages.next_request(self.client.config())? {
            Ok(request) => request,
            Err(error) => return Some(Err(error)),
        };
        let calls = self
            .client
            .send(request)
            .into_response()
            .and_then(|response| self.pages.handle_response(response));
        Some(calls.map(|calls| self.current = calls.into_iter()))
    }
}

impl Iterator for CallIter {
    type Item = Result<Call>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(call) = self.current.next() {
                return Some(Ok(call));
            }
            if self.failed {
                return None;
            }
            match self.fetch_page()? {
                Ok(()) => {}
                Err(error) => {
                    // The paginator would offer the same page again; one error ends the walk.
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
    }
}

impl std::iter::FusedIterator for CallIter {}
