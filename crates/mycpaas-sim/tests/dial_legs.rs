//! `<Dial>`'s child legs in the engine: how an unanswered dial reports, `hangupOnStar`,
//! `timeLimit`, the whisper, `callerId`, a parent hung up while its legs ring or talk.

mod common;

use common::{Api, FROM, SETTLE, TO, sim_and_api, wait_for_status};
use mycpaas_core::{ScriptCallee, SimCalleeAnswer};
use mycpaas_sim::webapp::{WebApp, WebAppHandle};
use mycpaas_sim::{GatherInput, SimHandle, Timeline, TimelineEvent, magic};
use serde_json::Value;

const A: &str = "+15551230001";
const B: &str = "+15551230002";

/// A web app whose `/voice` is `voice`, whose `/dialed` (the dial's action) hangs up, and whose
/// `/leg` takes the legs' status callbacks.
async fn app(voice: impl Into<String>) -> WebAppHandle {
    WebApp::builder()
        .document("/voice", voice)
        .document("/dialed", "<Response><Hangup/></Response>")
        .document("/leg", "<Response/>")
        .start()
        .await
        .expect("the web app")
}

/// Runs a call to [`TO`] on `app`'s `/voice` until it settles.
async fn run(sim: &SimHandle, api: &Api, app: &WebAppHandle) -> Timeline {
    let url = app.url("/voice");
    let sid = api.create_call(&[("Url", &url)]).await;
    sim.wait_for_call_async(&sid, SETTLE)
        .await
        .expect("the call settles")
}

/// The child calls of `parent`, through the API's `ParentCallSid` filter (settled first).
async fn children(sim: &SimHandle, api: &Api, parent: &str) -> Vec<Value> {
    let page = api
        .get(&format!("{}?ParentCallSid={parent}", api.calls_path()))
        .await;
    assert_eq!(page.status, 200, "{:?}", page.body);
    let mut calls = Vec::new();
    for call in page.body["calls"].as_array().expect("calls") {
        let sid = call["sid"].as_str().expect("sid");
        sim.wait_for_call_async(sid, SETTLE)
            .await
            .expect("the leg settles");
        calls.push(api.get(&api.call_path(sid)).await.body);
    }
    // Oldest first: the nouns' order.
    calls.reverse();
    calls
}

fn dial_param(app: &WebAppHandle, name: &str) -> Option<String> {
    let requests = app.requests_to("/dialed");
    let request = requests.first()?;
    request.param(name).map(str::to_owned)
}

