//! Iterating 100,000 calls with `calls().iter` keeps memory flat: the iterator holds one page at
//! a time. The simulator (in this process, holding every call) is filled first; the resident
//! memory is then sampled every tenth of the walk (Linux: `/proc/self/status`).
//!
//! ```text
//! cargo bench -p mycpaas-blocking --bench iterate_memory
//! ```
//!
//! `BENCH_LIST_CALLS` (default 100000) and `BENCH_PAGE_SIZE` (default 1000) change the walk.
//! Per-call overhead against bare ureq is measured by the `vs_ureq` benchmark.

use std::hint::black_box;
use std::time::Instant;

use mycpaas_blocking::{Client, CreateCall, ListCalls};
use mycpaas_sim::Simulator;

const TO: &str = "+491234567890";
const FROM: &str = "+491098765432";
const HANGUP: &str = "<Response><Hangup/></Response>";
/// Threads filling the simulator.
const FILLERS: usize = 4;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Without `--bench` (as under `cargo test --benches`) a small walk keeps it quick.
    let full = std::env::args().any(|a| a == "--bench");
    let count = if full {
        env_number("BENCH_LIST_CALLS", 100_000)
    } else {
        1_000
    };
    let page_size = u32::try_from(env_number("BENCH_PAGE_SIZE", 1000))?;
    let sim = Simulator::builder().start_in_background()?;
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()?;

    let started = Instant::now();
    fill(&client, count)?;
    println!(
        "created {} calls in the simulator in {:.1} s",
        sim.calls_created(),
        started.elapsed().as_secs_f64()
    );

    let every = (count / 10).max(1);
    let before = resident_kib();
    let mut samples = Vec::new();
    let mut seen = 0usize;
    let started = Instant::now();
    for call in client
        .calls()
        .iter(ListCalls::new().page_size(page_size), None)
    {
        black_box(call?);
        seen += 1;
        if seen % every == 0 {
            samples.push(resident_kib());
        }
    }
    let samples: Vec<u64> = samples.into_iter().flatten().collect();
    let low = samples.iter().min().copied();
    let high = samples.iter().max().copied();
    println!(
        "iterated {seen} calls (pages of {page_size}) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "resident memory: before the walk {} MiB; sampled every {every} calls: [{}] MiB",
        mib(before),
        samples
            .iter()
            .map(|s| mib(Some(*s)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "peak during the walk {} MiB, spread between samples {} MiB",
        mib(high),
        mib(high.zip(low).map(|(h, l)| h - l))
    );
    Ok(())
}

/// Creates `count` calls from a few threads sharing one client.
fn fill(client: &Client, count: usize) -> Result<(), String> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..FILLERS)
            .map(|worker| {
                let share = count / FILLERS + usize::from(worker < count % FILLERS);
                scope.spawn(move || {
                    for _ in 0..share {
                        client
                            .calls()
                            .create(CreateCall::new(TO, FROM).twiml(HANGUP))
                            .map_err(|e| e.to_string())?;
                    }
                    Ok::<(), String>(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|worker| worker.join().map_err(|_| "a filler panicked".to_owned())?)
    })
}

fn mib(kib: Option<u64>) -> String {
    #[allow(clippy::cast_precision_loss)] // a memory size in MiB, for display
    kib.map_or_else(|| "n/a".to_owned(), |k| format!("{:.1}", k as f64 / 1024.0))
}

/// The process's resident set size in KiB (Linux), `None` elsewhere.
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
