//! Servers that misbehave in ways the simulator cannot: each gives a typed error, in bounded
//! time and memory, through both clients, and credentials never leave the configured host.

use std::net::Ipv4Addr;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use mycpaas_core::config::DEFAULT_MAX_RESPONSE_BYTES;
use mycpaas_core::retry::RetryPolicy;
use mycpaas_core::{Call, CreateCall, Error, ListCalls};
use mycpaas_tests::fixtures::Settings;
use mycpaas_tests::hostile::{Behavior, HostileServer, Reply};
use mycpaas_tests::memory::peak_rss_bytes;

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "hostile-token-0f9e8d";
const CALL: &str = "CA1234567890abcdef1234567890abcdef";
/// Longest a single scenario may take before the test calls it a hang (not a speed check: the
/// clients' own timeouts are a few seconds at most).
const HANG_GUARD: Duration = Duration::from_secs(60);

fn settings(server: &HostileServer) -> Settings {
    Settings::new(&server.base_url(), ACCOUNT, TOKEN)
}

fn create() -> CreateCall {
    CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml")
}

/// Runs `f` on its own thread; [`Bounded::join`] fails the test if it has not returned within
/// [`HANG_GUARD`].
fn spawn_bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Bounded<T> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let _ = sender.send(f());
    });
    Bounded(receiver)
}

/// A result on its way from a [`spawn_bounded`] thread.
struct Bounded<T>(mpsc::Receiver<T>);

impl<T> Bounded<T> {
    fn join(self, what: &str) -> T {
        self.0
            .recv_timeout(HANG_GUARD)
            .unwrap_or_else(|_| panic!("{what}: no answer within {HANG_GUARD:?}: the client hung"))
    }
}

fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    spawn_bounded(f).join(what)
}

/// Each client's name and every item of its walk over pages of two, from a server that answers
/// every request with `page`.
fn walk_pages_of_two(page: &serde_json::Value) -> Vec<(&'static str, Vec<Result<Call, Error>>)> {
    let server = HostileServer::start(Behavior::Reply(Reply::new(
        200,
        "application/json",
        page.to_string(),
    )))
    .unwrap();
    let clients = settings(&server).both();
    clients
        .into_iter()
        .map(|client| {
            let name = client.name();
            let items = bounded(name, move || {
                client.walk(ListCalls::new().page_size(2), None)
            });
            (name, items)
        })
        .collect()
}

/// Settings for one attempt that may take `timeout`.
fn once_within(timeout: Duration) -> impl Fn(Settings) -> Settings {
    move |settings| {
        settings
            .retry(RetryPolicy::no_retries())
            .request_timeout(timeout)
    }
}

