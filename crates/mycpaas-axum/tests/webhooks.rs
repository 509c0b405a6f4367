//! An axum IVR behind `mycpaas-axum`, served by the simulator on 127.0.0.1 (`SimHandle::serve`,
//! as a user's test would): the simulator runs a call
//! through it (voice request, Gather action, status callbacks, every one signed and typed), and
//! requests that are not signed, are tampered with, are malformed or come through an untrusted
//! proxy are refused before any handler runs. A status handler with `Repeats` that always answers
//! 204, behind the simulator's callback fault (its answers to two attempts count as 500s), sees
//! each of the simulator's retries as a repeat, once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use mycpaas_axum::{FormParams, Laml, SignatureLayer, Webhook, WebhookConfig};
use mycpaas_core::webhook::{
    GatherResult, Repeats, SIGNATURE_HEADER, SignedUrl, StatusCallback, VoiceRequest,
    compute_signature,
};
use mycpaas_core::{AuthToken, CallEvent, CreateCall};
use mycpaas_laml::{Gather, Response};
use mycpaas_sim::{CallbackFault, SimHandle, Simulator, TimelineEvent};
use mycpaas_tests::fixtures::{AnyClient, Settings};

const TOKEN: &str = "axum-app-token";

/// Form parameters, as a test writes them.
type Form<'a> = &'a [(&'a str, &'a str)];

/// What the handlers received, in order.
type Seen = Arc<Mutex<Vec<String>>>;

#[derive(Clone)]
struct App {
    config: WebhookConfig,
    seen: Seen,
}

impl axum::extract::FromRef<App> for WebhookConfig {
    fn from_ref(app: &App) -> WebhookConfig {
        app.config.clone()
    }
}

async fn voice(State(app): State<App>, Webhook(call): Webhook<VoiceRequest>) -> Laml {
    app.seen
        .lock()
        .unwrap()
        .push(format!("voice {}", call.call.to.unwrap_or_default()));
    let menu = Gather::new()
        .num_digits(1)
        .action("/menu")
        .say("Press 1 for sales, 2 for support.");
    Laml(Response::new().gather(menu).hangup())
}

async fn menu(State(app): State<App>, Webhook(gather): Webhook<GatherResult>) -> Laml {
    let digits = gather.digits.unwrap_or_default();
    app.seen.lock().unwrap().push(format!("menu {digits}"));
    Laml(
        Response::new()
            .say(format!("You pressed {digits}"))
            .hangup(),
    )
}

async fn status(
    State(app): State<App>,
    Webhook(callback): Webhook<StatusCallback>,
) -> &'static str {
    let status = callback
        .call
        .call_status
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    app.seen.lock().unwrap().push(format!("status {status}"));
    "ok"
}

/// A handler that takes any form, behind the layer: it answers with what it read.
async fn raw(body: String) -> String {
    body
}

fn router(config: WebhookConfig, seen: Seen) -> Router {
    let layered = Router::new()
        .route("/layered", post(raw))
        .layer(SignatureLayer::new(config.clone()));
    Router::new()
        .route("/voice", post(voice))
        .route("/menu", post(menu))
        .route("/status", post(status))
        .route(
            "/raw",
            post(|Webhook(form): Webhook<FormParams>| async move { format!("{}", form.0.len()) }),
        )
        .with_state(App { config, seen })
        .merge(layered)
}

/// A simulator of the app's account, which also serves the apps under test.
fn simulator() -> SimHandle {
    Simulator::builder()
        .seed(3)
        .account("AC00000000000000000000000000000001", TOKEN)
        .start_in_background()
        .unwrap()
}

/// POSTs `form` to `url` signed over `signed_url` with `key`, with extra headers; the status and body.
fn post_signed(
    url: &str,
    signed_url: &str,
    form: &[(&str, &str)],
    key: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let pairs: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let signature = compute_signature(signed_url, &pairs, &AuthToken::new(key.to_owned()));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent.post(url).header(SIGNATURE_HEADER, &signature);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut answer = request.send_form(form.iter().copied()).unwrap();
    let status = answer.status().as_u16();
    (status, answer.body_mut().read_to_string().unwrap())
}

/// The form of a status callback of call `CA1`.
fn callback_form(
    sequence: &'static str,
    status: &'static str,
) -> [(&'static str, &'static str); 3] {
    [
        ("CallSid", "CA1"),
        ("SequenceNumber", sequence),
        ("CallStatus", status),
    ]
}

