//! The retry decision, as a pure function of the method, the attempt number and the outcome.
//!
//! Rules (the reason for each is that a retried POST may place a second phone call):
//! - HTTP 429 is retried for every method (the server refused before acting), honouring
//!   `Retry-After` (delta seconds or an HTTP date), capped at [`RetryPolicy::max_retry_after`].
//! - HTTP 500/502/503/504 and transport failures that may have happened after the request was sent
//!   are retried only for idempotent methods (GET, HEAD, OPTIONS, DELETE); a `Retry-After` on such
//!   a response is honoured too.
//! - Transport failures that provably happened before sending (DNS, refused, TLS) are retried for
//!   every method.
//! - Otherwise the wait is exponential backoff with full jitter:
//!   `random(0..1) * min(max_delay, base_delay * 2^(attempt-1))`.
//!
//! The transports own the clock and the random numbers and pass them in, so tests are deterministic.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, Method, StatusCode};

use crate::error::{Error, Result};
use crate::ops::{SendPhase, TransportFailure};

/// How many times to try a request and how long to wait between tries.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use http::{HeaderMap, Method, StatusCode};
/// use mycpaas_core::retry::{Outcome, RetryDecision, RetryPolicy};
///
/// let policy = RetryPolicy::default();
/// let headers = HeaderMap::new();
/// let outcome = Outcome::Response { status: StatusCode::SERVICE_UNAVAILABLE, headers: &headers };
/// let mut half = || 0.5;
/// // a GET is retried after a 503 ...
/// let decision = policy.decide(&Method::GET, 1, &outcome, SystemTime::now(), &mut half);
/// assert_eq!(decision, RetryDecision::RetryAfter(Duration::from_millis(100)));
/// // ... a POST is not: it may have created a call
/// let decision = policy.decide(&Method::POST, 1, &outcome, SystemTime::now(), &mut half);
/// assert_eq!(decision, RetryDecision::Stop);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Total attempts including the first (1 disables retries).
    pub max_attempts: u32,
    /// Backoff before the second attempt (before jitter).
    pub base_delay: Duration,
    /// Largest backoff (before jitter).
    pub max_delay: Duration,
    /// Largest wait taken from a `Retry-After` header; longer requests are cut to this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 200 ms base delay, 5 s max delay, `Retry-After` capped at 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// What happened to one attempt.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// The server answered.
    Response {
        /// The status it answered with.
        status: StatusCode,
        /// Its headers (for `Retry-After`).
        headers: &'a HeaderMap,
    },
    /// The transport failed.
    Transport(&'a TransportFailure),
}

/// The verdict of [`RetryPolicy::decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Do not try again; the outcome is final.
    Stop,
}

/// A source of uniform random numbers in `[0, 1)`, for jitter. Closures `FnMut() -> f64` implement it.
pub trait RandomSource {
    /// The next number in `[0, 1)`.
    fn next_f64(&mut self) -> f64;
}

