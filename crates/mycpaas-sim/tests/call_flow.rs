//! Calls run end to end against a small web app: LaML execution, scripted input,
//! timelines, and signed status callbacks checked with core's validator.

mod common;

use common::{Api, FROM, HANGUP, SETTLE, TO, sim_and_api};
use mycpaas_core::AuthToken;
use mycpaas_core::webhook::validate_signature;
use mycpaas_sim::webapp::{ReceivedRequest, WebApp, WebAppHandle, WebReply};
use mycpaas_sim::{GatherInput, SimHandle, Timeline, TimelineEvent, magic};

const ALL_EVENTS: &str = "initiated ringing answered completed";

fn assert_signed(sim: &SimHandle, request: &ReceivedRequest) {
    let token = AuthToken::new(sim.auth_token());
    let signature = request.signature.as_deref().expect("signature header sent");
    assert!(
        validate_signature(
            &request.full_url,
            request.signed_params(),
            signature,
            &token
        ),
        "signature of {} {} does not validate",
        request.method,
        request.full_url
    );
}

/// Creates a call with `params` and waits until it has settled: its timeline.
async fn run_call(sim: &SimHandle, api: &Api, params: &[(&str, &str)]) -> Timeline {
    let call = api.create_call(params).await;
    sim.wait_for_call_async(&call, SETTLE).await.unwrap()
}

fn purposes(timeline: &Timeline) -> Vec<String> {
    timeline
        .documents()
        .iter()
        .map(|d| match d {
            TimelineEvent::Document { purpose, .. } => purpose.clone(),
            _ => unreachable!(),
        })
        .collect()
}

