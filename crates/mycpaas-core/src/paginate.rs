//! Walking the pages of a list, as a sans-IO state machine: written once for every
//! [`ListOperation`].
//!
//! The loop a transport runs:
//! ```
//! use mycpaas_core::{Config, ListCalls, paginate::Paginator};
//!
//! let config = Config::builder("AC123", "token").base_url("http://127.0.0.1:1").build().unwrap();
//! let mut pages = Paginator::new(ListCalls::new().page_size(2), Some(3));
//! let mut calls = Vec::new();
//! let bodies = [
//!     r#"{"page": 0, "page_size": 2, "calls": [{"sid": "CA1"}, {"sid": "CA2"}]}"#,
//!     r#"{"page": 1, "page_size": 2, "calls": [{"sid": "CA3"}, {"sid": "CA4"}]}"#,
//! ];
//! let mut served = bodies.iter();
//! while let Some(request) = pages.next_request(&config) {
//!     let _request = request.unwrap(); // a transport sends this ...
//!     let body = served.next().unwrap(); // ... and gets this back
//!     let response = http::Response::builder().status(200).body(body.as_bytes().to_vec()).unwrap();
//!     calls.extend(pages.handle_response(response).unwrap());
//! }
//! let sids: Vec<_> = calls.iter().map(|c| c.sid.as_str()).collect();
//! assert_eq!(sids, ["CA1", "CA2", "CA3"]); // the limit of 3 is honoured
//! ```
//!
//! Rules: follow `next_page_uri` when the server sends one, but only on the configured host
//! (the Basic-auth credentials never go elsewhere) and never to a page already visited; otherwise
//! ask for `Page + 1` until a page is short or empty. Stop when the limit is reached.
//!
//! A walk always ends: a page that holds the same calls as an earlier one (the same page under
//! another link) and a walk past [`MAX_PAGES`] pages end it with [`Error::UnsafeNextPage`], so a
//! server that links pages forever costs a bounded time, never unbounded memory.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::marker::PhantomData;

use http::Method;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Listed;
use crate::ops::{Envelope, ListCalls, ListOperation, request, response};

/// The most pages one walk fetches: 10 million calls at the largest page size, and more than
/// any account's list at the default one would need in a day of paging.
pub const MAX_PAGES: usize = 10_000;

#[derive(Debug)]
enum Next<L> {
    /// Request this list (first page, or `Page + 1`).
    List(L),
    /// Request this absolute URL (from `next_page_uri`).
    Uri(String),
    /// Report this error, then stop.
    Fail(Error),
    /// Nothing more.
    Done,
}

/// Yields the requests for successive pages of the list `L` and collects their items, honouring
/// a total limit.
///
/// [`Paginator::next_request`] returns the same request until [`Paginator::handle_response`] is
/// called, so a transport can retry it freely.
///
/// The items are the decoded resources (`L::Item`, [`Paginator::new`]) or any other [`Listed`]
/// form of them ([`Paginator::of`]: `Paginator::<ListCalls, Row<Call>>::of(..)` keeps each as a
/// [`Row`](crate::model::Row)).
#[derive(Debug)]
pub struct Paginator<L: ListOperation = ListCalls, C = <L as ListOperation>::Item> {
    next: Next<L>,
    /// The list the current `Page + 1` sequence is based on (`page` counts from it).
    base: L,
    current_page: u32,
    limit: Option<usize>,
    returned: usize,
    visited: HashSet<String>,
    /// A digest of the SIDs of each page seen: a page sent again under another link repeats one.
    contents: HashSet<u64>,
    pages: usize,
    items: PhantomData<fn() -> C>,
}

impl<L: ListOperation> Paginator<L> {
    /// Walks `list` from its page (0 by default), returning at most `limit` items in total.
    /// When no page size was set, a `limit` asks for pages of `min(limit, MAX_PAGE_SIZE)`: the
    /// fewest round trips (one request for a limit of 1000).
    pub fn new(list: L, limit: Option<usize>) -> Self {
        Self::of(list, limit)
    }
}

