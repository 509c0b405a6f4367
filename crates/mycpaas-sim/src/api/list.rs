//! The list operation: filters and paging of reference.md.

use mycpaas_core::CallPage;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use super::error::ApiError;
use super::params::Params;
use super::wire;
use crate::store::{CallRecord, Status};

/// `PageSize` default and bounds.
const DEFAULT_PAGE_SIZE: u64 = 50;
const MAX_PAGE_SIZE: u64 = 1000;

/// Parameters that shape the page and are repeated in the page links.
const FILTER_NAMES: [&str; 10] = [
    "To",
    "From",
    "Status",
    "ParentCallSid",
    "StartTime",
    "StartTime<",
    "StartTime>",
    "EndTime",
    "EndTime<",
    "EndTime>",
];

/// A bound on a date: a whole day (`2026-04-19`) or an instant (`2026-04-19T10:00:00Z`).
#[derive(Debug, Clone, Copy)]
enum When {
    Day(Date),
    Instant(OffsetDateTime),
}

#[derive(Debug, Clone, Copy)]
enum Compare {
    On,
    OnOrBefore,
    OnOrAfter,
}

impl When {
    fn parse(name: &str, text: &str) -> Result<When, ApiError> {
        let day = time::macros::format_description!("[year]-[month]-[day]");
        if let Ok(date) = Date::parse(text, day) {
            return Ok(When::Day(date));
        }
        if let Ok(at) = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        {
            return Ok(When::Instant(at));
        }
        let naive =
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
        if let Ok(at) = PrimitiveDateTime::parse(text, naive) {
            return Ok(When::Instant(at.assume_utc()));
        }
        Err(ApiError::invalid(
            20001,
            format!("{name} must be a date (YYYY-MM-DD) or an ISO 8601 time, got {text:?}"),
        ))
    }

    fn matches(self, compare: Compare, at: OffsetDateTime) -> bool {
        let ordering = match self {
            When::Day(day) => at.to_offset(time::UtcOffset::UTC).date().cmp(&day),
            When::Instant(instant) => at.cmp(&instant),
        };
        match compare {
            Compare::On => ordering.is_eq(),
            Compare::OnOrBefore => ordering.is_le(),
            Compare::OnOrAfter => ordering.is_ge(),
        }
    }
}

/// The filters of one list request.
#[derive(Debug, Default)]
struct Filters {
    to: Option<String>,
    from: Option<String>,
    status: Option<Status>,
    parent: Option<String>,
    start: Vec<(Compare, When)>,
    end: Vec<(Compare, When)>,
}

impl Filters {
    fn parse(params: &Params) -> Result<Filters, ApiError> {
        let text = |name: &str| {
            params
                .get(name)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let status = match params.get("Status").filter(|v| !v.is_empty()) {
            None => None,
            Some(value) => Some(Status::parse(value).ok_or_else(|| {
                ApiError::invalid(20001, format!("Status {value:?} is not a call status"))
            })?),
        };
        let mut filters = Filters {
            to: text("To"),
            from: text("From"),
            status,
            parent: text("ParentCallSid"),
            ..Filters::default()
        };
        for (field, list) in [
            ("StartTime", &mut filters.start),
            ("EndTime", &mut filters.end),
        ] {
            for (suffix, compare) in [
                ("", Compare::On),
                ("<", Compare::OnOrBefore),
                (">", Compare::OnOrAfter),
            ] {
                let name = format!("{field}{suffix}");
                if let Some(value) = params.get(&name).filter(|v| !v.is_empty()) {
                    list.push((compare, When::parse(&name, value)?));
                }
            }
        }
        Ok(filters)
    }

    fn matches(&self, call: &CallRecord) -> bool {
        let dates = |bounds: &[(Compare, When)], at: Option<OffsetDateTime>| {
            bounds.is_empty() || at.is_some_and(|at| bounds.iter().all(|(c, w)| w.matches(*c, at)))
        };
        self.to.as_ref().is_none_or(|to| *to == call.to)
            && self.from.as_ref().is_none_or(|from| *from == call.from)
            && self.status.is_none_or(|status| status == call.status)
            // Calls placed through the API have no parent.
            && self.parent.is_none()
            && dates(&self.start, call.start_time)
            && dates(&self.end, call.end_time)
    }
}

/// Builds the page for a list request over `calls` (one account's calls, newest first).
pub(crate) fn page(
    params: &Params,
    calls: &[CallRecord],
    prefix: &str,
    account_sid: &str,
) -> Result<CallPage, ApiError> {
    let filters = Filters::parse(params)?;
    let page_size = params
        .number("PageSize", 1..=MAX_PAGE_SIZE, 20001)?
        .unwrap_or(DEFAULT_PAGE_SIZE);
    let page = params
        .number("Page", 0..=u64::from(u32::MAX), 20001)?
        .unwrap_or(0);
    let matching: Vec<&CallRecord> = calls.iter().filter(|c| filters.matches(c)).collect();
    let size = usize::try_from(page_size).unwrap_or(usize::MAX);
    let start = usize::try_from(page)
        .unwrap_or(usize::MAX)
        .saturating_mul(size);
    let items: Vec<_> = matching
        .iter()
        .skip(start)
        .take(size)
        .map(|c| wire::call(c, prefix))
        .collect();
    let has_next = start.saturating_add(size) < matching.len();

    let path = format!("{prefix}/Accounts/{account_sid}/Calls.json");
    let link = |page: u64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for name in FILTER_NAMES {
            if let Some(value) = params.get(name).filter(|v| !v.is_empty()) {
                query.append_pair(name, value);
            }
        }
        query.append_pair("Page", &page.to_string());
        query.append_pair("PageSize", &page_size.to_string());
        format!("{path}?{}", query.finish())
    };

    let mut envelope = CallPage::default();
    let first = u64::try_from(start).unwrap_or(u64::MAX);
    envelope.start = Some(first);
    envelope.end = Some(first + u64::try_from(items.len().saturating_sub(1)).unwrap_or(0));
    envelope.calls = items;
    envelope.page = Some(page);
    envelope.page_size = Some(page_size);
    envelope.uri = Some(link(page));
    envelope.first_page_uri = Some(link(0));
    envelope.next_page_uri = has_next.then(|| link(page + 1));
    envelope.previous_page_uri = page.checked_sub(1).map(link);
    Ok(envelope)
}
