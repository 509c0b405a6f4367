//! One scenario of calls that meet, run twice with the same seed on a manual clock: once on an
//! idle machine and once with every core kept busy. Both runs give the same SIDs, the same events
//! in the same order at the same simulated times, and the same durations: the simulator's calls
//! act one at a time on one clock, so the machine's load can slow a run but not change it.
//!
//! The scenario: three callers ring a support line and queue; the second gives up; an agent's
//! call dials the queue and takes the first; a supervisor joins the bridge muted and is unmuted;
//! the helped caller hangs up and the last one is dialed through to a forwarded number.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use mycpaas_blocking::Client;
use mycpaas_core::{
    ConferenceStatus, CreateCall, CreateIncomingPhoneNumber, CreateParticipant, ListCalls,
    ListConferences, ScriptCallee, UpdateParticipant,
};
use mycpaas_sim::webapp::WebApp;
use mycpaas_sim::{SimHandle, Simulator, TimelineEvent};

const SUPPORT: &str = "+15557000100";
const CALLERS: [&str; 3] = ["+15551230001", "+15551230002", "+15551230003"];
const AGENT: &str = "+15557000200";
const SUPERVISOR: &str = "+15557000300";
const FORWARDED: &str = "+15557000400";

/// Everything the scenario produced, one line per call and per event of its timeline (the
/// callbacks' deliveries aside: they are HTTP requests sent alongside the calls, as a provider
/// sends them, and their count is compared instead).
fn run(seed: u64) -> Vec<String> {
    let sim = Simulator::builder()
        .seed(seed)
        .manual_clock()
        .start_in_background()
        .expect("the simulator");
    let app = WebApp::builder()
        .document(
            "/support",
            r#"<Response><Enqueue action="/left" waitUrl="/hold-music">support</Enqueue></Response>"#,
        )
        .document(
            "/hold-music",
            r#"<Response><Play>https://example.com/music.mp3</Play><Pause length="7"/></Response>"#,
        )
        .document("/left", "<Response><Say>Goodbye.</Say><Hangup/></Response>")
        .document(
            "/forward",
            r#"<Response><Dial timeout="10"><Number>+15557000400</Number></Dial></Response>"#,
        )
        .start_in_background()
        .expect("the web app");
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    client
        .incoming_phone_numbers()
        .create(
            CreateIncomingPhoneNumber::new(SUPPORT)
                .voice_url(app.url("/support"))
                .status_callback(app.url("/status")),
        )
        .expect("the support number");
    client
        .execute(&ScriptCallee::new(FORWARDED).ring_for(4).hang_up_after(25))
        .expect("the forwarded number is scripted");
    let app_base = app.url("/").trim_end_matches('/').to_owned();
    // Times are compared from the simulator's start (its clock starts at the wall time).
    let origin = sim.now();
    let since = |at: Option<time::OffsetDateTime>| at.map(|at| (at - origin).whole_seconds());
    let step = |seconds: u64| {
        sim.advance(Duration::from_secs(seconds))
            .expect("a manual clock");
    };

    let mut callers = Vec::new();
    for caller in CALLERS {
        callers.push(sim.call_in(SUPPORT, caller).expect("a caller rings"));
        step(3);
    }
    step(20);
    client
        .calls()
        .hangup(&callers[1])
        .expect("the second gives up");
    step(5);
    let agent = client
        .calls()
        .create(CreateCall::new(AGENT, SUPPORT).twiml(
            "<Response><Dial><Queue>support</Queue></Dial><Say>Next caller.</Say></Response>",
        ))
        .expect("the agent's call");
    step(15);
    let bridge = client
        .conferences()
        .list(
            ListConferences::new()
                .friendly_name(&agent.sid)
                .status(ConferenceStatus::InProgress),
        )
        .expect("the conferences")
        .conferences
        .into_iter()
        .next()
        .expect("the bridge");
    let supervisor = client
        .participants()
        .add(CreateParticipant::new(&bridge.sid, SUPERVISOR, SUPPORT).muted(true))
        .expect("the supervisor is dialed")
        .call_sid;
    step(10);
    client
        .participants()
        .update(UpdateParticipant::new(&bridge.sid, &supervisor).muted(false))
        .expect("unmuted");
    step(30);
    client
        .calls()
        .hangup(&callers[0])
        .expect("the first hangs up");
    step(5);
    client
        .calls()
        .update(
            mycpaas_core::UpdateCall::new(&callers[2])
                .url(app.url("/forward"))
                .method(mycpaas_core::HttpMethod::Post),
        )
        .expect("the last caller is forwarded");
    step(60);
    // Whoever is still on the line hangs up.
    for sid in [&agent.sid, &supervisor, &callers[2]] {
        let call = client.calls().fetch(sid).expect("the call");
        if call.end_time.is_none() {
            client.calls().hangup(sid).expect("hang up");
        }
    }
    step(60);

    let mut seen = Vec::new();
    let calls = client
        .calls()
        .list(ListCalls::new().page_size(100))
        .expect("the calls")
        .calls;
    let mut callbacks = 0;
    for call in calls.iter().rev() {
        let timeline = settled(&sim, &call.sid);
        let call = client.calls().fetch(&call.sid).expect("the call");
        seen.push(format!(
            "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            call.sid,
            call.to,
            call.parent_call_sid,
            call.status,
            call.duration,
            since(call.date_created),
            since(call.start_time),
            since(call.end_time)
        ));
        for entry in &timeline.entries {
            if matches!(entry.event, TimelineEvent::Callback { .. }) {
                callbacks += 1;
            } else {
                let at = time::OffsetDateTime::parse(
                    &entry.at,
                    &time::format_description::well_known::Rfc3339,
                )
                .expect("an ISO 8601 time");
                let ms = (at - origin).whole_milliseconds();
                // The web app listens on another port each run.
                let event = format!("{:?}", entry.event).replace(&app_base, "APP");
                seen.push(format!("  {ms:>7} ms {event}"));
            }
        }
    }
    seen.push(format!("{callbacks} callback attempts"));
    seen.push(format!("{} webhook requests", app.requests().len()));
    seen
}

