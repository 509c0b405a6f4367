//! `mycpaas webhook send` against a real handler on 127.0.0.1 that checks the signature with
//! core's validator and reads the form with core's typed parsers, as a web app would, and against
//! an axum app behind mycpaas-axum's `Webhook` extractor.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;

use mycpaas_core::AuthToken;
use mycpaas_core::webhook::{
    DialResult, GatherResult, RecordResult, SIGNATURE_HEADER, SignatureValidator, StatusCallback,
    VoiceRequest,
};

use crate::support::mycpaas;

const TOKEN: &str = "handler-token";

/// What the handler saw of one request.
struct Seen {
    target: String,
    signed: bool,
    params: Vec<(String, String)>,
}

/// Serves one request: 200 with a LaML document when the signature is valid, 403 otherwise.
fn handler() -> (String, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let (seen, received) = mpsc::channel();
    let base = url.clone();
    thread::spawn(move || {
        let (stream, _) = listener.accept().expect("a connection");
        let mut reader = BufReader::new(stream.try_clone().expect("a clone"));
        let mut request_line = String::new();
        reader.read_line(&mut request_line).expect("a request line");
        let target = request_line
            .split(' ')
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let (mut length, mut signature) = (0, String::new());
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("a header");
            let Some((name, value)) = line.trim_end().split_once(':') else {
                break;
            };
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().expect("a length"),
                n if n == SIGNATURE_HEADER.to_ascii_lowercase() => {
                    value.trim().clone_into(&mut signature);
                }
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("the body");
        let params: Vec<(String, String)> =
            url::form_urlencoded::parse(&body).into_owned().collect();
        let validator = SignatureValidator::new(AuthToken::new(TOKEN.to_owned()));
        let signed = validator.validate(&format!("{base}{target}"), &params, &signature);
        let answer = if signed {
            "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 46\r\n\r\n<Response><Say>Hello</Say><Hangup/></Response>"
        } else {
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
        };
        let mut stream = stream;
        let _ = stream.write_all(answer.as_bytes());
        let _ = seen.send(Seen {
            target,
            signed,
            params,
        });
    });
    (url, received)
}

/// Whether core's typed parser of an event reads the parameters.
type Parses = fn(&[(String, String)]) -> bool;

/// A parameter's value.
fn param<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn every_event_reaches_a_handler_signed_and_typed() {
    let events: &[(&str, &[&str], Parses)] = &[
        ("voice", &["CallSid", "CallStatus"], |p| {
            VoiceRequest::from_pairs(p).is_ok()
        }),
        (
            "status-callback",
            &["SequenceNumber", "Timestamp", "CallDuration"],
            |p| StatusCallback::from_pairs(p).is_ok_and(|c| c.timestamp.is_some()),
        ),
        ("gather", &["Digits"], |p| {
            GatherResult::from_pairs(p).is_ok()
        }),
        (
            "record",
            &["RecordingUrl", "RecordingSid", "RecordingDuration"],
            |p| RecordResult::from_pairs(p).is_ok_and(|r| r.recording_duration == Some(5)),
        ),
        (
            "dial",
            &["DialCallStatus", "DialCallSid", "DialCallDuration"],
            |p| DialResult::from_pairs(p).is_ok(),
        ),
    ];
    for (event, names, parses) in events {
        let (url, seen) = handler();
        let output = mycpaas()
            .env_clear()
            .args([
                "webhook",
                "send",
                &format!("{url}/hook?step=1"),
                "--event",
                event,
            ])
            .args(["--auth-token", TOKEN, "--param", "Digits=7"])
            .output()
            .expect("mycpaas runs");
        let seen = seen.recv().expect("the handler saw a request");
        assert!(output.status.success(), "{event}: {output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "<Response><Say>Hello</Say><Hangup/></Response>"
        );
        assert!(String::from_utf8_lossy(&output.stderr).starts_with("HTTP 200 (application/xml)"));
        assert!(seen.signed, "{event}: the signature did not validate");
        assert_eq!(seen.target, "/hook?step=1");
        assert_eq!(
            param(&seen, "Digits"),
            Some("7"),
            "{event}: --param added or replaced"
        );
        for name in names
            .iter()
            .chain(&["AccountSid", "From", "To", "Direction"])
        {
            assert!(param(&seen, name).is_some(), "{event}: no {name}");
        }
        assert!(
            parses(&seen.params),
            "{event}: core's typed parser refused {:?}",
            seen.params
        );
    }
}

#[test]
fn a_bad_signature_gets_the_handlers_refusal_and_exit_1() {
    let (url, seen) = handler();
    let output = mycpaas()
        .env_clear()
        .env("MYCPAAS_AUTH_TOKEN", TOKEN)
        .args([
            "webhook",
            "send",
            &format!("{url}/voice"),
            "--bad-signature",
        ])
        .output()
        .expect("mycpaas runs");
    assert!(!seen.recv().expect("a request").signed);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("HTTP 403") && stderr.contains("the handler answered HTTP 403"),
        "{stderr}"
    );
}

