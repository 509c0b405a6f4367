//! The simulator answers as the API would where a web app or a test can tell: `answered_by`,
//! webhook URLs with credentials, a document's charset, the date format of call JSON and the
//! keys a scripted caller can press. Every check goes over real HTTP.

mod common;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, header};
use axum::routing::any;
use base64::Engine as _;
use common::{Api, FROM, HANGUP, Program, SETTLE, TO, serve, sim, sim_and_api, start};
use mycpaas_core::AuthToken;
use mycpaas_core::webhook::validate_signature;
use mycpaas_sim::webapp::WebApp;
use mycpaas_sim::{GatherInput, Simulator, TimelineEvent, magic};
use parking_lot::Mutex;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answered_by_is_null_until_answered_and_for_calls_never_answered() {
    // Slow enough to fetch the call while it is still queued.
    let (_slow, api) = start(Simulator::builder().speed(1.0)).await;
    let twiml = HANGUP;
    let queued = api
        .create(&[
            ("To", TO),
            ("From", FROM),
            ("Twiml", twiml),
            ("MachineDetection", "Enable"),
        ])
        .await;
    assert_eq!(queued.body["status"], "queued");
    assert!(queued.body["answered_by"].is_null(), "{:?}", queued.body);
    let sid = queued.body["sid"].as_str().unwrap().to_owned();
    let fetched = api.get(&api.call_path(&sid)).await;
    assert!(fetched.body["answered_by"].is_null(), "{:?}", fetched.body);
    api.post(&api.call_path(&sid), &[("Status", "canceled")])
        .await;

    let (sim, api) = sim_and_api().await;
    for (to, detection, answered_by) in [
        (TO, Some("Enable"), Some("human")),
        (TO, Some("DetectMessageEnd"), Some("human")),
        // Without machine detection nobody asked who answered.
        (TO, None, None),
        (magic::NO_ANSWER, Some("Enable"), None),
        (magic::BUSY, Some("Enable"), None),
        (magic::FAILED, Some("Enable"), None),
    ] {
        let mut form = vec![("To", to), ("From", FROM), ("Twiml", twiml)];
        if let Some(detection) = detection {
            form.push(("MachineDetection", detection));
        }
        let sid = api.create_ok(&form).await;
        sim.wait_for_call_async(&sid, SETTLE).await.unwrap();
        let call = api.get(&api.call_path(&sid)).await.body;
        assert_eq!(
            call["answered_by"].as_str(),
            answered_by,
            "{to} {detection:?}: {call}"
        );
    }
}

/// One request as the capturing web app received it.
#[derive(Debug, Clone)]
struct Seen {
    url: String,
    authorization: Option<String>,
    signature: Option<String>,
    params: Vec<(String, String)>,
}

