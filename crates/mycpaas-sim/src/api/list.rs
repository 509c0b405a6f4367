//! What a list does in the simulator, once core has read and checked the request
//! (`super::generated`): filtering, paging and the page links.

use mycpaas_core::error::Error;
use mycpaas_core::model::Listed;
use mycpaas_core::ops::{Envelope, ListOperation, Paging};
use mycpaas_core::{CallPage, CallStatus, ListCalls};
use time::{Date, OffsetDateTime, UtcOffset};

use super::error::ApiError;
use super::wire;
use crate::store::{CallRecord, CallStore, Status};

#[derive(Debug, Clone, Copy)]
enum Compare {
    On,
    OnOrBefore,
    OnOrAfter,
}

/// The day filters of one date of a list (`StartTime`, `StartTime<`, `StartTime>`): every one
/// given must hold, on the date's UTC day.
#[derive(Debug)]
pub(crate) struct Days(Vec<(Compare, Date)>);

impl Days {
    /// The filters `on`, `on or before` and `on or after`, those given.
    pub(crate) fn of(on: Option<Date>, before: Option<Date>, after: Option<Date>) -> Days {
        Days(
            [
                (Compare::On, on),
                (Compare::OnOrBefore, before),
                (Compare::OnOrAfter, after),
            ]
            .into_iter()
            .filter_map(|(compare, day)| day.map(|day| (compare, day)))
            .collect(),
        )
    }

    /// Whether a resource whose date is `at` passes; one without the date passes only when no
    /// day is asked for.
    pub(crate) fn admit(&self, at: Option<OffsetDateTime>) -> bool {
        self.0.is_empty()
            || at.is_some_and(|at| {
                let day = at.to_offset(UtcOffset::UTC).date();
                self.0.iter().all(|&(compare, bound)| match compare {
                    Compare::On => day == bound,
                    Compare::OnOrBefore => day <= bound,
                    Compare::OnOrAfter => day >= bound,
                })
            })
    }
}

/// The filters of one list request.
#[derive(Debug)]
struct Filters<'a> {
    request: &'a ListCalls,
    status: Option<Status>,
    start: Days,
    end: Days,
}

impl<'a> Filters<'a> {
    fn of(request: &'a ListCalls) -> Result<Filters<'a>, ApiError> {
        let status = request.status.as_ref().map(status_of).transpose()?;
        Ok(Filters {
            request,
            status,
            start: Days::of(
                request.start_time,
                request.start_time_before,
                request.start_time_after,
            ),
            end: Days::of(
                request.end_time,
                request.end_time_before,
                request.end_time_after,
            ),
        })
    }

    fn matches(&self, call: &CallRecord) -> bool {
        let request = self.request;
        request.to.as_ref().is_none_or(|to| *to == call.to)
            && request.from.as_ref().is_none_or(|from| *from == call.from)
            && self.status.is_none_or(|status| status == call.status)
            && request
                .parent_call_sid
                .as_ref()
                .is_none_or(|parent| call.parent_call_sid.as_ref() == Some(parent))
            && self.start.admit(call.start_time)
            && self.end.admit(call.end_time)
    }
}

/// A status filter: servers may add statuses (the enumeration is open), but the simulator's
/// calls are only ever in the ones it knows, so any other is refused rather than matching nothing.
fn status_of(status: &CallStatus) -> Result<Status, ApiError> {
    Status::parse(status.as_str()).ok_or_else(|| {
        let error = Error::invalid(
            "Status",
            format!("{:?} is not a call status", status.as_str()),
        );
        ApiError::invalid(ListCalls::error_code(&error), error.to_string())
    })
}

/// Builds the page for a list request over the account's calls (newest first).
pub(crate) fn page(
    request: &ListCalls,
    calls: &CallStore,
    prefix: &str,
    account_sid: &str,
) -> Result<CallPage, ApiError> {
    let filters = Filters::of(request)?;
    let matching = calls.matching(account_sid, |call| filters.matches(call));
    let path = format!("{prefix}/Accounts/{account_sid}/Calls.json");
    Ok(paged(request, &matching, &path, |call| {
        wire::call(&call.inner.lock().record, prefix)
    }))
}

/// The page `request` asks for of `matching` (every record the list's filters let through, in
/// the list's order), each of its records answered as `item` makes it, with links to `path`
/// that repeat the filters as core writes them.
pub(crate) fn paged<L: ListOperation, R, T: Listed>(
    request: &L,
    matching: &[R],
    path: &str,
    item: impl Fn(&R) -> T,
) -> L::Page<T> {
    let page_size = request.page_size_value().unwrap_or(L::DEFAULT_PAGE_SIZE);
    let page = request.page_number().unwrap_or(0);
    let total = matching.len();
    let size = usize::try_from(page_size).unwrap_or(usize::MAX);
    let start = usize::try_from(page)
        .unwrap_or(usize::MAX)
        .saturating_mul(size);
    let items: Vec<T> = matching.iter().skip(start).take(size).map(item).collect();
    let has_next = start.saturating_add(size) < total;

    let filters_only = request.clone().without_cursor();
    let link = |page: u32| {
        let query = filters_only
            .clone()
            .with_page(page)
            .with_page_size(page_size)
            .list_query()
            .encode();
        format!("{path}?{query}")
    };
    let first = u64::try_from(start).unwrap_or(u64::MAX);
    let paging = Paging {
        page: u64::from(page),
        page_size: u64::from(page_size),
        start: first,
        end: first + u64::try_from(items.len().saturating_sub(1)).unwrap_or(0),
        uri: link(page),
        first_page_uri: link(0),
        next_page_uri: page.checked_add(1).filter(|_| has_next).map(link),
        previous_page_uri: page.checked_sub(1).map(link),
    };
    L::Page::assemble(items, paging)
}
