//! One request carried through its attempts: the retry loop without the I/O.
//!
//! A transport owns the socket, the clock, the sleep and the random numbers; an [`Exchange`] owns
//! everything else: the attempt count, the judgement of each attempt by the
//! [`RetryPolicy`], the `tracing` events (target `mycpaas`), the handling of
//! an oversized body, and the final result. A transport's loop is then three lines:
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use mycpaas_core::exchange::{AttemptError, Exchange, Step};
//! use mycpaas_core::{Config, FetchCall, Operation};
//!
//! # fn main() -> mycpaas_core::Result<()> {
//! let config = Config::builder("AC123", "token").build()?;
//! let fetch = FetchCall::new("CA1234567890abcdef1234567890abcdef");
//! let mut exchange = Exchange::new(fetch.build_request(&config)?, &config);
//! // A pretend transport: one 503, then the call.
//! let mut answers = vec![(200, r#"{"sid": "CA1", "status": "queued"}"#), (503, "")];
//! let call = loop {
//!     let request = exchange.request(); // what to send for this attempt
//!     let (status, body) = answers.pop().expect("two answers");
//!     let result: Result<_, AttemptError> =
//!         Ok(http::Response::builder().status(status).body(body.as_bytes().to_vec()).unwrap());
//!     match exchange.handle(result, Duration::from_millis(3), SystemTime::now(), &mut || 0.5) {
//!         Step::Wait(delay) => assert!(delay <= Duration::from_millis(200)), // sleep, then loop
//!         Step::Done(finished) => break finished.output(&fetch)?,
//!     }
//! };
//! assert_eq!(call.sid, "CA1");
//! # Ok(())
//! # }
//! ```

mod attempt_log;
mod info;

pub use info::{
    CLIENT_REQUEST_ID_HEADER, CarriesResponse, REQUEST_ID_HEADER, ResponseInfo, ResponseSlot,
    new_client_request_id,
};

use std::time::{Duration, SystemTime};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ops::{Operation, TransportFailure};
use crate::retry::{Outcome, RandomSource, RetryDecision, RetryPolicy};

/// Why one attempt produced no usable response, as a transport reports it.
#[derive(Debug)]
pub enum AttemptError {
    /// The exchange failed; the phase says whether the server may have seen the request.
    Transport(TransportFailure),
    /// The response body was longer than [`Config::max_response_bytes`]; the transport stopped
    /// reading it. Never retried: the same request would bring the same body. Carries the
    /// answer's status (what a create's outcome is judged by when the body cannot be read).
    TooLarge(http::StatusCode),
}

/// What the transport does next, answered by [`Exchange::handle`].
#[derive(Debug)]
pub enum Step {
    /// Sleep this long, then send [`Exchange::request`] again.
    Wait(Duration),
    /// The exchange is over.
    Done(Finished),
}

/// How an exchange ended: read it with [`Finished::output`] or [`Finished::into_response`].
#[derive(Debug)]
pub struct Finished {
    result: std::result::Result<http::Response<Vec<u8>>, Ending>,
    /// When the exchange started (for the window of a create's search).
    started: SystemTime,
    /// What happened: attached to the output or the error (boxed: a `Step` stays small).
    info: Box<ResponseInfo>,
}

/// The ways an exchange can end without a final response.
#[derive(Debug)]
enum Ending {
    /// The last attempt's transport failed; the operation decides what the user sees.
    Transport(TransportFailure),
    /// The answer of this status had a body over the limit; the operation decides what it means.
    TooLarge { status: u16, limit: usize },
}

