//! `calls create` against a server whose answer does not prove the create was refused: exit 4
//! ("the call may exist"), never the "is the API reachable?" of a transport failure.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use crate::support::mycpaas;

/// Serves one connection: reads the request head and body, writes `head`, then `body_bytes`
/// bytes of a JSON-looking body, then closes. Returns the base URL.
fn one_answer(head: String, body_bytes: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("address"));
    thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        // The form body is short: the head and the body arrive within a few reads.
        while !request.ends_with(b"Url=https%3A%2F%2Fexample.com%2Fvoice.xml") {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buffer[..n]),
            }
        }
        let _ = stream.write_all(head.as_bytes());
        let chunk = vec![b' '; 64 * 1024];
        let mut left = body_bytes;
        while left > 0 {
            let n = left.min(chunk.len());
            if stream.write_all(&chunk[..n]).is_err() {
                return;
            }
            left -= n;
        }
    });
    base_url
}

fn create_against(base_url: &str) -> assert_cmd::assert::Assert {
    mycpaas()
        .args([
            "calls",
            "create",
            "--to",
            "+491234567890",
            "--from",
            "+491098765432",
            "--url",
            "https://example.com/voice.xml",
            "--base-url",
            base_url,
            "--account-sid",
            "AC0123456789abcdef0123456789abcdef",
            "--auth-token",
            "outcome-token",
        ])
        .timeout(Duration::from_secs(60))
        .assert()
}

#[test]
fn a_201_over_the_size_limit_and_a_gateway_504_exit_4_saying_the_call_may_exist() {
    let seventeen_mib = 17 * 1024 * 1024;
    let oversized = one_answer(
        format!(
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {seventeen_mib}\r\nConnection: close\r\n\r\n"
        ),
        seventeen_mib,
    );
    let page = "<html><h1>504 Gateway Time-out</h1></html>";
    let gateway = one_answer(
        format!(
            "HTTP/1.1 504 Gateway Timeout\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
            page.len()
        ),
        0,
    );
    for base_url in [oversized, gateway] {
        let output = create_against(&base_url).code(4).get_output().clone();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("may have been created"), "{stderr}");
        assert!(stderr.contains("calls list --to"), "{stderr}");
        assert!(!stderr.contains("reachable"), "{stderr}");
    }
}
