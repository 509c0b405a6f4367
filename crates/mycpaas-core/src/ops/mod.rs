//! The API's operations. Each is a value holding its parameters (generated from the description,
//! in `crate::generated`) that builds an `http::Request<Vec<u8>>` and turns an
//! `http::Response<Vec<u8>>` into a typed result: the transports only move bytes between the two.
//! This module holds what the generated operations share: the [`Operation`] trait, request
//! assembly, response decoding, the parameter rules and the wire form of values.

pub mod form;
mod list;
pub mod outcome;
pub mod reconcile;
pub(crate) mod request;
pub mod response;
mod rows;
pub mod validate;
pub mod wait;

pub use crate::generated::operations::*;
pub use list::{Envelope, ListOperation, PageLinks, Paging};
pub use rows::Rows;

use crate::config::Config;
use crate::error::{Error, Result, TransportErrorKind};

/// One API operation: build the request, interpret the response.
///
/// ```
/// use mycpaas_core::{Config, FetchCall, Operation};
///
/// let config = Config::builder("AC123", "token").build().unwrap();
/// let op = FetchCall::new("CA42");
/// let request = op.build_request(&config).unwrap();
/// assert_eq!(request.method(), http::Method::GET);
/// assert_eq!(
///     request.uri().to_string(),
///     "https://developer.mycpaas.io/api/laml/2010-04-01/Accounts/AC123/Calls/CA42.json"
/// );
///
/// let response = http::Response::builder()
///     .status(200)
///     .body(br#"{"sid": "CA42", "status": "ringing"}"#.to_vec())
///     .unwrap();
/// let call = op.parse_response(response).unwrap();
/// assert_eq!(call.sid, "CA42");
/// ```
pub trait Operation {
    /// The typed result of a successful response; it is given the exchange's
    /// [`ResponseInfo`](crate::exchange::ResponseInfo) when it can hold it.
    type Output: crate::exchange::CarriesResponse;

    /// Validates every parameter, then builds the request: absolute URL from `config.base_url()`,
    /// Basic auth (marked sensitive), `User-Agent`, `Accept: application/json`, and a
    /// form-urlencoded body for POST. An error here means nothing was sent.
    fn build_request(&self, config: &Config) -> Result<http::Request<Vec<u8>>>;

    /// Turns a response of any status into the output, an [`Error::Api`] or an [`Error::Decode`].
    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<Self::Output>;

    /// Turns a transport failure into the error the user sees.
    fn transport_error(&self, failure: TransportFailure) -> Error {
        failure.into_error()
    }

    /// The error for an answer of `status` whose body was over the size limit (and not read).
    fn oversized_answer(&self, status: u16, limit: usize) -> Error {
        let _ = status;
        Error::ResponseTooLarge {
            limit,
            response: None,
        }
    }

    /// For a create: what it asked for, started at `started`, so that an [`Error::MaybeCreated`]
    /// can say where to look for what it may have created.
    fn attempt(&self, started: std::time::SystemTime) -> Option<reconcile::CreateAttempt> {
        let _ = started;
        None
    }

    /// The HTTP method of the request (used by the retry decision).
    fn method(&self) -> http::Method;
}

/// Whether a failed request may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SendPhase {
    /// Failed before any byte of the request was written (DNS, connection refused, TLS handshake):
    /// the server cannot have acted.
    NotSent,
    /// Failed while or after writing the request: the server may have acted.
    MaybeSent,
}

/// A transport's report of a failed exchange, handed to [`Operation::transport_error`] and to the
/// retry decision.
#[derive(Debug)]
pub struct TransportFailure {
    /// Whether the request may have reached the server.
    pub phase: SendPhase,
    /// Whether a connect or request timeout expired.
    pub timed_out: bool,
    /// Description of the failure (must not contain secrets).
    pub message: String,
    /// The transport library's error, kept as the `source()` of the error the user sees.
    pub source: Option<crate::error::Cause>,
}

impl TransportFailure {
    /// A failure before sending.
    pub fn not_sent(message: impl Into<String>) -> Self {
        TransportFailure {
            phase: SendPhase::NotSent,
            timed_out: false,
            message: message.into(),
            source: None,
        }
    }

    /// A failure after the request may have been sent.
    pub fn maybe_sent(message: impl Into<String>) -> Self {
        TransportFailure {
            phase: SendPhase::MaybeSent,
            timed_out: false,
            message: message.into(),
            source: None,
        }
    }

    /// Marks the failure as a timeout.
    #[must_use]
    pub fn timed_out(mut self) -> Self {
        self.timed_out = true;
        self
    }

    /// Keeps `source` as the cause of the error the user sees.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<crate::error::Cause>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The generic error for this failure: [`Error::Timeout`] or [`Error::Transport`].
    pub fn into_error(self) -> Error {
        let may_have_been_sent = self.phase == SendPhase::MaybeSent;
        if self.timed_out {
            Error::Timeout {
                may_have_been_sent,
                message: self.message,
                source: self.source,
                response: None,
            }
        } else {
            Error::Transport {
                kind: if may_have_been_sent {
                    TransportErrorKind::Io
                } else {
                    TransportErrorKind::Connect
                },
                may_have_been_sent,
                message: self.message,
                source: self.source,
                response: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_failures_map_to_phase_errors() {
        let err = TransportFailure::not_sent("refused").into_error();
        assert!(matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Connect,
                may_have_been_sent: false,
                ..
            }
        ));
        let err = TransportFailure::maybe_sent("slow")
            .timed_out()
            .into_error();
        assert!(matches!(
            err,
            Error::Timeout {
                may_have_been_sent: true,
                ..
            }
        ));
        assert!(err.may_have_been_sent());
    }
}
