//! Every operation of the resources beyond Calls, in both Rust clients, against the simulator over
//! real HTTP: one scenario per resource (a row of [`scenarios`]), run once through
//! `mycpaas-blocking` and once through `mycpaas-async`. Each checks what a user would: the
//! resource made is the one fetched, an update changes what it says, a list and a lazy walk find
//! it with the list's filter, another account cannot see it, and a deleted one is 404.

use std::fmt::Debug;
use std::time::Duration;

use mycpaas_core::model::Identified;
use mycpaas_core::model::Row;
use mycpaas_core::ops::{Envelope, ListOperation, Rows};
use mycpaas_core::{
    CreateApplication, CreateCall, CreateIncomingPhoneNumber, CreateLamlBin, CreateQueue,
    DeleteApplication, DeleteIncomingPhoneNumber, DeleteLamlBin, DeleteQueue, DeleteRecording,
    DequeueQueueMember, Error, FetchApplication, FetchIncomingPhoneNumber, FetchLamlBin,
    FetchQueue, FetchQueueMember, FetchRecording, FetchTranscription, HttpMethod, ListApplications,
    ListCallRecordings, ListIncomingPhoneNumbers, ListLamlBins, ListQueueMembers, ListQueues,
    ListRecordingTranscriptions, ListRecordings, ListTranscriptions, Operation, RecordingStatus,
    RecordingUpdateStatus, Result, StartCallRecording, UpdateApplication, UpdateCall,
    UpdateCallRecording, UpdateIncomingPhoneNumber, UpdateLamlBin, UpdateQueue,
};
use mycpaas_sim::Simulator;
use mycpaas_tests::layers::{Layer, asynchronous, blocking};

#[allow(clippy::needless_pass_by_value)] // takes what `run` returns
fn is_not_found<T: Debug>(outcome: Result<T>) -> bool {
    matches!(outcome, Err(Error::Api(ref api)) if api.status == 404 && api.code == Some(20404))
}

/// The value of a step that must succeed; its failure names the step.
trait Step<T> {
    fn step(self, step: String) -> T;
}

impl<T> Step<T> for Result<T> {
    fn step(self, step: String) -> T {
        self.unwrap_or_else(|error| panic!("{step}: {error}"))
    }
}

/// A resource with create, fetch, update, list and delete: the row of one resource.
struct Crud<C: Operation, F, U, L, D> {
    create: C,
    fetch: fn(&str) -> F,
    update: fn(&str) -> U,
    /// What the updated resource says, checked.
    updated: fn(&C::Output) -> bool,
    list: L,
    delete: fn(&str) -> D,
}

impl<C, F, U, L, D> Crud<C, F, U, L, D>
where
    C: Operation + Send + Sync + 'static,
    C::Output: Identified + Debug + Send + 'static,
    F: Operation<Output = C::Output> + Send + Sync + 'static,
    U: Operation<Output = C::Output> + Send + Sync + 'static,
    L: ListOperation<Item = C::Output> + Send + Sync + 'static,
    L::Page<Row<C::Output>>: Send,
    D: Operation<Output = ()> + Send + Sync + 'static,
{
    fn run(self, layer: &impl Layer, other_account: &impl Layer, what: &str) {
        let at = |step: &str| format!("{what} ({}): {step}", layer.name());
        let created = layer
            .run(self.create)
            .unwrap_or_else(|e| panic!("{}: {e}", at("create")));
        let sid = created.sid().to_owned();
        let fetched = layer.run((self.fetch)(&sid)).step(at("fetch"));
        assert_eq!(fetched.sid(), sid, "{}", at("fetch"));
        let updated = layer.run((self.update)(&sid)).step(at("update"));
        assert!((self.updated)(&updated), "{}: {updated:?}", at("update"));
        let refetched = layer.run((self.fetch)(&sid)).step(at("fetch after update"));
        assert!(
            (self.updated)(&refetched),
            "{}: {refetched:?}",
            at("the update is kept")
        );

        let mut page = layer.run(Rows(self.list.clone())).step(at("list"));
        let listed: Vec<String> = page
            .take_items()
            .iter()
            .map(|r| r.sid().to_owned())
            .collect();
        assert_eq!(listed, [sid.as_str()], "{}", at("the filtered list"));
        let walked = layer.walk(self.list).step(at("walk"));
        assert_eq!(walked.len(), 1, "{}", at("the filtered walk"));

        assert!(
            is_not_found(other_account.run((self.fetch)(&sid))),
            "{}",
            at("another account's fetch is 404")
        );
        assert!(
            is_not_found(other_account.run((self.delete)(&sid))),
            "{}",
            at("another account's delete is 404")
        );
        layer.run((self.delete)(&sid)).step(at("delete"));
        assert!(
            is_not_found(layer.run((self.fetch)(&sid))),
            "{}",
            at("gone")
        );
    }
}