impl Finished {
    /// The operation's typed result: the response parsed, or the failure as the operation words
    /// it (a create that may have reached the server becomes [`Error::MaybeCreated`]).
    /// A `MaybeCreated` carries the operation's [`Operation::attempt`]. The output and the
    /// error carry the exchange's [`ResponseInfo`] (see [`CarriesResponse`] and
    /// [`Error::response_info`]).
    pub fn output<O: Operation + ?Sized>(self, operation: &O) -> Result<O::Output> {
        let info = *self.info;
        let result = match self.result {
            Ok(response) => operation.parse_response(response),
            Err(Ending::Transport(failure)) => Err(operation.transport_error(failure)),
            Err(Ending::TooLarge { status, limit }) => {
                Err(operation.oversized_answer(status, limit))
            }
        };
        match result {
            Ok(mut output) => {
                output.set_response(info);
                Ok(output)
            }
            Err(mut error) => {
                if let Error::MaybeCreated { attempt, .. } = &mut error {
                    *attempt = operation.attempt(self.started).map(Box::new);
                }
                Err(error.with_response_info(info))
            }
        }
    }

    /// What happened to the exchange: the final answer's status and headers, the request ids,
    /// the attempts and their time.
    pub fn info(&self) -> &ResponseInfo {
        &self.info
    }

    /// The final response of any status, or the failure as a plain transport error carrying
    /// the [`ResponseInfo`] (for requests that are no [`Operation`], such as the pages of a
    /// list: attach [`Finished::info`] to what the response turns into).
    pub fn into_response(self) -> Result<http::Response<Vec<u8>>> {
        match self.result {
            Ok(response) => Ok(response),
            Err(Ending::Transport(failure)) => {
                Err(failure.into_error().with_response_info(*self.info))
            }
            Err(Ending::TooLarge { limit, .. }) => Err(Error::ResponseTooLarge {
                limit,
                response: None,
            }
            .with_response_info(*self.info)),
        }
    }
}

/// The state of one request across its attempts.
#[derive(Debug)]
pub struct Exchange {
    parts: http::request::Parts,
    body: Vec<u8>,
    policy: RetryPolicy,
    max_response_bytes: usize,
    /// The attempt being made, 1-based.
    attempt: u32,
    /// When the first attempt started (the `now` of its result, less its latency).
    started: Option<SystemTime>,
    /// The limit of the whole exchange, and the time spent so far in attempts and waits.
    total_timeout: Option<Duration>,
    spent: Duration,
    /// The operation's id, sent on every attempt ([`CLIENT_REQUEST_ID_HEADER`]).
    client_request_id: String,
}

