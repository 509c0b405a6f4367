//! The one error type of the SDK, split by the phase in which something went wrong.
//!
//! - [`Error::InvalidInput`]: caught before any request was built; nothing was sent.
//! - [`Error::Transport`] / [`Error::Timeout`] / [`Error::ResponseTooLarge`]: the transport failed;
//!   `may_have_been_sent` tells whether the server may have acted on the request.
//! - [`Error::MaybeCreated`]: a create whose outcome is unknown (the request may have reached the
//!   server, or the answer does not prove a refusal), so a call may exist; reconcile (for example
//!   by listing recent calls) before creating it again.
//! - [`Error::Api`]: the server answered with an error status.
//! - [`Error::Decode`]: the server answered, but the body could not be understood (for a create,
//!   this is [`Error::MaybeCreated`] instead: see [`crate::ops::outcome`]).

use std::fmt;

use crate::exchange::ResponseInfo;

/// The underlying failure a transport reported (an I/O, TLS or HTTP library error), kept as the
/// [`std::error::Error::source`] of [`Error::Transport`], [`Error::Timeout`] and
/// [`Error::MaybeCreated`].
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Result alias used across the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while talking to the mycpaas Voice API.
///
/// The variants follow the life of a request, so a caller can tell "nothing was sent"
/// from "the server refused" from "we do not know whether the server acted".
///
/// ```
/// use mycpaas_core::{CreateCall, Config, Error, Operation};
///
/// let config = Config::builder("AC123", "token").build().unwrap();
/// let err = CreateCall::new("+4912345678", "+4998765432")
///     .url("https://example.com/voice.xml")
///     .timeout(0)
///     .build_request(&config)
///     .unwrap_err();
/// assert_eq!(err.parameter(), Some("Timeout"));
/// assert!(matches!(err, Error::InvalidInput { .. }));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter broke a rule; detected before anything was sent.
    #[error("invalid {parameter}: {rule}")]
    InvalidInput {
        /// The wire name of the parameter (`To`, `Timeout`, ...) or setting (`base_url`).
        parameter: String,
        /// The rule it broke, in words.
        rule: String,
    },
    /// The server answered with an error status.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The server answered but the body could not be decoded.
    #[error(
        "could not decode the response (HTTP {status}): {message}; body starts with: {body_excerpt:?}"
    )]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// What was wrong with the body.
        message: String,
        /// The first characters of the body, for diagnosis.
        body_excerpt: String,
        /// What happened to the operation; see [`Error::response_info`].
        response: Option<Box<ResponseInfo>>,
    },
    /// The transport failed (DNS, connection refused, TLS, connection reset, ...).
    #[error("transport error ({kind}): {message}")]
    Transport {
        /// Which stage of the exchange failed.
        kind: TransportErrorKind,
        /// `true` when the request may have reached the server before the failure.
        may_have_been_sent: bool,
        /// The transport's description of the failure.
        message: String,
        /// The transport library's error, when it gave one.
        source: Option<Cause>,
        /// What happened to the operation (no status: no answer came); see
        /// [`Error::response_info`].
        response: Option<Box<ResponseInfo>>,
    },
    /// A connect or request timeout expired.
    #[error("timed out: {message}")]
    Timeout {
        /// `true` when the request may have reached the server before the timeout.
        may_have_been_sent: bool,
        /// The transport's description of the timeout.
        message: String,
        /// The transport library's error, when it gave one.
        source: Option<Cause>,
        /// What happened to the operation; see [`Error::response_info`].
        response: Option<Box<ResponseInfo>>,
    },
    /// A create whose outcome is unknown: the call may exist. The request may have reached the
    /// server before the exchange failed, or an answer came that does not prove the create was
    /// refused (a 2xx that cannot be read, is cut short, is over the size limit or has no usable
    /// `sid`; a 5xx that is not the API's own error document, such as a gateway's page). It is
    /// never retried; do not blindly create the call again, look for it first (list the calls to
    /// the same number).
    #[error("the call may have been created although the request failed: {message}")]
    MaybeCreated {
        /// What happened, in words.
        message: String,
        /// The HTTP status of the answer, when one came.
        status: Option<u16>,
        /// No answer came within the timeout (only when `status` is `None`).
        timed_out: bool,
        /// What the create asked for and when, to look for the call with `find_created`.
        attempt: Option<Box<crate::ops::reconcile::CreateAttempt>>,
        /// The transport library's error, when the exchange failed without an answer.
        source: Option<Cause>,
        /// What happened to the operation; see [`Error::response_info`].
        response: Option<Box<ResponseInfo>>,
    },
    /// The response body exceeded the configured limit (`Config::max_response_bytes`).
    #[error("response body larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The limit in bytes.
        limit: usize,
        /// What happened to the operation (the status of the answer whose body was over the
        /// limit, its headers); see [`Error::response_info`].
        response: Option<Box<ResponseInfo>>,
    },
    /// A download's bytes could not be written where they were asked for (a full disk, a closed
    /// pipe); nothing was sent again.
    #[error("could not write the download: {message}")]
    Write {
        /// What failed, in words.
        message: String,
        /// The I/O error.
        source: Option<Cause>,
    },
    /// Pagination was stopped because the server's `next_page_uri` could not be followed safely
    /// (another host, which must never receive the credentials, or a page already visited).
    #[error("cannot follow next_page_uri {uri:?}: {reason}")]
    UnsafeNextPage {
        /// The URI the server sent.
        uri: String,
        /// Why it was not followed.
        reason: String,
    },
}

