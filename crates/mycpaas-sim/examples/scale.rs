//! Scale check: N calls alive at the same time in one simulator, each with all four
//! status callbacks; reports the wall time, the peak number of concurrent calls and
//! how many callbacks were delivered or lost.
//!
//! ```text
//! cargo run --release -p mycpaas-sim --example scale -- 10000 [pause seconds]
//! ```
//!
//! Each call rings, answers, fetches a document from a local web app, pauses 600
//! simulated seconds (or the second argument: `scripts/bench --quick` passes a shorter
//! pause) and hangs up. The speed is chosen so that a call outlives the
//! time it takes to create all of them: every call is in progress at once.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mycpaas_sim::webapp::WebApp;
use mycpaas_sim::{Simulator, Timeline, TimelineEvent};
use tokio::sync::Semaphore;

/// Requests the load generator keeps in flight when creating calls.
const CLIENT_CONCURRENCY: usize = 256;
/// Simulated length of each call's pause.
const PAUSE_SECS: u64 = 600;
/// Simulated seconds per wall second: the 600 s pause lasts 60 s of wall time, longer
/// than creating 10,000 calls takes on a small shared machine.
const SPEED: f64 = 10.0;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let calls: usize = match std::env::args().nth(1) {
        Some(n) => n.parse().map_err(|_| "usage: scale [number of calls]")?,
        None => 10_000,
    };
    let pause_secs: u64 = match std::env::args().nth(2) {
        Some(n) => n
            .parse()
            .map_err(|_| "usage: scale [number of calls] [pause seconds]")?,
        None => PAUSE_SECS,
    };
    let sim = Simulator::builder().speed(SPEED).seed(1).start().await?;
    let app = WebApp::builder()
        .document(
            "/voice",
            format!("<Response><Pause length=\"{pause_secs}\"/><Hangup/></Response>"),
        )
        .start()
        .await?;
    // reqwest is built without a crypto provider; this program installs ring, the workspace's.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().build()?;
    let create_url = format!(
        "{}/api/laml/2010-04-01/Accounts/{}/Calls.json",
        sim.base_url(),
        sim.account_sid()
    );
    let (voice, status) = (app.url("/voice"), app.url("/status"));
    let slots = Arc::new(Semaphore::new(CLIENT_CONCURRENCY));

    println!("creating {calls} calls (speed x{SPEED}, {pause_secs} s simulated pause each)");
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(calls);
    for n in 0..calls {
        let permit = Arc::clone(&slots).acquire_owned().await?;
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("To", &format!("+1555{n:07}"))
            .append_pair("From", "+15550000000")
            .append_pair("Url", &voice)
            .append_pair("StatusCallback", &status)
            .append_pair(
                "StatusCallbackEvent",
                "initiated ringing answered completed",
            )
            .finish();
        let request = http
            .post(&create_url)
            .basic_auth(sim.account_sid(), Some(sim.auth_token()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let response = request.send().await.map_err(|e| e.to_string())?;
            if response.status() != 201 {
                return Err(format!("create answered {}", response.status()));
            }
            let text = response.text().await.map_err(|e| e.to_string())?;
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            json["sid"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| "no sid".to_owned())
        }));
    }
    let mut sids = Vec::with_capacity(calls);
    for task in tasks {
        sids.push(task.await??);
    }
    let created_in = started.elapsed();
    println!(
        "created {} calls in {:.2} s",
        sids.len(),
        created_in.as_secs_f64()
    );

    let mut timelines = Vec::with_capacity(calls);
    for sid in &sids {
        let timeline = sim
            .wait_for_call_async(sid, Duration::from_secs(600))
            .await
            .ok_or_else(|| format!("call {sid} did not settle"))?;
        timelines.push(timeline);
    }
    let wall = started.elapsed();

    let delivered: usize = timelines.iter().map(count_delivered).sum();
    let expected = calls * 4;
    let received = app.requests_to("/status");
    let unique: HashSet<(String, String)> = received
        .iter()
        .map(|r| {
            (
                r.param("CallSid").unwrap_or_default().to_owned(),
                r.param("SequenceNumber").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let completed = timelines.iter().filter(|t| t.status == "completed").count();
    println!("calls completed:           {completed} / {calls}");
    println!(
        "peak concurrent calls:     {}",
        peak_concurrency(&timelines, SPEED)
    );
    println!("callbacks expected:        {expected}");
    println!(
        "callbacks delivered:       {delivered} (web app received {} distinct, {} requests)",
        unique.len(),
        received.len()
    );
    println!(
        "callbacks lost:            {}",
        expected.saturating_sub(unique.len())
    );
    println!("wall time:                 {:.2} s", wall.as_secs_f64());
    if unique.len() != expected || completed != calls {
        return Err("callbacks lost or calls not completed".into());
    }
    Ok(())
}

fn count_delivered(timeline: &Timeline) -> usize {
    timeline
        .callbacks()
        .iter()
        .filter(|c| {
            matches!(
                c,
                TimelineEvent::Callback {
                    delivered: true,
                    ..
                }
            )
        })
        .count()
}

/// The most calls alive at one wall instant, from each call's creation to its end
/// (simulated offsets divided by the speed give wall offsets).
fn peak_concurrency(timelines: &[Timeline], speed: f64) -> usize {
    let mut edges: Vec<(f64, i32)> = Vec::new();
    for timeline in timelines {
        let Some(created) = timeline.entries.first().and_then(|e| wall_ms(&e.at)) else {
            continue;
        };
        let end = timeline
            .entries
            .iter()
            .rev()
            .find(|e| matches!(&e.event, TimelineEvent::Status { .. }))
            .map_or(0, |e| e.offset_ms);
        #[allow(clippy::cast_precision_loss)]
        let ended = created + end as f64 / speed;
        edges.push((created, 1));
        edges.push((ended, -1));
    }
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut alive, mut peak) = (0i32, 0i32);
    for (_, step) in edges {
        alive += step;
        peak = peak.max(alive);
    }
    usize::try_from(peak).unwrap_or(0)
}

/// Milliseconds since the epoch of an ISO 8601 time (`2026-04-19T10:00:00.250Z`).
fn wall_ms(at: &str) -> Option<f64> {
    let parsed =
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
    #[allow(clippy::cast_precision_loss)]
    Some((parsed.unix_timestamp_nanos() / 1_000_000) as f64)
}
