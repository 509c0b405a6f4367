//! `<Dial><Conference>` in the simulator: the first call to dial a room name makes the
//! account's Conference, the next joins it, ending it through the API takes every participant out
//! to its dial's `action`, and the conference status callbacks tell each step, signed and numbered
//! in order.

use std::time::Duration;

use mycpaas_blocking::Client;
use mycpaas_core::webhook::{ConferenceStatusCallback, validate_signature};
use mycpaas_core::{ConferenceStatus, CreateCall, Error, ListConferences, UpdateConference};
use mycpaas_sim::Simulator;
use mycpaas_sim::webapp::{WebApp, WebAppHandle};
use mycpaas_tests::wait::eventually;

fn room(app: &WebAppHandle, time_limit: u32) -> String {
    format!(
        r#"<Response><Dial action="{}" timeLimit="{time_limit}"><Conference statusCallback="{}">support</Conference></Dial></Response>"#,
        app.url("/after"),
        app.url("/conference")
    )
}

#[test]
fn two_calls_meet_in_a_conference_until_the_api_ends_it() {
    let sim = Simulator::builder()
        .seed(41)
        .account("AC00000000000000000000000000000001", "token-one")
        .account("AC00000000000000000000000000000002", "token-two")
        .start_in_background()
        .expect("the simulator");
    let app = WebApp::builder()
        .document("/after", "<Response><Hangup/></Response>")
        .document("/conference", "<Response/>")
        .start_in_background()
        .expect("the web app");
    let client = |n: usize| {
        let (sid, token) = [
            ("AC00000000000000000000000000000001", "token-one"),
            ("AC00000000000000000000000000000002", "token-two"),
        ][n];
        Client::builder(sid, token)
            .base_url(&sim.base_url())
            .build()
            .expect("a client")
    };
    let (ours, other) = (client(0), client(1));
    let live = || {
        ours.conferences()
            .list(
                ListConferences::new()
                    .friendly_name("support")
                    .status(ConferenceStatus::InProgress),
            )
            .expect("the conferences")
            .conferences
    };

    let first = ours
        .calls()
        .create(CreateCall::new("+15551230001", "+15559870000").twiml(room(&app, 14_400)))
        .expect("the first call");
    let conference = eventually("the conference", || live().into_iter().next());
    let second = ours
        .calls()
        .create(CreateCall::new("+15551230002", "+15559870000").twiml(room(&app, 14_400)))
        .expect("the second call");
    eventually("the second participant", || {
        (app.requests_to("/conference").len() >= 3).then_some(())
    });
    assert_eq!(live().len(), 1, "one conference for the room name");
    let fetched = ours.conferences().fetch(&conference.sid).expect("fetch");
    assert_eq!(fetched.friendly_name.as_deref(), Some("support"));
    assert!(fetched.sid.starts_with("CF"));
    // Another account sees none of it.
    let foreign = other.conferences().fetch(&conference.sid);
    assert!(
        matches!(&foreign, Err(Error::Api(api)) if api.status == 404),
        "{foreign:?}"
    );
    assert!(
        other
            .conferences()
            .list(ListConferences::new())
            .expect("list")
            .conferences
            .is_empty()
    );

    let ended = ours.conferences().end(&conference.sid).expect("end");
    assert_eq!(ended.status, Some(ConferenceStatus::Completed));
    assert_eq!(
        ended.reason_conference_ended.as_deref(),
        Some("conference-ended-via-api")
    );
    for call in [&first, &second] {
        sim.wait_for_call(&call.sid, Duration::from_secs(30))
            .expect("the call ends");
    }
    let again = ours.conferences().end(&conference.sid);
    assert!(
        matches!(&again, Err(Error::Api(api)) if api.code == Some(21501)),
        "{again:?}"
    );
    let announce = ours
        .conferences()
        .update(UpdateConference::new(&conference.sid).announce_url("https://example.com/a.xml"));
    assert!(
        matches!(&announce, Err(Error::Api(api)) if api.code == Some(21501)),
        "{announce:?}"
    );

    // Each participant left to its dial's action, the conference over.
    let actions = app.requests_to("/after");
    assert_eq!(actions.len(), 2);
    for action in &actions {
        assert_eq!(action.param("DialCallStatus"), Some("completed"));
        assert!(action.param("DialCallDuration").is_some());
    }
    // The status callbacks: signed, numbered in order, every step told once.
    let callbacks = app.requests_to("/conference");
    for callback in &callbacks {
        let signature = callback.signature.as_deref().unwrap_or_default();
        assert!(validate_signature(
            &callback.full_url,
            callback.signed_params(),
            signature,
            "token-one"
        ));
        assert_eq!(
            callback.param("ConferenceSid"),
            Some(conference.sid.as_str())
        );
        assert_eq!(callback.param("FriendlyName"), Some("support"));
    }
    let mut told: Vec<(u64, String, Option<String>)> = callbacks
        .iter()
        .map(|c| {
            let typed = ConferenceStatusCallback::from_pairs(c.params.clone()).expect("typed");
            assert!(
                typed.timestamp.is_some() && typed.extra.is_empty(),
                "{typed:?}"
            );
            let event = typed.status_callback_event.expect("an event");
            let number = typed.sequence_number.expect("a number");
            (number, event.as_str().to_owned(), typed.call.call_sid)
        })
        .collect();
    told.sort();
    let events: Vec<(&str, Option<&str>)> = told
        .iter()
        .map(|(_, event, call)| (event.as_str(), call.as_deref()))
        .collect();
    assert_eq!(
        events[..4],
        [
            ("conference-start", None),
            ("participant-join", Some(first.sid.as_str())),
            ("participant-join", Some(second.sid.as_str())),
            ("conference-end", None),
        ]
    );
    let mut left: Vec<Option<&str>> = events[4..]
        .iter()
        .map(|(e, call)| {
            assert_eq!(*e, "participant-leave");
            *call
        })
        .collect();
    left.sort();
    let mut both = vec![Some(first.sid.as_str()), Some(second.sid.as_str())];
    both.sort();
    assert_eq!(left, both);
    let numbers: Vec<u64> = told.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(numbers, (1..=6).collect::<Vec<u64>>());
    let end = callbacks
        .iter()
        .find(|c| c.param("StatusCallbackEvent") == Some("conference-end"))
        .expect("the end");
    assert_eq!(
        end.param("ReasonConferenceEnded"),
        Some("conference-ended-via-api")
    );
}