#[test]
fn no_handler_is_exit_3_and_no_token_is_usage() {
    let closed = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}/voice", closed.local_addr().expect("an address"));
    drop(closed);
    let unreachable = mycpaas()
        .env_clear()
        .args(["webhook", "send", &url, "--auth-token", TOKEN])
        .output()
        .expect("mycpaas runs");
    assert_eq!(unreachable.status.code(), Some(3), "{unreachable:?}");
    let no_token = mycpaas()
        .env_clear()
        .args(["webhook", "send", &url])
        .output()
        .expect("mycpaas runs");
    assert_eq!(no_token.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_token.stderr).contains("MYCPAAS_AUTH_TOKEN"));
}

/// What the handlers of the axum app saw, in order.
type AxumSeen = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// An axum app behind mycpaas-axum's `Webhook` extractor (one typed handler per event), served
/// on 127.0.0.1 by a simulator (which is otherwise unused); its base URL and what it saw.
fn axum_app() -> (mycpaas_sim::SimHandle, String, AxumSeen) {
    use axum::extract::State;
    use axum::routing::post;
    use mycpaas_axum::{Laml, Webhook, WebhookConfig};

    #[derive(Clone)]
    struct App {
        config: WebhookConfig,
        seen: AxumSeen,
    }
    impl axum::extract::FromRef<App> for WebhookConfig {
        fn from_ref(app: &App) -> WebhookConfig {
            app.config.clone()
        }
    }
    fn saw(app: &App, line: String) -> Laml {
        app.seen.lock().unwrap().push(line);
        Laml(mycpaas_laml::Response::new().hangup())
    }
    let seen = AxumSeen::default();
    let router = axum::Router::new()
        .route(
            "/voice",
            post(
                |State(app): State<App>, Webhook(call): Webhook<VoiceRequest>| async move {
                    saw(&app, format!("voice {}", call.call.to.unwrap_or_default()))
                },
            ),
        )
        .route(
            "/status",
            post(
                |State(app): State<App>, Webhook(callback): Webhook<StatusCallback>| async move {
                    let status = callback.call.call_status.map(|s| s.as_str().to_owned());
                    saw(&app, format!("status {}", status.unwrap_or_default()))
                },
            ),
        )
        .route(
            "/menu",
            post(
                |State(app): State<App>, Webhook(gather): Webhook<GatherResult>| async move {
                    saw(&app, format!("menu {}", gather.digits.unwrap_or_default()))
                },
            ),
        )
        .route(
            "/record",
            post(
                |State(app): State<App>, Webhook(record): Webhook<RecordResult>| async move {
                    let duration = record.recording_duration.unwrap_or_default();
                    saw(&app, format!("record {duration}"))
                },
            ),
        )
        .route(
            "/dial",
            post(
                |State(app): State<App>, Webhook(dial): Webhook<DialResult>| async move {
                    let status = dial.dial_call_status.map(|s| s.as_str().to_owned());
                    saw(&app, format!("dial {}", status.unwrap_or_default()))
                },
            ),
        )
        .with_state(App {
            config: WebhookConfig::new(TOKEN),
            seen: seen.clone(),
        });
    let sim = mycpaas_sim::Simulator::builder()
        .start_in_background()
        .expect("the simulator starts");
    let base = sim.serve(router).expect("the app is served");
    (sim, base, seen)
}

#[test]
fn every_event_reaches_an_axum_handler_and_a_bad_signature_gets_its_403() {
    let (_sim, base, seen) = axum_app();
    let events = [
        ("voice", "voice", "voice +15005550001"),
        ("status", "status-callback", "status busy"),
        ("menu", "gather", "menu 1"),
        ("record", "record", "record 5"),
        ("dial", "dial", "dial completed"),
    ];
    for (route, event, saw) in events {
        let url = format!("{base}/{route}");
        let mut args = vec!["webhook", "send", &url, "--event", event];
        if event == "status-callback" {
            args.extend(["--param", "CallStatus=busy"]);
        }
        let output = mycpaas()
            .env("MYCPAAS_AUTH_TOKEN", TOKEN)
            .args(&args)
            .output()
            .expect("mycpaas runs");
        assert!(output.status.success(), "{event}: {output:?}");
        assert!(String::from_utf8_lossy(&output.stderr).starts_with("HTTP 200 (application/xml"));
        assert!(
            String::from_utf8_lossy(&output.stdout).ends_with("<Response><Hangup/></Response>")
        );
        assert_eq!(seen.lock().unwrap().last().map(String::as_str), Some(saw));

        let refused = mycpaas()
            .env("MYCPAAS_AUTH_TOKEN", TOKEN)
            .args(&args)
            .arg("--bad-signature")
            .output()
            .expect("mycpaas runs");
        assert_eq!(refused.status.code(), Some(1), "{event}: {refused:?}");
        assert!(String::from_utf8_lossy(&refused.stderr).starts_with("HTTP 403"));
    }
    assert_eq!(
        seen.lock().unwrap().len(),
        events.len(),
        "no refused request ran"
    );
}
