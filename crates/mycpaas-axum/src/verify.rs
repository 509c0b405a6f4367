//! The one check both the extractor and the layer run.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::request::Parts;
use http::{Method, StatusCode, header};
use mycpaas_core::webhook::{Received, SIGNATURE_HEADER};

use crate::config::WebhookConfig;

/// The largest webhook body read (their forms are a few hundred bytes).
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

/// Checks the signature of a request whose body is `body`; returns its parameters (the form of a
/// POST, the query of a GET), or the status to refuse it with.
pub(crate) fn verify(
    config: &WebhookConfig,
    parts: &Parts,
    body: &[u8],
) -> Result<Vec<(String, String)>, StatusCode> {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| parts.uri.authority().map(http::uri::Authority::as_str))
        .ok_or(StatusCode::FORBIDDEN)?;
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let scheme = parts.uri.scheme_str().unwrap_or("http");
    let headers = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
    let mut received = Received::new(scheme, host, path).with_headers(headers);
    if let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        received = received.from_peer(peer.ip());
    }
    let url = config
        .signed_url
        .rebuild(&received)
        .map_err(|_| StatusCode::FORBIDDEN)?;
    let signature = parts
        .headers
        .get(SIGNATURE_HEADER)
        .and_then(|s| s.to_str().ok())
        .ok_or(StatusCode::FORBIDDEN)?;
    let (signed, params) = if parts.method == Method::GET {
        let query = parts.uri.query().unwrap_or_default().as_bytes();
        (Vec::new(), pairs(query))
    } else {
        let form = pairs(body);
        (form.clone(), form)
    };
    if config.validator.validate(&url, &signed, signature) {
        Ok(params)
    } else {
        Err(StatusCode::FORBIDDEN)
    }
}

fn pairs(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded).into_owned().collect()
}
