//! Every operation of the Calls resource, and every list filter.

use std::time::Duration;

use mycpaas_blocking::{CallEvent, CallStatus, CreateCall, Direction, ListCalls, UpdateCall};
use mycpaas_laml::{Pause, Response, Say};
use mycpaas_sim::TimelineEvent;
use mycpaas_sim::webapp::WebApp;

use crate::{FROM, HANGUP, TO, client, in_progress, sim, slow_sim, wait_until};

#[test]
fn create_fetch_and_delete_a_call() {
    let sim = sim();
    let client = client(&sim);
    let created = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect("create");
    assert!(!created.sid.is_empty());
    assert_eq!(created.to.as_deref(), Some(TO));
    assert_eq!(created.from.as_deref(), Some(FROM));
    assert_eq!(created.direction, Some(Direction::OutboundApi));

    let fetched = client.calls().fetch(&created.sid).expect("fetch");
    assert_eq!(fetched.sid, created.sid);

    let finished = wait_until(&client, &created.sid, |call| {
        call.status == Some(CallStatus::Completed)
    });
    assert_eq!(finished.status, Some(CallStatus::Completed));

    client.calls().delete(&created.sid).expect("delete");
    let gone = client
        .calls()
        .fetch(&created.sid)
        .expect_err("deleted call");
    assert_eq!(gone.status(), Some(404));
    assert_eq!(sim.calls_created(), 1);
}

#[test]
fn create_runs_a_voice_url_with_status_callbacks_for_every_event() {
    let sim = sim();
    let app = WebApp::builder()
        .document("/voice", "<Response><Say>Hello</Say><Hangup/></Response>")
        .start_in_background()
        .expect("web app");
    let client = client(&sim);
    let call = client
        .calls()
        .create(
            CreateCall::new(TO, FROM)
                .url(app.url("/voice"))
                .status_callback(app.url("/status"))
                .status_callback_events([
                    CallEvent::Initiated,
                    CallEvent::Ringing,
                    CallEvent::Answered,
                    CallEvent::Completed,
                ]),
        )
        .expect("create");
    let timeline = sim
        .wait_for_call(&call.sid, Duration::from_secs(20))
        .expect("call settles");
    assert_eq!(timeline.verbs(), ["Say", "Hangup"]);
    let statuses: Vec<_> = app
        .requests_to("/status")
        .iter()
        .filter_map(|r| r.param("CallStatus").map(str::to_owned))
        .collect();
    for status in ["initiated", "ringing", "in-progress", "completed"] {
        assert!(
            statuses.iter().any(|s| s == status),
            "{status} in {statuses:?}"
        );
    }
}

#[test]
fn create_accepts_inline_laml_as_text_and_typed() {
    let sim = sim();
    let client = client(&sim);
    let typed = Response::new().say(Say::new("Typed LaML")).hangup();
    let from_text = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml("<Response><Say>Text LaML</Say></Response>"))
        .expect("create with text");
    let from_typed = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(&typed))
        .expect("create with typed LaML");
    for sid in [&from_text.sid, &from_typed.sid] {
        let timeline = sim
            .wait_for_call(sid, Duration::from_secs(20))
            .expect("call settles");
        assert_eq!(timeline.verbs().first(), Some(&"Say"), "{sid}");
    }
}

