//! An audit of every route of the simulator with raw HTTP: each answers 401 without valid
//! credentials and 404 across accounts; malformed form bodies and invalid UTF-8 get 400 with an
//! error code; the body size cap holds. Error bodies always have the API's shape.

use mycpaas_sim::{SimHandle, Simulator};
use mycpaas_tests::raw_http::{RawRequest, RawResponse};

const A: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const A_TOKEN: &str = "token-of-account-a";
const B: &str = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const B_TOKEN: &str = "token-of-account-b";
const PREFIXES: [&str; 2] = ["/api/laml/2010-04-01", "/2010-04-01"];
const VALID_FORM: &[u8] =
    b"To=%2B15551230000&From=%2B15559870000&Twiml=%3CResponse%3E%3CHangup%2F%3E%3C%2FResponse%3E";

fn sim(max_body_bytes: Option<usize>) -> SimHandle {
    let mut builder = Simulator::builder()
        .seed(11)
        .account(A, A_TOKEN)
        .account(B, B_TOKEN);
    if let Some(limit) = max_body_bytes {
        builder = builder.max_body_bytes(limit);
    }
    builder.start_in_background().expect("the simulator starts")
}

fn send(sim: &SimHandle, request: &RawRequest<'_>) -> RawResponse {
    request
        .send(&sim.base_url())
        .unwrap_or_else(|e| panic!("{} {}: {e}", request.method, request.path))
}

/// Account A's fetch of its call `call`.
fn fetch_as_a(sim: &SimHandle, call: &str) -> RawResponse {
    let path = format!("{}/Accounts/{A}/Calls/{call}.json", PREFIXES[0]);
    send(sim, &RawRequest::new("GET", &path).basic_auth(A, A_TOKEN))
}

/// Creates a call for account A and returns its SID.
fn create_call(sim: &SimHandle) -> String {
    let path = format!("{}/Accounts/{A}/Calls.json", PREFIXES[0]);
    let answer = send(sim, &post_as_a(&path, VALID_FORM));
    assert_eq!(answer.status, 201, "{:?}", answer.json());
    answer.json()["sid"].as_str().unwrap().to_owned()
}

/// Every route of the simulator with a call of account `account`, as (method, path), plus paths
/// that are no route at all (those must not tell an unauthenticated client they do not exist).
fn routes(account: &str, call: &str) -> Vec<(&'static str, String)> {
    let mut routes = Vec::new();
    for prefix in PREFIXES {
        let calls = format!("{prefix}/Accounts/{account}/Calls.json");
        let one = format!("{prefix}/Accounts/{account}/Calls/{call}.json");
        routes.extend([
            ("GET", calls.clone()),
            ("POST", calls),
            ("GET", one.clone()),
            ("POST", one.clone()),
            ("DELETE", one),
            ("GET", format!("{prefix}/Accounts/{account}.json")),
            (
                "GET",
                format!("{prefix}/Accounts/{account}/Recordings.json"),
            ),
        ]);
    }
    routes.extend([
        ("GET", format!("/_sim/calls/{call}/timeline")),
        ("GET", "/".to_owned()),
        ("GET", "/no/such/route".to_owned()),
        ("POST", "/api/laml/2010-04-01/Accounts".to_owned()),
    ]);
    routes
}

/// The answer is an API error document with this status and code.
fn assert_error(answer: &RawResponse, status: u16, code: u64, what: &str) {
    let body = answer.json();
    assert_eq!(answer.status, status, "{what}: {body}");
    assert_eq!(answer.code(), Some(code), "{what}: {body}");
    assert_eq!(
        body["status"].as_u64(),
        Some(u64::from(status)),
        "{what}: {body}"
    );
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: {body}"
    );
    assert!(body["more_info"].is_string(), "{what}: {body}");
    assert!(
        answer
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{what}: {:?}",
        answer.headers
    );
}

#[test]
fn every_route_answers_401_without_valid_credentials() {
    let sim = sim(None);
    let call = create_call(&sim);
    let routes = routes(A, &call);
    let bad_headers: [Option<(&str, &str)>; 4] = [
        None,
        Some((A, "wrong-token")),
        Some(("ACnobody", A_TOKEN)),
        Some((A, "")),
    ];
    let mut checked = 0;
    for (method, path) in &routes {
        for credentials in bad_headers {
            let mut request = RawRequest::new(method, path);
            if let Some((user, password)) = credentials {
                request = request.basic_auth(user, password);
            }
            if *method == "POST" {
                request = request.form(VALID_FORM);
            }
            let answer = send(&sim, &request);
            assert_error(
                &answer,
                401,
                20003,
                &format!("{method} {path} {credentials:?}"),
            );
            assert!(answer.header("www-authenticate").is_some());
            checked += 1;
        }
    }
    assert_eq!(
        sim.calls_created(),
        1,
        "only the authenticated create made a call"
    );
    println!(
        "route audit: {checked} unauthenticated requests over {} routes: all 401",
        routes.len()
    );
}

