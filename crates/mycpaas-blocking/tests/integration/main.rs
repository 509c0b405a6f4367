//! The blocking client against the in-process simulator, over real HTTP on 127.0.0.1.

mod errors;
mod operations;
mod pagination;
mod response_info;
mod retries;
mod telemetry;

#[path = "../support/seed_proxy.rs"]
mod seed_proxy;

use std::time::{Duration, Instant};

use mycpaas_blocking::{Call, CallStatus, Client};
use mycpaas_sim::{SimHandle, Simulator};

/// The caller ID used by every test (any valid number is an active number in the simulator).
pub const FROM: &str = "+491098765432";
/// A callee that answers.
pub const TO: &str = "+491234567890";
/// An inline document that ends the call at once.
pub const HANGUP: &str = "<Response><Hangup/></Response>";

/// A simulator at its default (fast) speed.
pub fn sim() -> SimHandle {
    Simulator::builder()
        .start_in_background()
        .expect("simulator starts")
}

/// A simulator slow enough that a call stays queued, ringing or in progress for a while.
pub fn slow_sim() -> SimHandle {
    Simulator::builder()
        .speed(20.0)
        .start_in_background()
        .expect("simulator starts")
}

/// A client of `sim`, with jitter-free retries so waits are the policy's ceilings.
pub fn client(sim: &SimHandle) -> Client {
    client_for(sim, &sim.base_url())
}

/// A client with `sim`'s credentials talking to `base_url`.
pub fn client_for(sim: &SimHandle, base_url: &str) -> Client {
    Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(base_url)
        .retry_policy(mycpaas_blocking::RetryPolicy::new(
            3,
            Duration::from_millis(10),
            Duration::from_millis(50),
        ))
        .jitter(|| 0.0)
        .build()
        .expect("client builds")
}

/// Fetches `sid` until `done` accepts it (the simulator runs calls on its own clock).
pub fn wait_until(client: &Client, sid: &str, done: impl Fn(&Call) -> bool) -> Call {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let call = client.calls().fetch(sid).expect("fetch while waiting");
        if done(&call) || Instant::now() > deadline {
            return call;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `true` once the call is in progress.
pub fn in_progress(call: &Call) -> bool {
    call.status == Some(CallStatus::InProgress)
}

#[test]
fn client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<mycpaas_blocking::Pages>();
}
