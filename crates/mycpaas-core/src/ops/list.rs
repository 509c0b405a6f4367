//! `GET .../Calls.json`: one page of calls, filtered. Use [`crate::paginate::Paginator`] to walk pages.

use http::Method;
use time::Date;
use time::macros::format_description;

use super::request::{self, Params, push, push_text};
use super::{Operation, response, validate};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::CallPage;
use crate::paths;
use crate::types::{CallStatus, check_sid};

/// A date filter on `StartTime` / `EndTime`: on, before or after a day (UTC), sent as `YYYY-MM-DD`
/// under `StartTime`, `StartTime<` or `StartTime>` (the `<`/`>` are part of the key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateFilter {
    /// On this day.
    On(Date),
    /// On or before this day.
    OnOrBefore(Date),
    /// On or after this day.
    OnOrAfter(Date),
}

impl DateFilter {
    fn key(self, on: &'static str, before: &'static str, after: &'static str) -> &'static str {
        match self {
            DateFilter::On(_) => on,
            DateFilter::OnOrBefore(_) => before,
            DateFilter::OnOrAfter(_) => after,
        }
    }

    fn date(self) -> Date {
        match self {
            DateFilter::On(d) | DateFilter::OnOrBefore(d) | DateFilter::OnOrAfter(d) => d,
        }
    }
}

fn format_day(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_else(|_| date.to_string())
}

/// Lists calls, one page per request.
///
/// ```
/// use mycpaas_core::{CallStatus, Config, ListCalls, Operation};
///
/// let config = Config::builder("AC123", "token").build().unwrap();
/// let list = ListCalls::new().to("+491234567890").status(CallStatus::Completed).page_size(25);
/// let request = list.build_request(&config).unwrap();
/// assert_eq!(
///     request.uri().query(),
///     Some("To=%2B491234567890&Status=completed&PageSize=25")
/// );
/// assert_eq!(ListCalls::new().page_size(0).validate().unwrap_err().parameter(), Some("PageSize"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListCalls {
    to: Option<String>,
    from: Option<String>,
    status: Option<CallStatus>,
    parent_call_sid: Option<String>,
    start_time: Vec<DateFilter>,
    end_time: Vec<DateFilter>,
    page: Option<u32>,
    page_size: Option<u32>,
    page_token: Option<String>,
}

impl ListCalls {
    /// Lists every call (first page, server's default page size of 50).
    pub fn new() -> Self {
        ListCalls::default()
    }

    /// `To`: only calls to this endpoint.
    pub fn to(mut self, to: impl Into<String>) -> Self {
        self.to = Some(to.into());
        self
    }

    /// `From`: only calls from this endpoint.
    pub fn from(mut self, from: impl Into<String>) -> Self {
        self.from = Some(from.into());
        self
    }

    /// `Status`: only calls in this status.
    pub fn status(mut self, status: CallStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// `ParentCallSid`: only legs of this call.
    pub fn parent_call_sid(mut self, sid: impl Into<String>) -> Self {
        self.parent_call_sid = Some(sid.into());
        self
    }

    /// Adds a `StartTime` filter (`StartTime`, `StartTime<` or `StartTime>`).
    pub fn start_time_filter(mut self, filter: DateFilter) -> Self {
        self.start_time.push(filter);
        self
    }

    /// `StartTime`: calls that started on this day.
    pub fn start_time(self, day: Date) -> Self {
        self.start_time_filter(DateFilter::On(day))
    }

    /// `StartTime<`: calls that started on or before this day.
    pub fn start_time_before(self, day: Date) -> Self {
        self.start_time_filter(DateFilter::OnOrBefore(day))
    }

    /// `StartTime>`: calls that started on or after this day.
    pub fn start_time_after(self, day: Date) -> Self {
        self.start_time_filter(DateFilter::OnOrAfter(day))
    }

    /// Adds an `EndTime` filter (`EndTime`, `EndTime<` or `EndTime>`).
    pub fn end_time_filter(mut self, filter: DateFilter) -> Self {
        self.end_time.push(filter);
        self
    }

    /// `EndTime`: calls that ended on this day.
    pub fn end_time(self, day: Date) -> Self {
        self.end_time_filter(DateFilter::On(day))
    }

    /// `EndTime<`: calls that ended on or before this day.
    pub fn end_time_before(self, day: Date) -> Self {
        self.end_time_filter(DateFilter::OnOrBefore(day))
    }

    /// `EndTime>`: calls that ended on or after this day.
    pub fn end_time_after(self, day: Date) -> Self {
        self.end_time_filter(DateFilter::OnOrAfter(day))
    }

    /// `Page`: the 0-based page number.
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// `PageSize`: 1–1000 (server default 50).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// `PageToken`: the server's cursor from a previous page.
    pub fn page_token(mut self, token: impl Into<String>) -> Self {
        self.page_token = Some(token.into());
        self
    }

    /// The requested page number, if set.
    pub fn page_number(&self) -> Option<u32> {
        self.page
    }

    /// The requested page size, if set.
    pub fn requested_page_size(&self) -> Option<u32> {
        self.page_size
    }

    /// Checks every parameter; an error names the parameter and the rule.
    pub fn validate(&self) -> Result<()> {
        if let Some(to) = &self.to {
            validate::endpoint("To", to)?;
        }
        if let Some(from) = &self.from {
            validate::endpoint("From", from)?;
        }
        if let Some(sid) = &self.parent_call_sid {
            check_sid("ParentCallSid", sid)?;
        }
        if let Some(size) = self.page_size {
            validate::in_range("PageSize", size, &validate::PAGE_SIZE_RANGE)?;
        }
        validate::single_line_text("PageToken", self.page_token.as_ref())?;
        for (name, filters) in [("StartTime", &self.start_time), ("EndTime", &self.end_time)] {
            let exact = filters
                .iter()
                .filter(|f| matches!(f, DateFilter::On(_)))
                .count();
            if exact > 1 || (exact == 1 && filters.len() > 1) {
                return Err(Error::invalid(
                    name,
                    "an exact day cannot be combined with another filter on the same field",
                ));
            }
        }
        Ok(())
    }

    /// The query parameters in the order they are sent (not validated).
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out: Params = Vec::new();
        push_text(&mut out, "To", self.to.as_ref());
        push_text(&mut out, "From", self.from.as_ref());
        push(
            &mut out,
            "Status",
            self.status.as_ref().map(CallStatus::as_str),
        );
        push_text(&mut out, "ParentCallSid", self.parent_call_sid.as_ref());
        for filter in &self.start_time {
            out.push((
                filter.key("StartTime", "StartTime<", "StartTime>"),
                format_day(filter.date()),
            ));
        }
        for filter in &self.end_time {
            out.push((
                filter.key("EndTime", "EndTime<", "EndTime>"),
                format_day(filter.date()),
            ));
        }
        if let Some(page) = self.page {
            out.push(("Page", page.to_string()));
        }
        if let Some(size) = self.page_size {
            out.push(("PageSize", size.to_string()));
        }
        push_text(&mut out, "PageToken", self.page_token.as_ref());
        out
    }
}

impl Operation for ListCalls {
    type Output = CallPage;

    fn build_request(&self, config: &Config) -> Result<http::Request<Vec<u8>>> {
        self.validate()?;
        request::build(
            config,
            Method::GET,
            &paths::calls_path(config.account_sid()),
            &self.query_pairs(),
            None,
        )
    }

    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<CallPage> {
        response::json(&response)
    }

    fn method(&self) -> Method {
        Method::GET
    }
}
