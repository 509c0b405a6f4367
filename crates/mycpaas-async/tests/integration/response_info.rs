//! What each result and error says about its operation: status, headers, the simulator's
//! `X-Request-Id`, the client's `X-Client-Request-Id` (the same on every retry), attempts, time.

use std::error::Error as _;
use std::time::Duration;

use mycpaas_async::{Client, CreateCall, Error, FetchCall, ListCalls, ResponseInfo, RetryPolicy};
use mycpaas_sim::{Fault, SeenRequest, SimHandle};

use mycpaas_tests::scenarios::{FROM, HANGUP, TO, sim};

/// A client of the scenarios' settings (fast retries) for `sim`.
fn client(sim: &SimHandle) -> Client {
    mycpaas_tests::scenarios::client(sim)
}

/// The requests the simulator saw, from the `skip`th on.
fn seen_since(sim: &SimHandle, skip: usize) -> Vec<SeenRequest> {
    sim.requests().into_iter().skip(skip).collect()
}

#[tokio::test]
async fn a_retried_operation_reports_two_attempts_and_sent_one_client_request_id() {
    let sim = sim();
    let client = client(&sim);
    let sid = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("created")
        .sid;
    // (what is retried, the fault that makes it retry, the operation)
    let cases = [
        (
            "create after a 429",
            Fault::RateLimited {
                retry_after_secs: 0,
            },
        ),
        ("fetch after a 503", Fault::Unavailable),
        ("list after a 503", Fault::Unavailable),
    ];
    for (name, fault) in cases {
        let before = sim.requests().len();
        sim.faults().inject(fault, 1);
        let info: Option<ResponseInfo> = match name {
            "create after a 429" => {
                let create = CreateCall::new(TO, FROM).twiml(HANGUP);
                client
                    .calls()
                    .create(create)
                    .await
                    .expect("created")
                    .response
                    .0
            }
            "fetch after a 503" => {
                client
                    .execute(&FetchCall::new(&sid))
                    .await
                    .expect("fetched")
                    .response
                    .0
            }
            _ => {
                client
                    .calls()
                    .list(ListCalls::new())
                    .await
                    .expect("listed")
                    .response
                    .0
            }
        };
        let info = info.unwrap_or_else(|| panic!("{name}: no response info"));
        let seen = seen_since(&sim, before);
        assert_eq!(info.attempts, 2, "{name}");
        assert_eq!(seen.len(), 2, "{name}: {seen:?}");
        assert_eq!(
            info.status,
            Some(if name.starts_with("create") { 201 } else { 200 })
        );
        for request in &seen {
            assert_eq!(
                request.client_request_id.as_deref(),
                Some(info.client_request_id.as_str()),
                "{name}: every attempt carries the operation's id"
            );
        }
        assert_eq!(
            info.request_id.as_deref(),
            Some(seen[1].request_id.as_str()),
            "{name}"
        );
        assert_ne!(seen[0].request_id, seen[1].request_id, "{name}");
        assert!(info.elapsed > Duration::ZERO, "{name}");
    }
}

#[tokio::test]
async fn a_fetch_carries_the_answer_s_status_headers_and_request_id() {
    let sim = sim();
    let client = client(&sim);
    let created = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("created");
    let call = client.calls().fetch(&created.sid).await.expect("fetched");
    let info = call.response.as_ref().expect("response info");
    let seen = sim.requests();
    let last = seen.last().expect("requests logged");
    assert_eq!(info.status, Some(200));
    assert_eq!(info.attempts, 1);
    assert_eq!(info.request_id.as_deref(), Some(last.request_id.as_str()));
    assert!(
        info.request_id
            .as_deref()
            .is_some_and(|id| id.starts_with("RQ") && id.len() == 34)
    );
    assert_eq!(info.headers["content-type"], "application/json");
    // Each operation has an id of its own.
    let create_info = created.response.as_ref().expect("create's info");
    assert_ne!(create_info.client_request_id, info.client_request_id);
    assert_eq!(
        seen[0].client_request_id.as_deref(),
        Some(create_info.client_request_id.as_str())
    );
    // Where a call came from is not part of it.
    let mut bare = call.clone();
    bare.response.0 = None;
    assert_eq!(bare, call);
}

#[tokio::test]
async fn errors_of_an_answer_carry_its_info() {
    let sim = sim();
    let client = client(&sim);
    let sid = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("created")
        .sid;
    // (the case, the fault, the call fetched, the status of the answer)
    let cases = [
        ("not found", None, "CA00000000000000000000000000000000", 404),
        ("undecodable", Some(Fault::MalformedBody), sid.as_str(), 200),
    ];
    for (name, fault, fetched, status) in cases {
        if let Some(fault) = fault {
            sim.faults().inject(fault, 1);
        }
        let error = client.calls().fetch(fetched).await.expect_err(name);
        let info = error.response_info().expect("response info");
        assert_eq!((info.status, info.attempts), (Some(status), 1), "{name}");
        let seen = sim.requests();
        let last = seen.last().expect("logged");
        assert_eq!(
            info.request_id.as_deref(),
            Some(last.request_id.as_str()),
            "{name}"
        );
        assert_eq!(
            last.client_request_id.as_deref(),
            Some(info.client_request_id.as_str()),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_refused_connection_reports_its_attempts_time_and_cause() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let client = Client::builder("AC0", "token")
        .base_url(&format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::new(
            3,
            Duration::from_millis(5),
            Duration::from_millis(5),
        ))
        .build()
        .expect("client");
    let error = client
        .calls()
        .fetch("CA00000000000000000000000000000000")
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let info = error.response_info().expect("response info");
    assert_eq!((info.status, info.attempts), (None, 3));
    assert!(info.elapsed > Duration::ZERO, "{info:?}");
    assert_eq!(info.client_request_id.len(), 32);
    let cause = error.source().expect("the transport's error is kept");
    assert!(!cause.to_string().is_empty());
}
