//! The forwarding line of issue 14's acceptance, over real HTTP: a `<Dial>` rings two numbers in
//! parallel as child calls; the callees are scripted through the simulator's control route; the
//! child calls are read through the Calls API (`ParentCallSid`), their status callbacks are signed
//! and read typed, and every duration is the scripted seconds exactly.

use std::time::Duration;

use mycpaas_blocking::Client;
use mycpaas_core::webhook::{DialResult, StatusCallback, validate_signature};
use mycpaas_core::{
    Call, CallStatus, CreateCall, Direction, ListCalls, ScriptCallee, SimCalleeAnswer,
};
use mycpaas_sim::webapp::{WebApp, WebAppHandle};
use mycpaas_sim::{SimHandle, Simulator, Timeline, TimelineEvent};

const A: &str = "+15551230001";
const B: &str = "+15551230002";
const CALLER: &str = "+15559870000";
const SETTLE: Duration = Duration::from_secs(30);

/// The web app: the parent's document dials A and B with a 10 s timeout; the dial's action hangs up.
fn app() -> WebAppHandle {
    let legs = |number: &str| {
        format!(
            r#"<Number statusCallback="/leg" statusCallbackEvent="initiated ringing answered completed">{number}</Number>"#
        )
    };
    WebApp::builder()
        .document(
            "/voice",
            format!(
                r#"<Response><Dial timeout="10" action="/dialed">{}{}</Dial></Response>"#,
                legs(A),
                legs(B)
            ),
        )
        .document("/dialed", "<Response><Hangup/></Response>")
        .document("/leg", "<Response/>")
        .start_in_background()
        .expect("the web app")
}

/// What one forwarding call gave: the parent, the action's parameters, the children by number.
struct Forwarded {
    parent: Call,
    action: DialResult,
    a: Call,
    b: Call,
    parent_timeline: Timeline,
    app: WebAppHandle,
}

fn forward(seed: u64, scripts: &[ScriptCallee]) -> (SimHandle, Forwarded) {
    let sim = Simulator::builder()
        .seed(seed)
        .start_in_background()
        .expect("the simulator");
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    // The control route, as any HTTP client would send it (core's request through `execute`).
    for script in scripts {
        client.execute(script).expect("the callee is scripted");
    }
    let app = app();
    let parent = client
        .calls()
        .create(CreateCall::new("+15551239999", CALLER).url(app.url("/voice")))
        .expect("the parent call");
    let parent_timeline = sim
        .wait_for_call(&parent.sid, SETTLE)
        .expect("the parent ends");
    let children = client
        .calls()
        .list(ListCalls::new().parent_call_sid(&parent.sid))
        .expect("the child calls")
        .calls;
    assert_eq!(children.len(), 2, "{children:?}");
    for child in &children {
        sim.wait_for_call(&child.sid, SETTLE)
            .expect("the child settles");
    }
    let fetch = |number: &str| {
        let sid = &children
            .iter()
            .find(|c| c.to.as_deref() == Some(number))
            .expect("a child per number")
            .sid;
        client.calls().fetch(sid).expect("the child call")
    };
    let (a, b) = (fetch(A), fetch(B));
    let parent = client.calls().fetch(&parent.sid).expect("the parent");
    let dialed = app.requests_to("/dialed");
    assert_eq!(dialed.len(), 1);
    let action = DialResult::from_pairs(dialed[0].params.clone()).expect("typed");
    assert_signed(&sim, &dialed[0]);
    (
        sim,
        Forwarded {
            parent,
            action,
            a,
            b,
            parent_timeline,
            app,
        },
    )
}

fn assert_signed(sim: &SimHandle, request: &mycpaas_sim::webapp::ReceivedRequest) {
    let signature = request.signature.as_deref().unwrap_or_default();
    assert!(
        validate_signature(
            &request.full_url,
            request.signed_params(),
            signature,
            sim.auth_token().as_str()
        ),
        "the signature of {} validates",
        request.full_url
    );
}