impl<L: ListOperation, C: Listed> Paginator<L, C> {
    /// [`Paginator::new`], with the items read as `C`.
    pub fn of(list: L, limit: Option<usize>) -> Self {
        let mut list = list;
        if let (None, Some(n @ 1..)) = (list.page_size_value(), limit) {
            let size = u32::try_from(n).map_or(L::MAX_PAGE_SIZE, |n| n.min(L::MAX_PAGE_SIZE));
            list = list.with_page_size(size);
        }
        let next = if limit == Some(0) {
            Next::Done
        } else {
            Next::List(list.clone())
        };
        Paginator {
            current_page: list.page_number().unwrap_or(0),
            next,
            base: list,
            limit,
            returned: 0,
            visited: HashSet::new(),
            contents: HashSet::new(),
            pages: 0,
            items: PhantomData,
        }
    }

    /// The request for the next page, `None` when done. An error (invalid list parameters, an
    /// unsafe `next_page_uri`) is returned once, then the paginator is done.
    pub fn next_request(&mut self, config: &Config) -> Option<Result<http::Request<Vec<u8>>>> {
        match &self.next {
            Next::Done => None,
            Next::List(list) => {
                let built = list.build_request(config);
                if built.is_err() {
                    self.next = Next::Done;
                }
                Some(built)
            }
            Next::Uri(uri) => match resolve_next_page(config, uri) {
                Ok(url) => {
                    let built = request::build_absolute(config, Method::GET, url.as_str(), None);
                    if built.is_err() {
                        self.next = Next::Done;
                    }
                    Some(built)
                }
                Err(err) => {
                    self.next = Next::Done;
                    Some(Err(err))
                }
            },
            Next::Fail(_) => match std::mem::replace(&mut self.next, Next::Done) {
                Next::Fail(err) => Some(Err(err)),
                _ => None,
            },
        }
    }

    /// Interprets the response to the last request: returns its items (cut to the limit) and
    /// prepares the next request. An error response ends the walk.
    #[allow(clippy::needless_pass_by_value)] // by value, like `Operation::parse_response`
    pub fn handle_response(&mut self, response: http::Response<Vec<u8>>) -> Result<Vec<C>> {
        let mut page: L::Page<C> = match response::json(&response) {
            Ok(page) => page,
            Err(err) => {
                self.next = Next::Done;
                return Err(err);
            }
        };
        self.pages += 1;
        let mut items = page.take_items();
        let links = page.links();
        let received = items.len();
        if received > 0 && !self.contents.insert(digest(&items)) {
            self.next = Next::Fail(Error::UnsafeNextPage {
                uri: links.uri.unwrap_or_default().to_owned(),
                reason: "the server sent a page it had sent before (its links form a loop)".into(),
            });
            return Ok(Vec::new());
        }
        if let Some(limit) = self.limit {
            items.truncate(limit.saturating_sub(self.returned));
        }
        self.returned += items.len();

        let limit_reached = self.limit.is_some_and(|limit| self.returned >= limit);
        let link_style = links.uri.is_some() || links.first_page_uri.is_some();
        let page_size = links
            .page_size
            .or(self.base.page_size_value().map(u64::from))
            .unwrap_or(u64::from(L::DEFAULT_PAGE_SIZE));
        self.next = if limit_reached || received == 0 {
            Next::Done
        } else if self.pages >= MAX_PAGES {
            Next::Fail(Error::UnsafeNextPage {
                uri: links.next_page_uri.unwrap_or_default().to_owned(),
                reason: format!("the walk stops after {MAX_PAGES} pages"),
            })
        } else if let Some(uri) = links.next_page_uri.filter(|uri| !uri.trim().is_empty()) {
            self.follow(uri.to_owned())
        } else if link_style || (received as u64) < page_size {
            Next::Done
        } else {
            match self.current_page.checked_add(1) {
                Some(next_page) => {
                    self.current_page = next_page;
                    Next::List(self.base.clone().with_page(next_page))
                }
                None => Next::Done,
            }
        };
        Ok(items)
    }

