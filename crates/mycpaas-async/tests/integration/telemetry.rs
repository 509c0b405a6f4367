//! The `tracing` events a user would read: one per attempt, with method, path, status, attempt
//! and latency, and never a credential.

use mycpaas_async::{Client, CreateCall, ListCalls};
use mycpaas_sim::Fault;
use mycpaas_tests::capture::{Buffer, assert_create_then_retried_list};
use mycpaas_tests::scenarios::{FROM, HANGUP, TO, client, sim};

#[tokio::test]
async fn every_attempt_is_traced_without_secrets() {
    let sim = sim();
    let client: Client = client(&sim);
    let captured = Buffer::default();
    // A current-thread test runtime: the subscriber set for this thread sees every event.
    let guard = tracing::subscriber::set_default(captured.subscriber());
    client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("create");
    sim.faults().inject(Fault::Unavailable, 1);
    client
        .calls()
        .list(ListCalls::new().to(TO))
        .await
        .expect("list after one 503");
    drop(guard);
    assert_create_then_retried_list(&captured.text(), &sim.account_sid(), &sim.auth_token());
}
