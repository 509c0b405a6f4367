//! Concurrent creates while the simulator misbehaves at random (seeded): many creates in flight
//! at once through one client, faults drawn per request. Which attempt meets which fault is up
//! to timing, so each outcome is judged by the rules alone (see `mycpaas_tests::ledger`): no
//! duplicate call, a `Call` has its call, an error that says "not sent" has none.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::future::join_all;
use mycpaas_core::{Call, CreateCall, Error};
use mycpaas_sim::{Fault, SimHandle, Simulator};
use mycpaas_tests::fixtures::{AnyClient, Settings, fast_retries};
use mycpaas_tests::ledger::{Ledger, Verdict, assert_no_problems};

/// Creates per client (the sequential suite in `faults.rs` scales with the environment).
const CREATES: usize = 200;
/// Creates in flight at once.
const CONCURRENCY: usize = 16;

fn misbehaving_sim(seed: u64) -> SimHandle {
    let sim = Simulator::builder()
        .seed(seed)
        .start_in_background()
        .expect("the simulator starts");
    let faults = sim.faults();
    faults.inject_randomly(
        Fault::RateLimited {
            retry_after_secs: 0,
        },
        0.10,
    );
    faults.inject_randomly(Fault::Unavailable, 0.06);
    faults.inject_randomly(Fault::DropBeforeHandling, 0.05);
    faults.inject_randomly(Fault::DropAfterHandling, 0.05);
    faults.inject_randomly(Fault::MalformedBody, 0.04);
    faults.inject_randomly(Fault::TruncatedBody, 0.05);
    faults.inject_randomly(Fault::Delay(Duration::from_millis(30)), 0.05);
    sim
}

fn create(to: &str) -> CreateCall {
    CreateCall::new(to, "+15550000000").twiml("<Response><Hangup/></Response>")
}

fn judge_all(client: &AnyClient, sim: &SimHandle, outcomes: &[(String, Result<Call, Error>)]) {
    sim.faults().clear();
    let ledger = Ledger::read(client).expect("listing without faults succeeds");
    let mut verdicts: BTreeMap<Verdict, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (to, outcome) in outcomes {
        match ledger.judge(to, outcome) {
            Ok(verdict) => *verdicts.entry(verdict).or_default() += 1,
            Err(problem) => problems.push(problem),
        }
    }
    assert_no_problems(client.name(), &problems);
    assert_eq!(sim.calls_created(), ledger.total());
    println!(
        "concurrent faults, {} client: {} creates, {CONCURRENCY} at a time: {verdicts:?}, {} calls, 0 duplicates",
        client.name(),
        outcomes.len(),
        ledger.total()
    );
}

fn settings(sim: &SimHandle) -> Settings {
    Settings::for_sim(sim)
        .retry(fast_retries(3))
        .request_timeout(Duration::from_secs(5))
}

#[test]
fn concurrent_blocking_creates_never_duplicate_a_call() {
    let sim = misbehaving_sim(0xc0c0);
    let client = AnyClient::blocking(&settings(&sim));
    let AnyClient::Blocking(inner) = &client else {
        unreachable!()
    };
    let outcomes: Vec<(String, Result<Call, Error>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..CONCURRENCY)
            .map(|worker| {
                let inner = inner.clone();
                scope.spawn(move || {
                    (worker..CREATES)
                        .step_by(CONCURRENCY)
                        .map(|i| {
                            let to = format!("+1555{i:07}");
                            let outcome = inner.calls().create(create(&to));
                            (to, outcome)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a worker thread"))
            .collect()
    });
    judge_all(&client, &sim, &outcomes);
}

#[test]
fn concurrent_async_creates_never_duplicate_a_call() {
    let sim = misbehaving_sim(0xc0c1);
    let client = AnyClient::asynchronous(&settings(&sim));
    let AnyClient::Async(inner, runtime) = &client else {
        unreachable!()
    };
    let mut outcomes = Vec::with_capacity(CREATES);
    for batch in (0..CREATES).collect::<Vec<_>>().chunks(CONCURRENCY) {
        let creates = batch.iter().map(|i| {
            let to = format!("+1555{i:07}");
            let calls = inner.calls();
            async move {
                let outcome = calls.create(create(&to)).await;
                (to, outcome)
            }
        });
        outcomes.extend(runtime.block_on(join_all(creates)));
    }
    judge_all(&client, &sim, &outcomes);
}
