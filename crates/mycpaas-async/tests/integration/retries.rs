//! Retries as core decides them: 429 for every method with `Retry-After`, 503 only when safe.

use std::time::{Duration, Instant};

use mycpaas_async::{CreateCall, ListCalls};
use mycpaas_sim::Fault;

use crate::{FROM, HANGUP, TO, client, sim};

#[tokio::test]
async fn rate_limited_create_waits_for_retry_after_then_succeeds_once() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(
        Fault::RateLimited {
            retry_after_secs: 1,
        },
        1,
    );
    let started = Instant::now();
    client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("created after the wait");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(sim.calls_created(), 1);
    assert_eq!(sim.request_count(), 2);
}

#[tokio::test]
async fn unavailable_is_retried_for_reads_only() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(Fault::Unavailable, 2);
    client
        .calls()
        .list(ListCalls::new())
        .await
        .expect("third attempt succeeds");
    assert_eq!(sim.request_count(), 3);

    sim.faults().inject(Fault::Unavailable, 1);
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(sim.request_count(), 4, "the POST was sent once");
}
