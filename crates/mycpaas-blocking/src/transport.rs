//! One HTTP exchange over ureq: send the bytes core built, bring back at most the capped body.

use std::io::Read;

use mycpaas_core::exchange::AttemptError;
use mycpaas_core::ops::outcome::needs_own_connection;
use mycpaas_core::proxy::ProxyEnv;
use mycpaas_core::{Config, Error, SendPhase, TransportFailure};
use ureq::unversioned::transport::{Connector, DefaultConnector};

use crate::resolver::LiteralResolver;
use crate::sent_marker::{self, MarkWrites};

/// The ureq agents set up for the Voice API: a pooled one, and one that keeps no connection for
/// the requests core wants sent on a connection of their own (creates, see
/// [`needs_own_connection`]).
#[derive(Debug)]
pub(crate) struct UreqTransport {
    pooled: ureq::Agent,
    fresh: ureq::Agent,
    max_response_bytes: usize,
}

impl UreqTransport {
    /// Builds the agents once: connections of the pooled one are reused by every call of the
    /// client.
    pub(crate) fn new(config: &Config) -> Self {
        Self {
            pooled: agent(config, true),
            fresh: agent(config, false),
            max_response_bytes: config.max_response_bytes(),
        }
    }

    /// Sends one request and reads its response, body capped.
    pub(crate) fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, AttemptError> {
        sent_marker::begin_attempt();
        let agent = if needs_own_connection(&request) {
            &self.fresh
        } else {
            &self.pooled
        };
        let response = agent
            .run(request)
            .map_err(|error| AttemptError::Transport(failure(error)))?;
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
                other => AttemptError::Transport(failure(other)),
            })?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

impl UreqTransport {
    /// Sends one request and, for a 2xx answer, copies its body to `sink` as it arrives (no
    /// size limit: the caller asked for all of it); any other answer comes back with its body,
    /// capped, for core to read as an error.
    pub(crate) fn stream(
        &self,
        request: http::Request<Vec<u8>>,
        sink: &mut dyn std::io::Write,
    ) -> Result<Streamed, Error> {
        sent_marker::begin_attempt();
        let response = self
            .pooled
            .run(request)
            .map_err(|error| failure(error).into_error())?;
        let (parts, body) = response.into_parts();
        if !parts.status.is_success() {
            let limit = u64::try_from(self.max_response_bytes).unwrap_or(u64::MAX);
            let mut bytes = Vec::new();
            let _ = body
                .into_with_config()
                .limit(limit)
                .reader()
                .read_to_end(&mut bytes);
            return Ok(Streamed::Refused(http::Response::from_parts(parts, bytes)));
        }
        let content_type = parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut reader = body.into_with_config().limit(u64::MAX).reader();
        let mut buffer = vec![0; 64 * 1024];
        let mut written = 0u64;
        loop {
            let read = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(failure(ureq::Error::from(error)).into_error()),
            };
            sink.write_all(&buffer[..read]).map_err(write_failed)?;
            written += read as u64;
        }
        sink.flush().map_err(write_failed)?;
        Ok(Streamed::Written(written, content_type))
    }
}

fn write_failed(error: std::io::Error) -> Error {
    Error::Write {
        message: error.to_string(),
        source: Some(Box::new(error)),
    }
}

/// The outcome of [`UreqTransport::stream`].
#[derive(Debug)]
pub(crate) enum Streamed {
    /// The body was written: how many bytes, and the announced media type.
    Written(u64, Option<String>),
    /// The server refused: its answer, for core to read.
    Refused(http::Response<Vec<u8>>),
}

/// An agent for `config`; `pooled` keeps idle connections for reuse, otherwise none is kept.
fn agent(config: &Config, pooled: bool) -> ureq::Agent {
    // The proxy is core's decision for the base URL, the same as the async client's (see
    // `mycpaas_core::proxy`); an unusable proxy URL is ignored, as by both clients.
    let proxy = ProxyEnv::from_env()
        .proxy_for(config.parsed_base_url())
        .and_then(|url| ureq::Proxy::new(url).ok());
    let mut builder = ureq::Agent::config_builder()
        // Core reads every status code, 4xx and 5xx included.
        .http_status_as_error(false)
        // Redirects are answers for core to judge; following them would resend credentials.
        .max_redirects(0)
        .timeout_connect(Some(config.connect_timeout()))
        // Covers the whole exchange: connect, send, response headers and body.
        .timeout_global(Some(config.request_timeout()))
        .proxy(proxy)
        // The operating system's trust store, as the async client's: a root a user installs is
        // trusted by both.
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        );
    if !pooled {
        // Keeps no connection: each request opens its own.
        builder = builder
            .max_idle_connections(0)
            .max_idle_connections_per_host(0);
    }
    let agent_config = builder.build();
    let connector = DefaultConnector::new().chain(MarkWrites);
    ureq::Agent::with_parts(agent_config, connector, LiteralResolver::default())
}

/// Describes a ureq failure for core, with the phase the send marker observed, keeping it as the
/// cause.
fn failure(error: ureq::Error) -> TransportFailure {
    let phase = if sent_marker::request_bytes_written() && !head_left_incomplete(&error) {
        SendPhase::MaybeSent
    } else {
        SendPhase::NotSent
    };
    TransportFailure {
        phase,
        timed_out: matches!(error, ureq::Error::Timeout(_)),
        message: error.to_string(),
        source: Some(Box::new(error)),
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
