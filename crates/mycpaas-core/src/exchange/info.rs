//! What happened to one operation: the final answer's status and headers, the request ids, the
//! attempts made and the time they took. Every result that can hold it and every error of an
//! answer or a transport carries its own copy (no client-wide "last response").

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The response header in which the provider names its request (`X-Request-Id`, the field's
/// common name): quote it when asking the provider about a request.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request header in which the client names the operation (`X-Client-Request-Id`): the same
/// value on every attempt of one operation, a new one for the next operation.
pub const CLIENT_REQUEST_ID_HEADER: &str = "x-client-request-id";

/// Response headers whose values [`ResponseInfo`]'s `Debug` never shows.
const REDACTED_HEADERS: [&str; 3] = ["set-cookie", "authorization", "proxy-authorization"];

/// What happened to one operation, on the result or the error itself.
///
/// ```
/// use std::time::Duration;
/// use mycpaas_core::exchange::ResponseInfo;
///
/// let info = ResponseInfo::new("0123abcd".into(), 2, Duration::from_millis(150));
/// assert_eq!((info.status, info.attempts), (None, 2));
/// assert_eq!(info.request_id, None); // no answer came
/// ```
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ResponseInfo {
    /// The HTTP status of the final answer; `None` when no answer came (a transport failure or
    /// a timeout).
    pub status: Option<u16>,
    /// The headers of the final answer (empty when none came).
    pub headers: http::HeaderMap,
    /// The provider's id of the final request ([`REQUEST_ID_HEADER`]), when it sent one.
    pub request_id: Option<String>,
    /// The client's id of the operation ([`CLIENT_REQUEST_ID_HEADER`]), sent on every attempt.
    pub client_request_id: String,
    /// How many attempts were made (1 when the first one was final).
    pub attempts: u32,
    /// The time of all attempts and of the waits between them.
    pub elapsed: Duration,
}

impl ResponseInfo {
    /// The record of an operation that got no answer (yet): no status, no headers.
    pub fn new(client_request_id: String, attempts: u32, elapsed: Duration) -> Self {
        ResponseInfo {
            status: None,
            headers: http::HeaderMap::new(),
            request_id: None,
            client_request_id,
            attempts,
            elapsed,
        }
    }

    /// Adds the final answer's status and headers (and the provider's request id among them).
    #[must_use]
    pub fn with_answer(mut self, status: http::StatusCode, headers: &http::HeaderMap) -> Self {
        self.status = Some(status.as_u16());
        self.request_id = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        self.headers = headers.clone();
        self
    }
}

impl fmt::Debug for ResponseInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Cookies and credentials never reach a log through `{:?}`.
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if REDACTED_HEADERS.contains(&name.as_str()) {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<not text>")
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("ResponseInfo")
            .field("status", &self.status)
            .field("headers", &headers)
            .field("request_id", &self.request_id)
            .field("client_request_id", &self.client_request_id)
            .field("attempts", &self.attempts)
            .field("elapsed", &self.elapsed)
            .finish()
    }
}

/// The [`ResponseInfo`] slot of a result (`Call::response`, `CallPage::response`): filled by the
/// client that got the result, empty for a value built or deserialized by hand.
///
/// It takes no part in comparisons (two calls are equal when their data is, whichever request
/// brought them) and is never serialized. It dereferences to `Option<ResponseInfo>`.
#[derive(Clone, Default)]
pub struct ResponseSlot(pub Option<ResponseInfo>);

impl PartialEq for ResponseSlot {
    /// Always `true`: where a value came from is not part of the value.
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl fmt::Debug for ResponseSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::ops::Deref for ResponseSlot {
    type Target = Option<ResponseInfo>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for ResponseSlot {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// A result that can say what happened to the operation that brought it: the generated models
/// with a SID (`Call`), rows and pages (`CallPage<C>`). `()`, the result of a delete, carries
/// nothing: a delete's [`ResponseInfo`] is lost on success (its errors carry it as any error).
pub trait CarriesResponse {
    /// Stores the record of the operation; a type with no slot drops it.
    fn set_response(&mut self, info: ResponseInfo);
}

impl CarriesResponse for () {
    fn set_response(&mut self, _info: ResponseInfo) {}
}

/// A new client request id: 32 hex digits, unique within the process (a counter) and, with
/// overwhelming probability, across processes and hosts (the standard library's randomly keyed
/// hasher, the clock and the process id).
pub fn new_client_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos());
    let mut halves = [0u64; 2];
    for (index, half) in halves.iter_mut().enumerate() {
        let mut hasher = std::hash::RandomState::new().build_hasher();
        hasher.write_u64(count);
        hasher.write_u128(nanos);
        hasher.write_u32(std::process::id());
        hasher.write_usize(index);
        *half = hasher.finish();
    }
    format!("{:016x}{:016x}", halves[0], halves[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_request_ids_are_new_each_time() {
        let ids: std::collections::HashSet<String> =
            (0..1000).map(|_| new_client_request_id()).collect();
        assert_eq!(ids.len(), 1000);
        assert!(
            ids.iter()
                .all(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        );
    }

    #[test]
    fn debug_hides_cookies_and_reads_the_request_id() {
        let mut headers = http::HeaderMap::new();
        headers.insert("set-cookie", "session=s3cret".parse().unwrap());
        headers.insert("x-request-id", "RQ1".parse().unwrap());
        let info = ResponseInfo::new("c1".into(), 1, Duration::ZERO)
            .with_answer(http::StatusCode::OK, &headers);
        assert_eq!(info.request_id.as_deref(), Some("RQ1"));
        assert_eq!(info.status, Some(200));
        let debug = format!("{info:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(debug.contains("RQ1"), "{debug}");
    }
}
