//! Retries as core decides them: 429 for every method with `Retry-After`, 503 only when safe.

use std::time::{Duration, Instant};

use mycpaas_blocking::{CreateCall, ListCalls};
use mycpaas_sim::Fault;

use crate::{FROM, HANGUP, TO, client, sim};

#[test]
fn rate_limited_create_waits_for_retry_after_then_succeeds_once() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(
        Fault::RateLimited {
            retry_after_secs: 1,
        },
        1,
    );
    let started = Instant::now();
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect("created after the wait");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert!(!call.sid.is_empty());
    assert_eq!(sim.calls_created(), 1);
    assert_eq!(sim.request_count(), 2);
}

#[test]
fn unavailable_reads_are_retried() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(Fault::Unavailable, 2);
    let page = client
        .calls()
        .list(ListCalls::new())
        .expect("third attempt succeeds");
    assert!(page.calls.is_empty());
    assert_eq!(sim.request_count(), 3);
}

#[test]
fn unavailable_create_is_not_retried() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(Fault::Unavailable, 1);
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(sim.request_count(), 1);
}

#[test]
fn retries_stop_after_the_policy_attempts() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(Fault::Unavailable, 5);
    let error = client
        .calls()
        .list(ListCalls::new())
        .expect_err("still 503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(sim.request_count(), 3);
}

#[test]
fn a_dropped_connection_on_a_read_is_retried() {
    let sim = sim();
    let client = client(&sim);
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect("create");
    sim.faults().inject(Fault::DropBeforeHandling, 1);
    let fetched = client.calls().fetch(&call.sid).expect("second attempt");
    assert_eq!(fetched.sid, call.sid);
    assert_eq!(sim.request_count(), 3, "create, dropped fetch, fetch");
}
