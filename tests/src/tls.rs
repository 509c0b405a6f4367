//! The server side of the TLS tests: a `rustls` configuration for a fixture certificate.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A server configuration (ring, the default protocol versions, no client certificates) that
/// presents the DER certificate `cert` with its PKCS #8 key `key`.
pub fn server_config(cert: &[u8], key: &[u8]) -> Arc<rustls::ServerConfig> {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default TLS versions")
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from(cert.to_vec())],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec())),
    )
    .expect("the fixture certificate and key match");
    Arc::new(config)
}
