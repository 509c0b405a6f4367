//! `mycpaas.webhooks.SignedUrl`: core's [`SignedUrl`], for web apps behind proxies.

use std::net::IpAddr;

use mycpaas_core::webhook::{Received, SignedUrl};
use pyo3::prelude::*;
use pyo3::types::PyMapping;

use crate::errors;

/// How a web app rebuilds the URL the platform signed: `SignedUrl.direct()`,
/// `SignedUrl.public("https://voice.example.com")` or
/// `SignedUrl.behind_proxies(["10.0.0.0/8"])`, then `rebuild(...)` for each request.
#[pyclass(module = "mycpaas.webhooks", name = "SignedUrl", frozen)]
pub(crate) struct PySignedUrl {
    inner: SignedUrl,
}

#[pymethods]
impl PySignedUrl {
    /// The URL as the request names it: for an app the platform reaches directly.
    #[staticmethod]
    fn direct() -> Self {
        PySignedUrl {
            inner: SignedUrl::direct(),
        }
    }

    /// The app's public base URL: the signed URL is that base followed by the path and query the
    /// app received, whatever the headers say.
    #[staticmethod]
    fn public(py: Python<'_>, base: &str) -> PyResult<Self> {
        SignedUrl::public(base)
            .map(|inner| PySignedUrl { inner })
            .map_err(|e| errors::from_core(py, &e))
    }

    /// Believes `Forwarded` and `X-Forwarded-Proto`/`-Host`/`-Port` from peers in `proxies`
    /// (addresses or CIDR networks) only.
    #[staticmethod]
    fn behind_proxies(py: Python<'_>, proxies: Vec<String>) -> PyResult<Self> {
        SignedUrl::behind_proxies(proxies)
            .map(|inner| PySignedUrl { inner })
            .map_err(|e| errors::from_core(py, &e))
    }

    /// The URL the platform signed for a request received on `scheme` (`http` or `https`) with
    /// the `Host` header `host`, the path and query `path`, from the peer address `peer`, with
    /// its `headers` (a mapping, e.g. Flask's `request.headers`, or `(name, value)` pairs).
    #[pyo3(signature = (scheme, host, path, *, peer = None, headers = None))]
    fn rebuild(
        &self,
        py: Python<'_>,
        scheme: &str,
        host: &str,
        path: &str,
        peer: Option<&str>,
        headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let pairs = match headers {
            None => Vec::new(),
            Some(headers) => header_pairs(headers)?,
        };
        let mut received = Received::new(scheme, host, path)
            .with_headers(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        // A peer that is no address (a Unix socket path) is no trusted proxy.
        if let Some(peer) = peer.and_then(|p| p.parse::<IpAddr>().ok()) {
            received = received.from_peer(peer);
        }
        self.inner
            .rebuild(&received)
            .map_err(|e| errors::from_core(py, &e))
    }
}

/// The `(name, value)` pairs of a mapping (its `items()`) or of an iterable of pairs.
fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let items = match headers.cast::<PyMapping>() {
        Ok(mapping) => mapping.items()?.into_any(),
        Err(_) if headers.hasattr("items")? => headers.call_method0("items")?,
        Err(_) => headers.clone(),
    };
    items
        .try_iter()?
        .map(|pair| pair?.extract::<(String, String)>())
        .collect()
}