async fn ivr_app() -> WebAppHandle {
    WebApp::builder()
        .document(
            "/voice",
            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say>Welcome</Say><Gather numDigits="1" action="/menu"><Say>Press 1 for sales</Say></Gather><Say>We did not get that</Say><Hangup/></Response>"#,
        )
        .document_fn("/menu", |request| match request.param("Digits") {
            Some("1") => "<Response><Say>Sales it is</Say><Redirect>/goodbye</Redirect></Response>".to_owned(),
            _ => "<Response><Say>Unknown option</Say><Hangup/></Response>".to_owned(),
        })
        .document("/goodbye", "<Response><Say>Goodbye</Say><Hangup/><Say>never said</Say></Response>")
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn say_gather_redirect_hangup_runs_end_to_end_with_signed_callbacks() {
    let (sim, api) = sim_and_api().await;
    let app = ivr_app().await;
    sim.script_input(TO, GatherInput::digits("1")).unwrap();

    let voice = app.url("/voice");
    let status = app.url("/status");
    let call = api
        .create_call(&[
            ("Url", &voice),
            ("StatusCallback", &status),
            ("StatusCallbackEvent", ALL_EVENTS),
        ])
        .await;
    let timeline = sim
        .wait_for_call_async(&call, SETTLE)
        .await
        .expect("call settles");

    // The timeline tells the story.
    assert!(timeline.settled);
    assert_eq!(timeline.status, "completed");
    assert_eq!(
        timeline.statuses(),
        ["queued", "initiated", "ringing", "in-progress", "completed"]
    );
    assert_eq!(
        timeline.verbs(),
        ["Say", "Gather", "Say", "Say", "Redirect", "Say", "Hangup"]
    );
    assert_eq!(purposes(&timeline), ["voice", "gather-action", "redirect"]);
    assert!(timeline.entries.iter().any(|e| e.event
        == TimelineEvent::Input {
            digits: Some("1".into()),
            speech: None
        }));
    let callbacks: Vec<_> = timeline.callbacks().into_iter().cloned().collect();
    assert_eq!(callbacks.len(), 4);
    for callback in &callbacks {
        let TimelineEvent::Callback {
            delivered,
            http_status,
            attempt,
            ..
        } = callback
        else {
            unreachable!()
        };
        assert!(delivered);
        assert_eq!(*http_status, Some(200));
        assert_eq!(*attempt, 1);
    }

    // The web app saw the documents requested with the webhook parameters.
    let fetches = app.requests_to("/voice");
    assert_eq!(fetches.len(), 1);
    let fetch = &fetches[0];
    assert_eq!(fetch.method, "POST");
    assert_eq!(fetch.param("CallSid"), Some(call.as_str()));
    assert_eq!(fetch.param("AccountSid"), Some(api.sid.as_str()));
    assert_eq!(fetch.param("CallStatus"), Some("in-progress"));
    assert_eq!(fetch.param("Direction"), Some("outbound-api"));
    assert_eq!(fetch.param("ApiVersion"), Some("2010-04-01"));
    assert_eq!(fetch.param("To"), Some(TO));
    assert_eq!(fetch.param("From"), Some(FROM));
    let menu = app.requests_to("/menu");
    assert_eq!(menu.len(), 1);
    assert_eq!(menu[0].param("Digits"), Some("1"));
    assert_eq!(app.requests_to("/goodbye").len(), 1);

    // Status callbacks: one per event, numbered from 0, terminal one with CallDuration.
    let mut callbacks = app.requests_to("/status");
    callbacks.sort_by_key(|r| r.param("SequenceNumber").unwrap().parse::<u32>().unwrap());
    let statuses: Vec<_> = callbacks
        .iter()
        .map(|r| r.param("CallStatus").unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["initiated", "ringing", "in-progress", "completed"]
    );
    for (n, callback) in callbacks.iter().enumerate() {
        assert_eq!(
            callback.param("SequenceNumber"),
            Some(n.to_string().as_str())
        );
        assert_eq!(
            callback.param("CallbackSource"),
            Some("call-progress-events")
        );
        assert!(callback.param("Timestamp").unwrap().ends_with("+0000"));
        assert_eq!(callback.param("CallDuration").is_some(), n == 3);
    }
    let duration: u64 = callbacks[3].param("CallDuration").unwrap().parse().unwrap();
    assert!(duration > 0);

    // Every request was signed with the account's token over the URL and form.
    for request in app.requests() {
        assert_signed(&sim, &request);
    }

    // The API agrees.
    let fetched = api.get(&api.call_path(&call)).await;
    assert_eq!(fetched.body["status"], "completed");
    assert_eq!(fetched.body["duration"], duration.to_string());
    assert!(fetched.body["start_time"].is_string());
    assert!(fetched.body["end_time"].is_string());

    // And the timeline is served as JSON outside the API prefix.
    let served = api.get(&format!("/_sim/calls/{call}/timeline")).await;
    assert_eq!(served.status, 200);
    let served: Timeline = serde_json::from_value(served.body).unwrap();
    assert_eq!(served, timeline);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn magic_numbers_end_calls_busy_no_answer_and_failed() {
    let (sim, api) = sim_and_api().await;
    let app = ivr_app().await;
    let voice = app.url("/voice");
    let status = app.url("/status");
    for (to, expected, last_before) in [
        (magic::BUSY, "busy", "ringing"),
        (magic::NO_ANSWER, "no-answer", "ringing"),
        (magic::FAILED, "failed", "initiated"),
    ] {
        let call = api
            .create_ok(&[
                ("To", to),
                ("From", FROM),
                ("Url", &voice),
                ("StatusCallback", &status),
                ("Timeout", "20"),
            ])
            .await;
        let timeline = sim.wait_for_call_async(&call, SETTLE).await.unwrap();
        let statuses = timeline.statuses();
        assert_eq!(statuses.last(), Some(&expected), "{to}");
        assert_eq!(statuses[statuses.len() - 2], last_before, "{to}");
        assert!(
            timeline.documents().is_empty(),
            "no document fetched for {to}"
        );
        let callbacks: Vec<_> = app
            .requests_to("/status")
            .into_iter()
            .filter(|r| r.param("CallSid") == Some(call.as_str()))
            .collect();
        assert_eq!(callbacks.len(), 1, "default event is completed only");
        assert_eq!(callbacks[0].param("CallStatus"), Some(expected));
        assert_eq!(callbacks[0].param("CallDuration"), Some("0"));
        let fetched = api.get(&api.call_path(&call)).await;
        assert_eq!(fetched.body["status"], expected);
    }
    assert!(app.requests_to("/voice").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unusable_documents_fail_the_call_and_are_recorded() {
    let (sim, api) = sim_and_api().await;
    let app = WebApp::builder()
        .reply("/plain", |_| WebReply::new(200, "text/plain", HANGUP))
        .reply("/error", |_| WebReply::status(500))
        .document("/broken", "<Response><Say>unclosed</Response>")
        .document("/rescue", "<Response><Say>Sorry</Say><Hangup/></Response>")
        .start()
        .await
        .unwrap();
    for (path, expected_error) in [
        ("/plain", "Content-Type"),
        ("/error", "500"),
        ("/broken", "invalid LaML"),
    ] {
        let url = app.url(path);
        let timeline = run_call(&sim, &api, &[("Url", &url)]).await;
        assert_eq!(timeline.status, "failed", "{path}");
        let documents = timeline.documents();
        let TimelineEvent::Document {
            error: Some(error), ..
        } = documents[0]
        else {
            panic!("{path}: error not recorded: {documents:?}");
        };
        assert!(error.contains(expected_error), "{path}: {error}");
    }
    // Nobody listening at all.
    let call = api
        .create_call(&[("Url", "http://127.0.0.1:9/voice")])
        .await;
    assert_eq!(
        sim.wait_for_call_async(&call, SETTLE).await.unwrap().status,
        "failed"
    );

    // A FallbackUrl rescues the call.
    let (url, rescue) = (app.url("/error"), app.url("/rescue"));
    let timeline = run_call(&sim, &api, &[("Url", &url), ("FallbackUrl", &rescue)]).await;
    assert_eq!(timeline.status, "completed");
    assert_eq!(purposes(&timeline), ["voice", "fallback"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_twiml_runs_like_a_fetched_document() {
    let (sim, api) = sim_and_api().await;
    let timeline = run_call(&sim, &api, &[("Twiml", "<Response><Say loop=\"2\">Hi</Say><Pause length=\"2\"/><Play>https://example.com/a.mp3</Play></Response>")]).await;
    assert_eq!(timeline.status, "completed");
    assert_eq!(timeline.verbs(), ["Say", "Pause", "Play"]);
    assert_eq!(purposes(&timeline), ["inline"]);
    // Simulated time is exact whatever the load: 2 x 0.5 s of speech, 2 s pause, 5 s audio.
    let fetched = api.get(&api.call_path(&timeline.call_sid)).await;
    assert_eq!(fetched.body["duration"], "8");

    let timeline = run_call(
        &sim,
        &api,
        &[("Twiml", "<Response><play>x</play></Response>")],
    )
    .await;
    assert_eq!(timeline.status, "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_dial_and_speech_request_their_actions_with_reference_parameters() {
    let (sim, api) = sim_and_api().await;
    let busy = magic::BUSY;
    // The web app scripts the callee's answer for this very call when the call asks for
    // its document: per-call scripting without racing the call.
    let scripting = sim.clone();
    let app = WebApp::builder()
        .document_fn("/voice", move |request| {
            let call = request.param("CallSid").unwrap_or_default();
            scripting
                .script_input(call, GatherInput::speech("sales please"))
                .unwrap();
            "<Response><Gather input=\"speech\" action=\"/speech\"><Say>Say something</Say></Gather></Response>".to_owned()
        })
        .document("/speech", "<Response><Record action=\"/recorded\" maxLength=\"30\"/></Response>")
        .document("/recorded", format!("<Response><Dial action=\"/dialed\"><Number>{busy}</Number></Dial></Response>"))
        .document("/dialed", "<Response><Dial action=\"/dialed-again\" method=\"GET\">+15550001111</Dial></Response>")
        .document("/dialed-again", HANGUP)
        .start()
        .await
        .unwrap();
    // The number's queue holds digits, which this speech-only Gather must not take.
    sim.script_input(TO, GatherInput::digits("9")).unwrap();
    let url = app.url("/voice");
    let timeline = run_call(&sim, &api, &[("Url", &url)]).await;
    assert_eq!(timeline.status, "completed", "{timeline:#?}");
    // Each `<Dial>` tells its ringing, then how it ended (no leg answered, or the bridge's end).
    assert_eq!(
        timeline.verbs(),
        [
            "Gather", "Say", "Record", "Dial", "Dial", "Dial", "Dial", "Hangup"
        ]
    );

    let speech = &app.requests_to("/speech")[0];
    assert_eq!(speech.param("SpeechResult"), Some("sales please"));
    let confidence: f64 = speech.param("Confidence").unwrap().parse().unwrap();
    assert!((0.0..=1.0).contains(&confidence));
    assert_eq!(speech.param("Digits"), None);

    let recorded = &app.requests_to("/recorded")[0];
    assert!(recorded.param("RecordingSid").unwrap().starts_with("RE"));
    assert!(
        recorded
            .param("RecordingUrl")
            .unwrap()
            .starts_with("http://")
    );
    let seconds: u32 = recorded
        .param("RecordingDuration")
        .unwrap()
        .parse()
        .unwrap();
    assert!(seconds >= 1);
    assert!(recorded.param("Digits").is_some());

    let dialed = &app.requests_to("/dialed")[0];
    assert_eq!(dialed.param("DialCallStatus"), Some("busy"));
    assert!(dialed.param("DialCallSid").unwrap().starts_with("CA"));
    assert_eq!(dialed.param("DialCallDuration"), Some("0"));

    let again = &app.requests_to("/dialed-again")[0];
    assert_eq!(again.method, "GET");
    assert_eq!(again.param("DialCallStatus"), Some("completed"));
    assert!(
        again
            .param("DialCallDuration")
            .unwrap()
            .parse::<u32>()
            .unwrap()
            > 0
    );
    assert!(again.full_url.contains("DialCallStatus=completed"));
    for request in app.requests() {
        assert_signed(&sim, &request);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gather_without_input_falls_through_or_posts_empty_when_asked() {
    let (sim, api) = sim_and_api().await;
    let app = WebApp::builder()
        .document("/voice", "<Response><Gather action=\"/never\" timeout=\"3\"/><Say>Nothing heard</Say><Gather action=\"/empty\" actionOnEmptyResult=\"true\"/></Response>")
        .document("/empty", HANGUP)
        .start()
        .await
        .unwrap();
    let url = app.url("/voice");
    let call = api
        .create_ok(&[("To", "+15557770000"), ("From", FROM), ("Url", &url)])
        .await;
    let timeline = sim.wait_for_call_async(&call, SETTLE).await.unwrap();
    assert_eq!(timeline.status, "completed");
    assert!(app.requests_to("/never").is_empty());
    let empty = app.requests_to("/empty");
    assert_eq!(empty.len(), 1);
    assert_eq!(empty[0].param("Digits"), Some(""));
    assert_eq!(timeline.verbs(), ["Gather", "Say", "Gather", "Hangup"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voice_url_by_get_carries_parameters_in_the_signed_query() {
    let (sim, api) = sim_and_api().await;
    let app = WebApp::builder()
        .document("/voice", HANGUP)
        .start()
        .await
        .unwrap();
    let url = format!("{}?app=demo", app.url("/voice"));
    let call = api.create_call(&[("Url", &url), ("Method", "GET")]).await;
    sim.wait_for_call_async(&call, SETTLE).await.unwrap();
    let fetch = &app.requests_to("/voice")[0];
    assert_eq!(fetch.method, "GET");
    assert_eq!(fetch.param("app"), Some("demo"));
    assert_eq!(fetch.param("CallSid"), Some(call.as_str()));
    assert_signed(&sim, fetch);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_callbacks_are_retried_three_times_then_given_up() {
    let (sim, api) = sim_and_api().await;
    let app = WebApp::builder()
        .reply("/status", |_| WebReply::status(503))
        .start()
        .await
        .unwrap();
    let status = app.url("/status");
    let timeline = run_call(
        &sim,
        &api,
        &[("Twiml", HANGUP), ("StatusCallback", &status)],
    )
    .await;
    let attempts: Vec<_> = timeline
        .callbacks()
        .into_iter()
        .map(|c| match c {
            TimelineEvent::Callback {
                attempt,
                delivered,
                given_up,
                http_status,
                ..
            } => (*attempt, *delivered, *given_up, *http_status),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(
        attempts,
        [
            (1, false, false, Some(503)),
            (2, false, false, Some(503)),
            (3, false, true, Some(503))
        ]
    );
    assert_eq!(app.requests_to("/status").len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_limit_reject_redirect_loops_and_unsimulated_verbs() {
    let (sim, api) = sim_and_api().await;
    let app = WebApp::builder()
        .document("/loop", "<Response><Redirect>/loop</Redirect></Response>")
        .start()
        .await
        .unwrap();

    // TimeLimit hangs up between verbs once reached.
    let timeline = run_call(&sim, &api, &[("TimeLimit", "8"),
            ("Twiml", "<Response><Pause length=\"5\"/><Pause length=\"5\"/><Say>too late</Say></Response>"),
        ]).await;
    assert_eq!(timeline.status, "completed");
    assert_eq!(timeline.verbs(), ["Pause", "Pause"]);

    // Reject with reason busy ends the call busy.
    let timeline = run_call(
        &sim,
        &api,
        &[(
            "Twiml",
            "<Response><Reject reason=\"busy\"/><Say>unreachable</Say></Response>",
        )],
    )
    .await;
    assert_eq!(timeline.status, "busy");
    assert_eq!(timeline.verbs(), ["Reject"]);

    // A redirect loop is cut off and the call fails.
    let url = app.url("/loop");
    let timeline = run_call(&sim, &api, &[("Url", &url)]).await;
    assert_eq!(timeline.status, "failed");
    assert_eq!(app.requests_to("/loop").len(), 64);
    assert!(timeline.entries.iter().any(|e| matches!(&e.event, TimelineEvent::Error { message } if message.contains("redirect loop"))));

    // Verbs the simulator does not model are recorded and skipped; loop="0" ends.
    let timeline = run_call(&sim, &api, &[("Twiml", "<Response><Sms>hi</Sms><Play loop=\"0\">https://example.com/a.mp3</Play><Leave/></Response>")]).await;
    assert_eq!(timeline.status, "completed");
    assert_eq!(timeline.verbs(), ["Sms", "Play", "Leave"]);
}
