//! A tiny customer web app for tests, demos and the Python package: it serves LaML
//! documents at chosen paths (GET and POST), answers anything else with an empty 200
//! (so status callbacks are accepted), and records every request it receives.
//!
//! ```
//! use mycpaas_sim::webapp::{WebApp, WebReply};
//!
//! # fn main() -> std::io::Result<()> {
//! let app = WebApp::builder()
//!     .document("/voice", "<Response><Say>Hi</Say></Response>")
//!     .document_fn("/menu", |request| match request.param("Digits") {
//!         Some("1") => "<Response><Say>Sales</Say></Response>".to_owned(),
//!         _ => "<Response><Hangup/></Response>".to_owned(),
//!     })
//!     .reply("/flaky-callback", |_| WebReply::status(500))
//!     .start_in_background()?;
//! assert!(app.url("/voice").ends_with("/voice"));
//! assert!(app.requests().is_empty());
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt as _;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};

use crate::background::BackgroundRuntime;

/// A request the web app received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The parameters: the form body of a POST, the query of a GET.
    pub params: Vec<(String, String)>,
    /// The `X-Mycpaas-Signature` header, if sent.
    pub signature: Option<String>,
    /// The full URL requested (`http://127.0.0.1:PORT/path?query`), as signed.
    pub full_url: String,
}

impl ReceivedRequest {
    /// The first value of a parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The parameters covered by the signature: the form parameters of a POST, none
    /// for a GET (its parameters are in the signed URL).
    pub fn signed_params(&self) -> &[(String, String)] {
        if self.method == "POST" {
            &self.params
        } else {
            &[]
        }
    }
}

/// What the web app answers at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebReply {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` header.
    pub content_type: String,
    /// The body.
    pub body: String,
}

impl WebReply {
    /// `200` with a LaML document (`text/xml`).
    pub fn xml(body: impl Into<String>) -> Self {
        Self::new(200, "text/xml", body)
    }

    /// An empty answer with this status.
    pub fn status(status: u16) -> Self {
        Self::new(status, "text/plain", "")
    }

    /// Any answer.
    pub fn new(status: u16, content_type: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: content_type.into(),
            body: body.into(),
        }
    }
}

type Handler = Arc<dyn Fn(&ReceivedRequest) -> WebReply + Send + Sync>;

/// The test web app. Start one with [`WebApp::builder`].
#[derive(Debug, Clone, Copy)]
pub struct WebApp;

impl WebApp {
    /// A builder with no documents, listening on `127.0.0.1:0`.
    pub fn builder() -> WebAppBuilder {
        WebAppBuilder {
            routes: HashMap::new(),
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        }
    }
}

/// Settings of a web app before it starts.
#[derive(Clone)]
pub struct WebAppBuilder {
    routes: HashMap<String, Handler>,
    bind: SocketAddr,
}

impl std::fmt::Debug for WebAppBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebAppBuilder")
            .field("paths", &self.routes.keys().collect::<Vec<_>>())
            .field("bind", &self.bind)
            .finish()
    }
}

impl WebAppBuilder {
    /// Serves a fixed LaML document at `path` (GET and POST), as `text/xml`.
    pub fn document(self, path: &str, laml: impl Into<String>) -> Self {
        let laml = laml.into();
        self.reply(path, move |_| WebReply::xml(laml.clone()))
    }

    /// Serves a LaML document computed from each request (its parameters, method, ...).
    pub fn document_fn(
        self,
        path: &str,
        document: impl Fn(&ReceivedRequest) -> String + Send + Sync + 'static,
    ) -> Self {
        self.reply(path, move |request| WebReply::xml(document(request)))
    }

    /// Answers requests to `path` with any reply (errors, other content types, ...).
    ///
    /// Handlers run on blocking threads, so one may take its time (sleep to play a slow
    /// endpoint) without delaying the app's other requests; a handler that panics answers 500.
    pub fn reply(
        mut self,
        path: &str,
        reply: impl Fn(&ReceivedRequest) -> WebReply + Send + Sync + 'static,
    ) -> Self {
        self.routes.insert(path.to_owned(), Arc::new(reply));
        self
    }

