//! Creates and reads calls under a seeded mix of the simulator's faults, through both clients.
//!
//! - No duplicate call ever exists: every attempt dials its own number, and afterwards each
//!   number has at most one call; a success has exactly its call; a refusal has none.
//! - Every outcome is a `Call` or the typed error its faults call for; each ambiguous outcome
//!   (including a create answered 201 with a body that cannot be read or over the size limit,
//!   and a gateway's 502/504 page) is `Error::MaybeCreated`,
//!   and the simulator's count of created calls is explained exactly by the successes and the
//!   ambiguous ones that did create.
//! - Every `MaybeCreated` is reconciled by `find_created` to exactly the calls that exist for its
//!   number: the one call, or none.
//! - GETs under transient faults succeed after retries.
//!
//! `MYCPAAS_FAULT_ATTEMPTS` sets the attempts per client (default 200), `MYCPAAS_FAULT_SEED`
//! the seed. The counts are printed (`cargo test --test faults -- --nocapture`).

use std::collections::BTreeMap;
use std::time::Duration;

use mycpaas_core::{Call, CreateCall, Error};
use mycpaas_sim::{Fault, SimHandle, Simulator};
use mycpaas_tests::fixtures::{AnyClient, Settings, fast_retries};
use mycpaas_tests::ledger::{Ledger, Verdict, assert_no_problems};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

/// A whole-request timeout well above a loaded machine's slowest answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);
/// A delay past [`REQUEST_TIMEOUT`]: the client gives up while the server is still working.
const BEYOND_TIMEOUT: Duration = Duration::from_millis(2300);
/// A body past the fixtures' response size limit (1 MiB).
const OVERSIZED: usize = 2 << 20;
/// A slow answer that still arrives in time.
const SLOW: Duration = Duration::from_millis(20);