/// The status callbacks of one child, typed, in `SequenceNumber` order: (status, duration).
fn leg_callbacks(
    sim: &SimHandle,
    forwarded: &Forwarded,
    child: &Call,
) -> Vec<(CallStatus, Option<u64>)> {
    let mut typed: Vec<StatusCallback> = forwarded
        .app
        .requests_to("/leg")
        .into_iter()
        .filter(|r| r.param("CallSid") == Some(child.sid.as_str()))
        .map(|request| {
            assert_signed(sim, &request);
            StatusCallback::from_pairs(request.params.clone()).expect("typed")
        })
        .collect();
    typed.sort_by_key(|c| c.sequence_number);
    for callback in &typed {
        assert_eq!(
            callback.call.parent_call_sid.as_deref(),
            Some(forwarded.parent.sid.as_str())
        );
        assert_eq!(callback.call.direction, Some(Direction::OutboundDial));
        assert!(callback.extra.is_empty(), "{:?}", callback.extra);
    }
    typed
        .into_iter()
        .map(|c| (c.call.call_status.expect("a status"), c.call_duration))
        .collect()
}

/// The parent's leg events, in order: (leg SID, event, simulated ms since the parent's creation).
fn leg_events(timeline: &Timeline) -> Vec<(String, String, u64)> {
    timeline
        .entries
        .iter()
        .filter_map(|entry| match &entry.event {
            TimelineEvent::Leg { leg, event, .. } => {
                Some((leg.clone(), event.clone(), entry.offset_ms))
            }
            _ => None,
        })
        .collect()
}

/// Simulated milliseconds of a leg event on the parent's timeline.
fn at(events: &[(String, String, u64)], leg: &str, event: &str) -> u64 {
    events
        .iter()
        .find(|(sid, e, _)| sid == leg && e == event)
        .unwrap_or_else(|| panic!("{leg} {event} in {events:?}"))
        .2
}

#[test]
fn a_busy_number_and_one_that_answers_after_three_seconds() {
    let (sim, forwarded) = forward(
        7,
        &[
            ScriptCallee::new(A)
                .answer(SimCalleeAnswer::Busy)
                .ring_for(1),
            ScriptCallee::new(B).ring_for(3).hang_up_after(7),
        ],
    );
    let Forwarded {
        parent,
        action,
        a,
        b,
        parent_timeline,
        ..
    } = &forwarded;
    assert_eq!(a.status, Some(CallStatus::Busy));
    assert_eq!(b.status, Some(CallStatus::Completed));
    for child in [a, b] {
        assert_eq!(child.parent_call_sid.as_deref(), Some(parent.sid.as_str()));
        assert_eq!(child.direction, Some(Direction::OutboundDial));
        assert_eq!(
            child.from.as_deref(),
            Some(CALLER),
            "the parent's caller ID"
        );
    }
    assert_eq!(a.duration, Some(0));
    assert_eq!(b.duration, Some(7), "B talked its scripted 7 s");
    assert_eq!(action.dial_call_status, Some(CallStatus::Completed));
    assert_eq!(action.dial_call_sid.as_deref(), Some(b.sid.as_str()));
    assert_eq!(action.dial_call_duration, Some(7));
    assert_eq!(
        action.call.call_sid.as_deref(),
        Some(parent.sid.as_str()),
        "the action is the parent's"
    );

    // The legs on the parent's clock: both rang at the dial's start, A was busy 1 s later, B
    // answered 3 s later and its bridge lasted 7 s.
    let events = leg_events(parent_timeline);
    let start = at(&events, &a.sid, "rang");
    assert_eq!(at(&events, &b.sid, "rang"), start);
    assert_eq!(at(&events, &a.sid, "busy"), start + 1_000);
    assert_eq!(at(&events, &b.sid, "answered"), start + 3_000);
    assert_eq!(at(&events, &b.sid, "bridged"), start + 3_000);
    assert_eq!(at(&events, &b.sid, "ended"), start + 10_000);
    // The child's own timeline starts at the parent's simulated now.
    let b_timeline = sim.timeline(&b.sid).expect("B's timeline");
    let b_at = |status: &str| {
        b_timeline
            .entries
            .iter()
            .find(|e| matches!(&e.event, TimelineEvent::Status { status: s } if s == status))
            .map(|e| e.offset_ms)
    };
    assert_eq!(
        b_timeline.statuses(),
        ["queued", "initiated", "ringing", "in-progress", "completed"]
    );
    assert_eq!(
        (b_at("ringing"), b_at("in-progress"), b_at("completed")),
        (Some(0), Some(3_000), Some(10_000))
    );
    let (start_time, end_time) = (b.start_time.expect("answered"), b.end_time.expect("ended"));
    assert_eq!(end_time - start_time, time::Duration::seconds(7));

    assert_eq!(
        leg_callbacks(&sim, &forwarded, a),
        [
            (CallStatus::Initiated, None),
            (CallStatus::Ringing, None),
            (CallStatus::Busy, Some(0)),
        ]
    );
    assert_eq!(
        leg_callbacks(&sim, &forwarded, b),
        [
            (CallStatus::Initiated, None),
            (CallStatus::Ringing, None),
            (CallStatus::InProgress, None),
            (CallStatus::Completed, Some(7)),
        ]
    );
}

