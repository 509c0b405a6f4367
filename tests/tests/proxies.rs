//! Both clients take their proxy from the environment the same way (core's `proxy` module): a
//! recording proxy on 127.0.0.1 sees one `CONNECT` from each client, or none when `NO_PROXY`
//! names the host (`*`, the domain, a suffix). Each case runs in a child process of this test
//! binary, so that the variables are set before the clients are built and no other test sees
//! them.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};

use mycpaas_core::retry::RetryPolicy;
use mycpaas_tests::child::run_ignored_case;
use mycpaas_tests::fixtures::Settings;

/// A base URL no resolver knows: only a proxy can reach it.
const BASE: &str = "https://api.mycpaas.invalid";

/// A proxy that records each request line and closes the connection.
fn recording_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut line = String::new();
            if BufReader::new(&stream).read_line(&mut line).is_ok() {
                record
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(line.trim_end().to_owned());
            }
        }
    });
    (port, seen)
}

#[test]
fn both_clients_honour_https_proxy_and_no_proxy_alike() {
    // (NO_PROXY, CONNECTs the proxy sees)
    let cases: &[(Option<&str>, usize)] = &[
        (None, 2),
        (Some("*"), 0),
        (Some("mycpaas.invalid"), 0),
        (Some(".invalid"), 0),
        (Some("other.example, api.mycpaas.invalid:443"), 0),
        (Some("api.mycpaas.invalid:8443"), 2),
    ];
    for (no_proxy, expected) in cases {
        let (port, seen) = recording_proxy();
        let proxy = format!("http://127.0.0.1:{port}");
        run_ignored_case(
            "fetch_through_both_clients",
            &[
                ("MYCPAAS_PROXY_CASE", Some("1")),
                ("HTTPS_PROXY", Some(&proxy)),
                ("https_proxy", None),
                ("ALL_PROXY", None),
                ("all_proxy", None),
                ("no_proxy", None),
                ("NO_PROXY", *no_proxy),
            ],
        );
        let seen = seen.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert_eq!(seen.len(), *expected, "NO_PROXY={no_proxy:?}: {seen:?}");
        for line in &seen {
            assert!(
                line.starts_with("CONNECT api.mycpaas.invalid:443 "),
                "{line}"
            );
        }
    }
}

#[test]
#[ignore = "run by both_clients_honour_https_proxy_and_no_proxy_alike"]
fn fetch_through_both_clients() {
    assert!(std::env::var_os("MYCPAAS_PROXY_CASE").is_some());
    let settings = Settings::new(BASE, "AC123", "token").retry(RetryPolicy::no_retries());
    for client in settings.both() {
        // The proxy closes the tunnel (or, without a proxy, the name does not resolve): an error
        // either way; the proxy's record says which way the client went.
        assert!(client.fetch("CA1").is_err(), "{}", client.name());
    }
}
