//! Each rule of `api/openapi.yaml`, broken alone: the blocking client refuses the request before
//! sending anything, and the simulator, sent the same parameters over raw HTTP, refuses them with
//! 400, the client's very words (so the same parameter and the same rule) and the code the
//! description gives that refusal. The cases are generated from the description
//! (`mycpaas_tests::rules::CASES`): a parameter or a rule added there is covered here unchanged.
//! The command line's share of the same cases is `crates/mycpaas-cli/tests/cli/rules.rs`.

use std::time::Duration;

use std::collections::HashMap;

use mycpaas_blocking::{Client, Until};
use mycpaas_core::{
    CreateApplication, CreateCall, CreateIncomingPhoneNumber, CreateLamlBin, CreateQueue, Error,
    ListConferences, StartCallRecording,
};
use mycpaas_sim::SimHandle;
use mycpaas_tests::fixtures::simulator;
use mycpaas_tests::raw_http::RawRequest;
use mycpaas_tests::rules::{CASES, Request, RuleCase};

/// Words the refusal of each kind of rule holds (core's `ops::validate`, its enums and its
/// decoding), so a case shows it broke the rule it meant to.
fn words_of(rule: &str) -> &'static [&'static str] {
    match rule {
        "required" => &["is required"],
        "not-empty" | "laml" => &["must not be empty"],
        "max-length" => &["characters (got"],
        "charset" => &["may contain only"],
        "endpoint" | "e164" => &["must be an E.164 number"],
        "absolute-url" => &["must be an absolute http(s) URL"],
        "sid" => &["must be URL-safe"],
        "single-line" => &["must not contain control characters"],
        "range" => &["must be between"],
        "at-least" => &["must be greater than", "must be at least"],
        "one-of" => &["must be one of"],
        "integer" => &["must be a whole number"],
        "boolean" => &["must be true or false"],
        "day" => &["must be a day as YYYY-MM-DD"],
        "exactly-one-of" => &["exactly one of"],
        "at-most-one-of" => &["are exclusive"],
        "some-parameter" => &["needs at least one parameter"],
        other => panic!("no words for rules of kind {other}: add them to this table"),
    }
}

/// The client's refusal of a case: a typed request sent through the blocking client, or, for a
/// rule of the wire text itself, core's reading of the text (what a binding or the command line
/// does with text it was given).
fn client_refusal(case: &RuleCase, client: &Client, path: &[&str]) -> Result<Error, String> {
    let outcome = match case.typed {
        Some(build) => build(path).send(client),
        None => Request::read(case.operation, path, &case.pairs()).and_then(|r| r.validate()),
    };
    match outcome {
        Err(error @ Error::InvalidInput { .. }) => Ok(error),
        Err(other) => Err(format!("{case}: the client failed otherwise: {other:?}")),
        Ok(()) => Err(format!("{case}: the client accepted it")),
    }
}

/// Checks that the client's refusal names the case's parameter and rule.
fn check_client(case: &RuleCase, error: &Error) -> Result<(), String> {
    let Error::InvalidInput { parameter, rule } = error else {
        unreachable!("client_refusal keeps InvalidInput only");
    };
    if parameter != case.parameter {
        return Err(format!("{case}: the client named {parameter}: {error}"));
    }
    if !words_of(case.rule).iter().any(|words| rule.contains(words)) {
        return Err(format!("{case}: the client's rule is another one: {error}"));
    }
    Ok(())
}

/// Sends the case's parameters to the simulator over raw HTTP and checks the answer against the
/// client's refusal.
fn check_simulator(
    case: &RuleCase,
    client_error: &Error,
    sim: &SimHandle,
    sids: &[&str],
) -> Result<(), String> {
    let account = sim.account_sid();
    let mut path = if case.root {
        case.path.to_owned()
    } else {
        format!("/api/laml/2010-04-01{}", case.path).replacen("{}", &account, 1)
    };
    for sid in sids {
        path = path.replacen("{}", sid, 1);
    }
    let encoded = case.encoded();
    let token = sim.auth_token();
    let request = if case.in_query {
        path = format!("{path}?{encoded}");
        RawRequest::new(case.http_method, &path)
    } else {
        RawRequest::new(case.http_method, &path).form(encoded.as_bytes())
    };
    let answer = request
        .basic_auth(&account, &token)
        .send(&sim.base_url())
        .map_err(|e| format!("{case}: no answer: {e}"))?;
    let body = answer.json();
    let expected = client_error.to_string();
    let found = (
        answer.status,
        body["status"].as_u64(),
        answer.code(),
        body["message"].as_str(),
    );
    if found != (400, Some(400), Some(u64::from(case.code)), Some(&expected)) {
        return Err(format!(
            "{case}: the simulator answered {} {body}; expected 400, code {} and {expected:?}",
            answer.status, case.code
        ));
    }
    Ok(())
}