/// A web app that records every request with its headers and answers `document`.
async fn capturing_app(document: &'static str) -> (std::net::SocketAddr, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let handler = move |State(seen): State<Arc<Mutex<Vec<Seen>>>>,
                        OriginalUri(uri): OriginalUri,
                        headers: HeaderMap,
                        body: Bytes| async move {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let host = text("host").unwrap_or_default();
        seen.lock().push(Seen {
            url: format!("http://{host}{uri}"),
            authorization: text("authorization"),
            signature: text("x-mycpaas-signature"),
            params: form_urlencoded::parse(&body).into_owned().collect(),
        });
        ([(header::CONTENT_TYPE, "text/xml")], document)
    };
    let router = Router::new()
        .fallback(any(handler))
        .with_state(Arc::clone(&seen));
    (serve(router, [127, 0, 0, 1]).await, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_in_a_webhook_url_are_sent_as_basic_auth_and_kept_nowhere() {
    const PASSWORD: &str = "s3cr3t-p%40ss";
    let (app, seen) = capturing_app("<Response><Say>Hi</Say></Response>").await;
    let (sim, api) = sim_and_api().await;
    let mut events = sim.events();
    let voice = format!("http://app-user:{PASSWORD}@{app}/voice?x=1");
    let status = format!("http://hook:{PASSWORD}@{app}/status");
    let created = api
        .create(&[
            ("To", TO),
            ("From", FROM),
            ("Url", &voice),
            ("StatusCallback", &status),
        ])
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let sid = created.body["sid"].as_str().unwrap().to_owned();
    let timeline = sim.wait_for_call_async(&sid, SETTLE).await.unwrap();
    assert_eq!(timeline.status, "completed");

    let seen = seen.lock().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let token = AuthToken::new(sim.auth_token());
    let decoded_password = "s3cr3t-p@ss";
    for (request, user, url) in [
        (&seen[0], "app-user", format!("http://{app}/voice?x=1")),
        (&seen[1], "hook", format!("http://{app}/status")),
    ] {
        let expected =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{decoded_password}"));
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("Basic {expected}").as_str()),
            "{request:?}"
        );
        // The URL the app sees has no credentials, and the signature is over it.
        assert_eq!(request.url, url);
        let signature = request.signature.as_deref().expect("signed");
        assert!(
            validate_signature(&request.url, &request.params, signature, &token),
            "{request:?}"
        );
    }

    // Nothing the simulator shows keeps the password: timeline (in process and over HTTP),
    // live events, call JSON.
    let over_http = api.get(&format!("/_sim/calls/{sid}/timeline")).await.body;
    let call = api.get(&api.call_path(&sid)).await.body;
    let mut shown = vec![
        format!("{timeline:?}"),
        serde_json::to_string(&timeline).unwrap(),
        over_http.to_string(),
        call.to_string(),
    ];
    while let Ok(event) = events.try_recv() {
        shown.push(event.to_string());
    }
    for text in &shown {
        assert!(
            !text.contains("s3cr3t") && !text.contains("app-user") && !text.contains("hook:"),
            "{text}"
        );
    }
    assert!(
        over_http
            .to_string()
            .contains(&format!("http://{app}/voice?x=1"))
    );
}