#[test]
fn malformed_authorization_headers_are_401() {
    let sim = sim(None);
    let path = format!("{}/Accounts/{A}/Calls.json", PREFIXES[0]);
    for header in [
        "Basic",
        "Basic ",
        "Basic !!!notbase64!!!",
        "Basic QUNhYWFh", // "ACaaaa", no colon
        "Bearer token-of-account-a",
        "basic",
        "Digest username=\"ACaaaa\"",
    ] {
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {header}\r\n\r\n"
        );
        let answer = raw_exchange(&sim, raw.as_bytes());
        assert_error(&answer, 401, 20003, header);
    }
}

fn raw_exchange(sim: &SimHandle, bytes: &[u8]) -> RawResponse {
    use std::io::{Read, Write};
    let host = sim.base_url().trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream.write_all(bytes).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    mycpaas_tests::raw_http::parse(&answer).unwrap()
}

#[test]
fn another_accounts_calls_are_404_on_every_route() {
    let sim = sim(None);
    let call = create_call(&sim);
    let mut checked = 0;
    // B asks for everything under A's account, and for A's call under its own account.
    let foreign = routes(A, &call);
    let own_with_foreign_call = routes(B, &call)
        .into_iter()
        .filter(|(_, path)| path.contains("/Calls/") || path.starts_with("/_sim/"));
    for (method, path) in foreign.into_iter().chain(own_with_foreign_call) {
        let mut request = RawRequest::new(method, &path).basic_auth(B, B_TOKEN);
        if method == "POST" {
            request = request.form(b"Status=completed");
        }
        let answer = send(&sim, &request);
        if answer.status == 405 {
            // A method the route does not have: refused before any account is looked at.
            continue;
        }
        assert_error(&answer, 404, 20404, &format!("B: {method} {path}"));
        checked += 1;
    }
    // B's own list does not show A's call; A still has it.
    let b_list = send(
        &sim,
        &RawRequest::new("GET", &format!("{}/Accounts/{B}/Calls.json", PREFIXES[0]))
            .basic_auth(B, B_TOKEN),
    );
    assert_eq!(b_list.status, 200);
    assert_eq!(b_list.json()["calls"].as_array().map(Vec::len), Some(0));
    assert_eq!(fetch_as_a(&sim, &call).status, 200);
    assert_eq!(sim.calls_created(), 1);
    println!("route audit: {checked} cross-account requests: all 404");
}

#[test]
fn methods_a_route_does_not_have_get_401_then_405_without_acting() {
    let sim = sim(None);
    let call = create_call(&sim);
    for prefix in PREFIXES {
        let calls = format!("{prefix}/Accounts/{A}/Calls.json");
        let one = format!("{prefix}/Accounts/{A}/Calls/{call}.json");
        for (method, path) in [
            ("PUT", &calls),
            ("DELETE", &calls),
            ("PATCH", &one),
            ("PUT", &one),
        ] {
            let answer = send(&sim, &RawRequest::new(method, path));
            assert_error(
                &answer,
                401,
                20003,
                &format!("{method} {path} without credentials"),
            );
            let answer = send(&sim, &RawRequest::new(method, path).basic_auth(A, A_TOKEN));
            assert_eq!(answer.status, 405, "{method} {path}");
            assert!(
                answer.code().is_some(),
                "{method} {path}: {:?}",
                answer.json()
            );
        }
    }
    assert_eq!(sim.calls_created(), 1);
    // The call is untouched.
    assert_eq!(fetch_as_a(&sim, &call).status, 200);
}

/// Create bodies a form parser must not trip over.
const MALFORMED_CREATES: [(&str, &[u8]); 12] = [
    (
        "bad percent escape",
        b"To=%zz&From=%2B15559870000&Url=https://example.com/v",
    ),
    (
        "truncated percent escape",
        b"To=%2&From=%2B15559870000&Url=https://example.com/v",
    ),
    ("only separators", b"&&&===&&"),
    ("keys without values", b"To&From&Url"),
    (
        "json instead of a form",
        br#"{"To": "+15551230000", "From": "+15559870000"}"#,
    ),
    ("xml instead of a form", b"<Response><Hangup/></Response>"),
    ("nul bytes", b"To=\x00\x00&From=\x00"),
    (
        "control characters in To",
        b"To=%2B1555%0D%0A1230000&From=%2B15559870000&Url=https://example.com/v",
    ),
    (
        "raw invalid UTF-8 in To",
        b"To=\xff\xfe&From=%2B15559870000&Url=https://example.com/v",
    ),
    (
        "escaped invalid UTF-8 in To",
        b"To=%FF%FE&From=%2B15559870000&Url=https://example.com/v",
    ),
    (
        "raw invalid UTF-8 in a key",
        b"T\xffo=%2B15551230000&From=%2B15559870000&Url=https://example.com/v",
    ),
    (
        "invalid UTF-8 in Url",
        b"To=%2B15551230000&From=%2B15559870000&Url=%FF%FE",
    ),
];