#[test]
fn the_first_to_answer_wins_and_the_other_is_canceled() {
    let (sim, forwarded) = forward(
        8,
        &[
            ScriptCallee::new(A).ring_for(5),
            ScriptCallee::new(B).ring_for(3).hang_up_after(4),
        ],
    );
    let Forwarded {
        action,
        a,
        b,
        parent_timeline,
        ..
    } = &forwarded;
    assert_eq!(a.status, Some(CallStatus::Canceled));
    assert_eq!(b.status, Some(CallStatus::Completed));
    assert_eq!((a.duration, b.duration), (Some(0), Some(4)));
    assert_eq!(action.dial_call_status, Some(CallStatus::Completed));
    assert_eq!(action.dial_call_sid.as_deref(), Some(b.sid.as_str()));
    assert_eq!(action.dial_call_duration, Some(4));
    let events = leg_events(parent_timeline);
    let start = at(&events, &a.sid, "rang");
    assert_eq!(at(&events, &b.sid, "answered"), start + 3_000);
    assert_eq!(at(&events, &a.sid, "canceled"), start + 3_000);
    assert_eq!(at(&events, &b.sid, "ended"), start + 7_000);
    assert!(
        !events
            .iter()
            .any(|(sid, e, _)| sid == &a.sid && e == "answered"),
        "A never answered: {events:?}"
    );
    assert_eq!(
        leg_callbacks(&sim, &forwarded, a),
        [
            (CallStatus::Initiated, None),
            (CallStatus::Ringing, None),
            (CallStatus::Canceled, Some(0)),
        ]
    );
}

#[test]
fn the_same_seed_gives_the_same_legs_at_the_same_moments() {
    let scripts = [
        ScriptCallee::new(A).ring_for(5),
        ScriptCallee::new(B).ring_for(3).hang_up_after(4),
    ];
    let seen = |seed: u64| {
        let (_sim, forwarded) = forward(seed, &scripts);
        (
            forwarded.parent.sid.clone(),
            forwarded.a.sid.clone(),
            forwarded.b.sid.clone(),
            leg_events(&forwarded.parent_timeline),
        )
    };
    assert_eq!(seen(21), seen(21));
}

#[test]
fn the_async_client_reads_the_same_legs() {
    let sim = Simulator::builder()
        .seed(9)
        .start_in_background()
        .expect("the simulator");
    let app = app();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = mycpaas_async::Client::builder(sim.account_sid(), sim.auth_token())
            .base_url(&sim.base_url())
            .build()
            .expect("an async client");
        let busy = ScriptCallee::new(A).answer(SimCalleeAnswer::Busy);
        client.execute(&busy).await.expect("scripted");
        let parent = client
            .calls()
            .create(CreateCall::new("+15551239999", CALLER).url(app.url("/voice")))
            .await
            .expect("the parent call");
        sim.wait_for_call_async(&parent.sid, SETTLE)
            .await
            .expect("the parent ends");
        let legs = client
            .calls()
            .list(ListCalls::new().parent_call_sid(&parent.sid))
            .await
            .expect("the legs")
            .calls;
        let mut seen: Vec<(Option<String>, Option<CallStatus>)> = Vec::new();
        for leg in legs {
            sim.wait_for_call_async(&leg.sid, SETTLE).await;
            let leg = client.calls().fetch(&leg.sid).await.expect("the leg");
            seen.push((leg.to, leg.status));
        }
        seen.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(
            seen,
            [
                (Some(A.to_owned()), Some(CallStatus::Busy)),
                (Some(B.to_owned()), Some(CallStatus::Completed)),
            ]
        );
        let dialed = app.requests_to("/dialed");
        let action = DialResult::from_pairs(dialed[0].params.clone()).expect("typed");
        assert_eq!(
            action.dial_call_duration,
            Some(10),
            "B talks the default 10 s"
        );
    });
}
