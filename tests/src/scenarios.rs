//! The scenarios of the Calls resource that both clients must pass: every operation, every error
//! path and every retry rule, written once over [`AnyClient`] and run by each client crate's
//! integration suite through [`client_scenarios!`](crate::client_scenarios) with its own
//! [`Layer`].

use std::time::{Duration, Instant};

use mycpaas_core::config;
use mycpaas_core::exchange::ResponseInfo;
use mycpaas_core::retry::RetryPolicy;
use mycpaas_core::{
    Call, CallEvent, CallStatus, CreateCall, Direction, Error, FromSettings, ListCalls, UpdateCall,
};
use mycpaas_laml::{Pause, Response, Say};
use mycpaas_sim::webapp::WebApp;
use mycpaas_sim::{Fault, SeenRequest, SimHandle, TimelineEvent, magic};

use crate::fixtures::{AnyClient, Layer, Settings, simulator_at};

/// The caller ID used by every scenario (any valid number is an active number in the simulator).
pub const FROM: &str = "+491098765432";
/// A callee that answers.
pub const TO: &str = "+491234567890";
/// An inline document that ends the call at once.
pub const HANGUP: &str = "<Response><Hangup/></Response>";

/// The simulator speed at which a call stays queued, ringing or in progress for a while.
const SLOW: f64 = 20.0;
/// How long a scenario waits for a call to settle.
const SETTLE: Duration = Duration::from_secs(20);

/// Settings for `sim`'s account at `base_url`: the client's own request timeout and body cap,
/// three attempts and jitter-free backoff, so a retry waits exactly what the policy or a
/// `Retry-After` says.
pub fn settings(sim: &SimHandle, base_url: &str) -> Settings {
    Settings::new(base_url, &sim.account_sid(), &sim.auth_token())
        .request_timeout(config::DEFAULT_REQUEST_TIMEOUT)
        .max_response_bytes(config::DEFAULT_MAX_RESPONSE_BYTES)
        .retry(RetryPolicy::new(
            3,
            Duration::from_millis(10),
            Duration::from_millis(50),
        ))
        .jitter(0.0)
}

/// A simulator at its default (fast) speed, on a runtime of its own.
pub fn sim() -> SimHandle {
    simulator_at(mycpaas_sim::DEFAULT_SPEED)
}

/// A client of either transport for `sim`, with [`settings`].
pub fn client<C: FromSettings>(sim: &SimHandle) -> C {
    settings(sim, &sim.base_url()).build()
}

/// A simulator at `speed` and a client of `layer` talking to it with [`settings`].
fn setup(layer: Layer, speed: f64) -> (SimHandle, AnyClient) {
    let sim = simulator_at(speed);
    let client = settings(&sim, &sim.base_url()).client(layer);
    (sim, client)
}

/// A simulator at its default (fast) speed and a client of `layer`.
fn fast(layer: Layer) -> (SimHandle, AnyClient) {
    setup(layer, mycpaas_sim::DEFAULT_SPEED)
}