impl<F: FnMut() -> f64> RandomSource for F {
    fn next_f64(&mut self) -> f64 {
        self()
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn no_retries() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Builds a policy; see the field docs.
    pub fn new(max_attempts: u32, base_delay: Duration, max_delay: Duration) -> Self {
        RetryPolicy {
            max_attempts,
            base_delay,
            max_delay,
            ..RetryPolicy::default()
        }
    }

    /// Sets [`RetryPolicy::max_retry_after`].
    #[must_use]
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Checks the policy's values (called by `ConfigBuilder::build`).
    pub fn validate(&self) -> Result<()> {
        if self.max_attempts == 0 {
            return Err(Error::invalid(
                "retry_policy.max_attempts",
                "must be at least 1 (1 means no retries)",
            ));
        }
        if self.base_delay > self.max_delay {
            return Err(Error::invalid(
                "retry_policy.base_delay",
                "must not exceed max_delay",
            ));
        }
        Ok(())
    }

    /// Decides whether to retry after `attempt` (1-based: the attempt that just failed) ended in
    /// `outcome`. `now` is used to read a `Retry-After` HTTP date; `rng` gives the jitter.
    pub fn decide(
        &self,
        method: &Method,
        attempt: u32,
        outcome: &Outcome<'_>,
        now: SystemTime,
        rng: &mut dyn RandomSource,
    ) -> RetryDecision {
        if attempt >= self.max_attempts {
            return RetryDecision::Stop;
        }
        let idempotent = is_idempotent(method);
        match outcome {
            Outcome::Response { status, headers } => {
                if *status == StatusCode::TOO_MANY_REQUESTS {
                    let delay = retry_after(headers, now).map_or_else(
                        || self.backoff(attempt, rng),
                        |d| d.min(self.max_retry_after),
                    );
                    RetryDecision::RetryAfter(delay)
                } else if idempotent && matches!(status.as_u16(), 500 | 502 | 503 | 504) {
                    // A 503 may carry Retry-After too; honour it the same way.
                    let delay = retry_after(headers, now).map_or_else(
                        || self.backoff(attempt, rng),
                        |d| d.min(self.max_retry_after),
                    );
                    RetryDecision::RetryAfter(delay)
                } else {
                    RetryDecision::Stop
                }
            }
            Outcome::Transport(failure) => match failure.phase {
                SendPhase::NotSent => RetryDecision::RetryAfter(self.backoff(attempt, rng)),
                SendPhase::MaybeSent if idempotent => {
                    RetryDecision::RetryAfter(self.backoff(attempt, rng))
                }
                SendPhase::MaybeSent => RetryDecision::Stop,
            },
        }
    }

    /// Exponential backoff with full jitter for the wait after `attempt` (1-based).
    pub fn backoff(&self, attempt: u32, rng: &mut dyn RandomSource) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        let ceiling = self
            .base_delay
            .checked_mul(1u32 << exponent)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let factor = rng.next_f64();
        let factor = if factor.is_finite() {
            factor.clamp(0.0, 1.0)
        } else {
            0.0
        };
        ceiling.mul_f64(factor)
    }
}

/// GET, HEAD, OPTIONS and DELETE: repeating them cannot create a second call.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::DELETE
    )
}

