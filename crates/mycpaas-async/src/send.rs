//! The send loop: the one place where attempts are made, retries waited for, and failures mapped.
//!
//! Core decides everything: it builds the request, judges every outcome with the retry policy and
//! parses the final response. This loop only sends, sleeps and hands the results back.

use std::time::{Instant, SystemTime};

use mycpaas_core::retry::{Outcome, RetryDecision};
use mycpaas_core::{Error, Operation, Result, TransportFailure};

use crate::attempt_log;
use crate::client::Client;
use crate::transport::AttemptError;

/// How a request ended when it produced no final response.
#[derive(Debug)]
pub(crate) enum SendError {
    /// The last attempt's transport failed; the operation decides what the user sees.
    Transport(TransportFailure),
    /// An error that needs no further interpretation.
    Final(Error),
}

impl Client {
    /// Runs any operation: validate and build (nothing is sent on invalid input), send with the
    /// retries the policy allows, and parse the final response.
    ///
    /// Every method of [`Calls`](crate::Calls) goes through here.
    ///
    /// ```no_run
    /// use mycpaas_async::{Client, FetchCall};
    ///
    /// # async fn run() -> mycpaas_async::Result<()> {
    /// let client = Client::from_env()?;
    /// let call = client.execute(&FetchCall::new("CA1234567890abcdef1234567890abcdef")).await?;
    /// println!("{:?}", call.status);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output> {
        let request = operation.build_request(self.config())?;
        match self.send(request).await {
            Ok(response) => operation.parse_response(response),
            Err(SendError::Transport(failure)) => Err(operation.transport_error(failure)),
            Err(SendError::Final(error)) => Err(error),
        }
    }

    /// Sends `request` until the retry policy stops, and returns the last response.
    pub(crate) async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> std::result::Result<http::Response<Vec<u8>>, SendError> {
        let inner = self.inner();
        let policy = inner.config.retry_policy();
        let (parts, body) = request.into_parts();
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let result = inner.transport.send(copy_request(&parts, &body)).await;
            let latency = started.elapsed();
            let outcome = match &result {
                Ok(response) => {
                    attempt_log::response(
                        &parts.method,
                        &parts.uri,
                        attempt,
                        response.status(),
                        latency,
                    );
                    Outcome::Response {
                        status: response.status(),
                        headers: response.headers(),
                    }
                }
                Err(AttemptError::Transport(failure)) => {
                    attempt_log::failure(&parts.method, &parts.uri, attempt, failure, latency);
                    Outcome::Transport(failure)
                }
                Err(AttemptError::TooLarge) => {
                    return Err(SendError::Final(Error::ResponseTooLarge {
                        limit: inner.config.max_response_bytes(),
                    }));
                }
            };
            let decision = inner.with_jitter(|jitter| {
                policy.decide(&parts.method, attempt, &outcome, SystemTime::now(), jitter)
            });
            match decision {
                RetryDecision::RetryAfter(delay) => {
                    attempt_log::retry(&parts.method, &parts.uri, attempt, delay);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                RetryDecision::Stop => {
                    return result.map_err(|error| match error {
                        AttemptError::Transport(failure) => SendError::Transport(failure),
                        AttemptError::TooLarge => SendError::Final(Error::ResponseTooLarge {
                            limit: inner.config.max_response_bytes(),
                        }),
                    });
                }
            }
        }
    }
}

/// A fresh copy of the request for one attempt (`http::Request` is not `Clone`).
fn copy_request(parts: &http::request::Parts, body: &[u8]) -> http::Request<Vec<u8>> {
    let mut request = http::Request::new(body.to_vec());
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = parts.uri.clone();
    *request.version_mut() = parts.version;
    *request.headers_mut() = parts.headers.clone();
    request
}