/// One resource of each kind a path names, made for the updates: the simulator finds the
/// resource before it reads the request. The call is live (recorded), so its recording can be
/// changed; it is hung up once the cases ran.
fn resources_for_paths(client: &Client) -> HashMap<&'static str, String> {
    let call = client
        .calls()
        .create(
            CreateCall::new("+15551230000", "+15559870000")
                .twiml("<Response><Pause length=\"36000\"/></Response>"),
        )
        .expect("a call");
    client
        .calls()
        .wait(&call.sid, Until::Answered, Duration::from_secs(30))
        .expect("the call is answered");
    let recording = client
        .recordings()
        .start(StartCallRecording::new(&call.sid))
        .expect("a recording");
    let application = client
        .applications()
        .create(CreateApplication::new("rules"))
        .expect("an application");
    let number = client
        .incoming_phone_numbers()
        .create(CreateIncomingPhoneNumber::new("+15550001111"))
        .expect("a number");
    let bin = client
        .laml_bins()
        .create(CreateLamlBin::new("rules"))
        .expect("a LaML bin");
    let queue = client
        .queues()
        .create(CreateQueue::new("rules"))
        .expect("a queue");
    // A conference lasts while a call is in it: this one stays for the test.
    client
        .calls()
        .create(
            CreateCall::new("+15551230001", "+15559870000")
                .twiml("<Response><Dial><Conference>rules</Conference></Dial></Response>"),
        )
        .expect("a call into a conference");
    let conference = (0..1000)
        .find_map(|_| {
            let listed = client
                .conferences()
                .list(ListConferences::new().friendly_name("rules"))
                .expect("the conferences");
            let found = listed.conferences.into_iter().next();
            if found.is_none() {
                std::thread::sleep(Duration::from_millis(10));
            }
            found
        })
        .expect("the conference starts");
    HashMap::from([
        ("CallSid", call.sid),
        ("RecordingSid", recording.sid),
        ("ApplicationSid", application.sid),
        ("IncomingPhoneNumberSid", number.sid),
        ("LamlBinSid", bin.sid),
        ("QueueSid", queue.sid),
        ("ConferenceSid", conference.sid),
    ])
}

#[test]
fn the_client_and_the_simulator_refuse_every_rule_alike() {
    let sim = simulator(31);
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client of the simulator");
    let resources = resources_for_paths(&client);
    let path_of = |case: &RuleCase| -> Vec<&str> {
        case.path_params
            .iter()
            .map(|name| {
                resources
                    .get(name)
                    .unwrap_or_else(|| panic!("{case}: no resource made for {name}"))
                    .as_str()
            })
            .collect()
    };
    let calls_before = sim.calls_created();

    let mut problems = Vec::new();
    let mut refusals = Vec::new();
    let requests_before = sim.request_count();
    for case in CASES {
        match client_refusal(case, &client, &path_of(case))
            .and_then(|error| check_client(case, &error).map(|()| error))
        {
            Ok(error) => refusals.push((case, error)),
            Err(problem) => problems.push(problem),
        }
    }
    assert_eq!(
        sim.request_count(),
        requests_before,
        "a client refusal sent a request"
    );
    let mut client_only = 0;
    for (case, error) in &refusals {
        if !case.on_the_wire {
            // An empty value is absent on the wire: only a client can refuse it.
            client_only += 1;
            continue;
        }
        if let Err(problem) = check_simulator(case, error, &sim, &path_of(case)) {
            problems.push(problem);
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} rule cases disagree:\n{}",
        problems.len(),
        CASES.len(),
        problems.join("\n")
    );
    assert_eq!(
        sim.calls_created(),
        calls_before,
        "a refused create made a call"
    );
    client
        .calls()
        .hangup(&resources["CallSid"])
        .expect("the live call hangs up");
    let mut kinds: Vec<&str> = CASES.iter().map(|c| c.rule).collect();
    kinds.sort_unstable();
    kinds.dedup();
    println!(
        "{} rule cases ({} kinds of rule): the client refused each before sending; the simulator \
         refused the {} the wire can carry with the same words and the description's code",
        CASES.len(),
        kinds.len(),
        CASES.len() - client_only
    );
}