fn settled(sim: &SimHandle, sid: &str) -> mycpaas_sim::Timeline {
    // Every call has ended on the clock; its last callbacks may still be in flight.
    sim.wait_for_call(sid, Duration::from_secs(30))
        .unwrap_or_else(|| panic!("{sid} settles"))
}

/// Keeps every core busy until dropped.
struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let threads = (0..cores * 2)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut spin = 0_u64;
                    while !stop.load(Ordering::Relaxed) {
                        spin = std::hint::black_box(spin.wrapping_mul(31).wrapping_add(7));
                    }
                })
            })
            .collect();
        Self { stop, threads }
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_calls_events_and_durations_under_load() {
    let quiet = run(42);
    let loaded = {
        let _load = Load::start();
        run(42)
    };
    assert!(quiet.len() > 100, "{quiet:#?}");
    for (n, (a, b)) in quiet.iter().zip(&loaded).enumerate() {
        assert_eq!(
            a,
            b,
            "line {n} differs; the quiet run:\n{}",
            quiet.join("\n")
        );
    }
    assert_eq!(quiet.len(), loaded.len());
    // Every meeting the scenario asked for happened: a caller gave up, one was bridged with the
    // agent (the supervisor joining them), the last was forwarded to a child leg.
    let text = quiet.join("\n");
    for happened in [
        "hung up while waiting in queue support",
        "bridged in its conference",
        "joined conference",
        FORWARDED,
    ] {
        assert!(text.contains(happened), "{happened:?} in\n{text}");
    }
    let other = run(43);
    assert_ne!(other[0], quiet[0], "another seed gives other SIDs");
}
