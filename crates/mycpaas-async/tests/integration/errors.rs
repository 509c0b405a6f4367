//! Every error path: invalid input, API errors, transport failures, timeouts, bad bodies.

use std::time::Duration;

use mycpaas_async::{Client, CreateCall, Error, ListCalls, RetryPolicy, UpdateCall};
use mycpaas_sim::Fault;

use crate::{FROM, HANGUP, TO, client, sim};

#[tokio::test]
async fn invalid_input_is_refused_before_anything_is_sent() {
    let sim = sim();
    let client = client(&sim);
    let before = sim.request_count();
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP).timeout(0))
        .await
        .expect_err("Timeout 0 is invalid");
    assert_eq!(error.parameter(), Some("Timeout"));
    let error = client
        .calls()
        .fetch("CA/../x")
        .await
        .expect_err("a SID with a slash");
    assert_eq!(error.parameter(), Some("CallSid"));
    assert_eq!(sim.request_count(), before, "nothing reached the server");
}

#[tokio::test]
async fn api_errors_keep_status_and_code() {
    let sim = sim();
    let wrong = Client::builder(sim.account_sid(), "not-the-token")
        .base_url(&sim.base_url())
        .build()
        .expect("client");
    let error = wrong.calls().fetch("CA0").await.expect_err("bad token");
    assert_eq!((error.status(), error.api_code()), (Some(401), Some(20003)));
    assert!(!format!("{error:?} {error} {wrong:?}").contains("not-the-token"));

    let client = client(&sim);
    let error = client
        .calls()
        .fetch("CA00000000000000000000000000000000")
        .await
        .expect_err("no such call");
    assert_eq!((error.status(), error.api_code()), (Some(404), Some(20404)));
    let error = client
        .calls()
        .create(CreateCall::new(mycpaas_sim::magic::INVALID, FROM).twiml(HANGUP))
        .await
        .expect_err("invalid To");
    assert_eq!((error.status(), error.api_code()), (Some(400), Some(21211)));

    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("create");
    sim.wait_for_call_async(&call.sid, Duration::from_secs(20))
        .await
        .expect("call settles");
    let error = client
        .calls()
        .update(UpdateCall::new(&call.sid).twiml(HANGUP))
        .await
        .expect_err("call is over");
    assert_eq!(error.api_code(), Some(21220));
}

#[tokio::test]
async fn a_create_dropped_after_it_was_handled_is_maybe_created_and_not_retried() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(Fault::DropAfterHandling, 1);
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect_err("connection dropped");
    assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
    assert_eq!(sim.calls_created(), 1, "exactly one call exists");
    assert_eq!(sim.request_count(), 1, "the POST was not retried");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_that_nothing_was_sent() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let client = Client::builder("AC0", "token")
        .base_url(&format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::new(
            2,
            Duration::from_millis(1),
            Duration::from_millis(1),
        ))
        .build()
        .expect("client");
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(
            error,
            Error::Transport {
                may_have_been_sent: false,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let sim = sim();
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .request_timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::no_retries())
        .build()
        .expect("client");
    sim.faults().inject(Fault::Delay(Duration::from_secs(3)), 1);
    let error = client
        .calls()
        .fetch("CA00000000000000000000000000000000")
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");

    sim.faults().inject(Fault::Delay(Duration::from_secs(3)), 1);
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
}

#[tokio::test]
async fn oversized_and_malformed_bodies_are_refused() {
    let sim = sim();
    let small = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .max_response_bytes(64)
        .build()
        .expect("client");
    let error = small
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect_err("longer than 64 bytes");
    // The create was accepted (201): an answer too large to read is no refusal.
    assert!(
        matches!(
            error,
            Error::MaybeCreated {
                status: Some(201),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(sim.calls_created(), 1);
    // A fetch creates nothing: its oversized answer is just too large.
    let listed = client(&sim)
        .calls()
        .list(ListCalls::new().to(TO))
        .await
        .expect("list");
    let error = small
        .calls()
        .fetch(&listed.calls[0].sid)
        .await
        .expect_err("longer than 64 bytes");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 64, .. }),
        "{error:?}"
    );

    let client = client(&sim);
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("create");
    sim.faults().inject(Fault::MalformedBody, 1);
    let error = client
        .calls()
        .fetch(&call.sid)
        .await
        .expect_err("malformed");
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
}