fn attempts() -> usize {
    std::env::var("MYCPAAS_FAULT_ATTEMPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn seed() -> u64 {
    std::env::var("MYCPAAS_FAULT_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_ca11)
}

/// What the faults injected before one create attempt call for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Expect {
    /// A `Call`, and the simulator has it.
    Created,
    /// `Api` with this status, and no call.
    Refused(u16),
    /// `MaybeCreated`, and the simulator has no call (the request was dropped unread).
    MaybeNotCreated,
    /// `MaybeCreated`, and the simulator has the call.
    MaybeCreated,
    /// `MaybeCreated`; whether the call exists depends on when the server noticed the client left.
    MaybeEither,
}

/// A seeded choice of faults for one create, and what they call for (3 attempts allowed).
fn create_plan(rng: &mut StdRng) -> (Vec<Fault>, Expect) {
    let rate_limited = |secs| Fault::RateLimited {
        retry_after_secs: secs,
    };
    let weighted: Vec<(u32, Vec<Fault>, Expect)> = vec![
        (24, vec![], Expect::Created),
        (12, vec![rate_limited(0)], Expect::Created),
        (4, vec![rate_limited(0), rate_limited(1)], Expect::Created),
        (3, vec![rate_limited(0); 3], Expect::Refused(429)),
        (10, vec![Fault::Unavailable], Expect::Refused(503)),
        (
            4,
            vec![rate_limited(0), Fault::Unavailable],
            Expect::Refused(503),
        ),
        (8, vec![Fault::DropBeforeHandling], Expect::MaybeNotCreated),
        (8, vec![Fault::DropAfterHandling], Expect::MaybeCreated),
        (
            3,
            vec![rate_limited(0), Fault::DropAfterHandling],
            Expect::MaybeCreated,
        ),
        (6, vec![Fault::Delay(SLOW)], Expect::Created),
        (2, vec![Fault::Delay(BEYOND_TIMEOUT)], Expect::MaybeEither),
        // A 201 whose body cannot be read: the call exists.
        (8, vec![Fault::MalformedBody], Expect::MaybeCreated),
        (8, vec![Fault::TruncatedBody], Expect::MaybeCreated),
        // Answers that prove nothing: a gateway's page with or without the call behind it, and
        // a 201 over the client's size limit.
        (4, vec![Fault::BadGateway], Expect::MaybeNotCreated),
        (4, vec![Fault::GatewayTimeout], Expect::MaybeCreated),
        (
            4,
            vec![Fault::OversizedBody(OVERSIZED)],
            Expect::MaybeCreated,
        ),
    ];
    let total: u32 = weighted.iter().map(|(w, ..)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (weight, faults, expect) in weighted {
        if pick < weight {
            return (faults, expect);
        }
        pick -= weight;
    }
    (Vec::new(), Expect::Created)
}

/// A seeded choice of transient faults for one GET: one or two failures (so the third attempt
/// answers), sometimes followed by a slow but timely answer.
fn fetch_plan(rng: &mut StdRng) -> Vec<Fault> {
    let failing = [
        Fault::RateLimited {
            retry_after_secs: 0,
        },
        Fault::Unavailable,
        Fault::DropBeforeHandling,
        Fault::DropAfterHandling,
        Fault::TruncatedBody,
        Fault::BadGateway,
        Fault::GatewayTimeout,
    ];
    let count = rng.random_range(1..=2);
    let mut faults: Vec<Fault> = (0..count)
        .map(|_| failing[rng.random_range(0..failing.len())].clone())
        .collect();
    // Now and then an attempt outlives the timeout; it is retried like any transient failure.
    if rng.random_range(0..50) == 0 {
        faults[0] = Fault::Delay(BEYOND_TIMEOUT);
    }
    if rng.random_range(0..4) == 0 {
        faults.push(Fault::Delay(SLOW));
    }
    faults
}

fn fault_name(fault: &Fault) -> &'static str {
    match fault {
        Fault::RateLimited { .. } => "429 Retry-After",
        Fault::Unavailable => "503",
        Fault::DropBeforeHandling => "drop before handling",
        Fault::DropAfterHandling => "drop after handling",
        Fault::Delay(d) if *d > REQUEST_TIMEOUT => "slow past the timeout",
        Fault::Delay(_) => "slow",
        Fault::MalformedBody => "malformed body",
        Fault::TruncatedBody => "truncated body",
        Fault::BadGateway => "502 gateway page",
        Fault::GatewayTimeout => "504 gateway page (after handling)",
        Fault::OversizedBody(_) => "2xx over the size limit",
        _ => "other",
    }
}

/// The class of an outcome, to compare with [`Expect`].
fn classify(outcome: &Result<Call, Error>) -> Result<Expect, String> {
    match outcome {
        Ok(_) => Ok(Expect::Created),
        Err(Error::Api(api)) => Ok(Expect::Refused(api.status)),
        Err(Error::MaybeCreated { .. }) => Ok(Expect::MaybeEither),
        Err(other) => Err(format!("unexpected error kind: {other:?}")),
    }
}

/// One create attempt and what came of it.
struct Attempt {
    to: String,
    expect: Expect,
    outcome: Result<Call, Error>,
}

/// Tallies printed at the end.
#[derive(Default)]
struct Counts {
    faults: BTreeMap<&'static str, usize>,
    outcomes: BTreeMap<String, usize>,
    maybe_created_existing: usize,
    maybe_created_absent: usize,
    reconciled_to_one: usize,
    reconciled_to_none: usize,
    fetches: usize,
    fetch_faults: usize,
}

fn run(client: &AnyClient, sim: &SimHandle, seed: u64) {
    let n = attempts();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut counts = Counts::default();
    let faults = sim.faults();

    // 1. Creates under faults, each to its own number.
    let mut problems = Vec::new();
    let mut attempts = Vec::with_capacity(n);
    for i in 0..n {
        let (plan, expect) = create_plan(&mut rng);
        for fault in &plan {
            *counts.faults.entry(fault_name(fault)).or_default() += 1;
            faults.inject(fault.clone(), 1);
        }
        let to = format!("+1555{i:07}");
        let outcome = client
            .create(CreateCall::new(&to, "+15550000000").twiml("<Response><Hangup/></Response>"));
        // Every planned fault met an attempt: the client tried as often as the faults called
        // for (a retry too many would show as a duplicate call below).
        if faults.pending() != 0 {
            problems.push(format!(
                "{to}: {} planned faults never met a request",
                faults.pending()
            ));
            faults.clear();
        }
        attempts.push(Attempt {
            to,
            expect,
            outcome,
        });
    }

    // A request that outlived the client's timeout may still be creating its call.
    std::thread::sleep(BEYOND_TIMEOUT);

    // 2. Every call of the account, read without faults.
    let ledger = Ledger::read(client).expect("listing without faults succeeds");

    // 3. Each attempt against what exists: the ledger's rules (no duplicate, a Call has its call,
    //    "not sent" means none exists), then the outcome the faults called for.
    let mut explained = 0;
    for attempt in &attempts {
        let existing = ledger.calls_to(&attempt.to).len();
        explained += existing;
        let label = match &attempt.outcome {
            Ok(_) => "Call".to_owned(),
            Err(Error::Api(api)) => format!("Error::Api {}", api.status),
            Err(Error::MaybeCreated { .. }) => "Error::MaybeCreated".to_owned(),
            Err(_) => "unexpected".to_owned(),
        };
        *counts.outcomes.entry(label).or_default() += 1;
        match ledger.judge(&attempt.to, &attempt.outcome) {
            Ok(Verdict::AmbiguousCreated) => counts.maybe_created_existing += 1,
            Ok(Verdict::AmbiguousAbsent) => counts.maybe_created_absent += 1,
            Ok(Verdict::Created | Verdict::NotCreated) => {}
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        }
        let got = match classify(&attempt.outcome) {
            Ok(got) => got,
            Err(problem) => {
                problems.push(format!("{}: {problem}", attempt.to));
                continue;
            }
        };
        let expected_class = match attempt.expect {
            Expect::MaybeCreated | Expect::MaybeNotCreated => Expect::MaybeEither,
            other => other,
        };
        let consistent = match attempt.expect {
            Expect::Created | Expect::MaybeCreated => existing == 1,
            Expect::Refused(_) | Expect::MaybeNotCreated => existing == 0,
            Expect::MaybeEither => true,
        };
        if let Err(error @ Error::MaybeCreated { .. }) = &attempt.outcome {
            let sids = ledger.calls_to(&attempt.to);
            match client.find_created(error) {
                Ok(found) if found.iter().map(|c| &c.sid).eq(sids.iter()) => {
                    if sids.is_empty() {
                        counts.reconciled_to_none += 1;
                    } else {
                        counts.reconciled_to_one += 1;
                    }
                }
                other => problems.push(format!(
                    "{}: find_created gave {other:?}, the simulator has {sids:?}",
                    attempt.to
                )),
            }
        }
        if got != expected_class || !consistent {
            problems.push(format!(
                "{}: faults called for {:?}, got {:?} with {existing} calls",
                attempt.to, attempt.expect, attempt.outcome
            ));
        }
    }
    // Nothing exists that no attempt explains.
    assert_eq!(ledger.total(), explained, "calls no attempt accounts for");
    assert_eq!(
        sim.calls_created(),
        ledger.total(),
        "created calls not listed"
    );
    assert_no_problems(client.name(), &problems);

    // 4. GETs under transient faults: every one succeeds after retries.
    let created: Vec<&Call> = attempts
        .iter()
        .filter_map(|a| a.outcome.as_ref().ok())
        .collect();
    let mut fetch_problems = Vec::new();
    for call in &created {
        let plan = fetch_plan(&mut rng);
        counts.fetch_faults += plan.len();
        for fault in &plan {
            *counts.faults.entry(fault_name(fault)).or_default() += 1;
            faults.inject(fault.clone(), 1);
        }
        match client.fetch(&call.sid) {
            Ok(fetched) if fetched.sid == call.sid => counts.fetches += 1,
            other => fetch_problems.push(format!("{} after {plan:?}: {other:?}", call.sid)),
        }
        if faults.pending() != 0 {
            fetch_problems.push(format!("{}: planned faults never met a request", call.sid));
            faults.clear();
        }
    }
    assert!(
        fetch_problems.is_empty(),
        "{} client: GETs failed under transient faults:\n{}",
        client.name(),
        fetch_problems.join("\n")
    );

    let injected: usize = counts.faults.values().sum();
    println!(
        "fault suite, {} client, seed {seed:#x}: {n} create attempts, {injected} faults injected",
        client.name(),
    );
    for (fault, count) in &counts.faults {
        println!("  fault {fault}: {count}");
    }
    for (outcome, count) in &counts.outcomes {
        println!("  outcome {outcome}: {count}");
    }
    println!(
        "  ambiguous (MaybeCreated): {} of which created {}, not created {}",
        counts.maybe_created_existing + counts.maybe_created_absent,
        counts.maybe_created_existing,
        counts.maybe_created_absent
    );
    println!(
        "  reconciled by find_created: {} to their one call, {} to none",
        counts.reconciled_to_one, counts.reconciled_to_none
    );
    println!(
        "  calls created by the simulator: {}, duplicates: 0, untyped outcomes: 0",
        sim.calls_created()
    );
    println!(
        "  GETs under {} transient faults: {} of {} succeeded after retries",
        counts.fetch_faults,
        counts.fetches,
        created.len()
    );
}

fn sim(seed: u64) -> SimHandle {
    Simulator::builder()
        .seed(seed)
        .start_in_background()
        .expect("the simulator starts")
}

fn settings(sim: &SimHandle) -> Settings {
    Settings::for_sim(sim)
        .retry(fast_retries(3))
        .request_timeout(REQUEST_TIMEOUT)
}

#[test]
fn blocking_client_never_duplicates_a_call_under_faults() {
    let seed = seed();
    let sim = sim(seed);
    run(&AnyClient::blocking(&settings(&sim)), &sim, seed);
}

#[test]
fn async_client_never_duplicates_a_call_under_faults() {
    let seed = seed().wrapping_add(1);
    let sim = sim(seed);
    run(&AnyClient::asynchronous(&settings(&sim)), &sim, seed);
}

#[test]
fn a_created_call_with_an_unreadable_answer_says_it_may_exist() {
    let sim = sim(seed());
    for client in settings(&sim).both() {
        let before = sim.calls_created();
        sim.faults().inject(Fault::MalformedBody, 1);
        let error = client
            .create(CreateCall::new("+15551230000", "+15550000000").twiml("<Response/>"))
            .unwrap_err();
        assert!(
            error.may_have_been_sent(),
            "{}: the call exists, but {error:?} says nothing was sent",
            client.name()
        );
        let Error::MaybeCreated { message, .. } = &error else {
            panic!("{}: expected MaybeCreated, got {error:?}", client.name());
        };
        assert!(
            message.contains("accepted the create (HTTP 201)"),
            "{message}"
        );
        // Created once, and not retried into a second call.
        assert_eq!(sim.calls_created(), before + 1, "{}", client.name());
    }
}
