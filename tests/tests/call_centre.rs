//! A call centre on the simulator: three callers ring the support number and wait in its queue
//! with hold music; an agent's call dials the queue and takes the first; a supervisor is added to
//! the bridge muted and then unmuted through the API; one caller gives up, the one helped hangs up
//! and the agent goes on. The queue's size and
//! average wait and the members' positions read right at each step, and every webhook the app
//! receives is signed and reads typed.

use std::time::Duration;

use mycpaas_blocking::Client;
use mycpaas_core::webhook::{
    DialResult, QueueRequest, StatusCallback, VoiceRequest, validate_signature,
};
use mycpaas_core::{
    ConferenceStatus, CreateCall, CreateIncomingPhoneNumber, CreateParticipant, ListConferences,
    ListParticipants, ListQueueMembers, Member, Queue, QueueResult, UpdateParticipant,
};
use mycpaas_sim::Simulator;
use mycpaas_sim::webapp::{ReceivedRequest, WebApp, WebAppHandle};
use mycpaas_tests::wait::eventually;

const SUPPORT: &str = "+15557000100";
const CALLERS: [&str; 3] = ["+15551230001", "+15551230002", "+15551230003"];
const AGENT: &str = "+15557000200";
const SUPERVISOR: &str = "+15557000300";

fn app() -> WebAppHandle {
    WebApp::builder()
        // Relative URLs resolve against the document's own.
        .document(
            "/support",
            r#"<Response><Enqueue action="/left" waitUrl="/hold-music">support</Enqueue></Response>"#,
        )
        .document("/hold-music", r#"<Response><Play>https://example.com/music.mp3</Play><Pause length="20"/></Response>"#)
        .document("/left", "<Response><Say>Goodbye.</Say><Hangup/></Response>")
        .document("/whisper", "<Response><Say>A caller from the support line.</Say></Response>")
        .document("/agent-done", "<Response><Hangup/></Response>")
        .start_in_background()
        .expect("the web app")
}

struct Centre {
    client: Client,
    app: WebAppHandle,
    token: String,
}

impl Centre {
    /// The support queue, once the first `<Enqueue>` has made it.
    fn queue(&self) -> Option<Queue> {
        let page = self
            .client
            .queues()
            .list(mycpaas_core::ListQueues::new())
            .expect("the queues");
        page.queues.into_iter().next()
    }

    fn members(&self, queue: &str) -> Vec<Member> {
        self.client
            .members()
            .list(ListQueueMembers::new(queue))
            .expect("the members")
            .queue_members
    }

    /// The requests of `call` to `path`.
    fn requests(&self, path: &str, call: &str) -> Vec<ReceivedRequest> {
        self.app
            .requests_to(path)
            .into_iter()
            .filter(|r| r.param("CallSid") == Some(call))
            .collect()
    }

    /// The queue, once its members are `calls` in this order: their positions, and its size and
    /// average wait, read right.
    fn check_queue(&self, calls: &[&str]) -> Queue {
        let queue = eventually("the queue's members", || {
            let queue = self.queue()?;
            let members = self.members(&queue.sid);
            let order: Vec<&str> = members.iter().map(|m| m.call_sid.as_str()).collect();
            (order == calls).then_some(queue)
        });
        let members = self.members(&queue.sid);
        let positions: Vec<Option<u64>> = members.iter().map(|m| m.position).collect();
        let expected: Vec<Option<u64>> = (1..=calls.len() as u64).map(Some).collect();
        assert_eq!(positions, expected);
        let waits: Vec<u64> = members.iter().map(|m| m.wait_time.unwrap_or(0)).collect();
        // The earlier in, the longer waited.
        assert!(waits.windows(2).all(|w| w[0] >= w[1]), "{waits:?}");
        let fetched = self.client.queues().fetch(&queue.sid).expect("the queue");
        assert_eq!(fetched.current_size, Some(calls.len() as u64));
        let average = fetched.average_wait_time.expect("an average wait");
        // Read a moment after the members: between their shortest and longest wait, give or take
        // the second that may have passed meanwhile.
        if let (Some(&shortest), Some(&longest)) = (waits.last(), waits.first()) {
            assert!(
                shortest <= average + 1 && average <= longest + 1,
                "average {average} of {waits:?}"
            );
        } else {
            assert_eq!(average, 0);
        }
        fetched
    }
}

#[test]
fn a_call_centre_queues_callers_and_an_agent_takes_them_with_a_supervisor() {
    let sim = Simulator::builder()
        .seed(90)
        .speed(50.0)
        .start_in_background()
        .expect("the simulator");
    let app = app();
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
    let centre = Centre {
        client,
        app,
        token: sim.auth_token(),
    };

    // Three callers ring the support line, one after the other, and wait with hold music.
    let mut callers = Vec::new();
    for (n, caller) in CALLERS.iter().enumerate() {
        callers.push(sim.call_in(SUPPORT, caller).expect("a caller rings"));
        let waiting: Vec<&str> = callers.iter().map(String::as_str).collect();
        centre.check_queue(&waiting);
        eventually("the hold music", || {
            centre
                .requests("/hold-music", &callers[n])
                .into_iter()
                .next()
        });
    }
    let queue = centre.queue().expect("the support queue");
    assert_eq!(queue.friendly_name.as_deref(), Some("support"));

    // The second caller gives up.
    centre.client.calls().hangup(&callers[1]).expect("hang up");
    let gave_up = eventually("the second caller's enqueue action", || {
        centre.requests("/left", &callers[1]).into_iter().next()
    });
    let typed = QueueRequest::from_pairs(gave_up.params.clone()).expect("typed");
    assert_eq!(typed.queue_result, Some(QueueResult::Hangup));
    centre.check_queue(&[&callers[0], &callers[2]]);

    // The agent dials the queue and takes the first caller.
    let agent = centre
        .client
        .calls()
        .create(CreateCall::new(AGENT, SUPPORT).twiml(format!(
            r#"<Response><Dial action="{}"><Queue url="{}">support</Queue></Dial></Response>"#,
            centre.app.url("/agent-done"),
            centre.app.url("/whisper")
        )))
        .expect("the agent's call");
    let whisper = eventually("the whisper", || {
        centre.requests("/whisper", &callers[0]).into_iter().next()
    });
    let typed = QueueRequest::from_pairs(whisper.params.clone()).expect("typed");
    assert_eq!(
        typed.dequeueing_call_sid.as_deref(),
        Some(agent.sid.as_str())
    );
    centre.check_queue(&[&callers[2]]);
    let bridge = eventually("the bridge", || {
        let live = centre
            .client
            .conferences()
            .list(
                ListConferences::new()
                    .friendly_name(&agent.sid)
                    .status(ConferenceStatus::InProgress),
            )
            .ok()?;
        live.conferences.into_iter().next()
    });
    let in_bridge = |n: usize| {
        eventually("the participants", || {
            let page = centre
                .client
                .participants()
                .list(ListParticipants::new(&bridge.sid))
                .ok()?;
            (page.participants.len() == n).then_some(page.participants)
        })
    };
    let mut both: Vec<String> = in_bridge(2).into_iter().map(|p| p.call_sid).collect();
    both.sort();
    let mut expected = vec![agent.sid.clone(), callers[0].clone()];
    expected.sort();
    assert_eq!(both, expected);

    // A supervisor joins the bridge muted, then speaks up.
    let supervisor = centre
        .client
        .participants()
        .add(
            CreateParticipant::new(&bridge.sid, SUPERVISOR, SUPPORT)
                .muted(true)
                .status_callback(centre.app.url("/status")),
        )
        .expect("the supervisor is dialed");
    let supervisor_sid = supervisor.call_sid.clone();
    let joined = in_bridge(3);
    let muted = joined
        .iter()
        .find(|p| p.call_sid == supervisor_sid)
        .expect("the supervisor is in");
    assert_eq!(muted.muted, Some(true));
    let unmuted = centre
        .client
        .participants()
        .update(UpdateParticipant::new(&bridge.sid, &supervisor_sid).muted(false))
        .expect("unmute");
    assert_eq!(unmuted.muted, Some(false));
    let fetched = centre
        .client
        .participants()
        .fetch(&bridge.sid, &supervisor_sid)
        .expect("fetch");
    assert_eq!(fetched.muted, Some(false));

    // The first caller hangs up, helped: the bridge ends, the caller's enqueue action hears
    // `bridged`, and the agent goes on to its dial's action.
    centre.client.calls().hangup(&callers[0]).expect("hang up");
    let bridged = eventually("the first caller's enqueue action", || {
        centre.requests("/left", &callers[0]).into_iter().next()
    });
    let typed = QueueRequest::from_pairs(bridged.params.clone()).expect("typed");
    assert_eq!(typed.queue_result, Some(QueueResult::Bridged));
    let done = eventually("the agent's dial action", || {
        centre
            .requests("/agent-done", &agent.sid)
            .into_iter()
            .next()
    });
    let typed = DialResult::from_pairs(done.params.clone()).expect("typed");
    assert_eq!(typed.dial_call_sid.as_deref(), Some(callers[0].as_str()));
    centre.check_queue(&[&callers[2]]);
    centre.client.calls().hangup(&callers[2]).expect("hang up");
    centre.check_queue(&[]);
    for sid in callers.iter().chain([&agent.sid, &supervisor_sid]) {
        sim.wait_for_call(sid, Duration::from_secs(30))
            .expect("every call ends");
    }

    // Every webhook the app received is signed, and reads typed.
    let requests = centre.app.requests();
    let mut paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let every = [
        "/agent-done",
        "/hold-music",
        "/left",
        "/status",
        "/support",
        "/whisper",
    ];
    assert_eq!(paths, every);
    // Each caller's enqueue action, and the completed callback of each caller and the supervisor.
    assert_eq!(centre.app.requests_to("/left").len(), 3);
    assert_eq!(centre.app.requests_to("/status").len(), 4);
    for request in &requests {
        let signature = request.signature.as_deref().unwrap_or_default();
        assert!(
            validate_signature(
                &request.full_url,
                request.signed_params(),
                signature,
                &centre.token
            ),
            "{request:?}"
        );
        let pairs = request.params.clone();
        let read = match request.path.as_str() {
            "/support" => VoiceRequest::from_pairs(pairs).map(|_| ()),
            "/hold-music" | "/left" | "/whisper" => QueueRequest::from_pairs(pairs).map(|typed| {
                assert!(
                    typed.queue_sid.is_some() && typed.extra.is_empty(),
                    "{typed:?}"
                );
            }),
            "/agent-done" => DialResult::from_pairs(pairs).map(|_| ()),
            "/status" => StatusCallback::from_pairs(pairs).map(|_| ()),
            other => panic!("a request to {other}"),
        };
        read.unwrap_or_else(|e| panic!("{}: {e}", request.path));
    }
}