impl Error {
    /// Builds an [`Error::InvalidInput`].
    pub fn invalid(parameter: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::InvalidInput {
            parameter: parameter.into(),
            rule: rule.into(),
        }
    }

    /// The error of a request made on a client after its `close()`: `InvalidInput` naming
    /// `client` (nothing is sent).
    pub fn client_closed() -> Self {
        Error::invalid("client", "is closed (build a new client)")
    }

    /// `true` for failures that are transient by nature: HTTP 429 and 500/502/503/504,
    /// transport failures and timeouts.
    ///
    /// Whether a retry is also *safe* depends on the method and on whether the request may have
    /// been sent; the transports leave that to [`crate::retry::RetryPolicy::decide`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => matches!(api.status, 429 | 500 | 502 | 503 | 504),
            Error::Transport { .. } | Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            Error::MaybeCreated { status, .. } => *status,
            _ => None,
        }
    }

    /// Builds an [`Error::MaybeCreated`].
    pub fn maybe_created(message: impl Into<String>, status: Option<u16>) -> Self {
        Error::MaybeCreated {
            message: message.into(),
            status,
            timed_out: false,
            attempt: None,
            source: None,
            response: None,
        }
    }

    /// What happened to the operation that failed: the final answer's status, headers and the
    /// provider's request id (when an answer came), the client's request id, the attempts and
    /// the time they took. Set by the clients on every error of an exchange ([`Error::Api`],
    /// [`Error::Decode`], [`Error::Transport`], [`Error::Timeout`], [`Error::ResponseTooLarge`],
    /// [`Error::MaybeCreated`]); `None` for errors raised before anything was sent, for errors of
    /// the walk over pages that are no answer ([`Error::UnsafeNextPage`]) and for an error built
    /// by hand.
    pub fn response_info(&self) -> Option<&ResponseInfo> {
        match self {
            Error::Api(api) => api.response.as_deref(),
            Error::Transport { response, .. }
            | Error::Timeout { response, .. }
            | Error::Decode { response, .. }
            | Error::ResponseTooLarge { response, .. }
            | Error::MaybeCreated { response, .. } => response.as_deref(),
            _ => None,
        }
    }

    /// Stores `info` as the error's [`Error::response_info`], unless it has one already (or is
    /// of a kind that has none).
    #[must_use]
    pub fn with_response_info(mut self, info: ResponseInfo) -> Self {
        let slot = match &mut self {
            Error::Api(api) => &mut api.response,
            Error::Transport { response, .. }
            | Error::Timeout { response, .. }
            | Error::Decode { response, .. }
            | Error::ResponseTooLarge { response, .. }
            | Error::MaybeCreated { response, .. } => response,
            _ => return self,
        };
        if slot.is_none() {
            *slot = Some(Box::new(info));
        }
        self
    }

    /// The API error code (for example `21211` for an invalid `To`), when the server sent one.
    pub fn api_code(&self) -> Option<u32> {
        match self {
            Error::Api(api) => api.code,
            _ => None,
        }
    }

    /// The parameter an [`Error::InvalidInput`] is about.
    pub fn parameter(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { parameter, .. } => Some(parameter),
            _ => None,
        }
    }

    /// The create a [`Error::MaybeCreated`] comes from, when known: pass the error to a client's
    /// `calls().find_created` to look for the call.
    pub fn create_attempt(&self) -> Option<&crate::ops::reconcile::CreateAttempt> {
        match self {
            Error::MaybeCreated { attempt, .. } => attempt.as_deref(),
            _ => None,
        }
    }

    /// `true` when the request may have reached the server although it failed
    /// (transport failure after sending, timeout after sending, [`Error::MaybeCreated`]).
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Transport {
                may_have_been_sent, ..
            }
            | Error::Timeout {
                may_have_been_sent, ..
            } => *may_have_been_sent,
            Error::MaybeCreated { .. } => true,
            _ => false,
        }
    }
}

/// An error answer of the API: `{"code": 21211, "message": "...", "more_info": "...", "status": 400}`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status of the response.
    pub status: u16,
    /// The API error code (`20404`, `21211`, ...), absent when the body was not an API error document.
    pub code: Option<u32>,
    /// The server's message (or a description of the non-JSON body, such as a proxy's HTML page).
    pub message: String,
    /// Link to the documentation of the error code.
    pub more_info: Option<String>,
    /// Extra structured details some servers send.
    pub details: Option<serde_json::Value>,
    /// What happened to the operation (status, headers, request ids, attempts, time), when a
    /// client got the answer; also reachable as [`Error::response_info`].
    pub response: Option<Box<ResponseInfo>>,
}

impl ApiError {
    /// Builds an API error; `code`, `more_info` and `details` start empty.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: None,
            message: message.into(),
            more_info: None,
            details: None,
            response: None,
        }
    }

    /// Sets the API error code.
    #[must_use]
    pub fn with_code(mut self, code: u32) -> Self {
        self.code = Some(code);
        self
    }

    /// Sets the `more_info` link.
    #[must_use]
    pub fn with_more_info(mut self, more_info: impl Into<String>) -> Self {
        self.more_info = Some(more_info.into());
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error (HTTP {}", self.status)?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        write!(f, "): {}", self.message)?;
        if let Some(more_info) = &self.more_info {
            write!(f, " (see {more_info})")?;
        }
        Ok(())
    }
}

/// The stage of the exchange a transport failure happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Before the request was written: DNS, connection refused, TLS handshake.
    Connect,
    /// While or after the request was written: connection reset, broken response.
    Io,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Io => "i/o",
        })
    }
}
