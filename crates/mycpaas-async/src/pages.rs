//! The lazy walk over every page of a list: a stream that fetches a page when the one it holds
//! runs out. Which page comes next is core's [`Paginator`]; this module only sends its requests.

use std::pin::Pin;
use std::vec;

use futures::Stream;
use mycpaas_core::Result;
use mycpaas_core::model::Listed;
use mycpaas_core::ops::ListOperation;
use mycpaas_core::paginate::Paginator;

use crate::client::Client;

/// The stream of a resource's `stream` ([`Calls::stream`](crate::Calls::stream), ...), yielding
/// items of type `C`: the decoded resources, or [`Row`](mycpaas_core::model::Row)s of them
/// ([`stream_of`]). It owns a clone of the client, so it can be moved into a task.
pub type PageStream<C> = Pin<Box<dyn Stream<Item = Result<C>> + Send + 'static>>;

/// Starts the walk of a resource's `stream`.
pub(crate) fn stream<L>(client: Client, list: L, limit: Option<usize>) -> PageStream<L::Item>
where
    L: ListOperation + Send + 'static,
    L::Item: Send + 'static,
{
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
/// let mut rows = stream_of::<_, Row<Call>>(client, ListCalls::new(), Some(1000));
/// while let Some(row) = rows.next().await {
///     println!("{}", row?.sid()); // nothing else of the call is decoded
/// }
/// # Ok(())
/// # }
/// ```
pub fn stream_of<L, C>(client: Client, list: L, limit: Option<usize>) -> PageStream<C>
where
    L: ListOperation + Send + 'static,
    C: Listed + Send + 'static,
{
    let walk = PageWalk {
        client,
        paginator: Paginator::of(list, limit),
        current: Vec::new().into_iter(),
        failed: false,
    };
    Box::pin(futures::stream::unfold(walk, |mut walk| async move {
        let item = walk.next_item().await?;
        Some((item, walk))
    }))
}

/// The state of the walk: one page at a time.
struct PageWalk<L: ListOperation, C> {
    client: Client,
    paginator: Paginator<L, C>,
    current: vec::IntoIter<C>,
    failed: bool,
}

impl<L: ListOperation, C: Listed> PageWalk<L, C> {
    async fn next_item(&mut self) -> Option<Result<C>> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(Ok(item));
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
        let items = self.client.send(request).await.and_then(|finished| {
            // An error of the walk says what happened to the request of its page.
            let info = finished.info().clone();
            finished
                .into_response()
                .and_then(|response| self.paginator.handle_response(response))
                .map_err(|error| error.with_response_info(info))
        });
        Some(items.map(|items| self.current = items.into_iter()))
    }
}
