//! The log of API requests: each gets its own `X-Request-Id`, and the client's
//! `X-Client-Request-Id` is kept, so a test can check that the retries of one operation
//! carried the same id.

use std::collections::VecDeque;

use parking_lot::Mutex;

use mycpaas_core::exchange::CLIENT_REQUEST_ID_HEADER;

/// How many requests the log keeps (the most recent), so a long-running simulator stays small.
pub const REQUEST_LOG_LIMIT: usize = 10_000;

/// One API request the simulator received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeenRequest {
    /// The HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The id the simulator sent back as `X-Request-Id` (`RQ` and 32 hex digits; also for a
    /// request whose connection an injected fault dropped, which got no answer).
    pub request_id: String,
    /// The client's `X-Client-Request-Id`, when it sent one.
    pub client_request_id: Option<String>,
}

/// The most recent [`REQUEST_LOG_LIMIT`] API requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    seen: Mutex<VecDeque<SeenRequest>>,
}

impl RequestLog {
    /// Logs a request and returns the id of its answer.
    pub(crate) fn record(&self, method: &str, path: &str, headers: &http::HeaderMap) -> String {
        // Not from the seeded generator: a seeded simulator hands out the same SIDs whether or
        // not ids are drawn for requests.
        let request_id = format!("RQ{:032x}", rand::random::<u128>());
        let client_request_id = headers
            .get(CLIENT_REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let mut seen = self.seen.lock();
        if seen.len() == REQUEST_LOG_LIMIT {
            seen.pop_front();
        }
        seen.push_back(SeenRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            request_id: request_id.clone(),
            client_request_id,
        });
        request_id
    }

    pub(crate) fn all(&self) -> Vec<SeenRequest> {
        self.seen.lock().iter().cloned().collect()
    }
}