/// Reads `Retry-After` as delta seconds or an HTTP date (relative to `now`; a past date means 0).
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
    }

    fn response(
        policy: &RetryPolicy,
        method: &Method,
        attempt: u32,
        status: u16,
        headers: &HeaderMap,
    ) -> RetryDecision {
        let outcome = Outcome::Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
        };
        policy.decide(
            method,
            attempt,
            &outcome,
            SystemTime::UNIX_EPOCH,
            &mut || 1.0,
        )
    }

    fn transport(method: &Method, phase: SendPhase) -> RetryDecision {
        let failure = TransportFailure {
            phase,
            timed_out: false,
            message: "boom".into(),
            source: None,
        };
        policy().decide(
            method,
            1,
            &Outcome::Transport(&failure),
            SystemTime::UNIX_EPOCH,
            &mut || 1.0,
        )
    }

    #[test]
    fn too_many_requests_is_retried_for_every_method() {
        let headers = HeaderMap::new();
        for method in [Method::GET, Method::POST, Method::DELETE] {
            assert!(matches!(
                response(&policy(), &method, 1, 429, &headers),
                RetryDecision::RetryAfter(_)
            ));
        }
    }

    #[test]
    fn retry_after_seconds_and_date_are_honoured_and_capped() {
        // (Retry-After, method, wait)
        let cases = [
            ("7", Method::POST, Duration::from_secs(7)),
            // capped at the policy's 30 s
            ("3600", Method::POST, Duration::from_secs(30)),
            // 1970-01-01T00:00:12Z, `now` is the epoch
            (
                "Thu, 01 Jan 1970 00:00:12 GMT",
                Method::GET,
                Duration::from_secs(12),
            ),
            // unreadable header: plain backoff (rng = 1.0 gives the ceiling, 200 ms on attempt 1)
            ("soon", Method::GET, Duration::from_millis(200)),
        ];
        for (retry_after, method, wait) in cases {
            let mut headers = HeaderMap::new();
            headers.insert("retry-after", HeaderValue::from_static(retry_after));
            assert_eq!(
                response(&policy(), &method, 1, 429, &headers),
                RetryDecision::RetryAfter(wait),
                "{retry_after}"
            );
        }
    }

    #[test]
    fn past_retry_after_date_means_no_wait() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Thu, 01 Jan 1970 00:00:12 GMT"),
        );
        let outcome = Outcome::Response {
            status: StatusCode::TOO_MANY_REQUESTS,
            headers: &headers,
        };
        let later = SystemTime::UNIX_EPOCH + Duration::from_secs(100);
        assert_eq!(
            policy().decide(&Method::GET, 1, &outcome, later, &mut || 0.5),
            RetryDecision::RetryAfter(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_on_service_unavailable_is_honoured_for_get_only() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("4"));
        assert_eq!(
            response(&policy(), &Method::GET, 1, 503, &headers),
            RetryDecision::RetryAfter(Duration::from_secs(4))
        );
        assert_eq!(
            response(&policy(), &Method::POST, 1, 503, &headers),
            RetryDecision::Stop
        );
    }

    #[test]
    fn server_errors_only_for_idempotent_methods() {
        let headers = HeaderMap::new();
        for status in [500, 502, 503, 504] {
            assert!(matches!(
                response(&policy(), &Method::GET, 1, status, &headers),
                RetryDecision::RetryAfter(_)
            ));
            assert!(matches!(
                response(&policy(), &Method::DELETE, 1, status, &headers),
                RetryDecision::RetryAfter(_)
            ));
            assert_eq!(
                response(&policy(), &Method::POST, 1, status, &headers),
                RetryDecision::Stop
            );
        }
        for status in [200, 201, 204, 400, 401, 404, 501, 505] {
            assert_eq!(
                response(&policy(), &Method::GET, 1, status, &headers),
                RetryDecision::Stop,
                "{status}"
            );
        }
    }

    #[test]
    fn transport_failures_depend_on_the_send_phase() {
        for method in [Method::GET, Method::POST, Method::DELETE] {
            assert!(matches!(
                transport(&method, SendPhase::NotSent),
                RetryDecision::RetryAfter(_)
            ));
        }
        assert!(matches!(
            transport(&Method::GET, SendPhase::MaybeSent),
            RetryDecision::RetryAfter(_)
        ));
        assert!(matches!(
            transport(&Method::DELETE, SendPhase::MaybeSent),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(
            transport(&Method::POST, SendPhase::MaybeSent),
            RetryDecision::Stop
        );
    }

    #[test]
    fn attempts_are_bounded() {
        let headers = HeaderMap::new();
        let policy = policy();
        assert!(matches!(
            response(&policy, &Method::GET, 2, 503, &headers),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(
            response(&policy, &Method::GET, 3, 503, &headers),
            RetryDecision::Stop
        );
        assert_eq!(
            response(&RetryPolicy::no_retries(), &Method::GET, 1, 429, &headers),
            RetryDecision::Stop
        );
    }

    #[test]
    fn backoff_is_exponential_capped_and_jittered() {
        let policy = RetryPolicy::new(10, Duration::from_millis(100), Duration::from_secs(1));
        let ceiling = |attempt| policy.backoff(attempt, &mut || 1.0);
        assert_eq!(ceiling(1), Duration::from_millis(100));
        assert_eq!(ceiling(2), Duration::from_millis(200));
        assert_eq!(ceiling(3), Duration::from_millis(400));
        assert_eq!(ceiling(5), Duration::from_secs(1));
        assert_eq!(ceiling(64), Duration::from_secs(1));
        assert_eq!(policy.backoff(3, &mut || 0.25), Duration::from_millis(100));
        assert_eq!(policy.backoff(3, &mut || 0.0), Duration::ZERO);
        assert_eq!(policy.backoff(3, &mut || f64::NAN), Duration::ZERO);
    }

    #[test]
    fn policy_validation() {
        assert!(RetryPolicy::default().validate().is_ok());
        let bad = RetryPolicy {
            max_attempts: 0,
            ..RetryPolicy::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().parameter(),
            Some("retry_policy.max_attempts")
        );
    }
}
