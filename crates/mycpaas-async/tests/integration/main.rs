//! The async client against the in-process simulator, over real HTTP on 127.0.0.1.

mod concurrency;
mod pagination;
mod telemetry;

#[path = "../../../mycpaas-blocking/tests/support/seed_proxy.rs"]
mod seed_proxy;

use mycpaas_async::Client;

/// Every operation, error path and retry rule of the Calls resource, as the blocking client runs
/// them too.
mod scenarios {
    mycpaas_tests::client_scenarios!(mycpaas_tests::fixtures::Layer::Async);
}

#[test]
fn client_and_stream_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>(_: &T) {}
    fn assert_send<T: Send + 'static>(_: &T) {}
    let client = Client::new("AC0", "token").expect("client");
    assert_send_sync(&client);
    assert_send(&client.calls().stream(mycpaas_async::ListCalls::new(), None));
}