/// Every scenario, through `layer` (its account is the simulator's first; `other` is the second).
fn scenarios(layer: &impl Layer, other: &impl Layer, tag: &str) {
    let name = format!("ivr-{tag}");
    Crud {
        create: CreateApplication::new(&name).voice_url("https://example.com/voice.xml"),
        fetch: |sid| FetchApplication::new(sid),
        update: |sid| {
            UpdateApplication::new(sid)
                .voice_url("https://example.com/v2.xml")
                .voice_method(HttpMethod::Get)
        },
        updated: |app| {
            app.voice_url.as_deref() == Some("https://example.com/v2.xml")
                && app.voice_method.as_deref() == Some("GET")
                && app.status_callback_method.as_deref() == Some("POST")
        },
        list: ListApplications::new().friendly_name(&name),
        delete: |sid| DeleteApplication::new(sid),
    }
    .run(layer, other, "applications");

    let number = if tag == "blocking" {
        "+14155550101"
    } else {
        "+14155550102"
    };
    Crud {
        create: CreateIncomingPhoneNumber::new(number).friendly_name(&name),
        fetch: |sid| FetchIncomingPhoneNumber::new(sid),
        update: |sid| UpdateIncomingPhoneNumber::new(sid).voice_url("https://example.com/in.xml"),
        updated: |n| n.voice_url.as_deref() == Some("https://example.com/in.xml"),
        list: ListIncomingPhoneNumbers::new()
            .phone_number(&number[..8])
            .friendly_name(&name),
        delete: |sid| DeleteIncomingPhoneNumber::new(sid),
    }
    .run(layer, other, "incoming phone numbers");

    Crud {
        create: CreateLamlBin::new(&name),
        fetch: |sid| FetchLamlBin::new(sid),
        update: |sid| {
            UpdateLamlBin::new(sid, "renamed").contents("<Response><Say>Hi</Say></Response>")
        },
        updated: |bin| {
            bin.name.as_deref() == Some("renamed")
                && bin.contents.as_deref() == Some("<Response><Say>Hi</Say></Response>")
        },
        list: ListLamlBins::new().name("renamed"),
        delete: |sid| DeleteLamlBin::new(sid),
    }
    .run(layer, other, "LaML bins");

    Crud {
        create: CreateQueue::new(&name),
        fetch: |sid| FetchQueue::new(sid),
        update: |sid| UpdateQueue::new(sid).friendly_name("sales").max_size(10),
        updated: |queue| {
            queue.friendly_name.as_deref() == Some("sales")
                && queue.max_size == Some(10)
                && queue.current_size == Some(0)
        },
        list: ListQueues::new(),
        delete: |sid| DeleteQueue::new(sid),
    }
    .run(layer, other, "queues");
    queue_names(layer, &name);
    members(layer, other, tag);

    recordings(layer, other);
}

