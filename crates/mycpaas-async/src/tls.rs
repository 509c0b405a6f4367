//! The TLS settings of every reqwest client of the SDK: rustls with the *ring* crypto provider
//! and the operating system's certificate roots (through `rustls-platform-verifier`).
//!
//! Why here and why *ring*: the blocking client (ureq) already runs rustls on ring, while
//! reqwest's stock rustls setup brings a second provider, aws-lc, whose C library was the
//! longest single step of a fresh build. reqwest is therefore built without a provider, and
//! every reqwest client of the workspace (this crate's transport, the simulator's webhook
//! client, tests, benchmarks, examples) starts from [`reqwest_client_builder`], so one provider
//! serves both transports. Nothing here installs a process-wide default provider: an
//! application embedding the SDK keeps whatever it has chosen for its own clients.
//!
//! ```
//! let client = mycpaas_async::tls::reqwest_client_builder()?
//!     .timeout(std::time::Duration::from_secs(10))
//!     .build()?;
//! # drop(client);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::crypto::CryptoProvider;
use rustls_platform_verifier::Verifier;

/// The TLS client settings could not be set up.
///
/// On Linux this mostly means that no CA certificate could be read from the system's store
/// (the `ca-certificates` package, or `SSL_CERT_FILE` / `SSL_CERT_DIR`).
#[derive(Debug, thiserror::Error)]
#[error("TLS could not be set up: {0}")]
pub struct TlsSetupError(#[from] rustls::Error);

/// The crypto provider of every client: ring, the one ureq's rustls support is built on.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A rustls client configuration: the ring provider, TLS 1.2 and 1.3, server certificates
/// verified against the operating system's roots, and ALPN offering HTTP/2 then HTTP/1.1
/// (what reqwest offers when it builds the configuration itself).
///
/// The system's roots are read on every call, so build a client once and reuse it.
///
/// ```
/// let config = mycpaas_async::tls::client_config()?;
/// assert_eq!(config.alpn_protocols, [b"h2".to_vec(), b"http/1.1".to_vec()]);
/// # Ok::<(), mycpaas_async::tls::TlsSetupError>(())
/// ```
pub fn client_config() -> Result<ClientConfig, TlsSetupError> {
    let provider = provider();
    let verifier = Verifier::new(Arc::clone(&provider))?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        // "dangerous" only in name: this is the platform verifier, the one reqwest installs
        // itself; rustls puts every custom verifier behind this gate.
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// A reqwest client builder whose TLS is [`client_config`]. reqwest is built without a crypto
/// provider of its own, so a client built from `reqwest::Client::builder()` instead would
/// panic when no process-wide default provider is installed: start every reqwest client here.
///
/// ```
/// let client = mycpaas_async::tls::reqwest_client_builder()?.build()?;
/// # drop(client);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn reqwest_client_builder() -> Result<reqwest::ClientBuilder, TlsSetupError> {
    Ok(reqwest::Client::builder().tls_backend_preconfigured(client_config()?))
}
