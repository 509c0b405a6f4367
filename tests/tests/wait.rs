//! `calls().wait(..)` through both clients against the simulator: a call is waited for until it
//! is answered and until it ends, a wait runs out of time with a typed error, an unanswered call
//! ends a wait for "answered", and a 429 on the way is retried.

use std::time::{Duration, Instant};

use mycpaas_core::ops::wait::Until;
use mycpaas_core::{CallStatus, CreateCall, Error};
use mycpaas_sim::Fault;
use mycpaas_tests::fixtures::{Settings, simulator};

/// A call that stays up for an hour of simulated time (3.6 s at the simulator's default speed).
const LONG: &str = r#"<Response><Pause length="3600"/></Response>"#;

#[test]
fn a_call_is_waited_for_until_answered_and_until_it_ends() {
    let sim = simulator(21);
    for (n, client) in Settings::for_sim(&sim).both().into_iter().enumerate() {
        let name = client.name();
        let call = client
            .create(CreateCall::new(format!("+1555200000{n}"), "+15550000000").twiml(LONG))
            .unwrap();
        let answered = client
            .wait(&call.sid, Until::Answered, Duration::from_secs(10))
            .unwrap();
        assert_eq!(answered.status, Some(CallStatus::InProgress), "{name}");

        let started = Instant::now();
        let error = client
            .wait(&call.sid, Until::Ended, Duration::from_millis(600))
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3), "{name}");
        assert!(
            matches!(
                error,
                Error::Timeout {
                    may_have_been_sent: false,
                    ..
                }
            ),
            "{name}: {error:?}"
        );
        assert!(error.to_string().contains("in-progress"), "{name}: {error}");

        sim.faults().inject(
            Fault::RateLimited {
                retry_after_secs: 0,
            },
            2,
        );
        let ended = client
            .wait(&call.sid, Until::Ended, Duration::from_secs(20))
            .unwrap();
        assert_eq!(ended.status, Some(CallStatus::Completed), "{name}");
        assert_eq!(sim.faults().pending(), 0, "{name}: the 429s met the wait");
    }
}

#[test]
fn a_call_that_ends_unanswered_ends_a_wait_for_answered() {
    let sim = simulator(22);
    for client in Settings::for_sim(&sim).both() {
        // The simulator's magic number that rings 3 s and ends busy.
        let call = client
            .create(CreateCall::new("+15005550002", "+15550000000").twiml(LONG))
            .unwrap();
        let waited = client
            .wait(&call.sid, Until::Answered, Duration::from_secs(10))
            .unwrap();
        assert_eq!(waited.status, Some(CallStatus::Busy), "{}", client.name());
    }
}
