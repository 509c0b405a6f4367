//! Web apps that misbehave: an answer that never ends, redirects to another host, a status
//! callback endpoint that takes ten seconds. The simulator stays within its bounds and other
//! calls do not notice.

mod common;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::any;
use common::{FROM, Program, SETTLE, serve, sim_and_api};
use futures::StreamExt as _;
use mycpaas_sim::webapp::{WebApp, WebReply};
use mycpaas_sim::{Timeline, TimelineEvent};

/// The acceptance bound on the simulator's memory while an endless answer arrives.
const RSS_BOUND: u64 = 100 * 1024 * 1024;

/// Waits until the program's call has settled; its timeline.
async fn settled(program: &Program, call: &str) -> Timeline {
    let deadline = Instant::now() + SETTLE;
    loop {
        let timeline = program.timeline(call).await;
        if timeline.settled {
            return timeline;
        }
        assert!(
            Instant::now() < deadline,
            "the call did not settle: {timeline:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The error of the call's first document request.
fn document_error(timeline: &Timeline) -> (Option<u16>, String) {
    match timeline.documents().first() {
        Some(TimelineEvent::Document {
            http_status, error, ..
        }) => (*http_status, error.clone().unwrap_or_default()),
        other => panic!("no document request: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_answer_is_read_up_to_the_document_cap_and_no_further() {
    let program = Program::start(&[], None);
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let endless = Router::new().route(
        "/voice",
        any(move || {
            let counter = Arc::clone(&counter);
            async move {
                let chunk = Bytes::from(vec![b'a'; 64 * 1024]);
                let opening = futures::stream::once(async {
                    Ok::<_, Infallible>(Bytes::from_static(b"<Response><Say>"))
                });
                let forever = futures::stream::repeat_with(move || {
                    counter.fetch_add(chunk.len(), Ordering::Relaxed);
                    Ok(chunk.clone())
                });
                (
                    [(header::CONTENT_TYPE, "text/xml")],
                    Body::from_stream(opening.chain(forever)),
                )
            }
        }),
    );
    let app = serve(endless, [127, 0, 0, 1]).await;
    let before = program.peak_rss_bytes();
    let api = program.api();
    let voice = format!("http://{app}/voice");
    let call = api.create_call(&[("Url", &voice)]).await;
    let timeline = settled(&program, &call).await;
    let peak = program.peak_rss_bytes();

    assert_eq!(timeline.status, "failed");
    let (status, error) = document_error(&timeline);
    assert_eq!(status, None, "{error}");
    assert!(
        error.contains("larger than 1048576 bytes (the document cap)"),
        "{error}"
    );
    println!(
        "endless answer: the app wrote {} KiB before the simulator hung up; simulator peak RSS {} MiB (before the call {} MiB)",
        sent.load(Ordering::Relaxed) / 1024,
        peak / (1024 * 1024),
        before / (1024 * 1024)
    );
    assert!(
        peak < RSS_BOUND,
        "simulator peak RSS {peak} bytes, bound {RSS_BOUND}"
    );
}

/// A route answering `status` with `Location: location`.
fn redirect(status: u16, location: String) -> axum::routing::MethodRouter {
    any(move || {
        let location = location.clone();
        async move {
            let status = StatusCode::from_u16(status).unwrap();
            (status, [(header::LOCATION, location)]).into_response()
        }
    })
}

/// A route that counts its requests and answers an empty document.
fn counted(hits: &Arc<AtomicUsize>) -> axum::routing::MethodRouter {
    let hits = Arc::clone(hits);
    any(move || {
        hits.fetch_add(1, Ordering::Relaxed);
        async { ([(header::CONTENT_TYPE, "text/xml")], "<Response/>") }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_do_not_follow_redirects_to_another_host_or_the_same() {
    // "Another host": a second loopback address, which counts every request it gets.
    let stolen = Arc::new(AtomicUsize::new(0));
    let elsewhere = serve(Router::new().fallback(counted(&stolen)), [127, 0, 0, 2]).await;
    let away = format!("http://{elsewhere}/collect");
    let same_host_hits = Arc::new(AtomicUsize::new(0));
    let app = serve(
        Router::new()
            .route("/voice", redirect(307, away.clone()))
            .route("/status", redirect(308, away.clone()))
            .route("/same-host", redirect(302, "/voice-here".to_owned()))
            .route("/voice-here", counted(&same_host_hits)),
        [127, 0, 0, 1],
    )
    .await;
    let (sim, api) = sim_and_api().await;

    let voice = format!("http://{app}/voice");
    let status = format!("http://{app}/status");
    let call = api
        .create_call(&[("Url", &voice), ("StatusCallback", &status)])
        .await;
    let timeline = sim.wait_for_call_async(&call, SETTLE).await.unwrap();
    assert_eq!(timeline.status, "failed");
    let (http_status, error) = document_error(&timeline);
    assert_eq!(http_status, Some(307));
    assert!(
        error.contains(&format!("HTTP 307 to {away}; redirects are not followed")),
        "{error}"
    );
    let callbacks = timeline.callbacks();
    assert_eq!(callbacks.len(), 3, "{callbacks:?}");
    for callback in callbacks {
        assert!(
            matches!(
                callback,
                TimelineEvent::Callback {
                    http_status: Some(308),
                    delivered: false,
                    ..
                }
            ),
            "{callback:?}"
        );
    }

    let same_host = format!("http://{app}/same-host");
    let call = api.create_call(&[("Url", &same_host)]).await;
    let timeline = sim.wait_for_call_async(&call, SETTLE).await.unwrap();
    let (http_status, error) = document_error(&timeline);
    assert_eq!(http_status, Some(302));
    assert!(
        error.contains(&format!("http://{app}/voice-here")),
        "{error}"
    );

    assert_eq!(
        stolen.load(Ordering::Relaxed),
        0,
        "a webhook reached the other host"
    );
    assert_eq!(same_host_hits.load(Ordering::Relaxed), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_second_status_callback_endpoint_does_not_delay_other_calls() {
    const SLOW: Duration = Duration::from_secs(10);
    let (entered, callback_started) = std::sync::mpsc::channel();
    let entered = std::sync::Mutex::new(entered);
    let app = WebApp::builder()
        .reply("/slow-status", move |_| {
            let _ = entered.lock().unwrap().send(());
            std::thread::sleep(SLOW);
            WebReply::status(200)
        })
        .document("/voice", "<Response><Say>Hi</Say></Response>")
        .start_in_background()
        .unwrap();
    let (sim, api) = sim_and_api().await;
    let (voice, status) = (app.url("/voice"), app.url("/slow-status"));
    api.create_call(&[
        ("Url", &voice),
        ("StatusCallback", &status),
        (
            "StatusCallbackEvent",
            "initiated ringing answered completed",
        ),
    ])
    .await;
    tokio::task::spawn_blocking(move || callback_started.recv_timeout(SETTLE))
        .await
        .unwrap()
        .expect("the slow endpoint is being called");

    let mut events = sim.events();
    let started = Instant::now();
    let other = api
        .create_ok(&[("To", "+15551230001"), ("From", FROM), ("Url", &voice)])
        .await;
    let fetched = loop {
        let event = tokio::time::timeout(SETTLE, events.recv())
            .await
            .expect("the other call goes on")
            .unwrap();
        if event.call_sid == other && matches!(event.entry.event, TimelineEvent::Document { .. }) {
            break started.elapsed();
        }
    };
    println!(
        "another call's document fetched {fetched:?} after its create, while a callback takes {SLOW:?}"
    );
    assert!(fetched < Duration::from_millis(500), "{fetched:?}");
    let timeline = sim.wait_for_call_async(&other, SETTLE).await.unwrap();
    assert_eq!(timeline.status, "completed");
}
