//! Each rule of `api/openapi.yaml`, broken alone: the blocking client refuses the request before
//! sending anything, and the simulator, sent the same parameters over raw HTTP, refuses them with
//! 400, the client's very words (so the same parameter and the same rule) and the code the
//! description gives that refusal. The cases are generated from the description
//! (`mycpaas_tests::rules::CASES`): a parameter or a rule added there is covered here unchanged.
//! The command line's share of the same cases is `crates/mycpaas-cli/tests/cli/rules.rs`.

use std::time::Duration;

use mycpaas_blocking::Client;
use mycpaas_core::{CreateCall, Error};
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
        "endpoint" => &["must be an E.164 number"],
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

/// Sends a typed request through the blocking client.
fn send(client: &Client, request: Request) -> mycpaas_core::Result<()> {
    let calls = client.calls();
    match request {
        Request::CreateCall(request) => calls.create(*request).map(drop),
        Request::UpdateCall(request) => calls.update(*request).map(drop),
        Request::ListCalls(request) => calls.list(*request).map(drop),
    }
}

/// The client's refusal of a case: a typed request sent through the blocking client, or, for a
/// rule of the wire text itself, core's reading of the text (what a binding or the command line
/// does with text it was given).
fn client_refusal(case: &RuleCase, client: &Client, sid: &str) -> Result<Error, String> {
    let outcome = match case.typed {
        Some(build) => send(client, build(sid)),
        None => Request::read(case.operation, sid, &case.pairs()).map(drop),
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
    sid: &str,
) -> Result<(), String> {
    let account = sim.account_sid();
    let mut path = format!("/api/laml/2010-04-01{}", case.path).replacen("{}", &account, 1);
    path = path.replacen("{}", sid, 1);
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

#[test]
fn the_client_and_the_simulator_refuse_every_rule_alike() {
    let sim = simulator(31);
    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("a client of the simulator");
    // A call for the updates: the simulator finds the call before it reads the update.
    let call = client
        .calls()
        .create(
            CreateCall::new("+15551230000", "+15559870000").twiml("<Response><Hangup/></Response>"),
        )
        .expect("a call");
    sim.wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call ends");
    let calls_before = sim.calls_created();

    let mut problems = Vec::new();
    let mut refusals = Vec::new();
    let requests_before = sim.request_count();
    for case in CASES {
        match client_refusal(case, &client, &call.sid)
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
        if let Err(problem) = check_simulator(case, error, &sim, &call.sid) {
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