    fn follow(&mut self, uri: String) -> Next<L> {
        if self.visited.insert(uri.clone()) {
            Next::Uri(uri)
        } else {
            Next::Fail(Error::UnsafeNextPage {
                uri,
                reason: "the page was already visited (the server's links form a loop)".into(),
            })
        }
    }

    /// `true` once no more requests will be made.
    pub fn is_done(&self) -> bool {
        matches!(self.next, Next::Done)
    }

    /// How many pages were handled.
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }

    /// How many items were returned so far.
    pub fn items_returned(&self) -> usize {
        self.returned
    }
}

/// A digest of the SIDs of a page's items, in order.
fn digest<C: Listed>(items: &[C]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for item in items {
        item.listed_sid().hash(&mut hasher);
    }
    hasher.finish()
}

/// Resolves `next_page_uri` against the base URL and checks it stays on the configured origin.
fn resolve_next_page(config: &Config, uri: &str) -> Result<url::Url> {
    let base = config.parsed_base_url();
    let unsafe_uri = |reason: &str| Error::UnsafeNextPage {
        uri: uri.to_owned(),
        reason: reason.to_owned(),
    };
    let url = base
        .join(uri)
        .map_err(|e| unsafe_uri(&format!("not a valid URI ({e})")))?;
    let same_origin = url.scheme() == base.scheme()
        && url.host() == base.host()
        && url.port_or_known_default() == base.port_or_known_default();
    if !same_origin {
        return Err(unsafe_uri(
            "it points to another host, which must not receive the credentials",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(unsafe_uri("it carries credentials"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Call;
    use proptest::prelude::*;

    fn config() -> Config {
        Config::builder("AC1", "token")
            .base_url("http://127.0.0.1:8080")
            .build()
            .unwrap()
    }

    fn ok(body: &str) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(200)
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    fn calls(range: std::ops::Range<usize>) -> String {
        let calls: Vec<String> = range.map(|i| format!(r#"{{"sid":"CA{i}"}}"#)).collect();
        calls.join(",")
    }

    /// The error the walk's next request is; the walk then has ended.
    fn walk_ends_with_an_error(p: &mut Paginator, config: &Config) -> Error {
        let err = p.next_request(config).unwrap().unwrap_err();
        assert!(
            p.next_request(config).is_none(),
            "the walk goes on after {err}"
        );
        err
    }

    fn sids(calls: &[Call]) -> Vec<String> {
        calls.iter().map(|c| c.sid.clone()).collect()
    }

    #[test]
    fn page_plus_one_until_short_page() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new().page_size(2), None);
        let first = p.next_request(&config).unwrap().unwrap();
        assert_eq!(first.uri().query(), Some("PageSize=2"));
        p.handle_response(ok(&format!(
            r#"{{"page":0,"page_size":2,"calls":[{}]}}"#,
            calls(0..2)
        )))
        .unwrap();
        let second = p.next_request(&config).unwrap().unwrap();
        assert_eq!(second.uri().query(), Some("Page=1&PageSize=2"));
        // next_request is stable until the response is handled (retries resend the same request)
        let again = p.next_request(&config).unwrap().unwrap();
        assert_eq!(again.uri(), second.uri());
        let got = p
            .handle_response(ok(&format!(
                r#"{{"page":1,"page_size":2,"calls":[{}]}}"#,
                calls(2..3)
            )))
            .unwrap();
        assert_eq!(sids(&got), ["CA2"]);
        assert!(p.next_request(&config).is_none());
        assert_eq!(p.pages_fetched(), 2);
    }

    #[test]
    fn empty_page_stops() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new().page_size(2), None);
        p.next_request(&config).unwrap().unwrap();
        assert!(p.handle_response(ok(r#"{"calls":[]}"#)).unwrap().is_empty());
        assert!(p.next_request(&config).is_none());
    }

    #[test]
    fn follows_next_page_uri_on_same_host() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new(), None);
        p.next_request(&config).unwrap().unwrap();
        p.handle_response(ok(&format!(
            r#"{{"uri":"/a","next_page_uri":"/api/laml/2010-04-01/Accounts/AC1/Calls.json?Page=1&PageToken=PA9","calls":[{}]}}"#,
            calls(0..1)
        )))
        .unwrap();
        let next = p.next_request(&config).unwrap().unwrap();
        assert_eq!(
            next.uri().to_string(),
            "http://127.0.0.1:8080/api/laml/2010-04-01/Accounts/AC1/Calls.json?Page=1&PageToken=PA9"
        );
        assert!(next.headers().contains_key(http::header::AUTHORIZATION));
        // link-style envelope with a null next_page_uri: last page, even when full
        p.handle_response(ok(&format!(
            r#"{{"uri":"/b","next_page_uri":null,"page_size":1,"calls":[{}]}}"#,
            calls(1..2)
        )))
        .unwrap();
        assert!(p.next_request(&config).is_none());
    }

    #[test]
    fn refuses_next_page_uri_on_another_host() {
        let config = config();
        for foreign in [
            "https://evil.example/steal",
            "//evil.example/steal",
            "http://127.0.0.1:9999/x",
            "https://127.0.0.1:8080/x",
            "http://user:pw@127.0.0.1:8080/x",
        ] {
            let mut p = Paginator::new(ListCalls::new(), None);
            p.next_request(&config).unwrap().unwrap();
            p.handle_response(ok(&format!(
                r#"{{"next_page_uri":"{foreign}","calls":[{}]}}"#,
                calls(0..1)
            )))
            .unwrap();
            let err = walk_ends_with_an_error(&mut p, &config);
            assert!(
                matches!(err, Error::UnsafeNextPage { .. }),
                "{foreign}: {err}"
            );
        }
    }

    #[test]
    fn repeated_next_page_uri_is_an_error_not_a_loop() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new(), None);
        let body = |n| {
            format!(
                r#"{{"next_page_uri":"/same","calls":[{}]}}"#,
                calls(n..n + 1)
            )
        };
        p.next_request(&config).unwrap().unwrap();
        p.handle_response(ok(&body(0))).unwrap();
        p.next_request(&config).unwrap().unwrap();
        p.handle_response(ok(&body(1))).unwrap();
        let err = walk_ends_with_an_error(&mut p, &config);
        assert!(err.to_string().contains("already visited"), "{err}");
    }

    #[test]
    fn limit_is_honoured_and_sets_page_size() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new(), Some(3));
        let first = p.next_request(&config).unwrap().unwrap();
        assert_eq!(first.uri().query(), Some("PageSize=3"));
        let got = p
            .handle_response(ok(&format!(r#"{{"calls":[{}]}}"#, calls(0..5))))
            .unwrap();
        assert_eq!(got.len(), 3);
        assert!(p.next_request(&config).is_none());
        let mut none = Paginator::new(ListCalls::new(), Some(0));
        assert!(none.next_request(&config).is_none());
    }

    #[test]
    fn a_walk_ends_at_a_page_seen_before_under_another_link() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new(), None);
        let spellings = [
            "/2010-04-01/Accounts/AC123/Calls.json?Page=1&PageSize=2",
            "/2010-04-01/Accounts/AC123/Calls.json?PageSize=2&Page=1",
        ];
        p.next_request(&config).unwrap().unwrap();
        let first = p.handle_response(ok(&format!(
            r#"{{"calls":[{}],"next_page_uri":"{}"}}"#,
            calls(0..2),
            spellings[0]
        )));
        assert_eq!(first.unwrap().len(), 2);
        for next in [spellings[1], spellings[0]] {
            p.next_request(&config).unwrap().unwrap();
            let again = p.handle_response(ok(&format!(
                r#"{{"calls":[{}],"next_page_uri":"{next}"}}"#,
                calls(2..4)
            )));
            if next == spellings[1] {
                assert_eq!(again.unwrap().len(), 2);
            } else {
                assert!(again.unwrap().is_empty(), "a repeated page yields nothing");
            }
        }
        let err = walk_ends_with_an_error(&mut p, &config);
        assert!(err.to_string().contains("sent before"), "{err}");
    }

    #[test]
    fn a_walk_that_never_ends_stops_at_the_bound() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new().page_size(1), None);
        let mut yielded = 0;
        let error = loop {
            match p.next_request(&config) {
                Some(Ok(_)) => {}
                Some(Err(error)) => break error,
                None => panic!("the walk ended without an error"),
            }
            let page = p.pages_fetched();
            let body = format!(
                r#"{{"calls":[{}],"next_page_uri":"/2010-04-01/Accounts/AC123/Calls.json?Page={}"}}"#,
                calls(page..page + 1),
                page + 1
            );
            yielded += p.handle_response(ok(&body)).unwrap().len();
        };
        assert_eq!((yielded, p.pages_fetched()), (MAX_PAGES, MAX_PAGES));
        assert!(matches!(error, Error::UnsafeNextPage { .. }), "{error}");
        assert!(error.to_string().contains("10000 pages"), "{error}");
    }

    #[test]
    fn a_limit_asks_for_the_fewest_pages() {
        let config = config();
        // (page size set, limit, PageSize asked for)
        let cases: &[(Option<u32>, Option<usize>, Option<&str>)] = &[
            (None, None, None),
            (None, Some(1), Some("PageSize=1")),
            (None, Some(1000), Some("PageSize=1000")),
            (None, Some(1001), Some("PageSize=1000")),
            (None, Some(usize::MAX), Some("PageSize=1000")),
            (Some(20), Some(5000), Some("PageSize=20")),
            (Some(20), None, Some("PageSize=20")),
        ];
        for &(set, limit, asked) in cases {
            let list = match set {
                Some(size) => ListCalls::new().page_size(size),
                None => ListCalls::new(),
            };
            let first = Paginator::new(list, limit)
                .next_request(&config)
                .unwrap()
                .unwrap();
            assert_eq!(first.uri().query(), asked, "{set:?} {limit:?}");
        }
    }

    #[test]
    fn error_response_ends_the_walk() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new(), None);
        p.next_request(&config).unwrap().unwrap();
        let response = http::Response::builder()
            .status(401)
            .body(br#"{"code":20003,"message":"Authenticate","status":401}"#.to_vec())
            .unwrap();
        assert_eq!(
            p.handle_response(response).unwrap_err().api_code(),
            Some(20003)
        );
        assert!(p.next_request(&config).is_none());
    }

    #[test]
    fn invalid_list_is_reported_once() {
        let config = config();
        let mut p = Paginator::new(ListCalls::new().page_size(5000), None);
        let err = walk_ends_with_an_error(&mut p, &config);
        assert_eq!(err.parameter(), Some("PageSize"));
    }

    /// A server page: how many calls, and an optional next link chosen from a small set (so links
    /// repeat often).
    fn server_page() -> impl Strategy<Value = (usize, Option<u8>, bool)> {
        (0usize..4, proptest::option::of(0u8..4), any::<bool>())
    }

    proptest! {
        /// Whatever an adversarial server answers, the walk ends within a bounded number of
        /// requests: links are never revisited and `Page + 1` always moves forward.
        #[test]
        fn pagination_never_loops(pages in proptest::collection::vec(server_page(), 1..40)) {
            let config = config();
            let mut p = Paginator::new(ListCalls::new().page_size(3), None);
            let mut requests = 0;
            let mut served = pages.iter().cycle();
            let mut seen_queries = HashSet::new();
            while let Some(request) = p.next_request(&config) {
                let Ok(request) = request else { break };
                requests += 1;
                prop_assert!(seen_queries.insert(request.uri().to_string()), "request repeated: {}", request.uri());
                prop_assert!(requests <= 200, "too many requests");
                let (count, link, link_style) = served.next().unwrap();
                let next = link.map_or("null".to_string(), |n| format!("\"/p{n}\""));
                let uri = if *link_style { r#""uri":"/x","# } else { "" };
                let body = format!(r#"{{{uri}"page_size":3,"next_page_uri":{next},"calls":[{}]}}"#, calls(0..*count));
                if p.handle_response(ok(&body)).is_err() { break }
                // Page + 1 with full pages forever is a legitimate infinite list: stop the test there.
                if requests >= 100 { break }
            }
        }
    }
}
