//! Idempotent status-callback handlers: the simulator retries a callback whose first answer was a
//! 500, and core's `Repeats` in the handler sees each retry as a repeat, exactly once per retry.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mycpaas_core::webhook::{Repeats, StatusCallback};
use mycpaas_sim::Simulator;
use mycpaas_sim::webapp::{WebApp, WebReply};
use mycpaas_tests::fixtures::{AnyClient, Settings, call_with_every_callback};

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
                    WebReply::status(200)
                } else {
                    // The work is done, then the answer fails: the platform will send it again.
                    new.fetch_add(1, Ordering::SeqCst);
                    WebReply::status(500)
                }
            }
        })
        .start_in_background()
        .unwrap();
    let client = AnyClient::blocking(&Settings::for_sim(&sim));
    let sids: Vec<String> = (0..3)
        .map(|_| {
            let create = call_with_every_callback(&app.url("/voice"), &app.url("/status"));
            client.create(create).unwrap().sid
        })
        .collect();
    for sid in &sids {
        sim.wait_for_call(sid, Duration::from_secs(30))
            .expect("the call ends");
    }
    // Each of the 3 calls sends 4 callbacks; each is answered 500 once, then 200 on its retry.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while app.requests_to("/status").len() < 24 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(app.requests_to("/status").len(), 24);
    assert_eq!(new.load(Ordering::SeqCst), 12, "each callback is new once");
    assert_eq!(
        repeated.load(Ordering::SeqCst),
        12,
        "each retry is a repeat, once"
    );
}
