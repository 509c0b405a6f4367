//! Both clients trust a root the way a user installs one: through the operating system's trust
//! store (on Linux, `SSL_CERT_FILE` naming a bundle, which the platform verifier reads). A TLS
//! server on 127.0.0.1 with a certificate issued by a test root (tests/data/tls, made for these
//! tests only) is reached by both clients once that root is installed, and refused by both when
//! it is not. Each case runs in a child process of this test binary, so that the variable is
//! set before anything reads the store and no other test sees it.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use mycpaas_core::Error;
use mycpaas_tests::child::run_ignored_case;
use mycpaas_tests::fixtures::Settings;

const CERT: &[u8] = include_bytes!("../data/tls/server-127.0.0.1-cert.der");
const KEY: &[u8] = include_bytes!("../data/tls/server-127.0.0.1-key.der");
const SID: &str = "CA0123456789abcdef0123456789abcdef";

/// Serves TLS on 127.0.0.1, answering every request 404 with the API's error document.
fn tls_server() -> u16 {
    let config = mycpaas_tests::tls::server_config(CERT, KEY);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
                let Ok(connection) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(connection, tcp);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match tls.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let body = r#"{"code": 20404, "message": "not found", "status": 404}"#;
                let answer = format!(
                    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes());
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    port
}

#[test]
fn a_root_installed_in_the_trust_store_is_trusted_by_both_clients_and_only_then() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/tls/test-root.pem");
    let root = root.to_str().expect("a UTF-8 path");
    for (case, cert_file) in [("trusted_case", Some(root)), ("untrusted_case", None)] {
        run_ignored_case(
            case,
            &[
                ("MYCPAAS_TRUST_CASE", Some("1")),
                ("SSL_CERT_FILE", cert_file),
            ],
        );
    }
}

/// Both clients, against the TLS server: `Ok` of what each got.
fn fetch_through_both() -> Vec<(&'static str, Result<mycpaas_core::Call, Error>)> {
    let port = tls_server();
    let settings = Settings::new(&format!("https://127.0.0.1:{port}"), "AC123", "token");
    settings
        .both()
        .into_iter()
        .map(|client| (client.name(), client.fetch(SID)))
        .collect()
}

#[test]
#[ignore = "run by a_root_installed_in_the_trust_store_is_trusted_by_both_clients_and_only_then"]
fn trusted_case() {
    assert!(std::env::var_os("MYCPAAS_TRUST_CASE").is_some());
    for (name, result) in fetch_through_both() {
        // The handshake succeeded: the answer is the server's 404.
        match result {
            Err(Error::Api(api)) => assert_eq!(api.status, 404, "{name}"),
            other => panic!("{name}: expected the server's 404, got {other:?}"),
        }
    }
}

#[test]
#[ignore = "run by a_root_installed_in_the_trust_store_is_trusted_by_both_clients_and_only_then"]
fn untrusted_case() {
    assert!(std::env::var_os("MYCPAAS_TRUST_CASE").is_some());
    for (name, result) in fetch_through_both() {
        let error = result.expect_err("an unknown issuer must be refused");
        assert!(
            matches!(
                error,
                Error::Transport {
                    may_have_been_sent: false,
                    ..
                }
            ),
            "{name}: {error:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains("UnknownIssuer") || text.contains("certificate"),
            "{name}: {text}"
        );
    }
}
