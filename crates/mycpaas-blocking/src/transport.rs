//! One HTTP exchange over ureq: send the bytes core built, bring back at most the capped body.

use std::io::Read;

use mycpaas_core::exchange::AttemptError;
use mycpaas_core::{Config, SendPhase, TransportFailure};
use ureq::unversioned::transport::{Connector, DefaultConnector};

use crate::resolver::ReusingResolver;
use crate::sent_marker::{self, MarkWrites};

/// A pooled ureq agent set up for the Voice API.
#[derive(Debug)]
pub(crate) struct UreqTransport {
    agent: ureq::Agent,
    max_response_bytes: usize,
}

impl UreqTransport {
    /// Builds the agent once: connections are pooled and reused by every call of the client.
    pub(crate) fn new(config: &Config) -> Self {
        // Proxies come from the environment, but a loopback base URL (the local simulator) is
        // always reached directly: a corporate proxy cannot reach this machine's 127.0.0.1.
        let proxy = if config.is_loopback() {
            None
        } else {
            ureq::Proxy::try_from_env()
        };
        let agent_config = ureq::Agent::config_builder()
            // Core reads every status code, 4xx and 5xx included.
            .http_status_as_error(false)
            // Redirects are answers for core to judge; following them would resend credentials.
            .max_redirects(0)
            .timeout_connect(Some(config.connect_timeout()))
            // Covers the whole exchange: connect, send, response headers and body.
            .timeout_global(Some(config.request_timeout()))
            .proxy(proxy)
            .build();
        let connector = DefaultConnector::new().chain(MarkWrites);
        let agent = ureq::Agent::with_parts(agent_config, connector, ReusingResolver::default());
        Self {
            agent,
            max_response_bytes: config.max_response_bytes(),
        }
    }

    /// Sends one request and reads its response, body capped.
    pub(crate) fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, AttemptError> {
        sent_marker::begin_attempt();
        let response = self
            .agent
            .run(request)
            .map_err(|error| AttemptError::Transport(failure(&error)))?;
        let (parts, body) = response.into_parts();
        let status = parts.status;
        let limit = u64::try_from(self.max_response_bytes).unwrap_or(u64::MAX);
        // Sized from Content-Length (within the cap) so the body lands in one allocation, and
        // capped by ureq's own limit: wrapping the reader in `Take` instead made std zero the
        // spare capacity again on every read, a measurable share of a 50-call page.
        let expected = body.content_length().unwrap_or(0).min(limit);
        let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        body.into_with_config()
            .limit(limit)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|error| match ureq::Error::from(error) {
                ureq::Error::BodyExceedsLimit(_) => AttemptError::TooLarge(status),
                other => AttemptError::Transport(failure(&other)),
            })?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

/// Describes a ureq failure for core, with the phase the send marker observed.
fn failure(error: &ureq::Error) -> TransportFailure {
    let phase = if sent_marker::request_bytes_written() && !head_left_incomplete(error) {
        SendPhase::MaybeSent
    } else {
        SendPhase::NotSent
    };
    TransportFailure {
        phase,
        timed_out: matches!(error, ureq::Error::Timeout(_)),
        message: error.to_string(),
    }
}

/// Whether ureq stopped before the request head was complete: it writes the head line by line
/// and refuses a line longer than its output buffer (a huge `Authorization` or path) after the
/// lines before it have gone out. A server cannot act on a head that never ended, so such a
/// request was not sent, although bytes of it were written.
fn head_left_incomplete(error: &ureq::Error) -> bool {
    matches!(
        error,
        ureq::Error::Protocol(ureq_proto::Error::OutputOverflow)
    )
}