    /// The address to listen on (default `127.0.0.1:0`).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Starts the web app on the current tokio runtime.
    pub async fn start(self) -> io::Result<WebAppHandle> {
        let listener = TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let (requests, _) = broadcast::channel(4096);
        let (shutdown, mut stop) = watch::channel(false);
        let shared = Arc::new(Shared {
            routes: self.routes,
            received: Mutex::new(Vec::new()),
            requests,
            addr,
            shutdown,
        });
        let router = Router::new()
            .fallback(receive)
            .with_state(Arc::clone(&shared));
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|stopped| *stopped).await;
                })
                .await;
        });
        Ok(WebAppHandle {
            inner: Arc::new(AppInner {
                shared,
                runtime: Mutex::new(None),
            }),
        })
    }

    /// Starts the web app on a runtime of its own; it stops when the last handle is dropped.
    pub fn start_in_background(self) -> io::Result<WebAppHandle> {
        let runtime = BackgroundRuntime::new("mycpaas-webapp")?;
        let handle = runtime.run(self.start())??;
        *handle.inner.runtime.lock() = Some(runtime);
        Ok(handle)
    }
}

struct Shared {
    routes: HashMap<String, Handler>,
    received: Mutex<Vec<ReceivedRequest>>,
    requests: broadcast::Sender<ReceivedRequest>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
}

struct AppInner {
    shared: Arc<Shared>,
    runtime: Mutex<Option<BackgroundRuntime>>,
}

impl Drop for AppInner {
    fn drop(&mut self) {
        let _ = self.shared.shutdown.send(true);
        drop(self.runtime.lock().take());
    }
}

/// A running web app. Cheap to clone; stops when the last clone is dropped.
#[derive(Clone)]
pub struct WebAppHandle {
    inner: Arc<AppInner>,
}

impl std::fmt::Debug for WebAppHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebAppHandle")
            .field("addr", &self.inner.shared.addr)
            .finish_non_exhaustive()
    }
}

impl WebAppHandle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.inner.shared.addr)
    }

    /// The absolute URL of `path` (`"/voice"` → `http://127.0.0.1:PORT/voice`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.inner.shared.received.lock().clone()
    }

    /// The requests received at `path`, oldest first.
    pub fn requests_to(&self, path: &str) -> Vec<ReceivedRequest> {
        self.inner
            .shared
            .received
            .lock()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Subscribes to requests as they arrive.
    pub fn subscribe(&self) -> broadcast::Receiver<ReceivedRequest> {
        self.inner.shared.requests.subscribe()
    }

    /// Stops the web app.
    pub fn shutdown(&self) {
        let _ = self.inner.shared.shutdown.send(true);
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| shared.addr.to_string(), str::to_owned);
    let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
    let params = if method == Method::POST {
        form_urlencoded::parse(&body).into_owned().collect()
    } else {
        form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    };
    let request = ReceivedRequest {
        method: method.to_string(),
        path: uri.path().to_owned(),
        params,
        signature: headers
            .get(mycpaas_core::webhook::SIGNATURE_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        full_url: format!("http://{host}{path_and_query}"),
    };
    let reply = match shared.routes.get(uri.path()).cloned() {
        None => WebReply::status(200),
        Some(handler) => {
            // On a blocking thread: a handler that takes its time (a slow endpoint, on
            // purpose) holds up only its own request, never the other requests of the app.
            let request = request.clone();
            tokio::task::spawn_blocking(move || handler(&request))
                .await
                .unwrap_or_else(|_panicked| WebReply::status(500))
        }
    };
    shared.received.lock().push(request.clone());
    let _ = shared.requests.send(request);
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, reply.content_type)],
        reply.body,
    )
        .into_response()
}
