//! The lazy walk over every page of a list: an iterator that fetches a page when the one it holds
//! runs out. Which page comes next is core's [`Paginator`]; this module only sends its requests.

use std::vec;

use mycpaas_core::model::Listed;
use mycpaas_core::ops::ListOperation;
use mycpaas_core::paginate::Paginator;
use mycpaas_core::{ListCalls, Result};

use crate::client::Client;

/// Starts the walk of a resource's `iter` ([`Calls::iter`](crate::Calls::iter), ...).
pub(crate) fn iter<L: ListOperation>(client: Client, list: L, limit: Option<usize>) -> Pages<L> {
    Pages::of(client, list, limit)
}

/// The lazy iterator over every item of the list `L` ([`Calls::iter`](crate::Calls::iter), ...):
/// holds one page at a time.
///
/// Its items are the decoded resources (`L::Item`: [`Call`](crate::Call) for [`ListCalls`]); a
/// `Pages<ListCalls, Row<Call>>` ([`Pages::of`]) yields [`Row`](mycpaas_core::model::Row)s,
/// decoded when used.
#[derive(Debug)]
#[must_use = "iterators are lazy: nothing is fetched until the iterator is advanced"]
pub struct Pages<L: ListOperation = ListCalls, C = <L as ListOperation>::Item> {
    client: Client,
    paginator: Paginator<L, C>,
    current: vec::IntoIter<C>,
    failed: bool,
}

impl<L: ListOperation, C: Listed> Pages<L, C> {
    /// Walks `list` with `client`, yielding at most `limit` items as `C` (what
    /// [`Calls::iter`](crate::Calls::iter) does with decoded calls).
    ///
    /// ```no_run
    /// use mycpaas_blocking::model::Row;
    /// use mycpaas_blocking::{Call, Client, ListCalls, Pages};
    ///
    /// let client = Client::from_env()?;
    /// for row in Pages::<ListCalls, Row<Call>>::of(client, ListCalls::new(), Some(1000)) {
    ///     println!("{}", row?.sid()); // nothing else of the call is decoded
    /// }
    /// # Ok::<(), mycpaas_blocking::Error>(())
    /// ```
    pub fn of(client: Client, list: L, limit: Option<usize>) -> Self {
        Pages {
            client,
            paginator: Paginator::of(list, limit),
            current: Vec::new().into_iter(),
            failed: false,
        }
    }

    /// The next item of the page in hand, without fetching: `None` when the page is used up (the
    /// next [`Iterator::next`] may then fetch, or end the walk).
    ///
    /// ```no_run
    /// use mycpaas_blocking::{Client, ListCalls};
    ///
    /// let client = Client::from_env()?;
    /// let mut calls = client.calls().iter(ListCalls::new(), Some(100));
    /// let first = calls.next().transpose()?; // fetches the first page
    /// let second = calls.next_in_page(); // no request
    /// # Ok::<(), mycpaas_blocking::Error>(())
    /// ```
    pub fn next_in_page(&mut self) -> Option<C> {
        self.current.next()
    }

    /// Fetches the next page into `current`; `None` when the walk is over.
    fn fetch_page(&mut self) -> Option<Result<()>> {
        let request = match self.paginator.next_request(self.client.config())? {
            Ok(request) => request,
            Err(error) => return Some(Err(error)),
        };
        let items = self.client.send(request).and_then(|finished| {
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

impl<L: ListOperation, C: Listed> Iterator for Pages<L, C> {
    type Item = Result<C>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(Ok(item));
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

impl<L: ListOperation, C: Listed> std::iter::FusedIterator for Pages<L, C> {}
