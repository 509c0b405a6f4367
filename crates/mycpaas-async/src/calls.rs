//! The Calls resource: one method per operation, and the lazy stream over every page of a list.

use std::vec;

use futures::Stream;
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
    pub async fn create(&self, call: CreateCall) -> Result<Call> {
        self.client.execute(&call).await
    }

    /// Fetches the current state of a call.
    pub async fn fetch(&self, sid: &str) -> Result<Call> {
        self.client.execute(&FetchCall::new(sid)).await
    }

    /// Changes a live call: new LaML (`url`, `twiml`, `laml`), status, callbacks.
    pub async fn update(&self, update: UpdateCall) -> Result<Call> {
        self.client.execute(&update).await
    }

    /// Cancels a call that is still queued or ringing (`Status=canceled`); no effect once answered.
    pub async fn cancel(&self, sid: &str) -> Result<Call> {
        self.update(UpdateCall::new(sid).status(UpdateStatus::Canceled))
            .await
    }

    /// Hangs up a call in any state (`Status=completed`).
    pub async fn hangup(&self, sid: &str) -> Result<Call> {
        self.update(UpdateCall::new(sid).status(UpdateStatus::Completed))
            .await
    }

    /// Deletes a call's record.
    pub async fn delete(&self, sid: &str) -> Result<()> {
        self.client.execute(&DeleteCall::new(sid)).await
    }

    /// Fetches one page of calls, as the filters and `Page`/`PageSize` of `list` ask.
    pub async fn list(&self, list: ListCalls) -> Result<CallPage> {
        self.client.execute(&list).await
    }

    /// Every call matching `list`, at most `limit` of them, fetched page by page as the stream
    /// is polled. The stream ends after yielding an error. It owns a clone of the client, so it
    /// can be moved into a task.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use mycpaas_async::{CallStatus, Client, ListCalls};
    ///
    /// # async fn run() -> mycpaas_async::Result<()> {
    /// let client = Client::from_env()?;
    /// let calls = client.calls().stream(ListCalls::new().status(CallStatus::Completed), Some(500));
    /// let mut calls = std::pin::pin!(calls);
    /// while let Some(call) = calls.try_next().await? {
    ///     println!("{}", call.sid);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(
        &self,
        list: ListCalls,
        limit: Option<usize>,
    ) -> impl Stream<Item = Result<Call>> + Send + 'static {
        let walk = PageWalk {
            client: self.client.clone(),
            pages: Paginator::new(list, limit),
            current: Vec::new().into_iter(),
            failed: false,
        };
        futures::stream::unfold(walk, |mut walk| async move {
            let call = walk.next_call().await?;
            Some((call, walk))
        })
    }
}

/// The state of [`Calls::stream`]: one page at a time.
struct PageWalk {
    client: Client,
    pages: Paginator,
    current: vec::IntoIter<Call>,
    failed: bool,
}

impl PageWalk {
    async fn next_call(&mut self) -> Option<Result<Call>> {
        loop {
            if let Some(call) = self.current.next() {
                return Some(Ok(call));
            }
            if self.failed {
                return None;
            }
            if let Err(error) = self.fetch_page().await? {
                // The paginator would offer the same page again; one error ends the walk.
                self.failed = true;
                return Some(Err(error));
            }
        }
    }

    /// Fetches the next page into `current`; `None` when the walk is over.
    async fn fetch_page(&mut self) -> Option<Result<()>> {
        let request = match self.pages.next_request(self.client.config())? {
            Ok(request) => request,
            Err(error) => return Some(Err(error)),
        };
        let calls = self
            .client
            .send(request)
            .await
            .into_response()
            .and_then(|response| self.pages.handle_response(response));
        Some(calls.map(|calls| self.current = calls.into_iter()))
    }
}
