//! The `tracing` events a user would read: one per attempt, with method, path, status, attempt
//! and latency, and never a credential.

use mycpaas_blocking::{Client, CreateCall, ListCalls};
use mycpaas_sim::Fault;
use mycpaas_tests::capture::{Buffer, assert_create_then_retried_list};
use mycpaas_tests::scenarios::{FROM, HANGUP, TO, client, sim};

#[test]
fn every_attempt_is_traced_without_secrets() {
    let sim = sim();
    let client: Client = client(&sim);
    let captured = Buffer::default();
    tracing::subscriber::with_default(captured.subscriber(), || {
        client
            .calls()
            .create(CreateCall::new(TO, FROM).twiml(HANGUP))
            .expect("create");
        sim.faults().inject(Fault::Unavailable, 1);
        client
            .calls()
            .list(ListCalls::new().to(TO))
            .expect("list after one 503");
    });
    assert_create_then_retried_list(&captured.text(), &sim.account_sid(), &sim.auth_token());
}
