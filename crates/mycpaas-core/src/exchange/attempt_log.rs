//! The `tracing` events of an exchange: one per attempt, one per decided retry.
//!
//! Only the method, the path (never the query, never a header), the status, the attempt number
//! and the latency are recorded: credentials travel in the `Authorization` header and never here.
//! The target is `mycpaas` whichever transport sent the request, so one filter covers them all.

use std::time::Duration;

use crate::ops::{SendPhase, TransportFailure};

/// Records an attempt that got a response.
pub(super) fn response(
    method: &http::Method,
    uri: &http::Uri,
    attempt: u32,
    status: http::StatusCode,
    latency: Duration,
) {
    tracing::debug!(
        target: "mycpaas",
        method = %method,
        path = %uri.path(),
        status = status.as_u16(),
        attempt,
        latency_ms = latency_ms(latency),
        "mycpaas request"
    );
}

/// Records an attempt whose transport failed.
pub(super) fn failure(
    method: &http::Method,
    uri: &http::Uri,
    attempt: u32,
    failure: &TransportFailure,
    latency: Duration,
) {
    tracing::warn!(
        target: "mycpaas",
        method = %method,
        path = %uri.path(),
        attempt,
        latency_ms = latency_ms(latency),
        timed_out = failure.timed_out,
        may_have_been_sent = failure.phase == SendPhase::MaybeSent,
        error = %failure.message,
        "mycpaas request failed"
    );
}

/// Records the wait before the next attempt.
pub(super) fn retry(method: &http::Method, uri: &http::Uri, attempt: u32, delay: Duration) {
    tracing::info!(
        target: "mycpaas",
        method = %method,
        path = %uri.path(),
        next_attempt = attempt + 1,
        delay_ms = latency_ms(delay),
        "mycpaas retrying"
    );
}

fn latency_ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
