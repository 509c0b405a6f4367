//! The async client against bare reqwest sending the same bytes to the same simulator: the
//! time of one `calls().create` after another, and the throughput of creates with 64 in flight.
//!
//! Prints one JSON line per figure (`{"id": ..., "value": ..., "unit": ...}`: nanoseconds per
//! call, or calls per second; the median over rounds); `scripts/bench` collects them into the
//! table of docs/performance.md. It talks to the simulator named by `MYCPAAS_BENCH_BASE_URL`,
//! `MYCPAAS_BENCH_ACCOUNT_SID` and `MYCPAAS_BENCH_AUTH_TOKEN`, or starts its own in this
//! process when they are unset:
//!
//! ```text
//! cargo bench -p mycpaas-async --bench vs_reqwest
//! ```

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use mycpaas_async::{Client, CreateCall, Operation};
use mycpaas_sim::{SimHandle, Simulator};
use mycpaas_tests::bench::{median, plan, report};

/// A call that hangs up as soon as it is answered: no web app, no callbacks.
const HANGUP: &str = "<Response><Hangup/></Response>";
const TO: &str = "+15551230000";
const FROM: &str = "+15559870000";
/// Requests in flight in the throughput test.
const CONCURRENCY: usize = 64;

/// The simulator named by the environment, or one started here (kept in the second field).
async fn target() -> Result<(Client, Option<SimHandle>), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (base_url, sid, token, own) = if let (Some(url), Some(sid), Some(token)) = (
        var("MYCPAAS_BENCH_BASE_URL"),
        var("MYCPAAS_BENCH_ACCOUNT_SID"),
        var("MYCPAAS_BENCH_AUTH_TOKEN"),
    ) {
        (url, sid, token, None)
    } else {
        let sim = Simulator::builder().seed(1).start().await?;
        (
            sim.base_url(),
            sim.account_sid(),
            sim.auth_token(),
            Some(sim),
        )
    };
    let client = Client::builder(sid, token)
        .base_url(&base_url)
        .allow_insecure_http(true)
        .build()?;
    Ok((client, own))
}

/// Sends `request` as it is with bare reqwest and reads the whole body: the floor any client
/// built on reqwest pays for the same exchange.
async fn bare_exchange(http: &reqwest::Client, request: &http::Request<Vec<u8>>) -> usize {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.headers_mut() = request.headers().clone();
    let copy = reqwest::Request::try_from(copy).expect("a valid request");
    let response = http.execute(copy).await.expect("the simulator answers");
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.expect("a readable body").len()
}

/// The create both sides send.
fn create() -> CreateCall {
    CreateCall::new(TO, FROM).twiml(HANGUP)
}

/// One create: `request` (the create's bytes) sent with bare reqwest, or our `calls().create`.
async fn create_once(
    client: &Client,
    http: &reqwest::Client,
    request: &http::Request<Vec<u8>>,
    bare: bool,
) {
    if bare {
        black_box(bare_exchange(http, request).await);
    } else {
        black_box(client.calls().create(create()).await.expect("created"));
    }
}

/// One round of `calls` creates, one after another; nanoseconds per call.
async fn sequential(client: &Client, http: &reqwest::Client, bare: bool, calls: usize) -> f64 {
    let request = create()
        .build_request(client.config())
        .expect("a valid create");
    let started = Instant::now();
    for _ in 0..calls {
        create_once(client, http, &request, bare).await;
    }
    #[allow(clippy::cast_precision_loss)]
    let per_call = started.elapsed().as_nanos() as f64 / calls as f64;
    per_call
}

/// One round of `calls` creates by [`CONCURRENCY`] tasks; calls per second.
async fn concurrent(client: &Client, http: &reqwest::Client, bare: bool, calls: usize) -> f64 {
    let request = Arc::new(
        create()
            .build_request(client.config())
            .expect("a valid create"),
    );
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|worker| {
            let share = calls / CONCURRENCY + usize::from(worker < calls % CONCURRENCY);
            let (client, http, request) = (client.clone(), http.clone(), Arc::clone(&request));
            tokio::spawn(async move {
                for _ in 0..share {
                    create_once(&client, &http, &request, bare).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a worker finished");
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = calls as f64 / started.elapsed().as_secs_f64();
    rate
}

/// The medians of `rounds` runs of bare reqwest (`run(true)`) and of our client
/// (`run(false)`), bare first. Untimed runs of each first warm the connection pools; then the two
/// alternate so drift in the server's state hits both alike, and the order flips every round:
/// the side that goes second meets the calls (and their background work) the first one left, so
/// neither may always be second.
async fn measure_pair<F: Future<Output = f64>>(
    rounds: usize,
    mut run: impl FnMut(bool) -> F,
) -> (f64, f64) {
    run(true).await;
    run(false).await;
    let (mut bare, mut ours) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            bare.push(run(true).await);
            ours.push(run(false).await);
        } else {
            ours.push(run(false).await);
            bare.push(run(true).await);
        }
    }
    (median(bare), median(ours))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _own) = target().await?;
    let http = mycpaas_async::tls::reqwest_client_builder()?
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let (rounds, calls) = plan();

    let (bare, ours) = measure_pair(rounds, |bare| sequential(&client, &http, bare, calls)).await;
    report("rs.bare_reqwest.create", bare, "ns");
    report("rs.async.create", ours, "ns");

    let burst = calls * 4;
    let (bare, ours) = measure_pair(rounds, |bare| concurrent(&client, &http, bare, burst)).await;
    report("rs.bare_reqwest.throughput64", bare, "per_s");
    report("rs.async.throughput64", ours, "per_s");
    Ok(())
}
