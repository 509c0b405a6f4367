//! One HTTP exchange over reqwest: send the bytes core built, bring back at most the capped body.

use mycpaas_core::exchange::AttemptError;
use mycpaas_core::ops::outcome::needs_own_connection;
use mycpaas_core::proxy::ProxyEnv;
use mycpaas_core::{Config, SendPhase, TransportFailure};

/// The reqwest clients set up for the Voice API: a pooled one, and one that keeps no connection
/// for the requests core wants sent on a connection of their own (creates, see
/// [`needs_own_connection`]). Cloning shares the pools.
#[derive(Debug, Clone)]
pub(crate) struct ReqwestTransport {
    pooled: reqwest::Client,
    fresh: reqwest::Client,
    max_response_bytes: usize,
}

impl ReqwestTransport {
    /// Builds the clients once: connections of the pooled one are reused by every call.
    pub(crate) fn new(config: &Config) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self {
            pooled: client(config, true)?,
            fresh: client(config, false)?,
            max_response_bytes: config.max_response_bytes(),
        })
    }

    /// Sends one request and reads its response, body capped.
    pub(crate) async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, AttemptError> {
        let client = if needs_own_connection(&request) {
            &self.fresh
        } else {
            &self.pooled
        };
        let request = reqwest::Request::try_from(request)
            .map_err(|error| AttemptError::Transport(failure(error, SendPhase::NotSent)))?;
        let mut response = client.execute(request).await.map_err(|error| {
            // hyper hands a request to a connection only once it is established, so a connect
            // error proves the server never saw it; anything later might have reached it.
            let phase = if error.is_connect() {
                SendPhase::NotSent
            } else {
                SendPhase::MaybeSent
            };
            AttemptError::Transport(failure(error, phase))
        })?;
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        // One allocation when the length is announced (never beyond the cap: the announcement
        // is the server's word, the cap is ours).
        let expected = response
            .content_length()
            .map_or(0, |length| usize::try_from(length).unwrap_or(usize::MAX))
            .min(self.max_response_bytes);
        let mut body = Vec::with_capacity(expected);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| AttemptError::Transport(failure(error, SendPhase::MaybeSent)))?
        {
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(AttemptError::TooLarge(response.status()));
            }
            body.extend_from_slice(&chunk);
        }
        builder.body(body).map_err(|error| {
            AttemptError::Transport(TransportFailure {
                phase: SendPhase::MaybeSent,
                timed_out: false,
                message: error.to_string(),
                source: Some(Box::new(error)),
            })
        })
    }
}

/// A client for `config`; `pooled` keeps idle connections for reuse, otherwise none is kept. TLS
/// is the workspace's one setup (rustls on ring, the system's roots): reqwest has no provider of
/// its own.
fn client(
    config: &Config,
    pooled: bool,
) -> Result<reqwest::Client, Box<dyn std::error::Error + Send + Sync>> {
    let mut builder = crate::tls::reqwest_client_builder()?
        // Redirects are answers for core to judge; following them would resend credentials.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(config.connect_timeout())
        // Covers the whole exchange: connect, send, response headers and body.
        .timeout(config.request_timeout())
        .tcp_nodelay(true);
    // The proxy is core's decision for the base URL, the same as the blocking client's (see
    // `mycpaas_core::proxy`), not reqwest's own reading of the environment; an unusable proxy
    // URL is ignored, as by both clients.
    builder = builder.no_proxy();
    if let Some(proxy) = ProxyEnv::from_env()
        .proxy_for(config.parsed_base_url())
        .and_then(|url| reqwest::Proxy::all(url).ok())
    {
        builder = builder.proxy(proxy);
    }
    if !pooled {
        // Keeps no connection: each request opens its own.
        builder = builder.pool_max_idle_per_host(0);
    }
    Ok(builder.build()?)
}

/// Describes a reqwest failure for core, keeping it as the cause.
impl ReqwestTransport {
    /// Sends one request and, for a 2xx answer, writes its body to `sink` chunk by chunk as it
    /// arrives (no size limit: the caller asked for all of it); any other answer comes back
    /// with its body, capped, for core to read as an error.
    pub(crate) async fn stream(
        &self,
        request: http::Request<Vec<u8>>,
        sink: &mut (dyn tokio::io::AsyncWrite + Unpin + Send),
    ) -> Result<Streamed, mycpaas_core::Error> {
        use tokio::io::AsyncWriteExt;

        let request = reqwest::Request::try_from(request)
            .map_err(|error| failure(error, SendPhase::NotSent).into_error())?;
        let mut response = self.pooled.execute(request).await.map_err(|error| {
            let phase = if error.is_connect() {
                SendPhase::NotSent
            } else {
                SendPhase::MaybeSent
            };
            failure(error, phase).into_error()
        })?;
        let read_failed = |error| failure(error, SendPhase::MaybeSent).into_error();
        if !response.status().is_success() {
            let status = response.status();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(read_failed)? {
                if body.len() + chunk.len() > self.max_response_bytes {
                    break;
                }
                body.extend_from_slice(&chunk);
            }
            let answer = http::Response::builder()
                .status(status)
                .body(body)
                .unwrap_or_default();
            return Ok(Streamed::Refused(answer));
        }
        let content_type = response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut written = 0u64;
        while let Some(chunk) = response.chunk().await.map_err(read_failed)? {
            sink.write_all(&chunk).await.map_err(write_failed)?;
            written += chunk.len() as u64;
        }
        sink.flush().await.map_err(write_failed)?;
        Ok(Streamed::Written(written, content_type))
    }
}

/// The outcome of [`ReqwestTransport::stream`].
#[derive(Debug)]
pub(crate) enum Streamed {
    /// The body was written: how many bytes, and the announced media type.
    Written(u64, Option<String>),
    /// The server refused: its answer, for core to read.
    Refused(http::Response<Vec<u8>>),
}

fn write_failed(error: std::io::Error) -> mycpaas_core::Error {
    mycpaas_core::Error::Write {
        message: error.to_string(),
        source: Some(Box::new(error)),
    }
}

fn failure(error: reqwest::Error, phase: SendPhase) -> TransportFailure {
    TransportFailure {
        phase,
        timed_out: error.is_timeout(),
        message: error_chain(&error),
        source: Some(Box::new(error)),
    }
}

/// The error and its sources on one line: reqwest's own message alone hides the cause.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
