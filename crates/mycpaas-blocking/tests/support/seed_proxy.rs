//! A pass-through HTTP proxy in front of the simulator that strips the page links
//! (`uri`, `first_page_uri`, `next_page_uri`, `previous_page_uri`) from list responses, so a
//! client sees the seed envelope `{"page", "page_size", "calls"}` and must walk by `Page + 1`.
//! Every request still reaches the real simulator; only the envelope's shape changes.

use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// A running proxy; stops when dropped.
pub struct SeedProxy {
    base_url: String,
    runtime: Option<tokio::runtime::Runtime>,
}

#[derive(Clone)]
struct Upstream {
    base_url: String,
    client: reqwest::Client,
}

impl SeedProxy {
    /// Starts a proxy forwarding to `upstream_base_url`, on a runtime of its own.
    pub fn start(upstream_base_url: &str) -> SeedProxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("proxy runtime");
        let upstream = Upstream {
            base_url: upstream_base_url.to_owned(),
            client: mycpaas_async::tls::reqwest_client_builder()
                .expect("TLS setup")
                .build()
                .expect("proxy client"),
        };
        // Bound with std so that starting works inside another runtime too (no block_on).
        let listener = std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .expect("proxy listener");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("proxy address");
        let app = Router::new().fallback(forward).with_state(upstream);
        runtime.spawn(async move {
            if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                let _ = axum::serve(listener, app).await;
            }
        });
        SeedProxy {
            base_url: format!("http://{addr}"),
            runtime: Some(runtime),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for SeedProxy {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn forward(
    State(upstream): State<Upstream>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut request = upstream
        .client
        .request(method, format!("{}{path}", upstream.base_url))
        .body(body);
    for name in ["authorization", "content-type", "accept", "user-agent"] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value);
        }
    }
    let Ok(response) = request.send().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let status = response.status();
    let bytes = response.bytes().await.unwrap_or_default();
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut page)) if page.contains_key("calls") => {
            for link in [
                "uri",
                "first_page_uri",
                "next_page_uri",
                "previous_page_uri",
            ] {
                page.remove(link);
            }
            serde_json::to_vec(&page).unwrap_or_default()
        }
        _ => bytes.to_vec(),
    };
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}
