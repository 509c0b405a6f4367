//! The HTTP server loop: accepts connections (TCP_NODELAY) up to the connection limit
//! (see `connections`),
//! closes connections that stay idle or send too slowly, reads each request whole (body
//! capped), counts API requests, applies injected faults, and hands the request to the
//! router. Serving connections ourselves, rather than through `axum::serve`, is what lets a
//! fault close a connection without answering and the limit close the oldest connections.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt as _;
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::api::{self, ApiError};
use crate::connections::{OpenConnections, Watched, slot};
use crate::faults::Fault;
use crate::state::SimState;
use mycpaas_core::exchange::REQUEST_ID_HEADER;

/// How long shutdown waits for open connections to finish their current request.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);
/// Pause after a failed accept (out of file descriptors or similar) rather than spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(10);

/// The server's bounds on connections.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Longest time without a complete request head, and longest time to read a body.
    pub(crate) idle_timeout: Duration,
    /// Most connections served at once.
    pub(crate) max_connections: usize,
}

/// Returned to hyper to close a connection without an answer.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

/// Serves until the state's shutdown signal, then drains open connections.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    state: Arc<SimState>,
    limits: Limits,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let open = Arc::new(OpenConnections::new(limits.idle_timeout));
    let mut http = hyper::server::conn::http1::Builder::new();
    // hyper's header read timeout runs from the moment the connection waits for a request
    // head (right after it opens, and after each answer) until the head is complete: it is
    // the idle timeout too.
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.idle_timeout);
    let mut shutdown = state.shutdown.subscribe();
    loop {
        // Connections beyond the limit wait in the listen queue, not in memory.
        let permit = tokio::select! {
            permit = slot(&slots, &open) => permit,
            _ = shutdown.wait_for(|stopped| *stopped) => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.wait_for(|stopped| *stopped) => break,
        };
        let Ok((stream, _peer)) = accepted else {
            // Out of file descriptors or similar: wait a little rather than spin.
            tokio::time::sleep(ACCEPT_PAUSE).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (stream, activity) = Watched::new(stream);
        let service = {
            let state = Arc::clone(&state);
            let router = router.clone();
            let activity = Arc::clone(&activity);
            let open = Arc::clone(&open);
            hyper::service::service_fn(move |request| {
                // Until the answer is ready, a close request from the limit makes the answer
                // carry `Connection: close` instead of cutting the connection.
                let answering = activity.answering();
                let handled = handle(
                    Arc::clone(&state),
                    router.clone(),
                    request,
                    limits.idle_timeout,
                );
                let open = Arc::clone(&open);
                async move {
                    let mut answer = handled.await;
                    // At the limit, every answer ends its connection; see `at_limit`.
                    if let (true, Ok(response)) = (open.at_limit(), answer.as_mut()) {
                        response
                            .headers_mut()
                            .insert(header::CONNECTION, HeaderValue::from_static("close"));
                    }
                    drop(answering);
                    answer
                }
            })
        };
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let (id, close) = open.register(&activity);
        let open = Arc::clone(&open);
        let mut stopping = state.shutdown.subscribe();
        tokio::spawn(async move {
            let _permit = permit;
            tokio::pin!(connection);
            // Errors here are client disconnects, timeouts and injected drops.
            let grace = tokio::select! {
                _ = connection.as_mut() => None,
                () = close.notified() => Some(limits.idle_timeout),
                _ = stopping.wait_for(|stopped| *stopped) => Some(DRAIN_TIMEOUT),
            };
            // A connection that has sent nothing has nothing to finish: dropped. (hyper
            // would close it too, at once, losing a request on its way.)
            if let Some(grace) = grace.filter(|_| activity.spoke()) {
                // Idle between requests it closes now; a request being read or answered
                // finishes first.
                connection.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(grace, connection).await;
            }
            open.remove(id);
        });
    }
    drop(listener);
    let every_slot = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, slots.acquire_many(every_slot)).await;
}

async fn handle(
    state: Arc<SimState>,
    router: Router,
    request: Request<Incoming>,
    body_timeout: Duration,
) -> Result<Response, DropConnection> {
    let is_api = api::is_api_path(request.uri().path());
    if !is_api {
        return answer(state, router, request, body_timeout, false).await;
    }
    state.count_api_request();
    let request_id = state.requests.record(
        request.method().as_str(),
        request.uri().path(),
        request.headers(),
    );
    let mut response = answer(state, router, request, body_timeout, true).await?;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}