/// What one client got: its name, the fetch's result and the create's result.
type Outcomes = (&'static str, Result<(), Error>, Result<(), Error>);

/// A fetch and a create through each client (the two clients at once), with the settings
/// `tune` makes.
fn fetch_and_create(server: &HostileServer, tune: impl Fn(Settings) -> Settings) -> Vec<Outcomes> {
    let settings = tune(settings(server));
    let running: Vec<_> = settings
        .both()
        .into_iter()
        .map(|client| {
            let name = client.name();
            let outcome = spawn_bounded(move || {
                let fetched = client.fetch(CALL).map(drop);
                let created = client.create(create()).map(drop);
                (fetched, created)
            });
            (name, outcome)
        })
        .collect();
    running
        .into_iter()
        .map(|(name, outcome)| {
            let (fetched, created) = outcome.join(name);
            (name, fetched, created)
        })
        .collect()
}

#[test]
fn malformed_json_is_a_decode_error() {
    let server = HostileServer::start(Behavior::Reply(Reply::new(
        200,
        "application/json",
        r#"{"sid": "CA1", "status": "queued", "to": "+4912"#,
    )))
    .unwrap();
    for (name, fetched, created) in fetch_and_create(&server, |s| s) {
        match fetched {
            Err(Error::Decode {
                status: 200,
                body_excerpt,
                ..
            }) => assert!(body_excerpt.contains(r#""sid": "CA1""#), "{body_excerpt}"),
            other => panic!("{name} fetch: expected Decode, got {other:?}"),
        }
        // A create answered 2xx was accepted: the call may exist, whatever the body.
        match created {
            Err(Error::MaybeCreated { message, .. }) => {
                assert!(message.contains("HTTP 200"), "{message}");
                assert!(message.contains(r#"\"sid\": \"CA1\""#), "{message}");
            }
            other => panic!("{name} create: expected MaybeCreated, got {other:?}"),
        }
    }
}

#[test]
fn an_html_error_page_is_an_api_error_for_a_fetch_and_maybe_created_for_a_create() {
    let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1><p>upstream went away</p></body></html>";
    let server = HostileServer::start(Behavior::Reply(Reply::new(502, "text/html", page))).unwrap();
    for (name, fetched, created) in fetch_and_create(&server, |s| s) {
        match fetched {
            Err(Error::Api(api)) => {
                assert_eq!(api.status, 502, "{name} fetch");
                assert_eq!(api.code, None, "{name} fetch");
                assert!(api.message.contains("Bad Gateway"), "{}", api.message);
            }
            other => panic!("{name} fetch: expected Api, got {other:?}"),
        }
        // A gateway's page does not prove that the API behind it refused the create.
        match created {
            Err(Error::MaybeCreated {
                status: Some(502),
                message,
                ..
            }) => assert!(message.contains("Bad Gateway"), "{message}"),
            other => panic!("{name} create: expected MaybeCreated, got {other:?}"),
        }
    }
    // A GET is retried on 502 (3 attempts); a POST is not (it may have created a call).
    let posts = server.received_count("POST");
    let gets = server.received_count("GET");
    assert_eq!((gets, posts), (6, 2), "2 clients: 3 GETs and 1 POST each");
}

#[test]
fn a_truncated_body_is_a_transport_error_and_a_maybe_created_call() {
    let server = HostileServer::start(Behavior::Truncated {
        announced: 400,
        sent: br#"{"sid": "CA1234", "status": "que"#.to_vec(),
    })
    .unwrap();
    for (name, fetched, created) in fetch_and_create(&server, |s| s) {
        match fetched {
            Err(error @ (Error::Transport { .. } | Error::Timeout { .. })) => {
                assert!(error.may_have_been_sent(), "{name}: {error:?}");
            }
            other => panic!("{name} fetch: expected Transport, got {other:?}"),
        }
        match created {
            Err(Error::MaybeCreated { .. }) => {}
            other => panic!("{name} create: expected MaybeCreated, got {other:?}"),
        }
    }
    let posts = server.received_count("POST");
    assert_eq!(
        posts, 2,
        "a create that may have reached the server is never retried"
    );
}

#[test]
fn a_50_mb_body_is_refused_without_being_buffered() {
    const FIFTY_MB: usize = 50 * 1024 * 1024;
    // Warm-up: the first client of the process sets up TLS roots, runtimes and pools; that memory
    // is not what this test measures.
    let small =
        HostileServer::start(Behavior::Reply(Reply::new(200, "application/json", "{}"))).unwrap();
    drop(fetch_and_create(&small, |s| s));
    for announce_length in [true, false] {
        let server = HostileServer::start(Behavior::Flood {
            status: 200,
            bytes: FIFTY_MB,
            announce_length,
        })
        .unwrap();
        // Small cap and the default cap (16 MiB); one client at a time, so the peak belongs to it.
        for cap in [64 * 1024, DEFAULT_MAX_RESPONSE_BYTES] {
            for client in settings(&server).max_response_bytes(cap).both() {
                let name = client.name();
                let before = peak_rss_bytes();
                let (fetched, created) = bounded(name, move || {
                    (
                        client.fetch(CALL).map(drop),
                        client.create(create()).map(drop),
                    )
                });
                match fetched {
                    Err(Error::ResponseTooLarge { limit, .. }) => assert_eq!(limit, cap),
                    other => panic!(
                        "{name} fetch (length announced: {announce_length}): expected ResponseTooLarge, got {other:?}"
                    ),
                }
                // A create answered 2xx was accepted: an answer too large to read is no refusal.
                match created {
                    Err(Error::MaybeCreated {
                        status: Some(200),
                        message,
                        ..
                    }) => assert!(message.contains(&cap.to_string()), "{message}"),
                    other => panic!(
                        "{name} create (length announced: {announce_length}): expected MaybeCreated, got {other:?}"
                    ),
                }
                if let (Some(before), Some(after)) = (before, peak_rss_bytes()) {
                    let growth = after.saturating_sub(before);
                    println!(
                        "50 MB body, {name}, length announced: {announce_length}, cap {cap}: peak memory grew by {growth} bytes"
                    );
                    // Reading up to the cap may take twice the cap while a buffer grows; the
                    // body itself (50 MB) is never held.
                    let bound = 2 * cap as u64 + 16 * 1024 * 1024;
                    assert!(
                        growth < bound && growth < FIFTY_MB as u64,
                        "{name}: peak memory grew by {growth} bytes for a cap of {cap}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_server_dripping_one_byte_a_second_hits_the_request_timeout() {
    let answer = Reply::new(
        200,
        "application/json",
        format!(r#"{{"sid": "{CALL}", "status": "queued"}}"#),
    )
    .to_bytes();
    let server = HostileServer::start(Behavior::Drip {
        answer,
        interval: Duration::from_secs(1),
    })
    .unwrap();
    let results = fetch_and_create(&server, once_within(Duration::from_secs(2)));
    for (name, fetched, created) in results {
        match fetched {
            Err(Error::Timeout { .. }) => {}
            other => panic!("{name} fetch: expected Timeout, got {other:?}"),
        }
        match created {
            // The request was sent: the call may exist.
            Err(Error::MaybeCreated { .. }) => {}
            other => panic!("{name} create: expected MaybeCreated, got {other:?}"),
        }
    }
}

#[test]
fn a_wrong_content_type_with_a_non_json_body_is_a_decode_error() {
    for (content_type, body) in [
        (
            "text/xml",
            b"<Response><Say>Hello</Say></Response>".to_vec(),
        ),
        (
            "application/octet-stream",
            vec![0u8, 159, 146, 150, 255, 1, 2],
        ),
        ("text/plain", b"OK".to_vec()),
    ] {
        let server =
            HostileServer::start(Behavior::Reply(Reply::new(200, content_type, body))).unwrap();
        for (name, fetched, created) in fetch_and_create(&server, |s| s) {
            assert!(
                matches!(fetched, Err(Error::Decode { status: 200, .. })),
                "{name} fetch ({content_type}): expected Decode, got {fetched:?}"
            );
            assert!(
                matches!(&created, Err(error @ Error::MaybeCreated { .. }) if error.may_have_been_sent()),
                "{name} create ({content_type}): expected MaybeCreated, got {created:?}"
            );
        }
    }
}

/// A server on another loopback address (another host to the clients) answering 200 with `json`.
fn another_host_answering(json: &str) -> HostileServer {
    HostileServer::start_on(
        Ipv4Addr::new(127, 0, 0, 2),
        Behavior::Reply(Reply::new(200, "application/json", json)),
    )
    .unwrap()
}

#[test]
fn a_redirect_to_another_host_is_not_followed_and_credentials_stay_home() {
    let elsewhere = another_host_answering(r#"{"sid": "CAstolen"}"#);
    for status in [301, 302, 303, 307, 308] {
        let location = format!(
            "{}/api/laml/2010-04-01/Accounts/{ACCOUNT}/Calls/{CALL}.json",
            elsewhere.base_url()
        );
        let server = HostileServer::start(Behavior::Reply(
            Reply::new(status, "text/html", "moved").header("Location", &location),
        ))
        .unwrap();
        for (name, fetched, created) in fetch_and_create(&server, |s| s) {
            for (what, outcome) in [("fetch", fetched), ("create", created)] {
                match outcome {
                    Err(Error::Api(api)) => assert_eq!(api.status, status, "{name} {what}"),
                    other => panic!("{name} {what} ({status}): expected Api, got {other:?}"),
                }
            }
        }
        // The clients did reach the first server, with credentials ...
        assert!(
            server
                .received()
                .iter()
                .all(|r| r.header("authorization").is_some())
        );
    }
    // ... and nothing, credentials or not, ever reached the other host.
    assert_eq!(elsewhere.received(), Vec::new());
}

#[test]
fn a_next_page_uri_on_another_host_stops_the_walk_with_a_typed_error() {
    let elsewhere =
        another_host_answering(r#"{"page": 1, "page_size": 2, "calls": [{"sid": "CAstolen"}]}"#);
    let host_port = elsewhere.addr().to_string();
    let path = format!("/api/laml/2010-04-01/Accounts/{ACCOUNT}/Calls.json?Page=1&PageSize=2");
    for next in [
        format!("http://{host_port}{path}"),
        format!("//{host_port}{path}"),
        format!("https://{host_port}{path}"),
    ] {
        let page = serde_json::json!({
            "page": 0,
            "page_size": 2,
            "uri": format!("/api/laml/2010-04-01/Accounts/{ACCOUNT}/Calls.json?Page=0&PageSize=2"),
            "next_page_uri": next,
            "calls": [{"sid": "CA1"}, {"sid": "CA2"}],
        });
        for (name, items) in walk_pages_of_two(&page) {
            assert_eq!(items.len(), 3, "{name} {next}: {items:?}");
            assert_eq!(items[0].as_ref().map(|c| c.sid.as_str()).ok(), Some("CA1"));
            assert_eq!(items[1].as_ref().map(|c| c.sid.as_str()).ok(), Some("CA2"));
            match &items[2] {
                Err(Error::UnsafeNextPage { uri, .. }) => assert_eq!(uri, &next),
                other => panic!("{name} {next}: expected UnsafeNextPage, got {other:?}"),
            }
        }
    }
    assert_eq!(elsewhere.received(), Vec::new());
}

#[test]
fn a_next_page_uri_loop_on_the_same_host_ends() {
    let same = format!("/api/laml/2010-04-01/Accounts/{ACCOUNT}/Calls.json?Page=1&PageSize=2");
    let page = serde_json::json!({
        "page": 1,
        "page_size": 2,
        "uri": same,
        "next_page_uri": same,
        "calls": [{"sid": "CA1"}, {"sid": "CA2"}],
    });
    for (name, items) in walk_pages_of_two(&page) {
        let errors: Vec<_> = items.iter().filter(|item| item.is_err()).collect();
        assert_eq!(errors.len(), 1, "{name}: {items:?}");
        assert!(
            matches!(items.last(), Some(Err(Error::UnsafeNextPage { .. }))),
            "{name}: {items:?}"
        );
        assert!(
            items.len() <= 6,
            "{name}: the loop was followed {} times",
            items.len()
        );
    }
}

#[test]
fn a_server_that_accepts_and_never_answers_hits_the_timeout() {
    // A drip with an hour between bytes: the connection opens, nothing comes back.
    let server = HostileServer::start(Behavior::Drip {
        answer: b"H".to_vec(),
        interval: Duration::from_secs(3600),
    })
    .unwrap();
    // Not even the one byte arrives before the timeout... (the first byte is sent at once, then
    // the server sleeps: the status line never completes).
    let results = fetch_and_create(&server, once_within(Duration::from_secs(1)));
    for (name, fetched, created) in results {
        assert!(
            matches!(fetched, Err(Error::Timeout { .. })),
            "{name}: {fetched:?}"
        );
        assert!(
            matches!(created, Err(Error::MaybeCreated { .. })),
            "{name}: {created:?}"
        );
    }
}

/// How many POSTs (creates) a server read.
fn posts(server: &HostileServer) -> usize {
    server.received_count("POST")
}

#[test]
fn a_create_answered_201_over_the_size_limit_may_have_created_the_call() {
    // Over the default limit of 16 MiB, as a real server's answer could be; the client stops
    // reading at the limit.
    let server = HostileServer::start(Behavior::Flood {
        status: 201,
        bytes: DEFAULT_MAX_RESPONSE_BYTES + 1024 * 1024,
        announce_length: true,
    })
    .unwrap();
    for client in settings(&server).both() {
        let name = client.name();
        let created = bounded(name, move || client.create(create()).map(drop));
        match &created {
            Err(
                error @ Error::MaybeCreated {
                    status: Some(201), ..
                },
            ) => {
                assert!(error.may_have_been_sent(), "{name}");
                assert!(!error.is_retryable(), "{name}");
            }
            other => panic!("{name}: expected MaybeCreated, got {other:?}"),
        }
    }
    assert_eq!(posts(&server), 2, "one POST per client, never retried");
}

#[test]
fn a_5xx_refuses_a_create_only_when_it_is_the_apis_own_error_document() {
    let document = |status: u16| {
        format!(
            r#"{{"code": 2{status:04}, "message": "Internal error", "more_info": "https://x", "status": {status}}}"#
        )
    };
    // (status, content type, body, the call may exist)
    let cases: Vec<(u16, &str, String, bool)> = vec![
        (500, "application/json", document(500), false),
        (503, "application/json", document(503), false),
        (500, "text/plain", String::new(), true),
        (
            502,
            "text/html",
            "<html><h1>502 Bad Gateway</h1></html>".into(),
            true,
        ),
        (
            503,
            "text/html",
            "<html>Service Unavailable</html>".into(),
            true,
        ),
        (
            504,
            "text/html",
            "<html><h1>504 Gateway Time-out</h1></html>".into(),
            true,
        ),
        (
            504,
            "application/json",
            r#"{"message": "Endpoint request timed out"}"#.into(),
            true,
        ),
        // The API's document for another status is a proxy passing something else on.
        (502, "application/json", document(500), true),
    ];
    for (status, content_type, body, may_exist) in cases {
        let server = HostileServer::start(Behavior::Reply(Reply::new(
            status,
            content_type,
            body.clone(),
        )))
        .unwrap();
        for (name, fetched, created) in fetch_and_create(&server, |s| s) {
            let what = format!("{name}: HTTP {status} {body:?}");
            assert!(
                matches!(&fetched, Err(Error::Api(api)) if api.status == status),
                "{what} fetch: {fetched:?}"
            );
            let created = created.unwrap_err();
            assert_eq!(
                created.may_have_been_sent(),
                may_exist,
                "{what} create: {created:?}"
            );
            assert_eq!(created.status(), Some(status), "{what}");
            if may_exist {
                assert!(
                    matches!(created, Error::MaybeCreated { .. }),
                    "{what}: {created:?}"
                );
            } else {
                assert!(created.api_code().is_some(), "{what}: {created:?}");
            }
        }
        assert_eq!(posts(&server), 2, "HTTP {status}: one POST per client");
    }
}

#[test]
fn a_2xx_without_a_usable_sid_may_have_created_a_call_and_an_odd_field_keeps_the_sid() {
    // (body, what comes back: Some(the odd field) for a call, None for MaybeCreated)
    let cases: &[(&str, Option<Option<&str>>)] = &[
        (r#"{"sid": "", "status": "queued"}"#, None),
        (r#"{"status": "queued", "to": "+491234567890"}"#, None),
        (r#"{"sid": null, "status": "queued"}"#, None),
        (r#"{"sid": "CA1/../CA2", "status": "queued"}"#, None),
        (r#"{"sid": "CA1", "sid": "CA2"}"#, None),
        (r#"[{"sid": "CA1"}]"#, None),
        (r#"{"sid": "CA1", "status": "queued"}"#, Some(None)),
        (
            r#"{"sid": "CA1", "status": "queued", "duration": -5}"#,
            Some(Some("duration")),
        ),
        (
            r#"{"sid": "CA1", "status": "queued", "date_created": "yesterday"}"#,
            Some(Some("date_created")),
        ),
        (
            r#"{"sid": "CA1", "status": "queued", "status": "ringing"}"#,
            Some(Some("status")),
        ),
    ];
    for &(body, expected) in cases {
        let server =
            HostileServer::start(Behavior::Reply(Reply::new(201, "application/json", body)))
                .unwrap();
        for client in settings(&server).both() {
            let name = client.name();
            let created = bounded(name, move || client.create(create()));
            match (expected, created) {
                (
                    None,
                    Err(
                        error @ Error::MaybeCreated {
                            status: Some(201), ..
                        },
                    ),
                ) => {
                    assert!(
                        error.to_string().contains("sid") || error.to_string().contains("object"),
                        "{name} {body}: {error}"
                    );
                }
                (Some(odd), Ok(call)) => {
                    assert_eq!(call.sid, "CA1", "{name} {body}");
                    let named: Vec<_> = call.problems.iter().map(|p| p.field.as_str()).collect();
                    assert_eq!(named, odd.into_iter().collect::<Vec<_>>(), "{name} {body}");
                    if odd != Some("status") {
                        assert_eq!(
                            call.status,
                            Some(mycpaas_core::CallStatus::Queued),
                            "{name} {body}"
                        );
                    }
                }
                (expected, other) => panic!("{name} {body}: expected {expected:?}, got {other:?}"),
            }
        }
        assert_eq!(posts(&server), 2, "{body}: one POST per client");
    }
}

#[test]
fn a_request_head_too_long_to_write_is_not_sent_and_no_call_may_exist() {
    // A 200 KB `User-Agent` line is longer than the blocking client's output buffer: ureq writes
    // the head's lines before it and stops. The server got half a head and acted on nothing, so
    // the create was not sent.
    let sim = mycpaas_tests::fixtures::simulator(11);
    let client = mycpaas_blocking::Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .user_agent_suffix(&"x".repeat(200_000))
        .build()
        .unwrap();
    let created = bounded("blocking", move || {
        client.calls().create(create()).map(drop)
    });
    match created {
        Err(error @ Error::Transport { .. }) => {
            assert!(!error.may_have_been_sent(), "{error:?}");
        }
        other => panic!("expected a transport error that was not sent, got {other:?}"),
    }
    assert_eq!(sim.calls_created(), 0);
    assert_eq!(sim.request_count(), 0);
    // And a token that long is refused before anything is built (it would pass the header
    // limits of servers and proxies).
    let long_token = "t".repeat(mycpaas_core::config::MAX_AUTH_TOKEN_BYTES + 1);
    let refused = mycpaas_core::Config::builder(ACCOUNT, long_token.as_str())
        .build()
        .unwrap_err();
    assert_eq!(refused.parameter(), Some("auth_token"));
}

/// A server closes a kept-alive connection once it has been idle for its keep-alive time, without
/// a word; a request written at that moment is never read. A create goes out on a connection of
/// its own, so it never meets such a close, and is never reported as "may have been created"
/// when the server read none of it.
#[test]
fn a_create_never_meets_a_kept_alive_connection_the_server_closes() {
    let idle = Duration::from_millis(20);
    let server = HostileServer::start(Behavior::KeepAliveThenClose { idle }).unwrap();
    for client in settings(&server).retry(RetryPolicy::no_retries()).both() {
        let name = client.name();
        for i in 0..200u64 {
            let before = posts(&server);
            // Pauses around the server's idle time, so that pooled connections would meet its close.
            thread::sleep(Duration::from_micros(17_000 + (i * 7919 % 6000)));
            let result = client.create(create());
            let read = posts(&server) - before;
            assert_eq!(
                read, 1,
                "{name}: create {i} was read {read} times: {result:?}"
            );
            assert!(result.is_ok(), "{name}: create {i}: {result:?}");
        }
    }
}
