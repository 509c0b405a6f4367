//! `<Enqueue>` in the simulator: callers wait in a queue hearing its `waitUrl`, the queue and its
//! members read their sizes, positions and waits through the API, and each way out of the queue
//! (a hang-up, `<Leave>`, a full queue, the API's dequeue, a `<Dial><Queue>` bridge) reaches the
//! `<Enqueue action>` with its `QueueResult`, signed.

use std::time::Duration;

use mycpaas_blocking::Client;
use mycpaas_core::webhook::{QueueRequest, validate_signature};
use mycpaas_core::{
    ConferenceStatus, CreateCall, CreateQueue, DequeueQueueMember, Error, ListConferences,
    ListQueueMembers, Member, QueueResult,
};
use mycpaas_sim::webapp::{ReceivedRequest, WebApp, WebAppHandle};
use mycpaas_sim::{SimHandle, Simulator};
use mycpaas_tests::wait::eventually;

struct Setup {
    sim: SimHandle,
    app: WebAppHandle,
    client: Client,
}

fn setup(seed: u64) -> Setup {
    let sim = Simulator::builder()
        .seed(seed)
        // Slow enough that a caller is still waiting when the test looks.
        .speed(50.0)
        .start_in_background()
        .expect("the simulator");
    let app = WebApp::builder()
        .document("/wait", r#"<Response><Pause length="30"/></Response>"#)
        .document("/left", "<Response><Hangup/></Response>")
        .document(
            "/whisper",
            "<Response><Say>A caller for you.</Say></Response>",
        )
        .document("/agent-after", "<Response><Hangup/></Response>")
        .document(
            "/leave-wait",
            "<Response><Say>Leaving.</Say><Leave/></Response>",
        )
        .document("/taken", r#"<Response><Pause length="600"/></Response>"#)
        .start_in_background()
        .expect("the web app");
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client");
    Setup { sim, app, client }
}

fn enqueue(app: &WebAppHandle, queue: &str, wait: &str) -> String {
    format!(
        r#"<Response><Enqueue action="{}" waitUrl="{}">{queue}</Enqueue></Response>"#,
        app.url("/left"),
        app.url(wait)
    )
}

fn call(setup: &Setup, from: &str, twiml: String) -> String {
    setup
        .client
        .calls()
        .create(CreateCall::new("+15559870000", from).twiml(twiml))
        .expect("a call")
        .sid
}

fn members(setup: &Setup, queue: &str) -> Vec<Member> {
    setup
        .client
        .members()
        .list(ListQueueMembers::new(queue))
        .expect("the members")
        .queue_members
}

/// How the `<Enqueue action>` request says the call left, read typed.
fn result_of(request: &ReceivedRequest) -> QueueResult {
    let typed = QueueRequest::from_pairs(request.params.clone()).expect("a typed queue request");
    assert!(
        typed.queue_sid.is_some() && typed.queue_time.is_some(),
        "{typed:?}"
    );
    assert!(typed.extra.is_empty(), "{typed:?}");
    typed.queue_result.expect("a QueueResult")
}

/// The `<Enqueue action>` request of `call`, once it came.
fn left(setup: &Setup, call: &str) -> ReceivedRequest {
    eventually("the enqueue action", || {
        setup
            .app
            .requests_to("/left")
            .into_iter()
            .find(|r| r.param("CallSid") == Some(call))
    })
}

fn assert_signed(setup: &Setup, request: &ReceivedRequest) {
    let signature = request.signature.as_deref().unwrap_or_default();
    assert!(
        validate_signature(
            &request.full_url,
            request.signed_params(),
            signature,
            &setup.sim.auth_token()
        ),
        "{request:?}"
    );
}

#[test]
fn callers_wait_in_order_and_every_way_out_reaches_the_action() {
    let setup = setup(71);
    let callers: Vec<String> = (1..=4)
        .map(|n| {
            let sid = call(
                &setup,
                &format!("+1555123000{n}"),
                enqueue(&setup.app, "support", "/wait"),
            );
            // In this order: each is in before the next is placed.
            eventually("the caller in the queue", || {
                let queue = setup
                    .client
                    .queues()
                    .list(mycpaas_core::ListQueues::new())
                    .ok()?;
                let queue = queue.queues.into_iter().next()?;
                let members = members(&setup, &queue.sid);
                members.iter().any(|m| m.call_sid == sid).then_some(())
            });
            sid
        })
        .collect();
    let queue = setup
        .client
        .queues()
        .list(mycpaas_core::ListQueues::new())
        .expect("list");
    assert_eq!(queue.queues.len(), 1, "the first <Enqueue> made the queue");
    let queue = &queue.queues[0];
    assert_eq!(queue.friendly_name.as_deref(), Some("support"));
    assert_eq!(queue.max_size, Some(100));

    // Members front first, positions from 1; the queue's average is of their waits.
    let now = members(&setup, &queue.sid);
    let order: Vec<&str> = now.iter().map(|m| m.call_sid.as_str()).collect();
    assert_eq!(
        order,
        callers.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let positions: Vec<Option<u64>> = now.iter().map(|m| m.position).collect();
    assert_eq!(positions, [Some(1), Some(2), Some(3), Some(4)]);
    assert!(
        now.iter()
            .all(|m| m.queue_sid.as_deref() == Some(queue.sid.as_str()))
    );
    let fetched = setup.client.queues().fetch(&queue.sid).expect("fetch");
    assert_eq!(fetched.current_size, Some(4));
    let front = setup
        .client
        .members()
        .fetch(&queue.sid, "Front")
        .expect("front");
    assert_eq!(front.call_sid, callers[0]);
    let waits: Vec<u64> = members(&setup, &queue.sid)
        .iter()
        .map(|m| m.wait_time.expect("a wait"))
        .collect();
    assert!(waits.windows(2).all(|w| w[0] >= w[1]), "{waits:?}");
    // The waitUrl request says where the caller stands.
    let wait = setup
        .app
        .requests_to("/wait")
        .into_iter()
        .find(|r| r.param("CallSid") == Some(callers[2].as_str()))
        .expect("caller 3 heard the wait document");
    let typed = QueueRequest::from_pairs(wait.params.clone()).expect("typed");
    assert_eq!(typed.queue_sid.as_deref(), Some(queue.sid.as_str()));
    assert_eq!(
        (typed.queue_position, typed.current_queue_size),
        (Some(3), Some(3))
    );
    assert!(typed.avg_queue_time.is_some() && typed.queue_time.is_some());
    assert!(
        typed.queue_result.is_none() && typed.extra.is_empty(),
        "{typed:?}"
    );
    assert_signed(&setup, &wait);

    // Caller 2 gives up.
    setup.client.calls().hangup(&callers[1]).expect("hang up");
    let gave_up = left(&setup, &callers[1]);
    assert_eq!(result_of(&gave_up), QueueResult::Hangup);
    assert_eq!(gave_up.param("QueueSid"), Some(queue.sid.as_str()));
    assert_signed(&setup, &gave_up);
    let order: Vec<(String, Option<u64>)> = members(&setup, &queue.sid)
        .into_iter()
        .map(|m| (m.call_sid, m.position))
        .collect();
    assert_eq!(
        order,
        [
            (callers[0].clone(), Some(1)),
            (callers[2].clone(), Some(2)),
            (callers[3].clone(), Some(3)),
        ]
    );

    // An agent dials the queue and takes the front caller: they meet in a conference named
    // after the agent's call.
    let agent = call(
        &setup,
        "+15550000001",
        format!(
            r#"<Response><Dial action="{}"><Queue url="{}">support</Queue></Dial></Response>"#,
            setup.app.url("/agent-after"),
            setup.app.url("/whisper")
        ),
    );
    let whisper = eventually("the dequeued caller's url", || {
        setup.app.requests_to("/whisper").into_iter().next()
    });
    let typed = QueueRequest::from_pairs(whisper.params.clone()).expect("typed");
    assert_eq!(typed.call.call_sid.as_deref(), Some(callers[0].as_str()));
    assert_eq!(typed.dequeueing_call_sid.as_deref(), Some(agent.as_str()));
    assert_eq!(typed.queue_sid.as_deref(), Some(queue.sid.as_str()));
    assert_signed(&setup, &whisper);
    let bridge = eventually("the bridge", || {
        setup
            .client
            .conferences()
            .list(
                ListConferences::new()
                    .friendly_name(&agent)
                    .status(ConferenceStatus::InProgress),
            )
            .ok()?
            .conferences
            .into_iter()
            .next()
    });
    assert!(bridge.sid.starts_with("CF"));
    assert_eq!(members(&setup, &queue.sid).len(), 2);

    // The API takes caller 3 out to another document.
    let dequeued = setup
        .client
        .members()
        .dequeue(DequeueQueueMember::new(
            &queue.sid,
            &callers[2],
            setup.app.url("/taken"),
        ))
        .expect("dequeue");
    assert_eq!(dequeued.call_sid, callers[2]);
    assert_eq!(dequeued.position, Some(1));
    assert_eq!(
        result_of(&left(&setup, &callers[2])),
        QueueResult::Redirected
    );
    eventually("the dequeued call's new document", || {
        setup
            .app
            .requests_to("/taken")
            .into_iter()
            .find(|r| r.param("CallSid") == Some(callers[2].as_str()))
    });
    let gone = setup.client.members().fetch(&queue.sid, &callers[2]);
    assert!(
        matches!(&gone, Err(Error::Api(api)) if api.status == 404),
        "{gone:?}"
    );

    // The agent hangs up: the bridge ends, the caller's action hears `bridged`, the agent's
    // dial action names the caller.
    setup.client.calls().hangup(&agent).expect("hang up");
    let bridged = left(&setup, &callers[0]);
    assert_eq!(result_of(&bridged), QueueResult::Bridged);
    for sid in [&agent, &callers[0]] {
        setup
            .sim
            .wait_for_call(sid, Duration::from_secs(30))
            .expect("the call ends");
    }
    let fetched = setup.client.queues().fetch(&queue.sid).expect("fetch");
    assert_eq!(fetched.current_size, Some(1));
    setup.client.calls().hangup(&callers[3]).expect("hang up");
    assert_eq!(result_of(&left(&setup, &callers[3])), QueueResult::Hangup);
    eventually("an empty queue", || {
        let queue = setup.client.queues().fetch(&queue.sid).ok()?;
        (queue.current_size == Some(0)).then_some(())
    });
    setup
        .client
        .queues()
        .delete(&queue.sid)
        .expect("an empty queue is deleted");
}

#[test]
fn a_full_queue_refuses_and_leave_takes_a_caller_out() {
    let setup = setup(72);
    let tiny = setup
        .client
        .queues()
        .create(CreateQueue::new("tiny").max_size(1))
        .expect("a queue");
    let first = call(&setup, "+15551230001", enqueue(&setup.app, "tiny", "/wait"));
    eventually("the first caller waits", || {
        (members(&setup, &tiny.sid).len() == 1).then_some(())
    });
    let second = call(&setup, "+15551230002", enqueue(&setup.app, "tiny", "/wait"));
    let refused = left(&setup, &second);
    assert_eq!(result_of(&refused), QueueResult::QueueFull);
    assert_eq!(refused.param("QueueTime"), Some("0"));
    assert_eq!(members(&setup, &tiny.sid).len(), 1);
    // The queue holds a call: it cannot be deleted.
    let busy = setup.client.queues().delete(&tiny.sid);
    assert!(
        matches!(&busy, Err(Error::Api(api)) if api.code == Some(22001)),
        "{busy:?}"
    );
    setup.client.calls().hangup(&first).expect("hang up");

    let leaving = call(
        &setup,
        "+15551230003",
        enqueue(&setup.app, "elsewhere", "/leave-wait"),
    );
    let out = left(&setup, &leaving);
    assert_eq!(result_of(&out), QueueResult::Leave);
    let timeline = setup
        .sim
        .wait_for_call(&leaving, Duration::from_secs(30))
        .expect("the call ends");
    assert!(
        timeline.verbs().contains(&"Leave"),
        "{:?}",
        timeline.verbs()
    );
}

#[test]
fn dialing_an_empty_queue_gives_up_after_the_timeout() {
    let setup = setup(73);
    let agent = call(
        &setup,
        "+15550000001",
        format!(
            r#"<Response><Dial timeout="5" action="{}"><Queue>nobody</Queue></Dial></Response>"#,
            setup.app.url("/agent-after")
        ),
    );
    let after = eventually("the dial action", || {
        setup.app.requests_to("/agent-after").into_iter().next()
    });
    assert_eq!(after.param("CallSid"), Some(agent.as_str()));
    assert_eq!(after.param("DialCallStatus"), Some("no-answer"));
}

#[test]
fn a_caller_whose_agent_hangs_up_during_the_whisper_is_not_left_alone() {
    let setup = setup(74);
    let caller = call(
        &setup,
        "+15551230001",
        enqueue(&setup.app, "support", "/wait"),
    );
    eventually("the caller waits", || {
        let queue = setup
            .client
            .queues()
            .list(mycpaas_core::ListQueues::new())
            .ok()?;
        let queue = queue.queues.into_iter().next()?;
        (members(&setup, &queue.sid).len() == 1).then_some(())
    });
    let agent = call(
        &setup,
        "+15550000001",
        format!(
            r#"<Response><Dial><Queue url="{}">support</Queue></Dial></Response>"#,
            setup.app.url("/whisper")
        ),
    );
    eventually("the whisper", || {
        setup.app.requests_to("/whisper").into_iter().next()
    });
    setup.client.calls().hangup(&agent).expect("hang up");
    assert_eq!(result_of(&left(&setup, &caller)), QueueResult::Bridged);
    setup
        .sim
        .wait_for_call(&caller, Duration::from_secs(30))
        .expect("the caller's call goes on to its action and ends");
}
