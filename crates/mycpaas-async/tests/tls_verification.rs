//! The shared TLS settings against a real TLS server on 127.0.0.1 whose certificate is
//! self-signed (tests/fixtures: a P-256 key and a certificate for 127.0.0.1 and localhost,
//! made for these tests only). No system root vouches for it, so the handshake must fail in
//! certificate verification, not anywhere else. Its subject names no host on purpose: Debian
//! puts its own self-signed "CN = localhost" certificate into /etc/ssl/certs, which would
//! become a candidate issuer.

use std::error::Error;
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::Duration;

use rustls::crypto::CryptoProvider;

const CERT: &[u8] = include_bytes!("fixtures/self-signed-cert.der");
const KEY: &[u8] = include_bytes!("fixtures/self-signed-key.der");

/// A TLS server that accepts one connection and runs its handshake; the thread returns how
/// the handshake ended, as the server saw it.
fn one_handshake_server() -> (u16, JoinHandle<String>) {
    let config = mycpaas_tests::tls::server_config(CERT, KEY);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    let server = std::thread::spawn(move || {
        let (mut tcp, _) = listener.accept().expect("accept");
        // Only so that a broken client cannot hang the test run.
        tcp.set_read_timeout(Some(Duration::from_secs(30)))
            .expect("read timeout");
        let mut connection = rustls::ServerConnection::new(config).expect("server");
        while connection.is_handshaking() {
            if let Err(error) = connection.complete_io(&mut tcp) {
                return error.to_string();
            }
        }
        "handshake completed".to_owned()
    });
    (port, server)
}

/// The error and its sources on one line.
fn chain(error: &dyn Error) -> String {
    let causes: Vec<String> = std::iter::successors(Some(error), |&e| e.source())
        .map(ToString::to_string)
        .collect();
    causes.join(": ")
}

#[tokio::test]
async fn a_self_signed_server_certificate_is_refused() {
    let (port, server) = one_handshake_server();
    let client = mycpaas_async::tls::reqwest_client_builder()
        .expect("the system roots load")
        .no_proxy()
        .build()
        .expect("client");

    let error = client
        .get(format!("https://127.0.0.1:{port}/"))
        .send()
        .await
        .expect_err("an unknown issuer must be refused");

    let client_side = chain(&error);
    assert!(
        client_side.contains("invalid peer certificate: UnknownIssuer"),
        "the client refused for another reason: {client_side}"
    );
    let server_side = server.join().expect("server thread");
    assert!(
        server_side.contains("UnknownCA"),
        "the server saw: {server_side}"
    );
}

#[test]
fn the_client_settings_use_ring_and_install_no_process_default() {
    let config = mycpaas_async::tls::client_config().expect("the system roots load");
    let ring = rustls::crypto::ring::default_provider();
    let suites = |provider: &CryptoProvider| -> Vec<_> {
        provider
            .cipher_suites
            .iter()
            .map(rustls::SupportedCipherSuite::suite)
            .collect()
    };
    assert_eq!(suites(config.crypto_provider()), suites(&ring));
    assert!(config.enable_sni);

    mycpaas_async::tls::reqwest_client_builder()
        .expect("the system roots load")
        .build()
        .expect("an HTTPS-capable reqwest client");
    assert!(
        CryptoProvider::get_default().is_none(),
        "a library must leave the process-wide provider to the application"
    );
}
