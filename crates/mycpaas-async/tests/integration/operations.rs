//! Every operation of the Calls resource, and the list filters.

use std::time::Duration;

use mycpaas_async::{CallEvent, CallStatus, CreateCall, Direction, ListCalls, UpdateCall};
use mycpaas_laml::{Pause, Response, Say};
use mycpaas_sim::TimelineEvent;
use mycpaas_sim::webapp::WebApp;

use crate::{FROM, HANGUP, TO, client, in_progress, sim, slow_sim, wait_until};

#[tokio::test]
async fn create_fetch_and_delete_a_call() {
    let sim = sim();
    let client = client(&sim);
    let created = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("create");
    assert_eq!(created.to.as_deref(), Some(TO));
    assert_eq!(created.direction, Some(Direction::OutboundApi));
    let fetched = client.calls().fetch(&created.sid).await.expect("fetch");
    assert_eq!(fetched.sid, created.sid);
    wait_until(&client, &created.sid, |c| {
        c.status == Some(CallStatus::Completed)
    })
    .await;
    client.calls().delete(&created.sid).await.expect("delete");
    let gone = client
        .calls()
        .fetch(&created.sid)
        .await
        .expect_err("deleted");
    assert_eq!(gone.status(), Some(404));
}

#[tokio::test]
async fn create_runs_a_voice_url_with_status_callbacks() {
    let sim = sim();
    let app = WebApp::builder()
        .document("/voice", "<Response><Say>Hello</Say><Hangup/></Response>")
        .start_in_background()
        .expect("web app");
    let client = client(&sim);
    let call = client
        .calls()
        .create(
            CreateCall::new(TO, FROM)
                .url(app.url("/voice"))
                .status_callback(app.url("/status"))
                .status_callback_events([
                    CallEvent::Initiated,
                    CallEvent::Ringing,
                    CallEvent::Answered,
                    CallEvent::Completed,
                ]),
        )
        .await
        .expect("create");
    let timeline = sim
        .wait_for_call_async(&call.sid, Duration::from_secs(20))
        .await
        .expect("call settles");
    assert_eq!(timeline.verbs(), ["Say", "Hangup"]);
    let statuses: Vec<_> = app
        .requests_to("/status")
        .iter()
        .filter_map(|r| r.param("CallStatus").map(str::to_owned))
        .collect();
    for status in ["initiated", "ringing", "in-progress", "completed"] {
        assert!(
            statuses.iter().any(|s| s == status),
            "{status} in {statuses:?}"
        );
    }
}

#[tokio::test]
async fn create_and_update_accept_typed_laml() {
    let sim = slow_sim();
    let client = client(&sim);
    let hold = Response::new().pause(Pause::seconds(120));
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(&hold))
        .await
        .expect("create");
    wait_until(&client, &call.sid, in_progress).await;
    let goodbye = Response::new().say(Say::new("Goodbye")).hangup();
    client
        .calls()
        .update(UpdateCall::new(&call.sid).twiml(&goodbye))
        .await
        .expect("update");
    let timeline = sim
        .wait_for_call_async(&call.sid, Duration::from_secs(20))
        .await
        .expect("call settles");
    assert!(timeline.verbs().contains(&"Say"), "{:?}", timeline.verbs());
}

#[tokio::test]
async fn update_redirects_a_live_call_to_a_new_url() {
    let sim = slow_sim();
    let app = WebApp::builder()
        .document("/hold", "<Response><Pause length=\"120\"/></Response>")
        .document(
            "/next",
            "<Response><Say>Redirected</Say><Hangup/></Response>",
        )
        .start_in_background()
        .expect("web app");
    let client = client(&sim);
    let call = client
        .calls()
        .create(CreateCall::new(TO, FROM).url(app.url("/hold")))
        .await
        .expect("create");
    wait_until(&client, &call.sid, in_progress).await;
    client
        .calls()
        .update(UpdateCall::new(&call.sid).url(app.url("/next")))
        .await
        .expect("redirect");
    let timeline = sim
        .wait_for_call_async(&call.sid, Duration::from_secs(20))
        .await
        .expect("call settles");
    let fetched: Vec<_> = timeline
        .documents()
        .into_iter()
        .filter_map(|event| match event {
            TimelineEvent::Document { url, .. } => Some(url.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(fetched, [app.url("/hold"), app.url("/next")]);
}

#[tokio::test]
async fn cancel_and_hangup() {
    let sim = slow_sim();
    let client = client(&sim);
    let ringing = client
        .calls()
        .create(CreateCall::new(mycpaas_sim::magic::NO_ANSWER, FROM).twiml(HANGUP))
        .await
        .expect("create");
    let canceled = client.calls().cancel(&ringing.sid).await.expect("cancel");
    assert_eq!(canceled.status, Some(CallStatus::Canceled));

    let talking = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml("<Response><Pause length=\"120\"/></Response>"))
        .await
        .expect("create");
    wait_until(&client, &talking.sid, in_progress).await;
    let ended = client.calls().hangup(&talking.sid).await.expect("hang up");
    assert_eq!(ended.status, Some(CallStatus::Completed));
}

#[tokio::test]
async fn list_filters_by_to_from_and_status() {
    let sim = sim();
    let client = client(&sim);
    let a = client
        .calls()
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .await
        .expect("create");
    let b = client
        .calls()
        .create(CreateCall::new("+491111111111", "+492222222222").twiml(HANGUP))
        .await
        .expect("create");
    let busy = client
        .calls()
        .create(CreateCall::new(mycpaas_sim::magic::BUSY, FROM).twiml(HANGUP))
        .await
        .expect("create");
    wait_until(&client, &busy.sid, |c| c.status == Some(CallStatus::Busy)).await;
    let sids = |page: mycpaas_async::CallPage| -> Vec<String> {
        page.calls.into_iter().map(|c| c.sid).collect()
    };
    let to = client
        .calls()
        .list(ListCalls::new().to(TO))
        .await
        .expect("list");
    assert_eq!(sids(to), std::slice::from_ref(&a.sid));
    let from = client
        .calls()
        .list(ListCalls::new().from("+492222222222"))
        .await
        .expect("list");
    assert_eq!(sids(from), std::slice::from_ref(&b.sid));
    let status = client
        .calls()
        .list(ListCalls::new().status(CallStatus::Busy))
        .await
        .expect("list");
    assert_eq!(sids(status), std::slice::from_ref(&busy.sid));
}
