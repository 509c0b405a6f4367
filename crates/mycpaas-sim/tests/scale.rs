//! A few hundred concurrent calls with every status callback: none is lost.
//! (The 10,000-call run is `cargo run --release -p mycpaas-sim --example scale -- 10000`.)

mod common;

use std::sync::Arc;

use common::{Api, SETTLE};
use mycpaas_sim::webapp::WebApp;
use mycpaas_sim::{Simulator, TimelineEvent};

const CALLS: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_concurrent_calls_lose_no_callback() {
    let sim = Simulator::builder().seed(9).start().await.unwrap();
    let app = WebApp::builder()
        .document(
            "/voice",
            "<Response><Say>Load test</Say><Pause length=\"5\"/><Hangup/></Response>",
        )
        .start()
        .await
        .unwrap();
    let api = Arc::new(Api::new(&sim));
    let voice = app.url("/voice");
    let status = app.url("/status");

    let creates = (0..CALLS).map(|n| {
        let api = Arc::clone(&api);
        let (voice, status) = (voice.clone(), status.clone());
        tokio::spawn(async move {
            let to = format!("+1555{n:07}");
            api.create_ok(&[
                ("To", to.as_str()),
                ("From", "+15550000000"),
                ("Url", voice.as_str()),
                ("StatusCallback", status.as_str()),
                (
                    "StatusCallbackEvent",
                    "initiated ringing answered completed",
                ),
            ])
            .await
        })
    });
    let mut sids = Vec::new();
    for create in futures::future::join_all(creates).await {
        sids.push(create.unwrap());
    }
    assert_eq!(sim.calls_created(), CALLS);

    let mut delivered = 0;
    for sid in &sids {
        let timeline = sim
            .wait_for_call_async(sid, SETTLE)
            .await
            .expect("every call settles");
        assert_eq!(timeline.status, "completed", "{timeline:#?}");
        delivered += timeline
            .callbacks()
            .iter()
            .filter(|c| matches!(c, TimelineEvent::Callback { delivered, .. } if *delivered))
            .count();
    }
    assert_eq!(delivered, CALLS * 4);
    let received = app.requests_to("/status");
    assert_eq!(
        received.len(),
        CALLS * 4,
        "every callback reached the web app once"
    );
    assert_eq!(app.requests_to("/voice").len(), CALLS);
}
