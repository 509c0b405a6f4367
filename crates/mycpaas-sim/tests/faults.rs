//! Fault injection: each fault as a client sees it over real HTTP.

mod common;

use std::time::{Duration, Instant};

use common::{Api, HANGUP, form_request, sim_and_api, start};
use mycpaas_sim::{Fault, Simulator};

const FORM: &[(&str, &str)] = &[
    ("To", "+15551230000"),
    ("From", "+15559870000"),
    ("Twiml", HANGUP),
];

fn create_request(api: &Api) -> reqwest::RequestBuilder {
    form_request(
        &api.http,
        &format!("{}{}", api.base, api.calls_path()),
        FORM,
    )
    .basic_auth(&api.sid, Some(&api.token))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_and_unavailable_answer_for_the_next_n_requests_only() {
    let (sim, api) = sim_and_api().await;
    sim.faults().inject(
        Fault::RateLimited {
            retry_after_secs: 7,
        },
        2,
    );
    sim.faults().inject(Fault::Unavailable, 1);
    assert_eq!(sim.faults().pending(), 3);

    for _ in 0..2 {
        let answer = api.create(FORM).await;
        assert_eq!(answer.status, 429);
        assert_eq!(answer.code(), Some(20429));
        assert_eq!(answer.headers["retry-after"], "7");
    }
    let answer = api.get(&api.calls_path()).await;
    assert_eq!(answer.status, 503);
    assert_eq!(sim.calls_created(), 0, "faulted requests create nothing");
    assert_eq!(sim.faults().pending(), 0);

    assert_eq!(api.create(FORM).await.status, 201);
    assert_eq!(sim.request_count(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_before_and_after_the_call_is_created() {
    let (sim, api) = sim_and_api().await;

    sim.faults().inject(Fault::DropBeforeHandling, 1);
    let error = create_request(&api).send().await.expect_err("no answer");
    assert!(!error.is_status());
    assert_eq!(sim.calls_created(), 0, "dropped before: no call");

    sim.faults().inject(Fault::DropAfterHandling, 1);
    let error = create_request(&api).send().await.expect_err("no answer");
    assert!(!error.is_status());
    assert_eq!(sim.calls_created(), 1, "dropped after: the call exists");
    let page = api.get(&api.calls_path()).await;
    assert_eq!(page.body["calls"].as_array().unwrap().len(), 1);
    assert_eq!(sim.request_count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_truncated_bodies() {
    let (sim, api) = sim_and_api().await;

    sim.faults().inject(Fault::MalformedBody, 1);
    let response = create_request(&api).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let text = response.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
    assert_eq!(sim.calls_created(), 1);

    sim.faults().inject(Fault::TruncatedBody, 1);
    let response = create_request(&api).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let length: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(length > 100);
    assert!(response.bytes().await.is_err(), "the body ends early");
    assert_eq!(sim.calls_created(), 2);

    // Back to normal.
    assert_eq!(api.create(FORM).await.status, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delayed_responses_still_answer() {
    let (sim, api) = sim_and_api().await;
    let delay = Duration::from_millis(300);
    sim.faults().inject(Fault::Delay(delay), 1);
    let started = Instant::now();
    let answer = api.create(FORM).await;
    assert_eq!(answer.status, 201);
    assert!(
        started.elapsed() >= delay,
        "the answer waited for the injected delay"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_faults_follow_the_seed_and_spare_the_sim_routes() {
    async fn pattern(seed: u64) -> Vec<u16> {
        let (sim, api) = start(Simulator::builder().seed(seed)).await;
        sim.faults().inject_randomly(Fault::Unavailable, 0.5);
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(api.get(&api.calls_path()).await.status);
        }
        // `/_sim/...` routes never get faults.
        let answer = api.get("/_sim/calls/CA0/timeline").await;
        assert_eq!(answer.status, 404);
        sim.faults().clear();
        assert_eq!(api.get(&api.calls_path()).await.status, 200);
        statuses
    }
    let first = pattern(11).await;
    assert_eq!(first, pattern(11).await);
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");
}
