//! `SignatureLayer`: the signature check in front of any tower service.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{Request, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use crate::config::WebhookConfig;
use crate::verify::{MAX_BODY_BYTES, verify};

/// Refuses, with 403 and no detail, every request whose `X-Mycpaas-Signature` is not valid for
/// the URL the platform signed; passes the others on, body intact.
///
/// ```
/// use axum::{Router, routing::post};
/// use mycpaas_axum::{SignatureLayer, WebhookConfig};
///
/// async fn status() -> &'static str { "ok" }
///
/// let app: Router = Router::new()
///     .route("/status", post(status))
///     .layer(SignatureLayer::new(WebhookConfig::new("auth-token")));
/// ```
#[derive(Debug, Clone)]
pub struct SignatureLayer {
    config: WebhookConfig,
}

impl SignatureLayer {
    /// Checks signatures with `config`.
    pub fn new(config: WebhookConfig) -> Self {
        SignatureLayer { config }
    }
}

impl<S> Layer<S> for SignatureLayer {
    type Service = SignatureService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SignatureService {
            inner,
            config: self.config.clone(),
        }
    }
}

/// The service of [`SignatureLayer`].
#[derive(Debug, Clone)]
pub struct SignatureService<S> {
    inner: S,
    config: WebhookConfig,
}

impl<S> Service<Request<Body>> for SignatureService<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        // The ready service goes with this request; a fresh clone waits for the next one.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let config = self.config.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
                return Ok(StatusCode::PAYLOAD_TOO_LARGE.into_response());
            };
            if let Err(status) = verify(&config, &parts, &body) {
                return Ok(status.into_response());
            }
            inner
                .call(Request::from_parts(parts, Body::from(body)))
                .await
        })
    }
}
