//! Calls that meet, at scale, in one simulator: conferences of four and callers waiting in a
//! queue, every status, conference and queue callback counted. CI runs 40 conferences and 100
//! queued callers; `MYCPAAS_MEETINGS=1000` runs 1,000 of each (in release: `cargo test --release
//! -p mycpaas-sim --test meetings_scale -- --nocapture`).

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Api, PREFIX, SETTLE};
use mycpaas_sim::Simulator;
use mycpaas_sim::webapp::{WebApp, WebAppHandle};

const PARTICIPANTS: usize = 4;

fn meetings() -> usize {
    std::env::var("MYCPAAS_MEETINGS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40)
}

/// Polls `done` every 20 ms until it holds, for at most `limit`.
async fn eventually(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn count(app: &WebAppHandle, path: &str, param: &str, value: &str) -> usize {
    app.requests_to(path)
        .iter()
        .filter(|r| r.param(param) == Some(value))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conferences_of_four_and_a_long_queue_lose_no_callback() {
    let rooms = meetings();
    let callers = rooms.max(100);
    let began = Instant::now();
    let sim = Simulator::builder().seed(14).start().await.unwrap();
    let app = WebApp::builder()
        .document("/left", "<Response><Hangup/></Response>")
        .start()
        .await
        .unwrap();
    let api = Arc::new(Api::new(&sim));
    let queue = api
        .post(
            &format!("{PREFIX}/Accounts/{}/Queues.json", api.sid),
            &[("FriendlyName", "line"), ("MaxSize", "5000")],
        )
        .await;
    assert_eq!(queue.status, 201, "{:?}", queue.body);
    let queue_sid = queue.body["sid"].as_str().expect("a queue").to_owned();

    let status = app.url("/status");
    let mut documents = Vec::new();
    for room in 0..rooms {
        let twiml = format!(
            r#"<Response><Dial><Conference statusCallback="{}" statusCallbackEvent="start end join leave">room-{room}</Conference></Dial></Response>"#,
            app.url("/conference")
        );
        documents.extend(std::iter::repeat_n(twiml, PARTICIPANTS));
    }
    let enqueue = format!(
        r#"<Response><Enqueue action="{}">line</Enqueue></Response>"#,
        app.url("/left")
    );
    documents.extend(std::iter::repeat_n(enqueue, callers));
    let creates = documents.into_iter().enumerate().map(|(n, twiml)| {
        let (api, status) = (Arc::clone(&api), status.clone());
        tokio::spawn(async move {
            let from = format!("+1555{n:07}");
            api.create_ok(&[
                ("To", "+15559870000"),
                ("From", from.as_str()),
                ("Twiml", twiml.as_str()),
                ("StatusCallback", status.as_str()),
            ])
            .await
        })
    });
    let mut sids = Vec::new();
    for create in futures::future::join_all(creates).await {
        sids.push(create.unwrap());
    }
    let placed = began.elapsed();

    // Every participant in its room, every caller in the queue.
    let wait = Duration::from_secs(120);
    eventually("every participant to join", wait, || {
        count(
            &app,
            "/conference",
            "StatusCallbackEvent",
            "participant-join",
        ) == rooms * PARTICIPANTS
    })
    .await;
    let queue_path = format!("{PREFIX}/Accounts/{}/Queues/{queue_sid}.json", api.sid);
    let deadline = Instant::now() + wait;
    loop {
        let queue = api.get(&queue_path).await;
        if queue.body["current_size"].as_u64() == Some(callers as u64) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the queue holds {:?}",
            queue.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let met = began.elapsed();

    // End every conference through the API, and hang up every caller in the queue.
    let conferences: HashSet<String> = app
        .requests_to("/conference")
        .iter()
        .filter_map(|r| r.param("ConferenceSid").map(str::to_owned))
        .collect();
    assert_eq!(conferences.len(), rooms, "one conference per room");
    let ends = conferences.iter().map(|sid| {
        let api = Arc::clone(&api);
        let path = format!("{PREFIX}/Accounts/{}/Conferences/{sid}.json", api.sid);
        tokio::spawn(async move { api.post(&path, &[("Status", "completed")]).await.status })
    });
    let queued = sids[rooms * PARTICIPANTS..].to_vec();
    let hangups = queued.into_iter().map(|sid| {
        let api = Arc::clone(&api);
        tokio::spawn(async move {
            let path = api.call_path(&sid);
            api.post(&path, &[("Status", "completed")]).await.status
        })
    });
    for status in futures::future::join_all(ends.chain(hangups)).await {
        assert_eq!(status.unwrap(), 200);
    }
    for sid in &sids {
        let timeline = sim
            .wait_for_call_async(sid, SETTLE)
            .await
            .expect("every call settles");
        assert_eq!(timeline.status, "completed", "{timeline:#?}");
    }
    let settled = began.elapsed();

    // Nothing lost: a completed callback per call, ten conference callbacks per room (start,
    // four joins, end, four leaves), an enqueue action per caller saying it hung up.
    assert_eq!(app.requests_to("/status").len(), sids.len());
    let told = |event| count(&app, "/conference", "StatusCallbackEvent", event);
    assert_eq!(told("conference-start"), rooms);
    assert_eq!(told("participant-join"), rooms * PARTICIPANTS);
    assert_eq!(told("participant-leave"), rooms * PARTICIPANTS);
    assert_eq!(told("conference-end"), rooms);
    assert_eq!(app.requests_to("/conference").len(), rooms * 10);
    assert_eq!(count(&app, "/left", "QueueResult", "hangup"), callers);
    assert_eq!(app.requests_to("/left").len(), callers);
    println!(
        "{rooms} conferences of {PARTICIPANTS} and {callers} queued callers ({} calls): placed in {:.1} s, all met by {:.1} s, settled by {:.1} s; {} callbacks, none lost",
        sids.len(),
        placed.as_secs_f64(),
        met.as_secs_f64(),
        settled.as_secs_f64(),
        app.requests().len(),
    );
}
