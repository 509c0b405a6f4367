//! The lazy walk over every page of a list: a stream that fetches a page when the one it holds
//! runs out. Which page comes next is core's [`Paginator`]; this module only sends its requests.

use std::pin::Pin;
use std::vec;

use futures::Stream;
use mycpaas_core::model::Listed;
use mycpaas_core::paginate::Paginator;
use mycpaas_core::{Call, ListCalls, Result};

use crate::client::Client;

/// The stream of [`Calls::stream`](crate::Calls::stream). It owns a clone of the client, so it
/// can be moved into a task. Its items are decoded [`Call`]s; a `PageStream<Row<Call>>`
/// ([`stream_of`]) yields [`Row`](mycpaas_core::model::Row)s, decoded when used.
pub type PageStream<C = Call> = Pin<Box<dyn Stream<Item = Result<C>> + Send + 'static>>;

/// Starts the walk of [`Calls::stream`](crate::Calls::stream).
pub(crate) fn stream(client: Client, list: ListCalls, limit: Option<usize>) -> PageStream {
    stream_of(client, list, limit)
}

/// Walks `list` with `client`, yielding at most `limit` items as `C`.
///
/// ```no_run
/// use futures::StreamExt;
/// use mycpaas_async::model::Row;
/// use mycpaas_async::{Call, Client, ListCalls, stream_of};
///
/// # async fn run() -> mycpaas_async::Result<()> {
/// let client = Client::from_env()?;
/// let mut rows = stream_of::<Row<Call>>(client, ListCalls::new(), Some(1000));
/// while let Some(row) = rows.next().await {
///     println!("{}", row?.sid()); // nothing else of the call is decoded
/// }
/// # Ok(())
/// # }
/// ```
pub fn stream_of<C: Listed + Send + 'static>(
    client: Client,
    list: ListCalls,
    limit: Option<usize>,
) -> PageStream<C> {
    let walk = PageWalk {
        client,
        paginator: Paginator::of(list, limit),
        current: Vec::new().into_iter(),
        failed: false,
    };
    Box::pin(futures::stream::unfold(walk, |mut walk| async move {
        let call = walk.next_call().await?;
        Some((call, walk))
    }))
}

/// The state of the walk: one page at a time.
struct PageWalk<C> {
    client: Client,
    paginator: Paginator<C>,
    current: vec::IntoIter<C>,
    failed: bool,
}

impl<C: Listed> PageWalk<C> {
    async fn next_call(&mut self) -> Option<Result<C>> {
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
        let request = match self.paginator.next_request(self.client.config())? {
            Ok(request) => request,
            Err(error) => return Some(Err(error)),
        };
        let calls = self.client.send(request).await.and_then(|finished| {
            // An error of the walk says what happened to the request of its page.
            let info = finished.info().clone();
            finished
                .into_response()
                .and_then(|response| self.paginator.handle_response(response))
                .map_err(|error| error.with_response_info(info))
        });
        Some(calls.map(|calls| self.current = calls.into_iter()))
    }
}
