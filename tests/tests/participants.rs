//! A conference's participants in both Rust clients, against the simulator over real HTTP: every
//! operation (list with its filters, fetch, update, add by dialing out, kick) and the conference's
//! recordings, with the refusals of each (21501, 21502, 21503, another account's 404); then a
//! meeting followed through its signed, typed conference callbacks: a participant added through
//! the API muted, unmuted, held with hold music from the web app, taken off hold and kicked.

use std::fmt::Debug;
use std::time::Duration;

use mycpaas_core::webhook::{ConferenceStatusCallback, validate_signature};
use mycpaas_core::{
    CallStatus, ConferenceStatus, CreateCall, CreateParticipant, DeleteParticipant, Error,
    FetchCall, FetchParticipant, ListConferenceRecordings, ListConferences, ListParticipants,
    Participant, ParticipantStatus, Result, UpdateConference, UpdateParticipant,
};
use mycpaas_sim::webapp::{WebApp, WebAppHandle};
use mycpaas_sim::{SimHandle, Simulator};
use mycpaas_tests::layers::{Layer, asynchronous, blocking};
use mycpaas_tests::wait::eventually;

/// The API error code of a refusal, or `None` for a success.
fn code<T: Debug>(outcome: &Result<T>) -> Option<(u16, u32)> {
    match outcome {
        Err(Error::Api(api)) => Some((api.status, api.code.unwrap_or_default())),
        _ => None,
    }
}

/// A document that dials the conference `room`, then hangs up after the dial.
fn room(app: &WebAppHandle, room: &str) -> String {
    format!(
        r#"<Response><Dial action="{}"><Conference statusCallback="{}">{room}</Conference></Dial></Response>"#,
        app.url("/after"),
        app.url("/conference")
    )
}

fn web_app() -> WebAppHandle {
    WebApp::builder()
        .document("/after", "<Response><Hangup/></Response>")
        .document("/conference", "<Response/>")
        .document(
            "/hold",
            "<Response><Play>https://example.com/music.mp3</Play><Pause length=\"2\"/></Response>",
        )
        .document(
            "/announce",
            "<Response><Say>The meeting ends soon</Say></Response>",
        )
        .start_in_background()
        .expect("the web app")
}

/// The participants in `conference` now, by call SID.
fn in_room(layer: &impl Layer, conference: &str) -> Vec<String> {
    layer
        .walk(ListParticipants::new(conference))
        .expect("the participants")
        .into_iter()
        .map(|p| p.call_sid)
        .collect()
}

