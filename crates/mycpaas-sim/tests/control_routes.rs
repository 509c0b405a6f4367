//! The simulator's control routes (the description's `Simulator` tag) over plain HTTP, as a test
//! in another language drives them: scripted input and transcriptions, counted faults of the API
//! and of callbacks, and a timeline whose JSON is the description's `SimTimeline`.

mod common;

use common::{FROM, SETTLE, TO, sim_and_api};
use mycpaas_core::SimTimeline;
use mycpaas_sim::webapp::{WebApp, WebReply};

#[tokio::test]
async fn scripted_digits_and_a_callback_fault_show_in_the_timeline() {
    let (sim, api) = sim_and_api().await;
    let app = WebApp::builder()
        .document(
            "/voice",
            r#"<Response><Gather numDigits="2" action="/menu"/></Response>"#,
        )
        .document("/menu", "<Response><Hangup/></Response>")
        .reply("/status", |_| WebReply::status(200))
        .start()
        .await
        .unwrap();
    let queued = api
        .post("/_sim/inputs", &[("Key", TO), ("Digits", "42")])
        .await;
    assert_eq!(queued.status, 204, "{:?}", queued.body);
    let injected = api
        .post(
            "/_sim/faults",
            &[("Fault", "callback_server_error"), ("Count", "1")],
        )
        .await;
    assert_eq!(injected.status, 200, "{:?}", injected.body);
    assert_eq!(injected.body["callbacks_pending"], 1);
    assert_eq!(injected.body["api_pending"], 0);

    let status = app.url("/status");
    let sid = api
        .create_call(&[("Url", &app.url("/voice")), ("StatusCallback", &status)])
        .await;
    sim.wait_for_call_async(&sid, SETTLE)
        .await
        .expect("settles");
    let answer = api.get(&format!("/_sim/calls/{sid}/timeline")).await;
    assert_eq!(answer.status, 200);
    let timeline: SimTimeline = serde_json::from_value(answer.body.clone()).unwrap();
    assert_eq!((timeline.to.as_str(), timeline.from.as_str()), (TO, FROM));
    assert_eq!(timeline.settled, Some(true));
    let input = timeline
        .entries
        .iter()
        .find(|e| e.r#type == "input")
        .expect("the input was consumed");
    assert_eq!(input.digits.as_deref(), Some("42"));
    assert_eq!(app.requests_to("/menu")[0].param("Digits"), Some("42"));
    // The completed callback: its first attempt reached the app and was counted a 500.
    let attempts: Vec<_> = timeline
        .entries
        .iter()
        .filter(|e| e.r#type == "callback")
        .map(|e| (e.attempt, e.http_status, e.fault.clone(), e.delivered))
        .collect();
    assert_eq!(
        attempts,
        [
            (
                Some(1),
                Some(500),
                Some("callback_server_error".to_owned()),
                Some(false)
            ),
            (Some(2), Some(200), None, Some(true)),
        ]
    );
    assert_eq!(app.requests_to("/status").len(), 2);
    let pending = api.get("/_sim/faults").await;
    assert_eq!(pending.body["callbacks_pending"], 0);
}

#[tokio::test]
async fn faults_are_counted_cleared_and_refused_by_the_description_rules() {
    let (sim, api) = sim_and_api().await;
    let answer = api
        .post(
            "/_sim/faults",
            &[
                ("Fault", "rate_limited"),
                ("Count", "3"),
                ("RetryAfter", "1"),
            ],
        )
        .await;
    assert_eq!(answer.body["api_pending"], 3, "{:?}", answer.body);
    assert_eq!(sim.faults().pending(), 3);
    // The control routes never get the API's faults.
    assert_eq!(api.get("/_sim/faults").await.body["api_pending"], 3);
    assert_eq!(api.delete("/_sim/faults").await.status, 204);
    assert_eq!(sim.faults().pending(), 0);

    for (path, form, words) in [
        (
            "/_sim/faults",
            vec![("Fault", "meltdown")],
            "must be one of",
        ),
        (
            "/_sim/faults",
            vec![("Count", "2")],
            "invalid Fault: is required",
        ),
        (
            "/_sim/faults",
            vec![("Fault", "delay"), ("Count", "0")],
            "invalid Count",
        ),
        (
            "/_sim/inputs",
            vec![("Key", TO), ("Digits", "12x")],
            "may contain only",
        ),
        (
            "/_sim/inputs",
            vec![("Digits", "1")],
            "invalid Key: is required",
        ),
        (
            "/_sim/transcriptions",
            vec![("Key", TO)],
            "invalid Text: is required",
        ),
        (
            "/_sim/calls-in",
            vec![("To", "sales"), ("From", FROM)],
            "E.164",
        ),
    ] {
        let answer = api.post(path, &form).await;
        assert_eq!(answer.status, 400, "{path} {form:?}: {:?}", answer.body);
        let message = answer.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{path} {form:?}: {message}");
    }
    assert_eq!(sim.faults().pending(), 0);
    let scripted = api
        .post(
            "/_sim/transcriptions",
            &[("Key", TO), ("Text", "Call me back")],
        )
        .await;
    assert_eq!(scripted.status, 204);
}
