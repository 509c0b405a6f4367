//! The HTTP server loop: accepts connections (TCP_NODELAY) up to the connection limit,
//! closes connections that stay idle or send too slowly, reads each request whole (body
//! capped), counts API requests, applies injected faults, and hands the request to the
//! router. Serving connections ourselves, rather than through `axum::serve`, is what lets a
//! fault close a connection without answering and the limit close the oldest connections.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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
use parking_lot::Mutex;
use tokio::net::TcpListener;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use crate::api::{self, ApiError};
use crate::faults::Fault;
use crate::state::SimState;

/// How long shutdown waits for open connections to finish their current request.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);
/// At the connection limit: how long to wait for a slot before asking one more connection
/// to close.
const EVICTION_PAUSE: Duration = Duration::from_millis(10);

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

/// The open connections, oldest first, each with the signal that asks it to close.
#[derive(Debug, Default)]
struct OpenConnections {
    next_id: AtomicU64,
    by_age: Mutex<BTreeMap<u64, Arc<Notify>>>,
}

impl OpenConnections {
    fn register(&self) -> (u64, Arc<Notify>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        self.by_age.lock().insert(id, Arc::clone(&close));
        (id, close)
    }

    fn remove(&self, id: u64) {
        self.by_age.lock().remove(&id);
    }

    /// Asks the oldest connection not asked yet to close: an idle one closes at once, a busy
    /// one after its answer. `false` when every connection has been asked already.
    fn close_oldest(&self) -> bool {
        let oldest = self.by_age.lock().pop_first();
        // `notify_one` keeps the request for a task that is not waiting yet.
        oldest.map(|(_, close)| close.notify_one()).is_some()
    }
}

/// A connection slot: at once when one is free, otherwise after asking the oldest
/// connections, one by one, to close.
async fn slot(slots: &Arc<Semaphore>, open: &OpenConnections) -> OwnedSemaphorePermit {
    loop {
        if let Ok(permit) = Arc::clone(slots).try_acquire_owned() {
            return permit;
        }
        open.close_oldest();
        if let Ok(Ok(permit)) =
            tokio::time::timeout(EVICTION_PAUSE, Arc::clone(slots).acquire_owned()).await
        {
            return permit;
        }
    }
}

/// Serves until the state's shutdown signal, then drains open connections.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    state: Arc<SimState>,
    limits: Limits,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let open = Arc::new(OpenConnections::default());
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
            tokio::time::sleep(EVICTION_PAUSE).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = {
            let state = Arc::clone(&state);
            let router = router.clone();
            hyper::service::service_fn(move |request| {
                handle(
                    Arc::clone(&state),
                    router.clone(),
                    request,
                    limits.idle_timeout,
                )
            })
        };
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let (id, close) = open.register();
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
            if let Some(grace) = grace {
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
    if is_api {
        state.count_api_request();
    }
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
    }
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