/// Update bodies with malformed values.
const MALFORMED_UPDATES: [(&str, &[u8]); 5] = [
    ("bad percent escape in Status", b"Status=%zz"),
    ("escaped invalid UTF-8 in Status", b"Status=%FF%FE"),
    ("raw invalid UTF-8 in Status", b"Status=\xc3\x28"),
    ("invalid UTF-8 in Url", b"Url=%C0%AF"),
    ("relative Url", b"Url=voice.xml"),
];

/// Invalid UTF-8 that a lossy decoding would turn into a valid value (U+FFFD inside text, a URL
/// path, a filter): it must be refused as such, not replaced.
const INVALID_UTF8_HIDDEN_BY_LOSSY_DECODING: [(&str, &str, &[u8]); 3] = [
    ("POST", "create", b"To=%2B15551230000&From=%2B15559870000&Twiml=%3CResponse%3E%3CSay%3E%C3%28%3C%2FSay%3E%3C%2FResponse%3E"),
    ("POST", "create", b"To=%2B15551230000&From=%2B15559870000&Url=https://example.com/v&StatusCallback=https://example.com/%C0%AF"),
    ("GET", "list", b"To=%FF"),
];

/// Sends a malformed request and tells whether it got 400 with a code.
fn refused(sim: &SimHandle, method: &str, path: &str, body: &[u8]) -> Result<(), String> {
    let request = if method == "GET" {
        let with_query = format!("{path}?{}", String::from_utf8_lossy(body));
        return check_400(&send(
            sim,
            &RawRequest::new("GET", &with_query).basic_auth(A, A_TOKEN),
        ));
    } else {
        RawRequest::new(method, path)
            .basic_auth(A, A_TOKEN)
            .form(body)
    };
    check_400(&send(sim, &request))
}

fn check_400(answer: &RawResponse) -> Result<(), String> {
    if answer.status == 400 && answer.code().is_some() {
        Ok(())
    } else {
        Err(format!(
            "{} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        ))
    }
}

#[test]
fn malformed_form_bodies_and_invalid_utf8_get_400_with_a_code() {
    let sim = sim(None);
    let call = create_call(&sim);
    let create_path = format!("{}/Accounts/{A}/Calls.json", PREFIXES[0]);
    let update_path = format!("{}/Accounts/{A}/Calls/{call}.json", PREFIXES[0]);
    let mut problems = Vec::new();
    let mut checked = 0;
    for (name, body) in MALFORMED_CREATES {
        checked += 1;
        if let Err(problem) = refused(&sim, "POST", &create_path, body) {
            problems.push(format!("create, {name}: {problem}"));
        }
    }
    for (name, body) in MALFORMED_UPDATES {
        checked += 1;
        if let Err(problem) = refused(&sim, "POST", &update_path, body) {
            problems.push(format!("update, {name}: {problem}"));
        }
    }
    for (method, what, body) in INVALID_UTF8_HIDDEN_BY_LOSSY_DECODING {
        checked += 1;
        if let Err(problem) = refused(&sim, method, &create_path, body) {
            problems.push(format!(
                "{what}, {}: {problem}",
                String::from_utf8_lossy(body)
            ));
        }
    }
    for query in ["PageSize=%FF1", "PageSize=0", "Status=%C3%28", "Page=-1"] {
        checked += 1;
        if let Err(problem) = refused(&sim, "GET", &create_path, query.as_bytes()) {
            problems.push(format!("list ?{query}: {problem}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {checked} malformed requests were not refused with 400 and a code:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(sim.calls_created(), 1, "no malformed create made a call");
    println!("route audit: {checked} malformed bodies and queries: all 400 with a code");
}

/// A valid create padded with an ignored parameter to `size` bytes.
fn padded_create(size: usize) -> Vec<u8> {
    let mut form = VALID_FORM.to_vec();
    form.extend_from_slice(b"&Padding=");
    form.resize(size, b'a');
    form
}

/// Account A's POST of the form `body` to `path`.
fn post_as_a<'a>(path: &'a str, body: &'a [u8]) -> RawRequest<'a> {
    RawRequest::new("POST", path)
        .basic_auth(A, A_TOKEN)
        .form(body)
}

#[test]
fn the_body_size_cap_holds() {
    let limit = 2048;
    let sim = sim(Some(limit));
    let path = format!("{}/Accounts/{A}/Calls.json", PREFIXES[0]);
    // Just under the cap: a valid create padded with an ignored parameter.
    let answer = send(&sim, &post_as_a(&path, &padded_create(limit)));
    assert_eq!(
        answer.status,
        201,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    // Over it, authenticated or not: 413 with a code, and no call.
    for size in [limit + 1, 4 * limit, 64 * limit] {
        let answer = send(&sim, &post_as_a(&path, &padded_create(size)));
        assert_error(&answer, 413, 20413, &format!("{size} bytes"));
    }
    assert_eq!(sim.calls_created(), 1);
}
