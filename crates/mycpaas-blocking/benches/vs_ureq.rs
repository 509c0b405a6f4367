//! Per-call cost of the blocking client against bare ureq sending the same bytes to the same
//! simulator: `calls().create` vs a POST of the identical request, and `calls().list` of a
//! 50-call page vs a GET of the identical request (bare ureq reads the body and parses nothing).
//!
//! Prints one JSON line per figure (`{"id": ..., "value": ..., "unit": "ns"}`, the median over
//! rounds of the mean time per call); `scripts/bench` collects them into the table of
//! docs/performance.md. It talks to the simulator named by `MYCPAAS_BENCH_BASE_URL`,
//! `MYCPAAS_BENCH_ACCOUNT_SID` and `MYCPAAS_BENCH_AUTH_TOKEN` (creates) and
//! `MYCPAAS_BENCH_LIST_URL` (a second one holding the listed calls, same account), or starts its
//! own in this process when they are unset:
//!
//! ```text
//! cargo bench -p mycpaas-blocking --bench vs_ureq
//! ```

use std::hint::black_box;
use std::time::Instant;

use mycpaas_blocking::{Client, CreateCall, ListCalls, Operation};
use mycpaas_sim::{SimHandle, Simulator};
use mycpaas_tests::bench::{median, plan, report};

/// A call that hangs up as soon as it is answered: no web app, no callbacks.
const HANGUP: &str = "<Response><Hangup/></Response>";
const TO: &str = "+15551230000";
const FROM: &str = "+15559870000";
/// Calls the list simulator must hold (the Python benchmark iterates over 1,000 of them).
const LISTED_CALLS: usize = 1000;

/// Where the benchmark sends its requests.
struct Target {
    create_url: String,
    list_url: String,
    account_sid: String,
    auth_token: String,
    /// Simulators started by this process, kept alive until the end.
    _own: Vec<SimHandle>,
}

impl Target {
    fn from_env_or_start() -> Result<Target, Box<dyn std::error::Error>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let (Some(create_url), Some(account_sid), Some(auth_token)) = (
            var("MYCPAAS_BENCH_BASE_URL"),
            var("MYCPAAS_BENCH_ACCOUNT_SID"),
            var("MYCPAAS_BENCH_AUTH_TOKEN"),
        ) {
            let list_url = var("MYCPAAS_BENCH_LIST_URL").unwrap_or_else(|| create_url.clone());
            return Ok(Target {
                create_url,
                list_url,
                account_sid,
                auth_token,
                _own: Vec::new(),
            });
        }
        let sim = Simulator::builder().seed(1).start_in_background()?;
        Ok(Target {
            create_url: sim.base_url(),
            list_url: sim.base_url(),
            account_sid: sim.account_sid(),
            auth_token: sim.auth_token(),
            _own: vec![sim],
        })
    }

    fn client(&self, base_url: &str) -> mycpaas_blocking::Result<Client> {
        Client::builder(self.account_sid.clone(), self.auth_token.clone())
            .base_url(base_url)
            .allow_insecure_http(true)
            .build()
    }
}

/// Times a bare exchange of `bare_request` (see [`bare_exchange`]) and `ours` in alternating rounds
/// of `calls` calls, the order flipped every round (so drift in the server's state hits both
/// alike), after one untimed round each that warms connections and caches. Returns the median
/// over `rounds` of the mean nanoseconds per call, bare first.
fn measure_against_bare(
    rounds: usize,
    calls: usize,
    agent: &ureq::Agent,
    bare_request: &http::Request<Vec<u8>>,
    mut ours: impl FnMut(),
) -> (f64, f64) {
    let mut bare = || {
        black_box(bare_exchange(agent, bare_request));
    };
    let time = |call: &mut dyn FnMut()| {
        let started = Instant::now();
        for _ in 0..calls {
            call();
        }
        #[allow(clippy::cast_precision_loss)]
        let per_call = started.elapsed().as_nanos() as f64 / calls as f64;
        per_call
    };
    time(&mut bare);
    time(&mut ours);
    let (mut bare_times, mut our_times) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // The side that goes second meets the state the first one left (calls stored, their
        // background work still running): the order flips every round so neither always does.
        if round % 2 == 0 {
            bare_times.push(time(&mut bare));
            our_times.push(time(&mut ours));
        } else {
            our_times.push(time(&mut ours));
            bare_times.push(time(&mut bare));
        }
    }
    (median(bare_times), median(our_times))
}

/// Sends `request` as it is with bare ureq and reads the whole body: the floor any client
/// built on ureq pays for the same exchange.
fn bare_exchange(agent: &ureq::Agent, request: &http::Request<Vec<u8>>) -> usize {
    let mut copy = http::Request::builder()
        .method(request.method().clone())
        .uri(request.uri().clone());
    for (name, value) in request.headers() {
        copy = copy.header(name, value);
    }
    let copy = copy
        .body(request.body().clone())
        .expect("a copy of a valid request");
    let response = agent.run(copy).expect("the simulator answers");
    assert!(response.status().is_success(), "{}", response.status());
    response
        .into_body()
        .read_to_vec()
        .expect("a readable body")
        .len()
}

/// Creates calls in the list simulator until it holds at least [`LISTED_CALLS`].
fn seed(client: &Client) -> mycpaas_blocking::Result<()> {
    let held = client
        .calls()
        .iter(ListCalls::new().page_size(1000), Some(LISTED_CALLS))
        .count();
    for n in held..LISTED_CALLS {
        client
            .calls()
            .create(CreateCall::new(format!("+1555{n:07}"), FROM).twiml(HANGUP))?;
    }
    Ok(())
}

/// `--bare-create-round N`: one timed batch of N bare creates (after a few untimed ones that
/// open the connection), printed as nanoseconds per call. The Python benchmark runs this between
/// its own rounds, so that its create and the bare POST are timed in the same minutes.
fn bare_create_round() -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|arg| arg == "--bare-create-round")?;
    args.get(at + 1).and_then(|n| n.parse().ok())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::from_env_or_start()?;
    let (rounds, calls) = plan();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();

    let creator = target.client(&target.create_url)?;
    let create = || CreateCall::new(TO, FROM).twiml(HANGUP);
    let create_request = create().build_request(creator.config())?;
    if let Some(count) = bare_create_round() {
        for _ in 0..5 {
            black_box(bare_exchange(&agent, &create_request));
        }
        let started = Instant::now();
        for _ in 0..count {
            black_box(bare_exchange(&agent, &create_request));
        }
        #[allow(clippy::cast_precision_loss)]
        let per_call = started.elapsed().as_nanos() as f64 / count.max(1) as f64;
        println!("{per_call:.1}");
        return Ok(());
    }
    let (bare, ours) = measure_against_bare(rounds, calls, &agent, &create_request, || {
        black_box(creator.calls().create(create()).expect("created"));
    });
    report("rs.bare_ureq.create", bare, "ns");
    report("rs.blocking.create", ours, "ns");

    let lister = target.client(&target.list_url)?;
    seed(&lister)?;
    let page = || ListCalls::new().page_size(50);
    let page_request = page().build_request(lister.config())?;
    let (bare, ours) = measure_against_bare(rounds, calls, &agent, &page_request, || {
        let listed = lister.calls().list(page()).expect("listed");
        assert_eq!(listed.calls.len(), 50);
        black_box(listed);
    });
    report("rs.bare_ureq.page50", bare, "ns");
    report("rs.blocking.page50", ours, "ns");
    Ok(())
}