#[test]
fn a_call_runs_through_the_app_signed_and_typed() {
    let sim = simulator();
    let seen = Seen::default();
    let base = sim
        .serve(router(WebhookConfig::new(TOKEN), seen.clone()))
        .unwrap();
    let client = AnyClient::blocking(&Settings::for_sim(&sim));
    sim.script_input("+15551230000", mycpaas_sim::GatherInput::digits("2"))
        .unwrap();
    let call = client
        .create(
            CreateCall::new("+15551230000", "+15559870000")
                .url(format!("{base}/voice"))
                .status_callback(format!("{base}/status"))
                .status_callback_events(CallEvent::ALL.iter().copied()),
        )
        .unwrap();
    sim.wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call ends");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !seen.lock().unwrap().iter().any(|s| s == "status completed")
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.iter()
            .filter(|s| s.starts_with("voice"))
            .collect::<Vec<_>>(),
        ["voice +15551230000"]
    );
    assert!(seen.contains(&"menu 2".to_owned()), "{seen:?}");
    for status in ["initiated", "ringing", "in-progress", "completed"] {
        assert!(
            seen.contains(&format!("status {status}")),
            "{status}: {seen:?}"
        );
    }
}

#[test]
fn what_is_not_a_signed_webhook_never_reaches_a_handler() {
    let seen = Seen::default();
    let sim = simulator();
    let base = sim
        .serve(router(WebhookConfig::new(TOKEN), seen.clone()))
        .unwrap();
    let status_url = format!("{base}/status");
    let form = callback_form("0", "ringing");
    let cases: &[(&str, &str, Form<'_>, &str, u16)] = &[
        ("signed", &status_url, &form, TOKEN, 200),
        ("another key", &status_url, &form, "not-the-token", 403),
        (
            "another URL signed",
            "http://127.0.0.1:1/status",
            &form,
            TOKEN,
            403,
        ),
    ];
    for (name, signed_url, form, key, expected) in cases {
        let (status, body) = post_signed(&status_url, signed_url, form, key, &[]);
        assert_eq!(status, *expected, "{name}: {body}");
        if *expected == 403 {
            assert!(body.is_empty(), "{name}: a refusal says nothing: {body:?}");
        }
    }
    // A valid signature over a form that does not read: 400 naming the parameter.
    let bad = [("CallSid", "CA1"), ("SequenceNumber", "soon")];
    let (status, body) = post_signed(&status_url, &status_url, &bad, TOKEN, &[]);
    assert_eq!(status, 400);
    assert!(body.contains("SequenceNumber"), "{body}");
    // No signature at all.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let unsigned = agent
        .post(&status_url)
        .send_form([("CallSid", "CA1")])
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 403);
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        ["status ringing"],
        "only the signed one ran"
    );
}

#[test]
fn the_layer_passes_signed_requests_on_with_their_body() {
    let sim = simulator();
    let base = sim
        .serve(router(WebhookConfig::new(TOKEN), Seen::default()))
        .unwrap();
    let url = format!("{base}/layered");
    let form = [("CallSid", "CA1"), ("Digits", "42")];
    assert_eq!(
        post_signed(&url, &url, &form, TOKEN, &[]),
        (200, "CallSid=CA1&Digits=42".to_owned())
    );
    assert_eq!(post_signed(&url, &url, &form, "not-the-token", &[]).0, 403);
    let raw = format!("{base}/raw");
    assert_eq!(
        post_signed(&raw, &raw, &form, TOKEN, &[]),
        (200, "2".to_owned())
    );
}

#[test]
fn behind_a_trusted_proxy_the_public_url_is_the_signed_one() {
    let public = "https://voice.example.com/status";
    let forwarded = [
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "voice.example.com"),
    ];
    let form = callback_form("1", "completed");
    let cases = [
        (
            "the proxy trusted",
            SignedUrl::behind_proxies(["127.0.0.1"]).unwrap(),
            200,
        ),
        (
            "another proxy trusted",
            SignedUrl::behind_proxies(["10.0.0.0/8"]).unwrap(),
            403,
        ),
        ("no proxy trusted", SignedUrl::direct(), 403),
        (
            "the public URL configured",
            SignedUrl::public("https://voice.example.com").unwrap(),
            200,
        ),
    ];
    let sim = simulator();
    for (name, signed_url, expected) in cases {
        let config = WebhookConfig::new(TOKEN).signed_url(signed_url);
        let base = sim.serve(router(config, Seen::default())).unwrap();
        let (status, _) = post_signed(&format!("{base}/status"), public, &form, TOKEN, &forwarded);
        assert_eq!(status, expected, "{name}");
    }
}

