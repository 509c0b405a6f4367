//! The HTTP server loop: accepts connections (TCP_NODELAY), reads each request whole
//! (body capped), counts API requests, applies injected faults, and hands the request
//! to the router. Serving connections ourselves, rather than through `axum::serve`,
//! is what lets a fault close a connection without answering.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Request, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt as _;
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::api::{self, ApiError};
use crate::faults::Fault;
use crate::state::SimState;

/// How long shutdown waits for open connections to finish their current request.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

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
pub(crate) async fn serve(listener: TcpListener, router: Router, state: Arc<SimState>) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = state.shutdown.subscribe();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else {
                    // Out of file descriptors or similar: wait a little rather than spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&state);
                let router = router.clone();
                let service = hyper::service::service_fn(move |request| {
                    handle(Arc::clone(&state), router.clone(), request)
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    // Errors here are client disconnects and injected drops.
                    let _ = connection.await;
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown()).await;
}

async fn handle(
    state: Arc<SimState>,
    router: Router,
    request: Request<Incoming>,
) -> Result<Response, DropConnection> {
    let is_api = api::is_api_path(request.uri().path());
    if is_api {
        state.count_api_request();
    }
    let (parts, body) = request.into_parts();
    // The request is read whole before anything is decided, faults included.
    let Ok(body) = axum::body::to_bytes(Body::new(body), state.max_body_bytes).await else {
        return Ok(ApiError::body_too_large(state.max_body_bytes).into_response());
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