/// Two callers wait in a queue: its members are listed and walked front first, fetched by call
/// SID and as `Front`, and dequeued; another account sees none of them.
fn members(layer: &impl Layer, other: &impl Layer, tag: &str) {
    let at = |step: &str| format!("members ({}): {step}", layer.name());
    let name = format!("line-{tag}");
    let queue = layer.run(CreateQueue::new(&name)).step(at("a queue"));
    let twiml = format!("<Response><Enqueue>{name}</Enqueue></Response>");
    let mut callers = Vec::new();
    for n in 1..=2 {
        let call = layer
            .run(CreateCall::new("+15551230000", "+15559870000").twiml(twiml.clone()))
            .step(at("a caller"));
        callers.push(call.sid);
        let mut waiting = 0;
        for _ in 0..500 {
            waiting = layer
                .run(ListQueueMembers::new(&queue.sid))
                .step(at("list"))
                .queue_members
                .len();
            if waiting == n {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(waiting, n, "{}", at("the callers wait"));
    }
    let walked: Vec<(String, Option<u64>)> = layer
        .walk(ListQueueMembers::new(&queue.sid).page_size(1))
        .step(at("walk"))
        .into_iter()
        .map(|m| (m.call_sid, m.position))
        .collect();
    assert_eq!(
        walked,
        [(callers[0].clone(), Some(1)), (callers[1].clone(), Some(2))],
        "{}",
        at("walk")
    );
    let front = layer
        .run(FetchQueueMember::new(&queue.sid, "Front"))
        .step(at("front"));
    assert_eq!(front.call_sid, callers[0], "{}", at("front"));
    let second = layer
        .run(FetchQueueMember::new(&queue.sid, &callers[1]))
        .step(at("fetch"));
    assert_eq!(second.position, Some(2), "{}", at("fetch"));
    assert!(is_not_found(
        other.run(FetchQueueMember::new(&queue.sid, "Front"))
    ));
    let taken = layer
        .run(DequeueQueueMember::new(
            &queue.sid,
            "Front",
            "https://example.com/agent.xml",
        ))
        .step(at("dequeue"));
    assert_eq!(taken.call_sid, callers[0], "{}", at("dequeue"));
    assert!(is_not_found(
        layer.run(FetchQueueMember::new(&queue.sid, &callers[0]))
    ));
    let left = layer
        .run(FetchQueueMember::new(&queue.sid, "Front"))
        .step(at("the next front"));
    assert_eq!(left.call_sid, callers[1], "{}", at("the next front"));
    layer
        .run(UpdateCall::new(&callers[1]).status(mycpaas_core::UpdateStatus::Completed))
        .step(at("hang up"));
    // Empty once the hang-up has taken the caller out: then it can go.
    let mut deleted = layer.run(DeleteQueue::new(&queue.sid));
    for _ in 0..500 {
        if deleted.is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        deleted = layer.run(DeleteQueue::new(&queue.sid));
    }
    deleted.step(at("delete the emptied queue"));
}

/// A queue's name is used once per account (22000), its size is bounded (22002, refused before
/// sending), and it holds 100 calls unless told otherwise.
fn queue_names(layer: &impl Layer, name: &str) {
    let queue = layer.run(CreateQueue::new(name)).step(name.to_owned());
    assert_eq!(queue.max_size, Some(100));
    let taken = layer.run(CreateQueue::new(name));
    assert!(
        matches!(&taken, Err(Error::Api(api)) if api.code == Some(22000)),
        "{taken:?}"
    );
    let other = layer
        .run(CreateQueue::new(format!("{name}-2")))
        .step("a second queue".to_owned());
    let renamed = layer.run(UpdateQueue::new(&other.sid).friendly_name(name));
    assert!(
        matches!(&renamed, Err(Error::Api(api)) if api.code == Some(22000)),
        "{renamed:?}"
    );
    let too_big = layer.run(CreateQueue::new("big").max_size(5001));
    assert!(
        matches!(&too_big, Err(Error::InvalidInput { parameter, .. }) if parameter == "MaxSize"),
        "{too_big:?}"
    );
    for sid in [&queue.sid, &other.sid] {
        layer
            .run(DeleteQueue::new(sid))
            .step(format!("delete {sid}"));
    }
}

/// A live call's recording started, paused, resumed and stopped; the recording listed, fetched
/// and deleted; its transcriptions listed (the simulator made none).
fn recordings(layer: &impl Layer, other: &impl Layer) {
    let at = |step: &str| format!("recordings ({}): {step}", layer.name());
    let call = layer
        .run(
            CreateCall::new("+15551230000", "+15559870000")
                .twiml("<Response><Pause length=\"36000\"/></Response>"),
        )
        .step(at("a call"));
    let mut answered = false;
    for _ in 0..300 {
        let now = layer
            .run(mycpaas_core::FetchCall::new(&call.sid))
            .step(at("the call"));
        if now.status == Some(mycpaas_core::CallStatus::InProgress) {
            answered = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(answered, "{}", at("the call is answered"));

    let started = layer
        .run(StartCallRecording::new(&call.sid))
        .step(at("start"));
    let sid = started.sid.clone();
    assert_eq!(
        started.status,
        Some(RecordingStatus::InProgress),
        "{}",
        at("start")
    );
    assert_eq!(started.call_sid.as_deref(), Some(call.sid.as_str()));
    for (change, expected) in [
        (RecordingUpdateStatus::Paused, RecordingStatus::Paused),
        (
            RecordingUpdateStatus::InProgress,
            RecordingStatus::InProgress,
        ),
        (RecordingUpdateStatus::Stopped, RecordingStatus::Completed),
    ] {
        let changed = layer
            .run(UpdateCallRecording::new(&call.sid, &sid, change))
            .step(at("update"));
        assert_eq!(changed.status, Some(expected), "{}", at("update"));
    }
    let stopped_again = layer.run(UpdateCallRecording::new(
        &call.sid,
        &sid,
        RecordingUpdateStatus::InProgress,
    ));
    assert!(
        matches!(stopped_again, Err(Error::Api(ref api)) if api.code == Some(21219)),
        "{}: {stopped_again:?}",
        at("a stopped recording does not resume")
    );

    let fetched = layer.run(FetchRecording::new(&sid)).step(at("fetch"));
    assert!(
        fetched.duration.is_some() && fetched.end_time.is_some(),
        "{fetched:?}"
    );
    let mut page = layer
        .run(Rows(ListRecordings::new().call_sid(&call.sid)))
        .step(at("list"));
    assert_eq!(page.take_items().len(), 1, "{}", at("list by CallSid"));
    let walked = layer
        .walk(ListCallRecordings::new(&call.sid))
        .step(at("the call's recordings"));
    assert_eq!(walked.len(), 1, "{}", at("the call's recordings"));
    let mut transcriptions = layer
        .run(Rows(ListRecordingTranscriptions::new(&sid)))
        .step(at("the recording's transcriptions"));
    assert!(transcriptions.take_items().is_empty());
    layer
        .walk(ListTranscriptions::new())
        .step(at("transcriptions"));
    assert!(is_not_found(layer.run(FetchTranscription::new("TR0"))));

    assert!(
        is_not_found(other.run(FetchRecording::new(&sid))),
        "{}",
        at("other account")
    );
    layer.run(DeleteRecording::new(&sid)).step(at("delete"));
    assert!(
        is_not_found(layer.run(FetchRecording::new(&sid))),
        "{}",
        at("gone")
    );
    layer
        .run(mycpaas_core::UpdateCall::new(&call.sid).status(mycpaas_core::UpdateStatus::Completed))
        .step(at("hang up"));
}

#[test]
fn a_call_runs_its_applications_voice_url() {
    let sim = Simulator::builder()
        .seed(14)
        .start_in_background()
        .expect("the simulator starts");
    let layer = blocking(&sim, 0);
    let bin = layer
        .run(CreateLamlBin::new("hello").contents("<Response><Say>Hi</Say></Response>"))
        .step("a LaML bin".into());
    let url = bin.request_url.expect("a request URL");
    let app = layer
        .run(CreateApplication::new("hello").voice_url(&url))
        .step("an application".into());
    let call = layer
        .run(CreateCall::new("+15551230000", "+15559870000").application_sid(&app.sid))
        .step("a call of the application".into());
    let timeline = sim
        .wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call ends");
    assert!(timeline.verbs().contains(&"Say"), "{timeline:?}");
    let served = layer
        .run(FetchLamlBin::new(&bin.sid))
        .step("the bin".into());
    assert_eq!(served.num_requests, Some(1));

    let unknown = layer.run(CreateCall::new("+15551230000", "+15559870000").application_sid("AP0"));
    assert!(
        matches!(unknown, Err(Error::Api(ref api)) if api.code == Some(21218)),
        "{unknown:?}"
    );
}

#[test]
fn every_operation_runs_in_both_clients() {
    let sim = Simulator::builder()
        .seed(13)
        .account("AC00000000000000000000000000000001", "token-one")
        .account("AC00000000000000000000000000000002", "token-two")
        .start_in_background()
        .expect("the simulator starts");
    scenarios(&blocking(&sim, 0), &blocking(&sim, 1), "blocking");
    scenarios(&asynchronous(&sim, 0), &asynchronous(&sim, 1), "async");
}