/// The state of an idempotent status-callback handler, behind a gateway whose answers fail.
#[derive(Clone)]
struct Retried {
    config: WebhookConfig,
    repeats: Arc<Repeats>,
    /// `(SequenceNumber, is_repeat)` of each request handled, in order.
    handled: Arc<Mutex<Vec<(u64, bool)>>>,
}

impl axum::extract::FromRef<Retried> for WebhookConfig {
    fn from_ref(app: &Retried) -> WebhookConfig {
        app.config.clone()
    }
}

/// `Repeats` says whether the work is to be done; the answer is always a success (the
/// simulator's callback fault makes some of them count as 500s, as a failing gateway would).
async fn retried(
    State(app): State<Retried>,
    Webhook(callback): Webhook<StatusCallback>,
) -> StatusCode {
    let repeat = app.repeats.is_repeat(&callback);
    let sequence = callback.sequence_number.expect("a SequenceNumber");
    app.handled.lock().unwrap().push((sequence, repeat));
    StatusCode::NO_CONTENT
}

/// Callback attempts faulted: two, so no callback can fail all three of its attempts.
const FAULTED: usize = 2;

#[test]
fn each_retry_of_a_status_callback_is_a_repeat_once() {
    let sim = simulator();
    let app = Retried {
        config: WebhookConfig::new(TOKEN),
        repeats: Arc::new(Repeats::in_memory(1000)),
        handled: Arc::default(),
    };
    let router = Router::new()
        .route(
            "/voice",
            post(|Webhook(_): Webhook<VoiceRequest>| async {
                Laml(Response::new().say("Hello").hangup())
            }),
        )
        .route("/status", post(retried))
        .with_state(app.clone());
    let base = sim.serve(router).unwrap();
    sim.faults()
        .inject_callback(CallbackFault::ServerError, FAULTED);
    let client = AnyClient::blocking(&Settings::for_sim(&sim));
    let call = client
        .create(
            CreateCall::new("+15551230000", "+15559870000")
                .url(format!("{base}/voice"))
                .status_callback(format!("{base}/status"))
                .status_callback_events(CallEvent::ALL.iter().copied()),
        )
        .unwrap();
    // Settled: the call ended and every callback was delivered or given up.
    let timeline = sim
        .wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call settles");
    assert_eq!(sim.faults().pending_callbacks(), 0);
    // Per callback, its attempts in order: (attempt, status counted, faulted).
    let mut attempts: HashMap<u64, Vec<(u32, Option<u16>, bool)>> = HashMap::new();
    for event in timeline.callbacks() {
        if let TimelineEvent::Callback {
            sequence,
            attempt,
            http_status,
            fault,
            ..
        } = event
        {
            attempts.entry(u64::from(*sequence)).or_default().push((
                *attempt,
                *http_status,
                fault.is_some(),
            ));
        }
    }
    let handled = app.handled.lock().unwrap().clone();
    let mut retries = 0;
    for sequence in 0..4 {
        let tries = &attempts[&sequence];
        // Every attempt but the last was faulted (a 500); the last was the app's 204.
        let failures = u32::try_from(tries.len()).unwrap() - 1;
        let expected: Vec<(u32, Option<u16>, bool)> = (1..=failures + 1)
            .map(|attempt| {
                if attempt <= failures {
                    (attempt, Some(500), true)
                } else {
                    (attempt, Some(204), false)
                }
            })
            .collect();
        assert_eq!(tries, &expected, "callback {sequence}");
        let seen: Vec<bool> = handled
            .iter()
            .filter(|(s, _)| *s == sequence)
            .map(|(_, repeat)| *repeat)
            .collect();
        // The app handled every attempt: new on the first, a repeat on each retry.
        let mut want = vec![false];
        want.extend(std::iter::repeat_n(true, tries.len() - 1));
        assert_eq!(seen, want, "callback {sequence}");
        retries += tries.len() - 1;
    }
    assert_eq!(attempts.len(), 4);
    assert_eq!(retries, FAULTED, "one retry per faulted attempt");
    assert_eq!(handled.len(), 4 + FAULTED);
    assert_eq!(
        handled.iter().filter(|(_, repeat)| *repeat).count(),
        FAULTED
    );
}
