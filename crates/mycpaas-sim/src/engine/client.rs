//! The HTTP client that fetches documents from the customer's web app and posts its webhooks.
//!
//! TLS is rustls on the *ring* provider with the operating system's roots (through
//! `rustls-platform-verifier`): the crates and features the SDK's clients are built with, so a
//! build of the simulator next to a client compiles them once. Nothing here installs a
//! process-wide provider, so an application embedding the simulator keeps its own choice.

use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConfig;
use rustls_platform_verifier::Verifier;

/// Longest a webhook request may take, from connecting to the last byte of the answer.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The webhook client. Redirects are never followed: a `3xx` is the web app's answer, recorded
/// as such, so the form and its signature go to no URL but the one the call names.
/// Setting it up fails only when no root certificate can be read, which starting the
/// simulator reports.
pub(crate) fn build(idle_per_host: usize) -> std::io::Result<reqwest::Client> {
    let setup_failed = |error: &dyn std::fmt::Display| {
        std::io::Error::other(format!(
            "the webhook HTTP client could not be set up: {error}"
        ))
    };
    let tls = tls_config().map_err(|error| setup_failed(&error))?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .tcp_nodelay(true)
        .pool_max_idle_per_host(idle_per_host)
        .build()
        .map_err(|error| setup_failed(&error))
}

/// rustls on ring, TLS 1.2 and 1.3, the platform's verifier; ALPN offers HTTP/1.1 only, the
/// protocol web apps answer webhooks with.
fn tls_config() -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Verifier::new(Arc::clone(&provider))?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        // "dangerous" in name only: the platform verifier, which rustls puts behind this gate
        // like every verifier it does not build itself.
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
