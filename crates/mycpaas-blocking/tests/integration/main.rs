//! The blocking client against the in-process simulator, over real HTTP on 127.0.0.1.

mod pagination;
mod telemetry;

#[path = "../support/seed_proxy.rs"]
mod seed_proxy;

use mycpaas_blocking::Client;

/// Every operation, error path and retry rule of the Calls resource, as the async client runs
/// them too.
mod scenarios {
    mycpaas_tests::client_scenarios!(mycpaas_tests::fixtures::Layer::Blocking);
}

#[test]
fn client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<mycpaas_blocking::Pages<mycpaas_blocking::ListCalls>>();
}
