//! Every error path: invalid input, API errors, transport failures, timeouts, bad bodies.

use std::time::Duration;

use mycpaas_blocking::{Client, CreateCall, Error, ListCalls, RetryPolicy, UpdateCall};
use mycpaas_sim::Fault;

use crate::{FROM, HANGUP, TO, client, sim};

#[test]
fn invalid_input_is_refused_before_anything_is_sent() {
    let sim = sim();
    let client = client(&sim);
    let before = sim.request_count();
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP).timeout(0))
        .expect_err("Timeout 0 is invalid");
    assert_eq!(error.parameter(), Some("Timeout"));
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM))
        .expect_err("a call needs Url, Twiml or ApplicationSid");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    let error = client
        .calls()
        .fetch("CA/../x")
        .expect_err("a SID with a slash");
    assert_eq!(error.parameter(), Some("CallSid"));
    assert_eq!(sim.request_count(), before, "nothing reached the server");
}

#[test]
fn wrong_credentials_are_an_authentication_error() {
    let sim = sim();
    let client = Client::builder(sim.account_sid(), "not-the-token")
        .base_url(&sim.base_url())
        .build()
        .expect("client");
    let error = client.calls().fetch("CA0").expect_err("bad token");
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.api_code(), Some(20003));
    assert!(!format!("{error:?} {error}").contains("not-the-token"));
    assert!(!format!("{client:?}").contains("not-the-token"));
}

#[test]
fn unknown_call_is_not_found() {
    let sim = sim();
    let error = client(&sim)
        .calls()
        .fetch("CA00000000000000000000000000000000")
        .expect_err("no such call");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.api_code(), Some(20404));
}

#[test]
fn server_validation_codes_are_reported() {
    let sim = sim();
    let client = client(&sim);
    let invalid_to = client
        .calls()
        .create(CreateCall::new(mycpaas_sim::magic::INVALID, FROM).twiml(HANGUP))
        .expect_err("invalid To");
    assert_eq!(
        (invalid_to.status(), invalid_to.api_code()),
        (Some(400), Some(21211))
    );
    let invalid_from = client
        .calls()
        .create(CreateCall::new(TO, mycpaas_sim::magic::INVALID).twiml(HANGUP))
        .expect_err("invalid From");
    assert_eq!(invalid_from.api_code(), Some(21212));

    // Updating a call that has ended: 21220.
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect("create");
    sim.wait_for_call(&call.sid, Duration::from_secs(20))
        .expect("call settles");
    let error = client
        .calls()
        .update(UpdateCall::new(&call.sid).twiml(HANGUP))
        .expect_err("call is over");
    assert_eq!(error.api_code(), Some(21220));
    assert_eq!(sim.calls_created(), 1);
}

#[test]
fn a_create_dropped_after_it_was_handled_is_maybe_created_and_not_retried() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(Fault::DropAfterHandling, 1);
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err("connection dropped");
    assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
    assert!(error.may_have_been_sent());
    assert_eq!(sim.calls_created(), 1, "exactly one call exists");
    assert_eq!(sim.request_count(), 1, "the POST was not retried");
}

#[test]
fn a_truncated_create_response_is_maybe_created() {
    let sim = sim();
    let client = client(&sim);
    sim.faults().inject(Fault::TruncatedBody, 1);
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err("truncated");
    assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
    assert_eq!(sim.calls_created(), 1);
}

#[test]
fn a_refused_connection_is_a_transport_error_that_nothing_was_sent() {
    // Bind then release a port, so nothing listens there.
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

#[test]
fn a_slow_answer_times_out() {
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
        .expect_err("too slow");
    assert!(
        matches!(
            error,
            Error::Timeout {
                may_have_been_sent: true,
                ..
            }
        ),
        "{error:?}"
    );

    sim.faults().inject(Fault::Delay(Duration::from_secs(3)), 1);
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err("too slow");
    assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
}

#[test]
fn an_oversized_body_is_refused() {
    let sim = sim();
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .max_response_bytes(64)
        .build()
        .expect("client");
    // The create was accepted (201): an answer too large to read is no refusal.
    let error = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err("a call's JSON is longer than 64 bytes");
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
    let listed = crate::client(&sim)
        .calls()
        .list(ListCalls::new().to(TO))
        .expect("list");
    let error = client
        .calls()
        .fetch(&listed.calls[0].sid)
        .expect_err("longer than 64 bytes");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 64, .. }),
        "{error:?}"
    );
}

#[test]
fn malformed_json_is_a_decode_error_with_an_excerpt() {
    let sim = sim();
    let client = client(&sim);
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect("create");
    sim.faults().inject(Fault::MalformedBody, 1);
    let error = client.calls().fetch(&call.sid).expect_err("malformed");
    match error {
        Error::Decode {
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!(status, 200);
            assert!(!body_excerpt.is_empty());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
