//! What every list operation shares: its paging parameters and the page it is answered with.
//! The walk over pages ([`Paginator`](crate::paginate::Paginator)) and the lazy iterators of the
//! clients are written once against these traits; each generated list operation (`ListCalls`,
//! `ListRecordings`, ...) and page (`CallPage`, `RecordingPage`, ...) implements them.

use serde::de::DeserializeOwned;

use super::Operation;
use super::form::Params;
use crate::exchange::CarriesResponse;
use crate::model::{Identified, Listed};

/// A list operation: a request for one page, with the `Page` and `PageSize` parameters every
/// list of the API takes.
///
/// ```
/// use mycpaas_core::ops::ListOperation;
/// use mycpaas_core::ListCalls;
///
/// let second = ListCalls::new().with_page_size(20).with_page(1);
/// assert_eq!((second.page_number(), second.page_size_value()), (Some(1), Some(20)));
/// assert_eq!(ListCalls::MAX_PAGE_SIZE, 1000);
/// ```
pub trait ListOperation: Operation + Clone {
    /// The resource the list holds (`Call`).
    type Item: Identified;
    /// The page answering the list, holding items of type `C`: decoded resources, or
    /// [`Row`](crate::model::Row)s of them.
    type Page<C: Listed>: Envelope<C>;
    /// The largest `PageSize` the API serves.
    const MAX_PAGE_SIZE: u32;
    /// The `PageSize` a server uses when none is asked for.
    const DEFAULT_PAGE_SIZE: u32;

    /// The `Page` asked for.
    fn page_number(&self) -> Option<u32>;
    /// The `PageSize` asked for.
    fn page_size_value(&self) -> Option<u32>;
    /// The same list, asking for page `page`.
    #[must_use]
    fn with_page(self, page: u32) -> Self;
    /// The same list, asking for pages of `size`.
    #[must_use]
    fn with_page_size(self, size: u32) -> Self;
    /// The same list without the server's cursor (`PageToken`): its filters and page alone.
    #[must_use]
    fn without_cursor(self) -> Self;
    /// The query parameters in the order they are sent (what a page link repeats).
    fn list_query(&self) -> Params;
}

/// A list page: the envelope every list answers with, its items under the resource's key.
pub trait Envelope<C>: DeserializeOwned + CarriesResponse {
    /// The page's items, leaving the envelope's other members in place.
    fn take_items(&mut self) -> Vec<C>;
    /// The envelope's paging members.
    fn links(&self) -> PageLinks<'_>;
    /// A page holding `items`, with the paging members of `paging` (what a server answers).
    fn assemble(items: Vec<C>, paging: Paging) -> Self;
}

/// The paging members a server writes into a page envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// The page number, from 0.
    pub page: u64,
    /// The page size used.
    pub page_size: u64,
    /// Index of the first item of the page.
    pub start: u64,
    /// Index of the last item of the page.
    pub end: u64,
    /// This page's path.
    pub uri: String,
    /// The first page's path.
    pub first_page_uri: String,
    /// The next page's path, `None` on the last page.
    pub next_page_uri: Option<String>,
    /// The previous page's path, `None` on the first page.
    pub previous_page_uri: Option<String>,
}

/// The paging members of a page envelope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageLinks<'a> {
    /// This page's path.
    pub uri: Option<&'a str>,
    /// The first page's path.
    pub first_page_uri: Option<&'a str>,
    /// The next page's path; `None` on the last page or when the server does not send links.
    pub next_page_uri: Option<&'a str>,
    /// The page size the server used.
    pub page_size: Option<u64>,
}