#[test]
fn the_last_participant_to_leave_ends_the_conference() {
    let sim = Simulator::builder()
        .seed(42)
        .start_in_background()
        .expect("the simulator");
    let app = WebApp::builder()
        .document("/after", "<Response><Hangup/></Response>")
        .document("/conference", "<Response/>")
        .start_in_background()
        .expect("the web app");
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    let call = client
        .calls()
        .create(CreateCall::new("+15551230001", "+15559870000").twiml(room(&app, 30)))
        .expect("a call");
    sim.wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call ends");
    let conferences = client
        .conferences()
        .list(ListConferences::new().friendly_name("support"))
        .expect("the conferences")
        .conferences;
    let [conference] = conferences.as_slice() else {
        panic!("one conference: {conferences:?}");
    };
    assert_eq!(conference.status, Some(ConferenceStatus::Completed));
    assert_eq!(
        conference.reason_conference_ended.as_deref(),
        Some("last-participant-left")
    );
    assert_eq!(
        app.requests_to("/after")[0].param("DialCallDuration"),
        Some("30"),
        "the stay lasts the dial's timeLimit"
    );

    // The async client reads the same, and refuses to end what has ended.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = mycpaas_async::Client::builder(sim.account_sid(), sim.auth_token())
            .base_url(&sim.base_url())
            .build()
            .expect("an async client");
        let fetched = client
            .conferences()
            .fetch(&conference.sid)
            .await
            .expect("fetch");
        assert_eq!(fetched.status, Some(ConferenceStatus::Completed));
        let listed = client
            .conferences()
            .list(ListConferences::new().status(ConferenceStatus::Completed))
            .await
            .expect("list");
        assert_eq!(listed.conferences.len(), 1);
        let again = client.conferences().end(&conference.sid).await;
        assert!(
            matches!(&again, Err(Error::Api(api)) if api.code == Some(21501)),
            "{again:?}"
        );
    });
}
