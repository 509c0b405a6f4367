//! The Calls API over real HTTP: create, fetch, update, delete, list, both prefixes.

mod common;

use common::{FROM, HANGUP, SETTLE, TO, sim_and_api, start, wait_for_status};
use mycpaas_core::{Call, CallPage};
use mycpaas_sim::Simulator;
use mycpaas_sim::webapp::WebApp;

/// Keeps an answered call in progress for an hour of simulated time.
const LONG_PAUSE: &str = "<Response><Pause length=\"3600\"/><Say>after the pause</Say></Response>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_answers_201_with_the_seed_fields_and_the_rest_of_the_call() {
    let (_sim, api) = sim_and_api().await;
    let answer = api
        .create(&[
            ("To", TO),
            ("From", FROM),
            ("Url", "https://example.com/voice.xml"),
        ])
        .await;
    assert_eq!(answer.status, 201);
    assert_eq!(answer.headers["content-type"], "application/json");
    let body = &answer.body;
    let sid = body["sid"].as_str().unwrap();
    assert!(sid.starts_with("CA") && sid.len() == 34, "{sid}");
    assert_eq!(body["to"], TO);
    assert_eq!(body["from"], FROM);
    assert_eq!(body["status"], "queued");
    assert_eq!(body["direction"], "outbound-api");
    assert_eq!(body["account_sid"], api.sid.as_str());
    assert_eq!(body["api_version"], "2010-04-01");
    assert_eq!(
        body["uri"],
        format!("/api/laml/2010-04-01/Accounts/{}/Calls/{sid}.json", api.sid)
    );
    // Dates as in the seed: `2026-04-19T10:00:00Z`.
    let created = body["date_created"].as_str().unwrap();
    assert_eq!(created.len(), 20, "{created}");
    assert!(created.ends_with('Z') && created.as_bytes()[10] == b'T');
    for field in [
        "date_updated",
        "start_time",
        "end_time",
        "duration",
        "price",
        "parent_call_sid",
        "subresource_uris",
    ] {
        assert!(body.get(field).is_some(), "{field} present");
    }
    // Core's model reads it back.
    let call: Call = serde_json::from_value(answer.body.clone()).unwrap();
    assert_eq!(call.sid, sid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_prefixes_serve_the_same_calls_and_links_follow_the_prefix() {
    let (_sim, api) = sim_and_api().await;
    let short = format!("/2010-04-01/Accounts/{}/Calls.json", api.sid);
    let answer = api
        .post(&short, &[("To", TO), ("From", FROM), ("Twiml", HANGUP)])
        .await;
    assert_eq!(answer.status, 201);
    let sid = answer.body["sid"].as_str().unwrap().to_owned();
    assert_eq!(
        answer.body["uri"],
        format!("/2010-04-01/Accounts/{}/Calls/{sid}.json", api.sid)
    );
    let fetched = api.get(&api.call_path(&sid)).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body["sid"], sid.as_str());
    let listed = api.get(&short).await;
    assert!(
        listed.body["uri"]
            .as_str()
            .unwrap()
            .starts_with("/2010-04-01/")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_callback_event_is_accepted_space_separated_and_as_repeated_keys() {
    let (sim, api) = sim_and_api().await;
    let app = WebApp::builder().start().await.unwrap();
    let status = app.url("/status");
    let one = api
        .create_call(&[
            ("Twiml", HANGUP),
            ("StatusCallback", &status),
            (
                "StatusCallbackEvent",
                "initiated ringing answered completed",
            ),
        ])
        .await;
    let repeated = api
        .create_call(&[
            ("Twiml", HANGUP),
            ("StatusCallback", &status),
            ("StatusCallbackEvent", "initiated"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
            ("StatusCallbackEvent", "completed"),
        ])
        .await;
    for call in [&one, &repeated] {
        sim.wait_for_call_async(call, SETTLE).await.unwrap();
        let mut statuses: Vec<_> = app
            .requests_to("/status")
            .into_iter()
            .filter(|r| r.param("CallSid") == Some(call.as_str()))
            .map(|r| r.param("CallStatus").unwrap().to_owned())
            .collect();
        statuses.sort();
        assert_eq!(
            statuses,
            ["completed", "in-progress", "initiated", "ringing"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_filters_and_pages_with_links() {
    let (sim, api) = sim_and_api().await;
    let mut to_a = Vec::new();
    for _ in 0..5 {
        to_a.push(
            api.create_ok(&[("To", "+15550000001"), ("From", FROM), ("Twiml", HANGUP)])
                .await,
        );
    }
    let mut to_b = Vec::new();
    for _ in 0..3 {
        to_b.push(
            api.create_ok(&[
                ("To", "+15550000002"),
                ("From", "+15550000009"),
                ("Twiml", HANGUP),
            ])
            .await,
        );
    }
    let busy = api
        .create_ok(&[
            ("To", mycpaas_sim::magic::BUSY),
            ("From", FROM),
            ("Twiml", HANGUP),
        ])
        .await;
    sim.wait_for_call_async(&busy, SETTLE).await.unwrap();
    for sid in to_a.iter().chain(&to_b) {
        sim.wait_for_call_async(sid, SETTLE).await.unwrap();
    }

    // Seed envelope plus links; newest first.
    let page = api
        .get(&format!(
            "{}?To=%2B15550000001&PageSize=2",
            api.calls_path()
        ))
        .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body["page"], 0);
    assert_eq!(page.body["page_size"], 2);
    let sids: Vec<_> = page.body["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sid"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sids, [to_a[4].clone(), to_a[3].clone()]);
    assert!(page.body["previous_page_uri"].is_null());
    assert!(
        page.body["first_page_uri"]
            .as_str()
            .unwrap()
            .contains("Page=0")
    );
    assert!(
        page.body["uri"]
            .as_str()
            .unwrap()
            .contains("To=%2B15550000001")
    );

    // Follow next_page_uri to the end.
    let mut seen = sids;
    let mut next = page.body["next_page_uri"].as_str().map(str::to_owned);
    let mut pages = 1;
    while let Some(uri) = next {
        let page = api.get(&uri).await;
        assert_eq!(page.status, 200);
        let parsed: CallPage = serde_json::from_value(page.body.clone()).unwrap();
        assert!(parsed.previous_page_uri.is_some());
        seen.extend(parsed.calls.iter().map(|c| c.sid.clone()));
        next = parsed.next_page_uri;
        pages += 1;
    }
    assert_eq!(pages, 3);
    let mut expected = to_a.clone();
    expected.reverse();
    assert_eq!(seen, expected);

    // Page beyond the end is empty, without a next link.
    let page = api
        .get(&format!("{}?PageSize=50&Page=7", api.calls_path()))
        .await;
    assert_eq!(page.body["calls"].as_array().unwrap().len(), 0);
    assert!(page.body["next_page_uri"].is_null());

    // Other filters.
    let count = |query: String| {
        let api = api.clone();
        async move {
            let page = api.get(&format!("{}?{query}", api.calls_path())).await;
            assert_eq!(page.status, 200, "{query}: {:?}", page.body);
            page.body["calls"].as_array().unwrap().len()
        }
    };
    assert_eq!(count("From=%2B15550000009".into()).await, 3);
    assert_eq!(count("Status=busy".into()).await, 1);
    assert_eq!(count("ParentCallSid=CA123".into()).await, 0);
    let today = time::OffsetDateTime::now_utc().date();
    let tomorrow = today.next_day().unwrap();
    let yesterday = today.previous_day().unwrap();
    // Answered calls have a start time; the busy one does not.
    assert_eq!(count(format!("StartTime%3E={yesterday}")).await, 8);
    assert_eq!(count(format!("StartTime%3C={tomorrow}")).await, 8);
    assert_eq!(count(format!("StartTime%3C={yesterday}")).await, 0);
    assert_eq!(
        count(format!("EndTime%3E={yesterday}&EndTime%3C={tomorrow}")).await,
        9
    );
    assert_eq!(count("EndTime=2001-01-01".into()).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canceled_ends_only_unanswered_calls_and_completed_hangs_up_any() {
    // Slow enough that an unanswered call stays queued while the test acts on it.
    let (slow, api) = start(Simulator::builder().speed(0.001)).await;
    let app = WebApp::builder().start().await.unwrap();
    let status = app.url("/status");
    let call = api
        .create_call(&[("Twiml", HANGUP), ("StatusCallback", &status)])
        .await;
    let answer = api
        .post(&api.call_path(&call), &[("Status", "canceled")])
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["status"], "canceled");
    let timeline = slow.wait_for_call_async(&call, SETTLE).await.unwrap();
    assert_eq!(timeline.statuses(), ["queued", "canceled"]);
    let callbacks = app.requests_to("/status");
    assert_eq!(callbacks.len(), 1);
    assert_eq!(callbacks[0].param("CallStatus"), Some("canceled"));

    let call = api.create_call(&[("Twiml", HANGUP)]).await;
    let answer = api
        .post(&api.call_path(&call), &[("Status", "completed")])
        .await;
    assert_eq!(answer.body["status"], "completed");

    // In progress: canceled has no effect, completed hangs up.
    let (sim, api) = sim_and_api().await;
    let mut events = sim.events();
    let call = api.create_call(&[("Twiml", LONG_PAUSE)]).await;
    wait_for_status(&mut events, &call, "in-progress").await;
    // (Status asked for, status answered)
    for (asked, answered) in [("canceled", "in-progress"), ("completed", "completed")] {
        let answer = api.post(&api.call_path(&call), &[("Status", asked)]).await;
        assert_eq!(
            (answer.status, answer.body["status"].as_str()),
            (200, Some(answered)),
            "Status={asked}"
        );
    }
    let timeline = sim.wait_for_call_async(&call, SETTLE).await.unwrap();
    assert_eq!(
        timeline.verbs(),
        ["Pause"],
        "the document stopped at the hang-up"
    );
    let fetched = api.get(&api.call_path(&call)).await;
    assert!(fetched.body["end_time"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_redirects_an_in_progress_call_by_twiml_or_url() {
    let (sim, api) = sim_and_api().await;
    let app = WebApp::builder()
        .document(
            "/next",
            "<Response><Say>Moved here</Say><Hangup/></Response>",
        )
        .start()
        .await
        .unwrap();
    let mut events = sim.events();

    let call = api.create_call(&[("Twiml", LONG_PAUSE)]).await;
    wait_for_status(&mut events, &call, "in-progress").await;
    let answer = api
        .post(
            &api.call_path(&call),
            &[("Twiml", "<Response><Say>Redirected inline</Say></Response>")],
        )
        .await;
    assert_eq!(answer.status, 200);
    let timeline = sim.wait_for_call_async(&call, SETTLE).await.unwrap();
    assert_eq!(timeline.status, "completed");
    assert_eq!(timeline.verbs(), ["Pause", "Say"]);

    let call = api.create_call(&[("Twiml", LONG_PAUSE)]).await;
    wait_for_status(&mut events, &call, "in-progress").await;
    let next = app.url("/next");
    let answer = api
        .post(&api.call_path(&call), &[("Url", &next), ("Method", "GET")])
        .await;
    assert_eq!(answer.status, 200);
    let timeline = sim.wait_for_call_async(&call, SETTLE).await.unwrap();
    assert_eq!(timeline.verbs(), ["Pause", "Say", "Hangup"]);
    assert_eq!(app.requests_to("/next")[0].method, "GET");

    // Before answer, a redirect replaces the instructions used at answer.
    let (_slow, slow_api) = start(Simulator::builder().speed(0.001)).await;
    let call = slow_api.create_call(&[("Twiml", HANGUP)]).await;
    let answer = slow_api
        .post(&slow_api.call_path(&call), &[("Url", &next)])
        .await;
    assert_eq!(
        (answer.status, answer.body["status"].as_str()),
        (200, Some("queued"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_ended_calls_and_refuses_live_ones() {
    let (sim, api) = sim_and_api().await;
    let mut events = sim.events();
    let live = api.create_call(&[("Twiml", LONG_PAUSE)]).await;
    wait_for_status(&mut events, &live, "in-progress").await;
    let answer = api.delete(&api.call_path(&live)).await;
    assert_eq!((answer.status, answer.code()), (400, Some(21220)));

    let ended = api.create_call(&[("Twiml", HANGUP)]).await;
    sim.wait_for_call_async(&ended, SETTLE).await.unwrap();
    let answer = api.delete(&api.call_path(&ended)).await;
    assert_eq!(answer.status, 204);
    assert!(answer.body.is_null(), "204 has an empty body");
    assert_eq!(api.get(&api.call_path(&ended)).await.status, 404);
    assert_eq!(api.delete(&api.call_path(&ended)).await.status, 404);
    api.post(&api.call_path(&live), &[("Status", "completed")])
        .await;
}