impl Exchange {
    /// Starts the exchange of `request` (as an operation built it) under `config`'s retry policy
    /// and response size limit. Every attempt carries one new client request id
    /// ([`CLIENT_REQUEST_ID_HEADER`]), unless the request names one already.
    pub fn new(request: http::Request<Vec<u8>>, config: &Config) -> Exchange {
        let (mut parts, body) = request.into_parts();
        let given = parts
            .headers
            .get(CLIENT_REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let client_request_id = given.unwrap_or_else(|| {
            let id = new_client_request_id();
            if let Ok(value) = http::HeaderValue::from_str(&id) {
                parts.headers.insert(CLIENT_REQUEST_ID_HEADER, value);
            }
            id
        });
        Exchange {
            client_request_id,
            parts,
            body,
            policy: config.retry_policy().clone(),
            max_response_bytes: config.max_response_bytes(),
            attempt: 1,
            started: None,
            total_timeout: config.total_timeout(),
            spent: Duration::ZERO,
        }
    }

    /// The request to send for the current attempt: a fresh copy each time, since sending
    /// consumes it and `http::Request` is not `Clone`.
    pub fn request(&self) -> http::Request<Vec<u8>> {
        let mut request = http::Request::new(self.body.clone());
        *request.method_mut() = self.parts.method.clone();
        *request.uri_mut() = self.parts.uri.clone();
        *request.version_mut() = self.parts.version;
        *request.headers_mut() = self.parts.headers.clone();
        request
    }

    /// The current attempt, 1-based.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The id this exchange sends as [`CLIENT_REQUEST_ID_HEADER`] on every attempt.
    pub fn client_request_id(&self) -> &str {
        &self.client_request_id
    }

    /// Takes the current attempt's result and says what comes next.
    ///
    /// `latency` is how long the attempt took (for the `tracing` event only), `now` the wall
    /// clock (to read a `Retry-After` date) and `jitter` the random source of the backoff.
    pub fn handle(
        &mut self,
        result: std::result::Result<http::Response<Vec<u8>>, AttemptError>,
        latency: Duration,
        now: SystemTime,
        jitter: &mut dyn RandomSource,
    ) -> Step {
        let started = *self
            .started
            .get_or_insert_with(|| now.checked_sub(latency).unwrap_or(now));
        self.spent = self.spent.saturating_add(latency);
        let (method, uri, attempt) = (&self.parts.method, &self.parts.uri, self.attempt);
        let decision = match &result {
            Ok(response) => {
                attempt_log::response(method, uri, attempt, response.status(), latency);
                let outcome = Outcome::Response {
                    status: response.status(),
                    headers: response.headers(),
                };
                self.policy.decide(method, attempt, &outcome, now, jitter)
            }
            Err(AttemptError::Transport(failure)) => {
                attempt_log::failure(method, uri, attempt, failure, latency);
                let outcome = Outcome::Transport(failure);
                self.policy.decide(method, attempt, &outcome, now, jitter)
            }
            Err(AttemptError::TooLarge(status)) => {
                attempt_log::response(method, uri, attempt, *status, latency);
                RetryDecision::Stop
            }
        };
        // A retry whose wait would end past the total timeout is not made: this answer is final.
        let decision = match decision {
            RetryDecision::RetryAfter(delay)
                if self
                    .total_timeout
                    .is_some_and(|total| self.spent.saturating_add(delay) >= total) =>
            {
                RetryDecision::Stop
            }
            other => other,
        };
        match decision {
            RetryDecision::RetryAfter(delay) => {
                self.spent = self.spent.saturating_add(delay);
                attempt_log::retry(method, uri, attempt, delay);
                self.attempt += 1;
                Step::Wait(delay)
            }
            RetryDecision::Stop => {
                let info = ResponseInfo::new(self.client_request_id.clone(), attempt, self.spent);
                let info = match &result {
                    Ok(response) => info.with_answer(response.status(), response.headers()),
                    Err(AttemptError::TooLarge(status)) => ResponseInfo {
                        status: Some(status.as_u16()),
                        ..info
                    },
                    Err(AttemptError::Transport(_)) => info,
                };
                Step::Done(Finished {
                    result: result.map_err(|error| match error {
                        AttemptError::Transport(failure) => Ending::Transport(failure),
                        AttemptError::TooLarge(status) => Ending::TooLarge {
                            status: status.as_u16(),
                            limit: self.max_response_bytes,
                        },
                    }),
                    started,
                    info: Box::new(info),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{CreateCall, FetchCall, SendPhase};

    const SID: &str = "CA1234567890abcdef1234567890abcdef";
    const CALL_JSON: &str = r#"{"sid": "CA1", "status": "queued"}"#;

    fn config(policy: RetryPolicy) -> Config {
        Config::builder("AC123", "token")
            .retry_policy(policy)
            .max_response_bytes(1024)
            .build()
            .unwrap()
    }

    fn answer(status: u16, body: &str) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(status)
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    fn broken(phase: SendPhase) -> AttemptError {
        AttemptError::Transport(TransportFailure {
            phase,
            timed_out: false,
            message: "connection reset".into(),
            source: None,
        })
    }

    fn step(
        exchange: &mut Exchange,
        result: std::result::Result<http::Response<Vec<u8>>, AttemptError>,
    ) -> Step {
        exchange.handle(result, Duration::ZERO, SystemTime::UNIX_EPOCH, &mut || 1.0)
    }

    fn done(step: Step) -> Finished {
        match step {
            Step::Done(finished) => finished,
            Step::Wait(delay) => panic!("expected the end, got a wait of {delay:?}"),
        }
    }

    #[test]
    fn every_attempt_gets_the_same_request() {
        let config = config(RetryPolicy::default());
        let fetch = FetchCall::new(SID);
        let built = fetch.build_request(&config).unwrap();
        let (uri, mut headers) = (built.uri().clone(), built.headers().clone());
        let mut exchange = Exchange::new(built, &config);
        let id = exchange.client_request_id().to_owned();
        headers.insert(CLIENT_REQUEST_ID_HEADER, id.parse().unwrap());
        for attempt in 1..=2 {
            assert_eq!(exchange.attempt(), attempt);
            let request = exchange.request();
            assert_eq!(request.method(), http::Method::GET);
            assert_eq!(request.uri(), &uri);
            assert_eq!(request.headers(), &headers);
            let _ = step(&mut exchange, Ok(answer(503, "")));
        }
        // The next operation has an id of its own.
        let next = Exchange::new(fetch.build_request(&config).unwrap(), &config);
        assert_ne!(next.client_request_id(), id);
    }

    #[test]
    fn the_result_and_the_error_say_what_happened() {
        let config = config(RetryPolicy::new(3, Duration::ZERO, Duration::ZERO));
        let fetch = FetchCall::new(SID);
        let mut exchange = Exchange::new(fetch.build_request(&config).unwrap(), &config);
        let id = exchange.client_request_id().to_owned();
        let latency = Duration::from_millis(7);
        let mut handle =
            |result| exchange.handle(result, latency, SystemTime::UNIX_EPOCH, &mut || 0.0);
        assert!(matches!(handle(Ok(answer(503, ""))), Step::Wait(_)));
        let mut ok = answer(200, CALL_JSON);
        ok.headers_mut()
            .insert(REQUEST_ID_HEADER, "RQ42".parse().unwrap());
        let call = done(handle(Ok(ok))).output(&fetch).unwrap();
        let info = call.response.as_ref().unwrap();
        assert_eq!(info.status, Some(200));
        assert_eq!(info.request_id.as_deref(), Some("RQ42"));
        assert_eq!(info.client_request_id, id);
        assert_eq!(
            (info.attempts, info.elapsed),
            (2, Duration::from_millis(14))
        );

        let mut exchange = Exchange::new(fetch.build_request(&config).unwrap(), &config);
        let error = done(step(
            &mut exchange,
            Ok(answer(404, r#"{"code": 20404, "message": "no"}"#)),
        ))
        .output(&fetch)
        .unwrap_err();
        assert_eq!(error.response_info().unwrap().status, Some(404));

        let once = self::config(RetryPolicy::no_retries());
        let mut exchange = Exchange::new(fetch.build_request(&once).unwrap(), &once);
        let failure = TransportFailure::not_sent("refused")
            .with_source(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        let error = done(step(&mut exchange, Err(AttemptError::Transport(failure))))
            .output(&fetch)
            .unwrap_err();
        let info = error.response_info().unwrap();
        assert_eq!((info.status, info.attempts), (None, 1));
        let source = std::error::Error::source(&error).unwrap();
        assert_eq!(source.to_string(), "connection refused");
    }

    #[test]
    fn waits_follow_the_policy_with_the_injected_jitter_and_clock() {
        let config = config(RetryPolicy::new(
            3,
            Duration::from_millis(100),
            Duration::from_secs(1),
        ));
        let fetch = FetchCall::new(SID);
        let mut exchange = Exchange::new(fetch.build_request(&config).unwrap(), &config);
        let first = exchange.handle(
            Ok(answer(503, "")),
            Duration::ZERO,
            SystemTime::UNIX_EPOCH,
            &mut || 0.5,
        );
        assert!(matches!(first, Step::Wait(d) if d == Duration::from_millis(50)));
        let mut retry_after = answer(429, "");
        retry_after.headers_mut().insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static("Thu, 01 Jan 1970 00:00:12 GMT"),
        );
        let later = SystemTime::UNIX_EPOCH + Duration::from_secs(10);
        let second = exchange.handle(Ok(retry_after), Duration::ZERO, later, &mut || 0.5);
        assert!(matches!(second, Step::Wait(d) if d == Duration::from_secs(2)));
        assert_eq!(exchange.attempt(), 3);
        let call = done(step(&mut exchange, Ok(answer(200, CALL_JSON))))
            .output(&fetch)
            .unwrap();
        assert_eq!(call.sid, "CA1");
    }

    #[test]
    fn no_retry_waits_past_the_total_timeout() {
        let config = Config::builder("AC123", "token")
            .base_url("http://127.0.0.1:1")
            .retry_policy(RetryPolicy::new(
                10,
                Duration::from_secs(1),
                Duration::from_secs(1),
            ))
            .total_timeout(Duration::from_millis(2500))
            .build()
            .unwrap();
        let fetch = FetchCall::new(SID);
        let mut exchange = Exchange::new(fetch.build_request(&config).unwrap(), &config);
        let attempt = Duration::from_millis(400);
        let mut waited = Duration::ZERO;
        let finished = loop {
            match exchange.handle(
                Ok(answer(503, "")),
                attempt,
                SystemTime::UNIX_EPOCH,
                &mut || 1.0,
            ) {
                Step::Wait(delay) => waited += delay,
                Step::Done(finished) => break finished,
            }
        };
        // 0.4 s + 1 s wait + 0.4 s = 1.8 s; another 1 s wait would end at 2.8 s: stop.
        assert_eq!((exchange.attempt(), waited), (2, Duration::from_secs(1)));
        assert_eq!(
            finished.into_response().unwrap().status(),
            http::StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn the_last_allowed_attempt_ends_with_its_own_answer() {
        let config = config(RetryPolicy::new(2, Duration::ZERO, Duration::ZERO));
        let fetch = FetchCall::new(SID);
        let mut exchange = Exchange::new(fetch.build_request(&config).unwrap(), &config);
        assert!(matches!(
            step(&mut exchange, Ok(answer(503, ""))),
            Step::Wait(_)
        ));
        let finished = done(step(&mut exchange, Ok(answer(503, ""))));
        let response = finished.into_response().unwrap();
        assert_eq!(response.status(), http::StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn a_create_that_may_have_been_sent_is_not_retried_and_reads_as_maybe_created() {
        let config = config(RetryPolicy::default());
        let create =
            CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml");
        let mut exchange = Exchange::new(create.build_request(&config).unwrap(), &config);
        let error = done(step(&mut exchange, Err(broken(SendPhase::MaybeSent))))
            .output(&create)
            .unwrap_err();
        assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
    }

    #[test]
    fn a_failure_before_sending_is_retried_even_for_a_create() {
        let config = config(RetryPolicy::default());
        let create =
            CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml");
        let mut exchange = Exchange::new(create.build_request(&config).unwrap(), &config);
        assert!(matches!(
            step(&mut exchange, Err(broken(SendPhase::NotSent))),
            Step::Wait(_)
        ));
        let call = done(step(&mut exchange, Ok(answer(201, CALL_JSON))))
            .output(&create)
            .unwrap();
        assert_eq!(call.sid, "CA1");
    }

    #[test]
    fn a_transport_failure_without_an_operation_is_a_transport_error() {
        let config = config(RetryPolicy::no_retries());
        let fetch = FetchCall::new(SID);
        let mut exchange = Exchange::new(fetch.build_request(&config).unwrap(), &config);
        let error = done(step(&mut exchange, Err(broken(SendPhase::MaybeSent))))
            .into_response()
            .unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    }

    #[test]
    fn an_oversized_body_ends_at_once_naming_the_limit() {
        let config = config(RetryPolicy::default());
        let fetch = FetchCall::new(SID);
        let mut exchange = Exchange::new(fetch.build_request(&config).unwrap(), &config);
        let error = done(step(
            &mut exchange,
            Err(AttemptError::TooLarge(http::StatusCode::OK)),
        ))
        .output(&fetch)
        .unwrap_err();
        assert!(
            matches!(error, Error::ResponseTooLarge { limit: 1024, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn an_oversized_answer_to_a_create_may_have_created_the_call() {
        let config = config(RetryPolicy::default());
        let create =
            CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml");
        let mut exchange = Exchange::new(create.build_request(&config).unwrap(), &config);
        let error = done(step(
            &mut exchange,
            Err(AttemptError::TooLarge(http::StatusCode::CREATED)),
        ))
        .output(&create)
        .unwrap_err();
        assert!(
            matches!(
                error,
                Error::MaybeCreated {
                    status: Some(201),
                    ..
                }
            ),
            "{error:?}"
        );
    }
}
