//! Idempotent status-callback handlers: the app always answers 200, the simulator's callback
//! fault makes some of its answers count as 500s (a failing gateway in front of the app), the
//! simulator retries those, and core's `Repeats` in the handler sees each retry as a repeat,
//! exactly once per retry.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mycpaas_core::webhook::{Repeats, StatusCallback};
use mycpaas_sim::webapp::{WebApp, WebReply};
use mycpaas_sim::{CallbackFault, Simulator, TimelineEvent};
use mycpaas_tests::fixtures::{AnyClient, Settings, call_with_every_callback};

/// Callback attempts faulted per call: two, so no callback can fail all three of its attempts.
const FAULTED_PER_CALL: usize = 2;

#[test]
fn every_retry_of_a_status_callback_is_a_repeat_and_nothing_else_is() {
    let sim = Simulator::builder().seed(5).start_in_background().unwrap();
    let repeats = Arc::new(Repeats::in_memory(1000));
    let (new, repeated) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let app = WebApp::builder()
        .document("/voice", "<Response><Say>Hello</Say><Hangup/></Response>")
        .reply("/status", {
            let (repeats, new, repeated) = (repeats.clone(), new.clone(), repeated.clone());
            move |request| {
                let callback =
                    StatusCallback::from_pairs(request.signed_params()).expect("a status callback");
                if repeats.is_repeat(&callback) {
                    repeated.fetch_add(1, Ordering::SeqCst);
                } else {
                    new.fetch_add(1, Ordering::SeqCst);
                }
                WebReply::status(200)
            }
        })
        .start_in_background()
        .unwrap();
    let client = AnyClient::blocking(&Settings::for_sim(&sim));
    let mut retries = 0;
    // One call at a time, each with its own faults, so no callback is given up.
    for _ in 0..3 {
        sim.faults()
            .inject_callback(CallbackFault::ServerError, FAULTED_PER_CALL);
        let create = call_with_every_callback(&app.url("/voice"), &app.url("/status"));
        let sid = client.create(create).unwrap().sid;
        let timeline = sim
            .wait_for_call(&sid, Duration::from_secs(30))
            .expect("the call settles");
        assert_eq!(sim.faults().pending_callbacks(), 0);
        let callbacks = timeline.callbacks();
        let faulted = callbacks
            .iter()
            .filter(|c| {
                matches!(c, TimelineEvent::Callback { fault: Some(f), http_status: Some(500), delivered: false, .. } if f == "callback_server_error")
            })
            .count();
        assert_eq!(faulted, FAULTED_PER_CALL);
        retries += callbacks
            .iter()
            .filter(|c| matches!(c, TimelineEvent::Callback { attempt, .. } if *attempt > 1))
            .count();
        assert!(
            callbacks
                .iter()
                .all(|c| !matches!(c, TimelineEvent::Callback { given_up: true, .. }))
        );
    }
    // Each of the 3 calls sends 4 callbacks; 2 attempts per call are faulted and retried.
    assert_eq!(retries, 6);
    assert_eq!(app.requests_to("/status").len(), 12 + 6);
    assert_eq!(new.load(Ordering::SeqCst), 12, "each callback is new once");
    assert_eq!(
        repeated.load(Ordering::SeqCst),
        6,
        "each retry is a repeat, once"
    );
}