/// A web app answering `/doc` with `body` as `content_type`.
async fn document_app(content_type: &'static str, body: &'static [u8]) -> String {
    let router = Router::new().route(
        "/doc",
        any(move || async move { ([(header::CONTENT_TYPE, content_type)], body) }),
    );
    format!("http://{}/doc", serve(router, [127, 0, 0, 1]).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_is_read_in_its_charset_and_fails_the_call_when_invalid_in_it() {
    let (sim, api) = sim_and_api().await;
    let cases: [(&'static str, &'static [u8], Result<&str, &str>); 5] = [
        (
            "text/xml; charset=ISO-8859-1",
            b"<Response><Say>Caf\xe9</Say></Response>",
            Ok("Caf\u{e9}"),
        ),
        (
            "application/xml; charset=\"Shift_JIS\"",
            b"<Response><Say>\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd</Say></Response>",
            Ok("\u{3053}\u{3093}\u{306b}\u{3061}\u{306f}"),
        ),
        // A byte order mark wins over the header.
        (
            "text/xml; charset=ISO-8859-1",
            b"\xef\xbb\xbf<Response><Say>Caf\xc3\xa9</Say></Response>",
            Ok("Caf\u{e9}"),
        ),
        // No charset: UTF-8, and bytes invalid in it are an error, never U+FFFD.
        (
            "text/xml",
            b"<Response><Say>Caf\xe9</Say></Response>",
            Err("the document is not valid UTF-8"),
        ),
        (
            "text/xml; charset=klingon",
            b"<Response/>",
            Err("unknown charset \"klingon\""),
        ),
    ];
    for (content_type, body, expected) in cases {
        let url = document_app(content_type, body).await;
        let sid = api.create_call(&[("Url", &url)]).await;
        let timeline = sim.wait_for_call_async(&sid, SETTLE).await.unwrap();
        match expected {
            Ok(text) => {
                assert_eq!(timeline.status, "completed", "{content_type}: {timeline:?}");
                let spoken = timeline
                    .entries
                    .iter()
                    .find_map(|entry| match &entry.event {
                        TimelineEvent::Verb { verb, detail } if verb == "Say" => {
                            Some(detail.clone())
                        }
                        _ => None,
                    });
                assert_eq!(spoken.as_deref(), Some(text), "{content_type}");
            }
            Err(message) => {
                assert_eq!(timeline.status, "failed", "{content_type}: {timeline:?}");
                let error = match timeline.documents().first() {
                    Some(TimelineEvent::Document { error, .. }) => {
                        error.clone().unwrap_or_default()
                    }
                    other => panic!("{other:?}"),
                };
                assert!(error.contains(message), "{content_type}: {error}");
                assert!(timeline.verbs().is_empty(), "{timeline:?}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_program_writes_call_dates_in_the_chosen_format() {
    let iso = iso8601;
    for (args, check) in [
        (&[][..], iso as fn(&str) -> bool),
        (&["--date-format", "iso8601"][..], iso),
        (&["--date-format", "rfc2822"][..], rfc2822),
    ] {
        let program = Program::start(args, None);
        let api = program.api();
        let created = api
            .create(&[("To", TO), ("From", FROM), ("Twiml", HANGUP)])
            .await;
        assert_eq!(created.status, 201);
        let sid = created.body["sid"].as_str().unwrap().to_owned();
        let timeline = wait_settled(&program, &sid).await;
        assert_eq!(timeline.status, "completed");
        let call = api.get(&api.call_path(&sid)).await.body;
        for field in ["date_created", "date_updated", "start_time", "end_time"] {
            let written = call[field].as_str().unwrap_or_default();
            assert!(check(written), "{args:?} {field}: {written:?}");
        }
        let page = api.get(&api.calls_path()).await.body;
        let listed = page["calls"][0]["date_created"]
            .as_str()
            .unwrap_or_default();
        assert!(check(listed), "{args:?} list: {listed:?}");
    }
}

/// `2026-04-19T10:00:00Z`.
fn iso8601(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        })
}

/// `Sun, 19 Apr 2026 10:00:00 +0000`.
fn rfc2822(text: &str) -> bool {
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = text.split(' ').collect();
    matches!(
        parts.as_slice(),
        [day, date, month, year, time, "+0000"]
            if day.strip_suffix(',').is_some_and(|d| days.contains(&d))
                && date.len() == 2 && date.bytes().all(|b| b.is_ascii_digit())
                && months.contains(month)
                && year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
                && time.len() == 8
    )
}

async fn wait_settled(program: &Program, sid: &str) -> mycpaas_sim::Timeline {
    let deadline = std::time::Instant::now() + SETTLE;
    loop {
        let timeline = program.timeline(sid).await;
        if timeline.settled {
            return timeline;
        }
        assert!(std::time::Instant::now() < deadline, "{timeline:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_input_holds_only_keys_a_phone_can_send() {
    let sim = sim().await;
    for digits in ["zz", "1 2", "e", "12x", "\u{661}"] {
        let error = sim
            .script_input(TO, GatherInput::digits(digits))
            .unwrap_err();
        assert!(
            error.to_string().contains("0-9, *, #, A-D and w"),
            "{digits:?}: {error}"
        );
    }
    // Nothing of the refused input was queued: the Gather hears what comes next, and `w`
    // is a pause, not a key.
    sim.script_input(TO, GatherInput::digits("1w*Dw#")).unwrap();
    let app = WebApp::builder()
        .document(
            "/voice",
            "<Response><Gather finishOnKey=\"\" action=\"/got\"><Say>Go</Say></Gather></Response>",
        )
        .document("/got", HANGUP)
        .start()
        .await
        .unwrap();
    let api = Api::new(&sim);
    let voice = app.url("/voice");
    let sid = api.create_call(&[("Url", &voice)]).await;
    let timeline = sim.wait_for_call_async(&sid, SETTLE).await.unwrap();
    assert_eq!(timeline.status, "completed");
    let action = app.requests_to("/got");
    assert_eq!(action.len(), 1, "{timeline:?}");
    assert_eq!(action[0].param("Digits"), Some("1*D#"));
}