/// The answer to a request (an API request when `is_api`), faults applied.
async fn answer(
    state: Arc<SimState>,
    router: Router,
    request: Request<Incoming>,
    body_timeout: Duration,
    is_api: bool,
) -> Result<Response, DropConnection> {
    let (parts, body) = request.into_parts();
    // The request is read whole before anything is decided, faults included.
    let read = axum::body::to_bytes(Body::new(body), state.max_body_bytes);
    let body = match tokio::time::timeout(body_timeout, read).await {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => return Ok(ApiError::body_too_large(state.max_body_bytes).into_response()),
        Err(_) => return Ok(body_too_slow(body_timeout)),
    };
    let request = Request::from_parts(parts, body);
    let fault = if is_api { state.faults.next() } else { None };
    let Some(fault) = fault else {
        return Ok(route(router, request).await);
    };
    match fault {
        Fault::RateLimited { retry_after_secs } => {
            let mut response = ApiError::too_many_requests().into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            Ok(response)
        }
        Fault::Unavailable => Ok(ApiError::unavailable().into_response()),
        Fault::DropBeforeHandling => Err(DropConnection),
        Fault::DropAfterHandling => {
            let _ = route(router, request).await;
            Err(DropConnection)
        }
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            Ok(route(router, request).await)
        }
        Fault::MalformedBody => Ok(malformed(route(router, request).await)),
        Fault::TruncatedBody => Ok(truncated(route(router, request).await).await),
        Fault::BadGateway => Ok(gateway_page(StatusCode::BAD_GATEWAY)),
        Fault::GatewayTimeout => {
            let _ = route(router, request).await;
            Ok(gateway_page(StatusCode::GATEWAY_TIMEOUT))
        }
        Fault::OversizedBody(bytes) => Ok(oversized(route(router, request).await, bytes)),
    }
}

/// A proxy's error page: HTML, not the API's error document.
fn gateway_page(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Gateway Error");
    let page = format!(
        "<html><head><title>{} {reason}</title></head><body><h1>{reason}</h1></body></html>",
        status.as_u16()
    );
    let mut response = (status, page).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// Keeps the status and the object, padded with a `padding` member to `bytes` bytes in all.
fn oversized(response: Response, bytes: usize) -> Response {
    let (mut parts, _) = response.into_parts();
    let head = b"{\"sid\": \"CAoversized\", \"padding\": \"";
    let tail = b"\"}";
    let fill = bytes.saturating_sub(head.len() + tail.len());
    let chunks = [
        Bytes::from_static(head),
        Bytes::from(vec![b'x'; fill]),
        Bytes::from_static(tail),
    ];
    let length = chunks.iter().map(Bytes::len).sum::<usize>();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    let stream = futures::stream::iter(chunks.map(Ok::<Bytes, std::io::Error>));
    Response::from_parts(parts, Body::from_stream(stream))
}

/// 408 for a body that did not arrive in time; the connection is closed after it.
fn body_too_slow(timeout: Duration) -> Response {
    let mut response = ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        20408,
        format!(
            "the request body did not arrive within {} s",
            timeout.as_secs_f64()
        ),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

async fn route(router: Router, request: Request<Bytes>) -> Response {
    let request = request.map(Body::from);
    match TowerToHyperService::new(router).call(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Keeps the status, replaces the body with text that is not JSON.
fn malformed(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    let body = "{\"sid\": \"CA<html>Internal Error</html>";
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}

/// Announces the full length, sends half the body, then breaks the connection.
async fn truncated(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let full = bytes.len().max(2);
    let half = bytes.slice(..bytes.len() / 2);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full));
    let first = futures::stream::iter([Ok::<Bytes, std::io::Error>(half)]);
    // The pause lets hyper flush the head and the first half before the body fails;
    // a failure right away would close the connection with nothing sent.
    let then_fail = futures::stream::once(async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Err(std::io::Error::other("body truncated by an injected fault"))
    });
    Response::from_parts(parts, Body::from_stream(first.chain(then_fail)))
}