/// Every participant operation through `layer`, in a conference of its own.
fn operations(layer: &impl Layer, other: &impl Layer, app: &WebAppHandle, sim: &SimHandle) {
    let at = |step: &str| format!("participants ({}): {step}", layer.name());
    let name = format!("ops-{}", layer.name());
    let call = |to: &str| {
        layer
            .run(CreateCall::new(to, "+15559870000").twiml(room(app, &name)))
            .unwrap_or_else(|e| panic!("{}: {e}", at("a caller")))
    };
    let first = call("+15551230001");
    let conference = eventually(&at("the conference"), || {
        layer
            .run(ListConferences::new().friendly_name(&name))
            .expect("the conferences")
            .conferences
            .into_iter()
            .next()
    });
    let sid = conference.sid.clone();
    let second = call("+15551230002");
    eventually(&at("two participants"), || {
        (in_room(layer, &sid).len() == 2).then_some(())
    });
    assert_eq!(
        in_room(layer, &sid),
        [first.sid.clone(), second.sid.clone()]
    );

    // The conference's links name served routes.
    let links = conference
        .subresource_uris
        .clone()
        .expect("subresource_uris");
    assert!(
        links["participants"]
            .as_str()
            .is_some_and(|p| p.ends_with(&format!("/Conferences/{sid}/Participants.json"))),
        "{links:?}"
    );

    // Fetch.
    let fetched = layer
        .run(FetchParticipant::new(&sid, &first.sid))
        .unwrap_or_else(|e| panic!("{}: {e}", at("fetch")));
    assert_eq!(fetched.call_sid, first.sid);
    assert_eq!(fetched.conference_sid.as_deref(), Some(sid.as_str()));
    assert_eq!(fetched.status, Some(ParticipantStatus::Connected));
    assert_eq!(
        (fetched.muted, fetched.hold, fetched.coaching),
        (Some(false), Some(false), Some(false))
    );
    assert_eq!(fetched.start_conference_on_enter, Some(true));

    // Update: mute, then the list's filters.
    let muted = layer
        .run(UpdateParticipant::new(&sid, &first.sid).muted(true))
        .unwrap_or_else(|e| panic!("{}: {e}", at("mute")));
    assert_eq!(muted.muted, Some(true), "{}", at("mute"));
    let filtered = |list: ListParticipants| -> Vec<String> {
        let page = layer.run(list).expect("a page");
        page.participants.into_iter().map(|p| p.call_sid).collect()
    };
    assert_eq!(
        filtered(ListParticipants::new(&sid).muted(true)),
        [first.sid.as_str()]
    );
    assert_eq!(
        filtered(ListParticipants::new(&sid).muted(false)),
        [second.sid.as_str()]
    );
    assert!(filtered(ListParticipants::new(&sid).hold(true)).is_empty());
    let held = layer
        .run(
            UpdateParticipant::new(&sid, &second.sid)
                .hold(true)
                .hold_url(app.url("/hold")),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", at("hold")));
    assert_eq!(held.hold, Some(true));
    assert_eq!(
        filtered(ListParticipants::new(&sid).hold(true)),
        [second.sid.as_str()]
    );
    layer
        .run(UpdateParticipant::new(&sid, &second.sid).hold(false))
        .unwrap_or_else(|e| panic!("{}: {e}", at("unhold")));
    // Coaching needs the coached call (21503), which must be in the conference (21502).
    let no_coached = layer.run(UpdateParticipant::new(&sid, &second.sid).coaching(true));
    assert_eq!(code(&no_coached), Some((400, 21503)), "{no_coached:?}");
    let coach_stranger = layer.run(
        UpdateParticipant::new(&sid, &second.sid)
            .coaching(true)
            .call_sid_to_coach("CA0"),
    );
    assert_eq!(code(&coach_stranger), Some((404, 21502)));
    let coaching = layer
        .run(
            UpdateParticipant::new(&sid, &second.sid)
                .coaching(true)
                .call_sid_to_coach(&first.sid)
                .end_conference_on_exit(false),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", at("coach")));
    assert_eq!(coaching.coaching, Some(true));
    assert_eq!(
        coaching.call_sid_to_coach.as_deref(),
        Some(first.sid.as_str())
    );
    let refetched = layer
        .run(FetchParticipant::new(&sid, &second.sid))
        .expect("refetch");
    assert_eq!(
        (refetched.coaching, refetched.hold),
        (Some(true), Some(false))
    );

    // Add: the call placed joins with its settings once answered.
    let added = layer
        .run(
            CreateParticipant::new(&sid, "+15551230003", "+15559870000")
                .muted(true)
                .label("supervisor")
                .timeout(30),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", at("add")));
    assert_eq!(added.status, Some(ParticipantStatus::Queued));
    assert_eq!(added.label.as_deref(), Some("supervisor"));
    let joined: Participant = eventually(&at("the added participant"), || {
        layer.run(FetchParticipant::new(&sid, &added.call_sid)).ok()
    });
    assert_eq!(joined.muted, Some(true));
    assert_eq!(joined.label.as_deref(), Some("supervisor"));
    let placed = layer
        .run(FetchCall::new(&added.call_sid))
        .expect("its call");
    assert_eq!(
        placed
            .direction
            .as_ref()
            .map(mycpaas_core::Direction::as_str),
        Some("outbound-api")
    );
    assert_eq!(placed.to.as_deref(), Some("+15551230003"));
    // A busy number never joins: its call says so.
    let busy = layer
        .run(CreateParticipant::new(&sid, "+15005550002", "+15559870000"))
        .unwrap_or_else(|e| panic!("{}: {e}", at("add a busy number")));
    sim.wait_for_call(&busy.call_sid, Duration::from_secs(30))
        .expect("the busy call ends");
    let busy_call = layer
        .run(FetchCall::new(&busy.call_sid))
        .expect("busy call");
    assert_eq!(busy_call.status, Some(CallStatus::Busy));
    assert_eq!(
        code(&layer.run(FetchParticipant::new(&sid, &busy.call_sid))),
        Some((404, 21502))
    );

    // Another account sees none of it.
    assert_eq!(
        code(&other.run(FetchParticipant::new(&sid, &first.sid))),
        Some((404, 20404))
    );
    assert_eq!(
        code(&other.run(ListParticipants::new(&sid))),
        Some((404, 20404))
    );

    // Kick: the call leaves to its dial's action; it is no participant after.
    layer
        .run(DeleteParticipant::new(&sid, &added.call_sid))
        .unwrap_or_else(|e| panic!("{}: {e}", at("kick")));
    assert_eq!(
        code(&layer.run(FetchParticipant::new(&sid, &added.call_sid))),
        Some((404, 21502))
    );
    assert_eq!(
        code(&layer.run(DeleteParticipant::new(&sid, &added.call_sid))),
        Some((404, 21502))
    );
    assert_eq!(
        in_room(layer, &sid),
        [first.sid.clone(), second.sid.clone()]
    );

    // The conference's recordings: none made.
    let recordings = layer
        .walk(ListConferenceRecordings::new(&sid))
        .unwrap_or_else(|e| panic!("{}: {e}", at("recordings")));
    assert!(recordings.is_empty());
    assert_eq!(
        code(&layer.run(ListConferenceRecordings::new("CF0"))),
        Some((404, 20404))
    );

    // Once the conference has ended: 21501, and no one is in it.
    layer
        .run(UpdateConference::new(&sid).status(mycpaas_core::ConferenceUpdateStatus::Completed))
        .expect("end");
    for call in [&first, &second] {
        sim.wait_for_call(&call.sid, Duration::from_secs(30))
            .expect("the caller's call ends");
    }
    assert!(in_room(layer, &sid).is_empty());
    for refused in [
        code(&layer.run(FetchParticipant::new(&sid, &first.sid))),
        code(&layer.run(UpdateParticipant::new(&sid, &first.sid).muted(false))),
        code(&layer.run(DeleteParticipant::new(&sid, &first.sid))),
        code(&layer.run(CreateParticipant::new(&sid, "+15551230004", "+15559870000"))),
    ] {
        assert_eq!(refused, Some((400, 21501)), "{}", at("ended"));
    }
    let ended = layer
        .run(mycpaas_core::FetchConference::new(&sid))
        .expect("the conference");
    assert_eq!(ended.status, Some(ConferenceStatus::Completed));
}

#[test]
fn every_participant_operation_runs_in_both_clients() {
    let sim = Simulator::builder()
        .seed(51)
        .speed(100.0)
        .account("AC00000000000000000000000000000001", "token-one")
        .account("AC00000000000000000000000000000002", "token-two")
        .start_in_background()
        .expect("the simulator");
    let app = web_app();
    operations(&blocking(&sim, 0), &blocking(&sim, 1), &app, &sim);
    operations(&asynchronous(&sim, 0), &asynchronous(&sim, 1), &app, &sim);
}

/// The conference callbacks received so far: each signed with the account's token, read typed,
/// in `SequenceNumber` order.
fn told(app: &WebAppHandle, token: &str) -> Vec<ConferenceStatusCallback> {
    let mut told: Vec<ConferenceStatusCallback> = app
        .requests_to("/conference")
        .iter()
        .map(|callback| {
            let signature = callback.signature.as_deref().unwrap_or_default();
            assert!(validate_signature(
                &callback.full_url,
                callback.signed_params(),
                signature,
                token
            ));
            ConferenceStatusCallback::from_pairs(callback.params.clone()).expect("typed")
        })
        .collect();
    told.sort_by_key(|c| c.sequence_number);
    told
}

#[test]
fn a_participant_added_through_the_api_is_muted_held_and_kicked() {
    let sim = Simulator::builder()
        .seed(52)
        .speed(100.0)
        .start_in_background()
        .expect("the simulator");
    let app = web_app();
    let client = mycpaas_blocking::Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let token = sim.auth_token();
    let callers: Vec<String> = ["+15551230001", "+15551230002"]
        .iter()
        .map(|to| {
            client
                .calls()
                .create(CreateCall::new(*to, "+15559870000").twiml(room(&app, "standup")))
                .expect("a caller")
                .sid
        })
        .collect();
    let conference = eventually("the conference", || {
        client
            .conferences()
            .list(ListConferences::new().friendly_name("standup"))
            .ok()?
            .conferences
            .into_iter()
            .next()
    });
    let sid = conference.sid;
    eventually("both callers", || {
        (client
            .participants()
            .list(ListParticipants::new(&sid))
            .ok()?
            .participants
            .len()
            == 2)
            .then_some(())
    });

    let added = client
        .participants()
        .add(CreateParticipant::new(&sid, "+15551230003", "+15559870000").muted(true))
        .expect("add");
    let guest = added.call_sid.clone();
    let joined = eventually("the guest joins", || {
        client.participants().fetch(&sid, &guest).ok()
    });
    assert_eq!((joined.muted, joined.hold), (Some(true), Some(false)));

    let unmuted = client
        .participants()
        .update(UpdateParticipant::new(&sid, &guest).muted(false))
        .expect("unmute");
    assert_eq!(unmuted.muted, Some(false));
    let held = client
        .participants()
        .update(
            UpdateParticipant::new(&sid, &guest)
                .hold(true)
                .hold_url(app.url("/hold")),
        )
        .expect("hold");
    assert_eq!(held.hold, Some(true));
    // The hold music is fetched (with the default GET) and played, looped.
    let hold_requests = eventually("the hold music", || {
        let requests = app.requests_to("/hold");
        (!requests.is_empty()).then_some(requests)
    });
    assert_eq!(hold_requests[0].method, "GET");
    assert_eq!(hold_requests[0].param("CallSid"), Some(guest.as_str()));
    assert_eq!(hold_requests[0].param("ConferenceSid"), Some(sid.as_str()));
    eventually("the music looped", || {
        let timeline = sim.timeline(&guest)?;
        (timeline.verbs().iter().filter(|v| **v == "Play").count() >= 2).then_some(())
    });
    let unheld = client
        .participants()
        .update(UpdateParticipant::new(&sid, &guest).hold(false))
        .expect("unhold");
    assert_eq!(unheld.hold, Some(false));
    eventually("off hold", || {
        let timeline = sim.timeline(&guest)?;
        timeline
            .entries
            .iter()
            .any(|e| format!("{e:?}").contains("taken off hold"))
            .then_some(())
    });
    assert_eq!(app.requests_to("/hold").len(), 1, "fetched once per hold");

    // An announcement to one participant, then to all.
    client
        .participants()
        .update(UpdateParticipant::new(&sid, &callers[0]).announce_url(app.url("/announce")))
        .expect("announce to one");
    eventually("the announcement", || {
        (app.requests_to("/announce").len() == 1).then_some(())
    });
    client
        .conferences()
        .update(UpdateConference::new(&sid).announce_url(app.url("/announce")))
        .expect("announce to all");
    eventually("the announcement to all", || {
        (app.requests_to("/announce").len() == 4).then_some(())
    });

    client.participants().kick(&sid, &guest).expect("kick");
    let timeline = sim
        .wait_for_call(&guest, Duration::from_secs(30))
        .expect("the guest's call ends after its dial");
    let verbs = timeline.verbs();
    for verb in ["Dial", "Hold", "Play", "Announce", "Say"] {
        assert!(verbs.contains(&verb), "{verb}: {timeline:?}");
    }
    assert_eq!(timeline.status, "completed");
    let after: Vec<_> = app
        .requests_to("/after")
        .into_iter()
        .filter(|r| r.param("CallSid") == Some(guest.as_str()))
        .collect();
    assert_eq!(after.len(), 0, "the added call's dial has no action");
    let listed = client
        .participants()
        .list(ListParticipants::new(&sid))
        .expect("list");
    let mut left: Vec<&str> = listed
        .participants
        .iter()
        .map(|p| p.call_sid.as_str())
        .collect();
    left.sort_unstable();
    let mut both = vec![callers[0].as_str(), callers[1].as_str()];
    both.sort_unstable();
    assert_eq!(left, both, "the callers are still in");

    // The guest's story, in the conference's callbacks, in order.
    let guest_events: Vec<(String, Option<bool>, Option<bool>)> = told(&app, &token)
        .into_iter()
        .filter(|c| c.call.call_sid.as_deref() == Some(guest.as_str()))
        .map(|c| {
            (
                c.status_callback_event
                    .map(|e| e.as_str().to_owned())
                    .unwrap_or_default(),
                c.muted,
                c.hold,
            )
        })
        .collect();
    let expected = [
        ("participant-join", true, false),
        ("participant-unmute", false, false),
        ("participant-hold", false, true),
        ("participant-unhold", false, false),
        ("participant-leave", false, false),
    ];
    let expected: Vec<(String, Option<bool>, Option<bool>)> = expected
        .iter()
        .map(|(e, m, h)| ((*e).to_owned(), Some(*m), Some(*h)))
        .collect();
    assert_eq!(guest_events, expected);

    // Kicking the callers ends the conference with the last of them.
    client
        .participants()
        .kick(&sid, &callers[0])
        .expect("kick the first");
    client
        .participants()
        .kick(&sid, &callers[1])
        .expect("kick the last");
    for caller in &callers {
        sim.wait_for_call(caller, Duration::from_secs(30))
            .expect("the caller's call ends");
    }
    let actions = app.requests_to("/after");
    assert_eq!(actions.len(), 2);
    for action in &actions {
        assert_eq!(action.param("DialCallStatus"), Some("completed"));
    }
    let ended = client.conferences().fetch(&sid).expect("the conference");
    assert_eq!(ended.status, Some(ConferenceStatus::Completed));
    assert_eq!(
        ended.reason_conference_ended.as_deref(),
        Some("last-participant-left")
    );
    let last = told(&app, &token);
    assert_eq!(
        last.last().and_then(|c| c.status_callback_event.clone()),
        Some(mycpaas_core::ConferenceCallbackEvent::ConferenceEnd)
    );
}

#[test]
fn a_call_added_to_a_conference_that_ends_before_it_answers_joins_no_other() {
    let sim = Simulator::builder()
        .seed(53)
        .speed(10.0)
        .start_in_background()
        .expect("the simulator");
    let app = web_app();
    let client = mycpaas_blocking::Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let caller = client
        .calls()
        .create(CreateCall::new("+15551230001", "+15559870000").twiml(room(&app, "late")))
        .expect("a caller");
    let conference = eventually("the conference", || {
        client
            .conferences()
            .list(ListConferences::new().friendly_name("late"))
            .ok()?
            .conferences
            .into_iter()
            .next()
    });
    // The added call rings for a simulated second at least: the conference ends first.
    let added = client
        .participants()
        .add(CreateParticipant::new(
            &conference.sid,
            "+15551230002",
            "+15559870000",
        ))
        .expect("add");
    client.conferences().end(&conference.sid).expect("end");
    let timeline = sim
        .wait_for_call(&added.call_sid, Duration::from_secs(30))
        .expect("the added call ends");
    assert!(
        timeline
            .entries
            .iter()
            .any(|e| format!("{e:?}").contains("has ended: not joined")),
        "{timeline:?}"
    );
    sim.wait_for_call(&caller.sid, Duration::from_secs(30))
        .expect("the caller's call ends");
    let rooms = client
        .conferences()
        .list(ListConferences::new().friendly_name("late"))
        .expect("the conferences")
        .conferences;
    assert_eq!(rooms.len(), 1, "no second conference of the room name");
}

#[test]
fn a_conference_recorded_from_its_start_is_listed_with_it() {
    let sim = Simulator::builder()
        .seed(54)
        .speed(100.0)
        .start_in_background()
        .expect("the simulator");
    let app = web_app();
    let client = mycpaas_blocking::Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let recorded = format!(
        r#"<Response><Dial><Conference record="record-from-start" recordingStatusCallback="{}" recordingStatusCallbackEvent="in-progress completed">taped</Conference></Dial></Response>"#,
        app.url("/recording")
    );
    let caller = client
        .calls()
        .create(CreateCall::new("+15551230001", "+15559870000").twiml(recorded))
        .expect("a caller");
    let conference = eventually("the conference", || {
        client
            .conferences()
            .list(ListConferences::new().friendly_name("taped"))
            .ok()?
            .conferences
            .into_iter()
            .next()
    });
    let live = client
        .recordings()
        .list_for_conference(ListConferenceRecordings::new(&conference.sid))
        .expect("the conference's recordings")
        .recordings;
    let [recording] = live.as_slice() else {
        panic!("one recording: {live:?}");
    };
    assert_eq!(
        recording.status,
        Some(mycpaas_core::RecordingStatus::InProgress)
    );
    assert_eq!(
        recording.conference_sid.as_deref(),
        Some(conference.sid.as_str())
    );
    assert_eq!(recording.call_sid, None);
    assert_eq!(
        recording.source,
        Some(mycpaas_core::RecordingSource::Conference)
    );
    std::thread::sleep(Duration::from_millis(100)); // some simulated seconds in the room
    client.conferences().end(&conference.sid).expect("end");
    sim.wait_for_call(&caller.sid, Duration::from_secs(30))
        .expect("the caller's call ends");
    let done = client
        .recordings()
        .fetch(&recording.sid)
        .expect("the recording");
    assert_eq!(done.status, Some(mycpaas_core::RecordingStatus::Completed));
    assert!(done.duration.is_some_and(|d| d > 0), "{done:?}");
    let listed = client
        .recordings()
        .list(mycpaas_core::ListRecordings::new().conference_sid(&conference.sid))
        .expect("the account's recordings of the conference")
        .recordings;
    assert_eq!(listed.len(), 1);
    let told = eventually("both recording callbacks", || {
        let told = app.requests_to("/recording");
        (told.len() == 2).then_some(told)
    });
    let mut statuses: Vec<&str> = told
        .iter()
        .map(|r| r.param("RecordingStatus").unwrap_or_default())
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, ["completed", "in-progress"]);
    for callback in &told {
        assert_eq!(
            callback.param("ConferenceSid"),
            Some(conference.sid.as_str())
        );
        assert_eq!(callback.param("CallSid"), None);
    }
}

#[test]
fn a_participant_waiting_for_the_conference_hears_its_wait_url_until_it_starts() {
    let sim = Simulator::builder()
        .seed(55)
        .speed(100.0)
        .start_in_background()
        .expect("the simulator");
    let app = web_app();
    let client = mycpaas_blocking::Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let waiter = format!(
        r#"<Response><Dial><Conference startConferenceOnEnter="false" waitUrl="{}" waitMethod="GET">lobby</Conference></Dial></Response>"#,
        app.url("/hold")
    );
    let early = client
        .calls()
        .create(CreateCall::new("+15551230001", "+15559870000").twiml(waiter))
        .expect("an early caller");
    let plays = |sid: &str| {
        sim.timeline(sid)
            .map_or(0, |t| t.verbs().iter().filter(|v| **v == "Play").count())
    };
    eventually("the wait music, looped", || {
        (plays(&early.sid) >= 2).then_some(())
    });
    let conference = client
        .conferences()
        .list(ListConferences::new().friendly_name("lobby"))
        .expect("the conferences")
        .conferences
        .pop()
        .expect("the conference");
    assert_eq!(conference.status, Some(ConferenceStatus::Init));
    let wait = &app.requests_to("/hold")[0];
    assert_eq!(wait.method, "GET");
    assert_eq!(wait.param("ConferenceSid"), Some(conference.sid.as_str()));

    let host = client
        .calls()
        .create(
            CreateCall::new("+15551230002", "+15559870000")
                .twiml("<Response><Dial><Conference>lobby</Conference></Dial></Response>"),
        )
        .expect("the host");
    eventually("the conference starts", || {
        let now = client.conferences().fetch(&conference.sid).ok()?;
        (now.status == Some(ConferenceStatus::InProgress)).then_some(())
    });
    // The music stops: no more is played once the host is in.
    std::thread::sleep(Duration::from_millis(100));
    let after_start = plays(&early.sid);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(plays(&early.sid), after_start, "the wait music stopped");
    assert_eq!(app.requests_to("/hold").len(), 1, "fetched once");
    client.conferences().end(&conference.sid).expect("end");
    for call in [&early.sid, &host.sid] {
        sim.wait_for_call(call, Duration::from_secs(30))
            .expect("the call ends");
    }
}