#[test]
fn update_redirects_a_live_call_to_new_laml() {
    let sim = slow_sim();
    let app = WebApp::builder()
        .document("/hold", "<Response><Pause length=\"120\"/></Response>")
        .document(
            "/next",
            "<Response><Say>Redirected</Say><Hangup/></Response>",
        )
        .start_in_background()
        .expect("web app");
    let client = client(&sim);
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).url(app.url("/hold")))
        .expect("create");
    let live = wait_until(&client, &call.sid, in_progress);
    assert_eq!(live.status, Some(CallStatus::InProgress));

    client
        .calls()
        .update(UpdateCall::new(&call.sid).url(app.url("/next")))
        .expect("redirect");
    let timeline = sim
        .wait_for_call(&call.sid, Duration::from_secs(20))
        .expect("call settles");
    let fetched: Vec<_> = timeline
        .documents()
        .into_iter()
        .filter_map(|event| match event {
            TimelineEvent::Document { url, .. } => Some(url.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(fetched, [app.url("/hold"), app.url("/next")]);
    assert!(timeline.verbs().contains(&"Say"));
}

#[test]
fn update_with_typed_laml_replaces_the_document() {
    let sim = slow_sim();
    let client = client(&sim);
    let hold = Response::new().pause(Pause::seconds(120));
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(&hold))
        .expect("create");
    wait_until(&client, &call.sid, in_progress);
    let goodbye = Response::new().say(Say::new("Goodbye")).hangup();
    client
        .calls()
        .update(UpdateCall::new(&call.sid).twiml(&goodbye))
        .expect("update");
    let timeline = sim
        .wait_for_call(&call.sid, Duration::from_secs(20))
        .expect("call settles");
    assert!(timeline.verbs().contains(&"Say"), "{:?}", timeline.verbs());
    assert_eq!(timeline.status, "completed");
}

#[test]
fn cancel_ends_a_call_before_it_is_answered() {
    let sim = slow_sim();
    let client = client(&sim);
    let call = client
        .calls()
        .create(CreateCall::new(mycpaas_sim::magic::NO_ANSWER, FROM).twiml(HANGUP))
        .expect("create");
    let canceled = client.calls().cancel(&call.sid).expect("cancel");
    assert_eq!(canceled.status, Some(CallStatus::Canceled));
    let timeline = sim
        .wait_for_call(&call.sid, Duration::from_secs(20))
        .expect("call settles");
    assert_eq!(timeline.status, "canceled");
}

#[test]
fn hangup_ends_a_call_in_progress() {
    let sim = slow_sim();
    let client = client(&sim);
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml("<Response><Pause length=\"120\"/></Response>"))
        .expect("create");
    wait_until(&client, &call.sid, in_progress);
    let ended = client.calls().hangup(&call.sid).expect("hang up");
    assert_eq!(ended.status, Some(CallStatus::Completed));
}

#[test]
fn list_filters_by_to_from_status_and_date() {
    let sim = sim();
    let client = client(&sim);
    let other_to = "+491111111111";
    let other_from = "+492222222222";
    let mut sids = Vec::new();
    for (to, from) in [(TO, FROM), (TO, other_from), (other_to, FROM)] {
        let call = client
            .calls()
            .create(CreateCall::new(to, from).twiml(HANGUP))
            .expect("create");
        sids.push(call.sid);
    }
    let busy = client
        .calls()
        .create(CreateCall::new(mycpaas_sim::magic::BUSY, FROM).twiml(HANGUP))
        .expect("create busy");
    wait_until(&client, &busy.sid, |c| c.status == Some(CallStatus::Busy));
    for sid in &sids {
        wait_until(&client, sid, |c| c.status == Some(CallStatus::Completed));
    }

    let sids_of = |list: ListCalls| -> Vec<String> {
        let mut found: Vec<_> = client
            .calls()
            .list(list)
            .expect("list")
            .calls
            .into_iter()
            .map(|c| c.sid)
            .collect();
        found.sort();
        found
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sids_of(ListCalls::new().to(TO)), sorted(sids[..2].to_vec()));
    assert_eq!(
        sids_of(ListCalls::new().from(FROM)),
        sorted(vec![sids[0].clone(), sids[2].clone(), busy.sid.clone()])
    );
    assert_eq!(
        sids_of(ListCalls::new().to(TO).from(other_from)),
        [sids[1].clone()]
    );
    assert_eq!(
        sids_of(ListCalls::new().status(CallStatus::Busy)),
        std::slice::from_ref(&busy.sid)
    );
    assert!(
        sids_of(ListCalls::new().parent_call_sid("CA00000000000000000000000000000000")).is_empty()
    );

    let today = time::OffsetDateTime::now_utc().date();
    let yesterday = today.previous_day().expect("a day before today");
    let tomorrow = today.next_day().expect("a day after today");
    // The busy call was never answered, so it has no start time.
    let answered = sorted(sids.clone());
    assert_eq!(
        sids_of(ListCalls::new().start_time_after(yesterday)),
        answered
    );
    assert_eq!(sids_of(ListCalls::new().start_time(today)), answered);
    assert!(sids_of(ListCalls::new().start_time_before(yesterday)).is_empty());
    assert!(sids_of(ListCalls::new().start_time_after(tomorrow)).is_empty());
    assert_eq!(sids_of(ListCalls::new().end_time_after(yesterday)).len(), 4);
}