fn script(sim: &SimHandle, request: &ScriptCallee) {
    sim.script_callee(request).expect("a valid script");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_dial_reports_busy_failed_or_no_answer() {
    // (A's behaviour, B's behaviour, DialCallStatus, each leg's end)
    let cases = [
        (
            SimCalleeAnswer::Busy,
            SimCalleeAnswer::Busy,
            "busy",
            ["busy", "busy"],
        ),
        (
            SimCalleeAnswer::Fail,
            SimCalleeAnswer::Fail,
            "failed",
            ["failed", "failed"],
        ),
        (
            SimCalleeAnswer::Fail,
            SimCalleeAnswer::Busy,
            "busy",
            ["failed", "busy"],
        ),
        (
            SimCalleeAnswer::Busy,
            SimCalleeAnswer::NoAnswer,
            "no-answer",
            ["busy", "no-answer"],
        ),
    ];
    for (a, b, status, ends) in cases {
        let (sim, api) = sim_and_api().await;
        script(&sim, &ScriptCallee::new(A).answer(a).ring_for(2));
        script(&sim, &ScriptCallee::new(B).answer(b).ring_for(4));
        let app = app(format!(
            r#"<Response><Dial timeout="6" action="/dialed"><Number>{A}</Number><Sip>{B}</Sip></Dial></Response>"#
        ))
        .await;
        let timeline = run(&sim, &api, &app).await;
        let legs = children(&sim, &api, &timeline.call_sid).await;
        let got: Vec<&str> = legs.iter().map(|l| l["status"].as_str().unwrap()).collect();
        assert_eq!(got, ends, "{a:?} {b:?}");
        assert_eq!(dial_param(&app, "DialCallStatus").as_deref(), Some(status));
        assert_eq!(dial_param(&app, "DialCallDuration").as_deref(), Some("0"));
        for leg in &legs {
            assert_eq!(leg["duration"], "0");
            assert_eq!(leg["direction"], "outbound-dial");
        }
        // A no-answer leg rang until the dial's timeout, exactly.
        if let Some(rung_out) = legs.iter().find(|l| l["status"] == "no-answer") {
            let leg = sim.timeline(rung_out["sid"].as_str().unwrap()).unwrap();
            let last = leg.entries.iter().rev().find(
                |e| matches!(&e.event, TimelineEvent::Status { status } if status == "no-answer"),
            );
            assert_eq!(last.map(|e| e.offset_ms), Some(6_000));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_magic_numbers_stay_the_defaults_of_unscripted_numbers() {
    let (sim, api) = sim_and_api().await;
    let app = app(format!(
        r#"<Response><Dial action="/dialed" timeout="5">{}</Dial></Response>"#,
        magic::NO_ANSWER
    ))
    .await;
    let timeline = run(&sim, &api, &app).await;
    assert_eq!(
        dial_param(&app, "DialCallStatus").as_deref(),
        Some("no-answer")
    );
    let legs = children(&sim, &api, &timeline.call_sid).await;
    assert_eq!(legs.len(), 1);
    assert_eq!(legs[0]["to"], magic::NO_ANSWER);
    assert_eq!(legs[0]["from"], FROM, "the parent's caller ID");

    // Any other number answers after 2 s and talks 10 s.
    let app = self::app(r#"<Response><Dial callerId="+15550009999" action="/dialed">+15550001111</Dial></Response>"#)
        .await;
    let timeline = run(&sim, &api, &app).await;
    assert_eq!(
        dial_param(&app, "DialCallStatus").as_deref(),
        Some("completed")
    );
    assert_eq!(dial_param(&app, "DialCallDuration").as_deref(), Some("10"));
    let legs = children(&sim, &api, &timeline.call_sid).await;
    assert_eq!(legs[0]["from"], "+15550009999", "the dial's callerId");
    assert_eq!(legs[0]["duration"], "10");
    assert_eq!(legs[0]["parent_call_sid"], timeline.call_sid.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hangup_on_star_ends_the_bridge_and_the_parent_goes_on() {
    let (sim, api) = sim_and_api().await;
    script(&sim, &ScriptCallee::new(A).ring_for(1).hang_up_after(30));
    // The caller presses `*` 2 s into the bridge (four half-second pauses).
    sim.script_input(TO, GatherInput::digits("wwww*")).unwrap();
    let app = app(format!(
        r#"<Response><Dial hangupOnStar="true"><Number>{A}</Number></Dial><Say>Still here</Say></Response>"#
    ))
    .await;
    let timeline = run(&sim, &api, &app).await;
    assert_eq!(timeline.status, "completed");
    assert_eq!(
        timeline.verbs().last(),
        Some(&"Say"),
        "{:?}",
        timeline.verbs()
    );
    let legs = children(&sim, &api, &timeline.call_sid).await;
    assert_eq!(legs[0]["status"], "completed");
    assert_eq!(legs[0]["duration"], "2");
    let ended = timeline.entries.iter().any(|e| {
        matches!(&e.event, TimelineEvent::Verb { detail, .. }
            if detail.contains("ended after 2 s: the caller pressed *"))
    });
    assert!(ended, "{timeline:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_limit_ends_the_bridge() {
    let (sim, api) = sim_and_api().await;
    script(&sim, &ScriptCallee::new(A).ring_for(3).hang_up_after(60));
    let app = app(format!(
        r#"<Response><Dial timeLimit="4" action="/dialed"><Number>{A}</Number></Dial></Response>"#
    ))
    .await;
    let timeline = run(&sim, &api, &app).await;
    assert_eq!(
        dial_param(&app, "DialCallStatus").as_deref(),
        Some("completed")
    );
    assert_eq!(dial_param(&app, "DialCallDuration").as_deref(), Some("4"));
    let legs = children(&sim, &api, &timeline.call_sid).await;
    assert_eq!(legs[0]["duration"], "4");
    assert_eq!(
        dial_param(&app, "DialCallSid").as_deref(),
        legs[0]["sid"].as_str()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_parent_hanging_up_mid_ring_cancels_its_legs() {
    let (sim, api) = sim_and_api().await;
    script(
        &sim,
        &ScriptCallee::new(A).answer(SimCalleeAnswer::NoAnswer),
    );
    script(&sim, &ScriptCallee::new(B).ring_for(500));
    let app = app(format!(
        r#"<Response><Dial timeout="600" action="/dialed"><Number statusCallback="/leg">{A}</Number><Number>{B}</Number></Dial></Response>"#
    ))
    .await;
    let mut events = sim.events();
    let url = app.url("/voice");
    let parent = api.create_call(&[("Url", &url)]).await;
    // Both legs ring: find them through the API while they do.
    let legs = loop {
        let page = api
            .get(&format!(
                "{}?ParentCallSid={parent}&Status=ringing",
                api.calls_path()
            ))
            .await;
        let calls = page.body["calls"].as_array().cloned().unwrap_or_default();
        if calls.len() == 2 {
            break calls;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    };
    let first = legs[0]["sid"].as_str().unwrap().to_owned();
    wait_for_status(&mut events, &first, "ringing").await;
    let ended = api
        .post(&api.call_path(&parent), &[("Status", "completed")])
        .await;
    assert_eq!(ended.status, 200, "{:?}", ended.body);
    let timeline = sim.wait_for_call_async(&parent, SETTLE).await.unwrap();
    assert_eq!(timeline.status, "completed");
    let legs = children(&sim, &api, &parent).await;
    for leg in &legs {
        assert_eq!(leg["status"], "canceled", "{leg}");
        assert_eq!(leg["duration"], "0");
    }
    assert!(
        app.requests_to("/dialed").is_empty(),
        "a hung-up parent has no action"
    );
    let canceled = app.requests_to("/leg");
    assert_eq!(canceled.len(), 1);
    assert_eq!(canceled[0].param("CallStatus"), Some("canceled"));
    assert_eq!(canceled[0].param("ParentCallSid"), Some(parent.as_str()));
    let told: Vec<&str> = timeline
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            TimelineEvent::Leg { event, .. } => Some(event.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(told, ["rang", "rang", "canceled", "canceled"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whisper_runs_on_the_leg_before_the_bridge() {
    let (sim, api) = sim_and_api().await;
    script(&sim, &ScriptCallee::new(A).ring_for(2).hang_up_after(5));
    // The callee presses 1 at the whisper's Gather: its number's scripted input.
    sim.script_input(A, GatherInput::digits("1")).unwrap();
    let app = WebApp::builder()
        .document(
            "/voice",
            format!(
                r#"<Response><Dial action="/dialed"><Number url="/whisper">{A}</Number></Dial></Response>"#
            ),
        )
        .document(
            "/whisper",
            r#"<Response><Gather numDigits="1" action="/accepted"><Say>Press 1</Say></Gather></Response>"#,
        )
        .document("/accepted", "<Response><Pause length=\"3\"/></Response>")
        .document("/dialed", "<Response><Hangup/></Response>")
        .start()
        .await
        .unwrap();
    let timeline = run(&sim, &api, &app).await;
    let legs = children(&sim, &api, &timeline.call_sid).await;
    let leg = &legs[0];
    let whisper = &app.requests_to("/whisper")[0];
    assert_eq!(whisper.param("CallSid"), leg["sid"].as_str());
    assert_eq!(
        whisper.param("ParentCallSid"),
        Some(timeline.call_sid.as_str())
    );
    assert_eq!(whisper.param("Direction"), Some("outbound-dial"));
    assert_eq!(app.requests_to("/accepted")[0].param("Digits"), Some("1"));
    // The bridge lasts the scripted talk; the leg was answered for the whisper too.
    assert_eq!(dial_param(&app, "DialCallDuration").as_deref(), Some("5"));
    let leg_timeline = sim.timeline(leg["sid"].as_str().unwrap()).unwrap();
    assert_eq!(leg_timeline.verbs(), ["Gather", "Say", "Pause"]);
    let seconds: u64 = leg["duration"].as_str().unwrap().parse().unwrap();
    assert!(seconds > 5, "whisper and talk: {seconds}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_parent_hanging_up_mid_bridge_completes_its_leg() {
    let (sim, api) = sim_and_api().await;
    script(&sim, &ScriptCallee::new(A).ring_for(1).hang_up_after(600));
    let app = app(format!(
        r#"<Response><Dial action="/dialed"><Number>{A}</Number></Dial></Response>"#
    ))
    .await;
    let mut events = sim.events();
    let url = app.url("/voice");
    let parent = api.create_call(&[("Url", &url)]).await;
    let leg = loop {
        let page = api
            .get(&format!("{}?ParentCallSid={parent}", api.calls_path()))
            .await;
        if let Some(call) = page.body["calls"].as_array().and_then(|c| c.first()) {
            break call["sid"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    };
    wait_for_status(&mut events, &leg, "in-progress").await;
    let ended = api
        .post(&api.call_path(&parent), &[("Status", "completed")])
        .await;
    assert_eq!(ended.status, 200, "{:?}", ended.body);
    sim.wait_for_call_async(&parent, SETTLE).await.unwrap();
    let legs = children(&sim, &api, &parent).await;
    assert_eq!(legs[0]["status"], "completed");
    assert!(app.requests_to("/dialed").is_empty());
    let timeline = sim.timeline(&leg).unwrap();
    let told: Vec<&str> = timeline
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            TimelineEvent::Leg { event, .. } => Some(event.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(told, ["rang", "answered", "bridged", "ended"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leg_canceled_through_the_api_leaves_the_dial_to_the_others() {
    let (sim, api) = sim_and_api().await;
    script(
        &sim,
        &ScriptCallee::new(A).answer(SimCalleeAnswer::NoAnswer),
    );
    let app = app(format!(
        r#"<Response><Dial timeout="600" action="/dialed"><Number>{A}</Number></Dial></Response>"#
    ))
    .await;
    let mut events = sim.events();
    let url = app.url("/voice");
    let parent = api.create_call(&[("Url", &url)]).await;
    let leg = loop {
        let page = api
            .get(&format!("{}?ParentCallSid={parent}", api.calls_path()))
            .await;
        if let Some(call) = page.body["calls"].as_array().and_then(|c| c.first()) {
            break call["sid"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    };
    wait_for_status(&mut events, &leg, "ringing").await;
    let canceled = api
        .post(&api.call_path(&leg), &[("Status", "canceled")])
        .await;
    assert_eq!(canceled.status, 200, "{:?}", canceled.body);
    let timeline = sim.wait_for_call_async(&parent, SETTLE).await.unwrap();
    assert_eq!(
        dial_param(&app, "DialCallStatus").as_deref(),
        Some("canceled")
    );
    assert_eq!(
        dial_param(&app, "DialCallSid").as_deref(),
        Some(leg.as_str())
    );
    let told: Vec<&str> = timeline
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            TimelineEvent::Leg { event, .. } => Some(event.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(told, ["rang", "canceled"]);
    assert!(sim.wait_for_call_async(&leg, SETTLE).await.is_some());
}