/// Fetches `sid` until `done` accepts it (the simulator runs calls on its own clock).
fn wait_until(client: &AnyClient, sid: &str, done: impl Fn(&Call) -> bool) -> Call {
    let deadline = Instant::now() + SETTLE;
    loop {
        let call = client.fetch(sid).expect("fetch while waiting");
        if done(&call) || Instant::now() > deadline {
            return call;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `true` once the call is in progress.
fn in_progress(call: &Call) -> bool {
    call.status == Some(CallStatus::InProgress)
}

/// Creates a call that runs [`HANGUP`].
fn create_hangup(client: &AnyClient, to: &str, from: &str) -> Call {
    client
        .create(CreateCall::new(to, from).twiml(HANGUP))
        .expect("create")
}

/// The error of a create through `layer` when the simulator answers it with `fault`.
fn create_after(layer: Layer, fault: &Fault) -> (SimHandle, Error) {
    let (sim, client) = fast(layer);
    sim.faults().inject(fault.clone(), 1);
    let error = client
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err(&format!("a create answered with {fault:?} fails"));
    (sim, error)
}

/// Create, fetch, wait for the end, delete: the record is gone and exactly one call existed.
pub fn create_fetch_and_delete_a_call(layer: Layer) {
    let (sim, client) = fast(layer);
    let created = create_hangup(&client, TO, FROM);
    assert!(!created.sid.is_empty());
    assert_eq!(created.to.as_deref(), Some(TO));
    assert_eq!(created.from.as_deref(), Some(FROM));
    assert_eq!(created.direction, Some(Direction::OutboundApi));

    let fetched = client.fetch(&created.sid).expect("fetch");
    assert_eq!(fetched.sid, created.sid);

    let finished = wait_until(&client, &created.sid, |call| {
        call.status == Some(CallStatus::Completed)
    });
    assert_eq!(finished.status, Some(CallStatus::Completed));

    client.delete(&created.sid).expect("delete");
    let gone = client.fetch(&created.sid).expect_err("deleted call");
    assert_eq!(gone.status(), Some(404));
    assert_eq!(sim.calls_created(), 1);
}

/// A call runs the web app's voice URL and reports every progress event to its callback.
pub fn create_runs_a_voice_url_with_status_callbacks_for_every_event(layer: Layer) {
    let (sim, client) = fast(layer);
    let app = WebApp::builder()
        .document("/voice", "<Response><Say>Hello</Say><Hangup/></Response>")
        .start_in_background()
        .expect("web app");
    let call = client
        .create(
            CreateCall::new(TO, FROM)
                .url(app.url("/voice"))
                .status_callback(app.url("/status"))
                .status_callback_events(CallEvent::ALL.iter().copied()),
        )
        .expect("create");
    let timeline = sim.wait_for_call(&call.sid, SETTLE).expect("call settles");
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

/// Inline LaML is taken as text and as a typed document.
pub fn create_accepts_inline_laml_as_text_and_typed(layer: Layer) {
    let (sim, client) = fast(layer);
    let typed = Response::new().say(Say::new("Typed LaML")).hangup();
    let from_text = client
        .create(CreateCall::new(TO, FROM).twiml("<Response><Say>Text LaML</Say></Response>"))
        .expect("create with text");
    let from_typed = client
        .create(CreateCall::new(TO, FROM).twiml(&typed))
        .expect("create with typed LaML");
    for sid in [&from_text.sid, &from_typed.sid] {
        let timeline = sim.wait_for_call(sid, SETTLE).expect("call settles");
        assert_eq!(timeline.verbs().first(), Some(&"Say"), "{sid}");
    }
}

/// An update with a new URL makes a live call fetch and run that document.
pub fn update_redirects_a_live_call_to_new_laml(layer: Layer) {
    let (sim, client) = setup(layer, SLOW);
    let app = WebApp::builder()
        .document("/hold", "<Response><Pause length=\"120\"/></Response>")
        .document(
            "/next",
            "<Response><Say>Redirected</Say><Hangup/></Response>",
        )
        .start_in_background()
        .expect("web app");
    let call = client
        .create(CreateCall::new(TO, FROM).url(app.url("/hold")))
        .expect("create");
    let live = wait_until(&client, &call.sid, in_progress);
    assert_eq!(live.status, Some(CallStatus::InProgress));

    client
        .update(UpdateCall::new(&call.sid).url(app.url("/next")))
        .expect("redirect");
    let timeline = sim.wait_for_call(&call.sid, SETTLE).expect("call settles");
    let fetched: Vec<_> = timeline
        .documents()
        .into_iter()
        .filter_map(|event| match event {
            TimelineEvent::Document { url, .. } => Some(url.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(fetched, [app.url("/hold"), app.url("/next")]);
    assert!(timeline.verbs().contains(&"Say"));
}

/// An update with typed LaML replaces the document a live call runs.
pub fn update_with_typed_laml_replaces_the_document(layer: Layer) {
    let (sim, client) = setup(layer, SLOW);
    let hold = Response::new().pause(Pause::seconds(120));
    let call = client
        .create(CreateCall::new(TO, FROM).twiml(&hold))
        .expect("create");
    wait_until(&client, &call.sid, in_progress);
    let goodbye = Response::new().say(Say::new("Goodbye")).hangup();
    client
        .update(UpdateCall::new(&call.sid).twiml(&goodbye))
        .expect("update");
    let timeline = sim.wait_for_call(&call.sid, SETTLE).expect("call settles");
    assert!(timeline.verbs().contains(&"Say"), "{:?}", timeline.verbs());
    assert_eq!(timeline.status, "completed");
}

/// `cancel` ends a call that is still ringing.
pub fn cancel_ends_a_call_before_it_is_answered(layer: Layer) {
    let (sim, client) = setup(layer, SLOW);
    let call = create_hangup(&client, magic::NO_ANSWER, FROM);
    let canceled = client.cancel(&call.sid).expect("cancel");
    assert_eq!(canceled.status, Some(CallStatus::Canceled));
    let timeline = sim.wait_for_call(&call.sid, SETTLE).expect("call settles");
    assert_eq!(timeline.status, "canceled");
}

/// `hangup` ends a call that is in progress.
pub fn hangup_ends_a_call_in_progress(layer: Layer) {
    let (_sim, client) = setup(layer, SLOW);
    let call = client
        .create(CreateCall::new(TO, FROM).twiml("<Response><Pause length=\"120\"/></Response>"))
        .expect("create");
    wait_until(&client, &call.sid, in_progress);
    let ended = client.hangup(&call.sid).expect("hang up");
    assert_eq!(ended.status, Some(CallStatus::Completed));
}

/// Every list filter keeps exactly the calls it names.
pub fn list_filters_by_to_from_status_and_date(layer: Layer) {
    let (_sim, client) = fast(layer);
    let other_to = "+491111111111";
    let other_from = "+492222222222";
    let sids: Vec<String> = [(TO, FROM), (TO, other_from), (other_to, FROM)]
        .into_iter()
        .map(|(to, from)| create_hangup(&client, to, from).sid)
        .collect();
    let busy = create_hangup(&client, magic::BUSY, FROM);
    wait_until(&client, &busy.sid, |c| c.status == Some(CallStatus::Busy));
    for sid in &sids {
        wait_until(&client, sid, |c| c.status == Some(CallStatus::Completed));
    }

    let sids_of = |list: ListCalls| -> Vec<String> {
        let page = client.list(list).expect("list");
        sorted(page.calls.into_iter().map(|c| c.sid).collect())
    };
    assert_eq!(sids_of(ListCalls::new().to(TO)), sorted(sids[..2].to_vec()));
    assert_eq!(
        sids_of(ListCalls::new().from(FROM)),
        sorted(vec![sids[0].clone(), sids[2].clone(), busy.sid.clone()])
    );
    assert_eq!(
        sids_of(ListCalls::new().to(TO).from(other_from)),
        [sids[1].clone()]
    );
    assert_eq!(
        sids_of(ListCalls::new().status(CallStatus::Busy)),
        std::slice::from_ref(&busy.sid)
    );
    assert!(
        sids_of(ListCalls::new().parent_call_sid("CA00000000000000000000000000000000")).is_empty()
    );

    let today = time::OffsetDateTime::now_utc().date();
    let yesterday = today.previous_day().expect("a day before today");
    let tomorrow = today.next_day().expect("a day after today");
    // The busy call was never answered, so it has no start time.
    let answered = sorted(sids.clone());
    assert_eq!(
        sids_of(ListCalls::new().start_time_after(yesterday)),
        answered
    );
    assert_eq!(sids_of(ListCalls::new().start_time(today)), answered);
    assert!(sids_of(ListCalls::new().start_time_before(yesterday)).is_empty());
    assert!(sids_of(ListCalls::new().start_time_after(tomorrow)).is_empty());
    assert_eq!(sids_of(ListCalls::new().end_time_after(yesterday)).len(), 4);
}

fn sorted(mut sids: Vec<String>) -> Vec<String> {
    sids.sort();
    sids
}

/// Input the client can judge is refused with the parameter named, before any request.
pub fn invalid_input_is_refused_before_anything_is_sent(layer: Layer) {
    let (sim, client) = fast(layer);
    let before = sim.request_count();
    let error = client
        .create(CreateCall::new(TO, FROM).twiml(HANGUP).timeout(0))
        .expect_err("Timeout 0 is invalid");
    assert_eq!(error.parameter(), Some("Timeout"));
    let error = client
        .create(CreateCall::new(TO, FROM))
        .expect_err("a call needs Url, Twiml or ApplicationSid");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    let error = client.fetch("CA/../x").expect_err("a SID with a slash");
    assert_eq!(error.parameter(), Some("CallSid"));
    assert_eq!(sim.request_count(), before, "nothing reached the server");
}

/// A wrong token is a 401 with code 20003, and the token shows in no message.
pub fn wrong_credentials_are_an_authentication_error(layer: Layer) {
    let sim = sim();
    let client = Settings::new(&sim.base_url(), &sim.account_sid(), "not-the-token").client(layer);
    let error = client.fetch("CA0").expect_err("bad token");
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.api_code(), Some(20003));
    assert!(!format!("{error:?} {error}").contains("not-the-token"));
    assert!(!format!("{client:?}").contains("not-the-token"));
}

/// An unknown SID is a 404 with code 20404.
pub fn unknown_call_is_not_found(layer: Layer) {
    let (_sim, client) = fast(layer);
    let error = client
        .fetch("CA00000000000000000000000000000000")
        .expect_err("no such call");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.api_code(), Some(20404));
}

/// The server's validation codes reach the caller: invalid To, invalid From, a call that ended.
pub fn server_validation_codes_are_reported(layer: Layer) {
    let (sim, client) = fast(layer);
    let invalid_to = client
        .create(CreateCall::new(magic::INVALID, FROM).twiml(HANGUP))
        .expect_err("invalid To");
    assert_eq!(
        (invalid_to.status(), invalid_to.api_code()),
        (Some(400), Some(21211))
    );
    let invalid_from = client
        .create(CreateCall::new(TO, magic::INVALID).twiml(HANGUP))
        .expect_err("invalid From");
    assert_eq!(invalid_from.api_code(), Some(21212));

    // Updating a call that has ended: 21220.
    let call = create_hangup(&client, TO, FROM);
    sim.wait_for_call(&call.sid, SETTLE).expect("call settles");
    let error = client
        .update(UpdateCall::new(&call.sid).twiml(HANGUP))
        .expect_err("call is over");
    assert_eq!(error.api_code(), Some(21220));
    assert_eq!(sim.calls_created(), 1);
}

/// A create whose connection drops after the server handled it may have created a call, and is
/// never sent again.
pub fn a_create_dropped_after_it_was_handled_is_maybe_created_and_not_retried(layer: Layer) {
    let (sim, error) = create_after(layer, &Fault::DropAfterHandling);
    assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
    assert!(error.may_have_been_sent());
    assert_eq!(sim.calls_created(), 1, "exactly one call exists");
    assert_eq!(sim.request_count(), 1, "the POST was not retried");
}

/// A create whose answer is cut short may have created a call.
pub fn a_truncated_create_response_is_maybe_created(layer: Layer) {
    let (sim, error) = create_after(layer, &Fault::TruncatedBody);
    assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
    assert_eq!(sim.calls_created(), 1);
}

/// A client of `layer` for a port nothing listens on (bound, then released), making up to
/// `attempts` attempts a millisecond apart.
fn client_of_nothing(layer: Layer, attempts: u32) -> AnyClient {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    Settings::new(&format!("http://127.0.0.1:{port}"), "AC0", "token")
        .retry(RetryPolicy::new(
            attempts,
            Duration::from_millis(1),
            Duration::from_millis(1),
        ))
        .client(layer)
}

/// A refused connection is a transport error that says nothing was sent.
pub fn a_refused_connection_is_a_transport_error_that_nothing_was_sent(layer: Layer) {
    let client = client_of_nothing(layer, 2);
    let error = client
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(!error.may_have_been_sent(), "nothing was sent: {error:?}");
}

/// An answer slower than the request timeout is a timeout; for a create, a maybe-created.
pub fn a_slow_answer_times_out(layer: Layer) {
    let sim = sim();
    let client = settings(&sim, &sim.base_url())
        .request_timeout(Duration::from_millis(200))
        .retry(RetryPolicy::no_retries())
        .client(layer);
    sim.faults().inject(Fault::Delay(Duration::from_secs(3)), 1);
    let error = client
        .fetch("CA00000000000000000000000000000000")
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(
        error.may_have_been_sent(),
        "the request was sent: {error:?}"
    );

    sim.faults().inject(Fault::Delay(Duration::from_secs(3)), 1);
    let error = client
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err("too slow");
    assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
}

/// An answer over the body cap is refused: a maybe-created for a create, too large for a fetch.
pub fn an_oversized_body_is_refused(layer: Layer) {
    let (sim, client) = fast(layer);
    let small = settings(&sim, &sim.base_url())
        .max_response_bytes(64)
        .client(layer);
    // The create was accepted (201): an answer too large to read is no refusal.
    let error = small
        .create(CreateCall::new(TO, FROM).twiml(HANGUP))
        .expect_err("a call's JSON is longer than 64 bytes");
    let Error::MaybeCreated { status, .. } = &error else {
        panic!("expected MaybeCreated, got {error:?}");
    };
    assert_eq!(*status, Some(201), "{error:?}");
    assert_eq!(sim.calls_created(), 1);
    // A fetch creates nothing: its oversized answer is just too large.
    let listed = client.list(ListCalls::new().to(TO)).expect("list");
    let error = small
        .fetch(&listed.calls[0].sid)
        .expect_err("longer than 64 bytes");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 64, .. }),
        "{error:?}"
    );
}

/// A body that is not JSON is a decode error carrying the status and an excerpt.
pub fn malformed_json_is_a_decode_error_with_an_excerpt(layer: Layer) {
    let (sim, client) = fast(layer);
    let call = create_hangup(&client, TO, FROM);
    sim.faults().inject(Fault::MalformedBody, 1);
    let error = client.fetch(&call.sid).expect_err("malformed");
    assert!(
        matches!(&error, Error::Decode { status: 200, body_excerpt, .. } if !body_excerpt.is_empty()),
        "a decode error with the status and an excerpt: {error:?}"
    );
}

/// A 429 on a create waits for `Retry-After`, then the create succeeds once.
pub fn rate_limited_create_waits_for_retry_after_then_succeeds_once(layer: Layer) {
    let (sim, client) = fast(layer);
    sim.faults().inject(
        Fault::RateLimited {
            retry_after_secs: 1,
        },
        1,
    );
    let started = Instant::now();
    let call = create_hangup(&client, TO, FROM);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert!(!call.sid.is_empty());
    assert_eq!(sim.calls_created(), 1);
    assert_eq!(sim.request_count(), 2);
}

/// A 503 on a read is retried.
pub fn unavailable_reads_are_retried(layer: Layer) {
    let (sim, client) = fast(layer);
    sim.faults().inject(Fault::Unavailable, 2);
    let page = client
        .list(ListCalls::new())
        .expect("third attempt succeeds");
    assert!(page.calls.is_empty());
    assert_eq!(sim.request_count(), 3);
}

/// A 503 on a create is not retried: the POST is sent once.
pub fn unavailable_create_is_not_retried(layer: Layer) {
    let (sim, error) = create_after(layer, &Fault::Unavailable);
    assert_eq!(error.status(), Some(503));
    assert_eq!(sim.request_count(), 1);
}

/// Retries stop after the policy's attempts.
pub fn retries_stop_after_the_policy_attempts(layer: Layer) {
    let (sim, client) = fast(layer);
    sim.faults().inject(Fault::Unavailable, 5);
    let error = client.list(ListCalls::new()).expect_err("still 503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(sim.request_count(), 3);
}

/// A connection dropped before a read was handled is retried.
pub fn a_dropped_connection_on_a_read_is_retried(layer: Layer) {
    let (sim, client) = fast(layer);
    let call = create_hangup(&client, TO, FROM);
    sim.faults().inject(Fault::DropBeforeHandling, 1);
    let fetched = client.fetch(&call.sid).expect("second attempt");
    assert_eq!(fetched.sid, call.sid);
    assert_eq!(sim.request_count(), 3, "create, dropped fetch, fetch");
}

// ---- what each result and error says about its operation ----------------------------------------

/// The requests the simulator saw, from the `skip`th on.
fn seen_since(sim: &SimHandle, skip: usize) -> Vec<SeenRequest> {
    sim.requests().into_iter().skip(skip).collect()
}

/// Checks that `info` is of the answer to `request`: the request carried the operation's client
/// request id, and the answer's `X-Request-Id` is the one the simulator gave that request.
fn assert_answered_by(info: &ResponseInfo, request: &SeenRequest, case: &str) {
    assert_eq!(
        request.client_request_id.as_deref(),
        Some(info.client_request_id.as_str()),
        "{case}: the request carried the operation's id"
    );
    assert_eq!(
        info.request_id.as_deref(),
        Some(request.request_id.as_str()),
        "{case}"
    );
}

/// A retried operation reports two attempts, and both requests carried the operation's one
/// `X-Client-Request-Id`; the info names the answer's `X-Request-Id`.
pub fn a_retried_operation_reports_two_attempts_and_sent_one_client_request_id(layer: Layer) {
    let (sim, client) = fast(layer);
    let sid = create_hangup(&client, TO, FROM).sid;
    let cases = [
        (
            "create after a 429",
            Fault::RateLimited {
                retry_after_secs: 0,
            },
        ),
        ("fetch after a 503", Fault::Unavailable),
        ("list after a 503", Fault::Unavailable),
    ];
    for (name, fault) in cases {
        let before = sim.requests().len();
        sim.faults().inject(fault, 1);
        let info: Option<ResponseInfo> = match name {
            "create after a 429" => {
                let create = CreateCall::new(TO, FROM).twiml(HANGUP);
                client.create(create).expect("created").response.0
            }
            "fetch after a 503" => client.fetch(&sid).expect("fetched").response.0,
            _ => client.list(ListCalls::new()).expect("listed").response.0,
        };
        let info = info.unwrap_or_else(|| panic!("{name}: no response info"));
        let seen = seen_since(&sim, before);
        assert_eq!(info.attempts, 2, "{name}");
        assert_eq!(seen.len(), 2, "{name}: {seen:?}");
        let status = if name.starts_with("create") { 201 } else { 200 };
        assert_eq!(info.status, Some(status), "{name}");
        assert_eq!(
            seen[0].client_request_id.as_deref(),
            Some(info.client_request_id.as_str()),
            "{name}: every attempt carries the operation's id"
        );
        assert_answered_by(&info, &seen[1], name);
        assert_ne!(seen[0].request_id, seen[1].request_id, "{name}");
        assert!(info.elapsed > Duration::ZERO, "{name}");
    }
}

/// A fetch's info: the answer's status, headers and `X-Request-Id`; each operation has an id of
/// its own, and where a call came from is not part of it.
pub fn a_fetch_carries_the_answer_s_status_headers_and_request_id(layer: Layer) {
    let (sim, client) = fast(layer);
    let created = create_hangup(&client, TO, FROM);
    let call = client.fetch(&created.sid).expect("fetched");
    let info = call.response.as_ref().expect("response info");
    let seen = sim.requests();
    let last = seen.last().expect("requests logged");
    assert_eq!(info.status, Some(200));
    assert_eq!(info.attempts, 1);
    assert_eq!(info.request_id.as_deref(), Some(last.request_id.as_str()));
    assert!(
        info.request_id
            .as_deref()
            .is_some_and(|id| id.starts_with("RQ") && id.len() == 34)
    );
    assert_eq!(info.headers["content-type"], "application/json");
    let create_info = created.response.as_ref().expect("create's info");
    assert_ne!(create_info.client_request_id, info.client_request_id);
    assert_eq!(
        seen[0].client_request_id.as_deref(),
        Some(create_info.client_request_id.as_str())
    );
    let mut bare = call.clone();
    bare.response.0 = None;
    assert_eq!(bare, call);
}

/// An error that is an answer (a 404, an undecodable 200) carries that answer's info.
pub fn errors_of_an_answer_carry_its_info(layer: Layer) {
    let (sim, client) = fast(layer);
    let sid = create_hangup(&client, TO, FROM).sid;
    // (the case, the fault, the call fetched, the status of the answer)
    let cases = [
        ("not found", None, "CA00000000000000000000000000000000", 404),
        ("undecodable", Some(Fault::MalformedBody), sid.as_str(), 200),
    ];
    for (name, fault, fetched, status) in cases {
        if let Some(fault) = fault {
            sim.faults().inject(fault, 1);
        }
        let error = client.fetch(fetched).expect_err(name);
        let info = error.response_info().expect("response info");
        assert_eq!((info.status, info.attempts), (Some(status), 1), "{name}");
        let seen = sim.requests();
        assert_answered_by(info, seen.last().expect("logged"), name);
    }
}

/// A refused connection: no status, every attempt counted, the time taken, and the transport's
/// own error kept as the cause.
pub fn a_refused_connection_reports_its_attempts_time_and_cause(layer: Layer) {
    let client = client_of_nothing(layer, 3);
    let error = client
        .fetch("CA00000000000000000000000000000000")
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let info = error.response_info().expect("response info");
    assert_eq!((info.status, info.attempts), (None, 3));
    assert!(info.elapsed > Duration::ZERO, "{info:?}");
    assert_eq!(info.client_request_id.len(), 32);
    let cause = std::error::Error::source(&error).expect("the transport's error is kept");
    assert!(!cause.to_string().is_empty());
}

/// One `#[test]` per scenario of [`crate::scenarios`], run through the client of `$layer`
/// ([`Layer`]); each client crate's integration suite invokes it once.
#[macro_export]
macro_rules! client_scenarios {
    (@each $layer:expr; $($scenario:ident),+ $(,)?) => {
        $(
            #[test]
            fn $scenario() {
                $crate::scenarios::$scenario($layer);
            }
        )+
    };
    ($layer:expr) => {
        $crate::client_scenarios!(
            @each $layer;
            create_fetch_and_delete_a_call,
            create_runs_a_voice_url_with_status_callbacks_for_every_event,
            create_accepts_inline_laml_as_text_and_typed,
            update_redirects_a_live_call_to_new_laml,
            update_with_typed_laml_replaces_the_document,
            cancel_ends_a_call_before_it_is_answered,
            hangup_ends_a_call_in_progress,
            list_filters_by_to_from_status_and_date,
            invalid_input_is_refused_before_anything_is_sent,
            wrong_credentials_are_an_authentication_error,
            unknown_call_is_not_found,
            server_validation_codes_are_reported,
            a_create_dropped_after_it_was_handled_is_maybe_created_and_not_retried,
            a_truncated_create_response_is_maybe_created,
            a_refused_connection_is_a_transport_error_that_nothing_was_sent,
            a_slow_answer_times_out,
            an_oversized_body_is_refused,
            malformed_json_is_a_decode_error_with_an_excerpt,
            rate_limited_create_waits_for_retry_after_then_succeeds_once,
            unavailable_reads_are_retried,
            unavailable_create_is_not_retried,
            retries_stop_after_the_policy_attempts,
            a_dropped_connection_on_a_read_is_retried,
            a_retried_operation_reports_two_attempts_and_sent_one_client_request_id,
            a_fetch_carries_the_answer_s_status_headers_and_request_id,
            errors_of_an_answer_carry_its_info,
            a_refused_connection_reports_its_attempts_time_and_cause,
        );
    };
}
