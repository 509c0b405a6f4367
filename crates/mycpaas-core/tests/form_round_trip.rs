//! Property tests: whatever valid parameters a user sets come out of the encoded request
//! unchanged (form body for create/update, query string for list).

use mycpaas_core::{
    CallEvent, CallStatus, Config, CreateCall, HttpMethod, ListCalls, Operation, UpdateCall,
    UpdateStatus,
};
use proptest::prelude::*;
use proptest::sample::subsequence;

fn config() -> Config {
    Config::builder("AC1", "token").build().unwrap()
}

fn decode(bytes: &[u8]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(bytes).into_owned().collect();
    pairs.sort();
    pairs
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

fn endpoint() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\+[1-9][0-9]{1,14}",
        "sip:[a-z0-9._+]{1,16}@[a-z0-9.-]{1,16}(;transport=tls)?",
        "client:[A-Za-z0-9_.-]{1,20}",
    ]
}

/// URLs with the characters form encoding must escape (`&`, `=`, `+`, `%`, `#` in the query).
/// Spaces are not among them: a URL with whitespace is refused (a space is sent as `%20`).
fn url() -> impl Strategy<Value = String> {
    (
        "https?",
        "[a-z0-9-]{1,16}\\.example",
        "[a-zA-Z0-9/_.-]{0,16}",
        "[a-z0-9&=+%#]{0,16}",
    )
        .prop_map(|(scheme, host, path, query)| format!("{scheme}://h{host}/{path}?{query}"))
}

fn method() -> impl Strategy<Value = HttpMethod> {
    prop_oneof![Just(HttpMethod::Get), Just(HttpMethod::Post)]
}

#[derive(Debug, Clone)]
enum Target {
    Url(String),
    Twiml(String),
    Application(String),
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        url().prop_map(Target::Url),
        "<Response><Say>[\\PC&&[^<>]]{0,200}</Say></Response>".prop_map(Target::Twiml),
        "AP[a-zA-Z0-9-]{1,34}".prop_map(Target::Application),
    ]
}

fn push(expected: &mut Vec<(String, String)>, key: &str, value: impl std::fmt::Display) {
    expected.push((key.to_string(), value.to_string()));
}

proptest! {
    #[test]
    fn create_parameters_round_trip(
        to in endpoint(),
        from in endpoint(),
        target in target(),
        call_method in proptest::option::of(method()),
        status_callback in proptest::option::of(url()),
        events in subsequence(CallEvent::ALL.to_vec(), 0..=4),
        send_digits in proptest::option::of("[0-9A-D#*wW]{1,32}"),
        timeout in proptest::option::of(1u32..=600),
        record in proptest::option::of(any::<bool>()),
        caller_id in proptest::option::of("\\PC{1,20}"),
        time_limit in proptest::option::of(1u32..=86_400),
    ) {
        let mut expected = Vec::new();
        push(&mut expected, "To", &to);
        push(&mut expected, "From", &from);
        let mut create = CreateCall::new(to, from);
        create = match target {
            Target::Url(v) => { push(&mut expected, "Url", &v); create.url(v) }
            Target::Twiml(v) => { push(&mut expected, "Twiml", &v); create.twiml(v) }
            Target::Application(v) => { push(&mut expected, "ApplicationSid", &v); create.application_sid(v) }
        };
        if let Some(m) = call_method { push(&mut expected, "Method", m); create = create.method(m); }
        if let Some(v) = status_callback { push(&mut expected, "StatusCallback", &v); create = create.status_callback(v); }
        for event in &events { push(&mut expected, "StatusCallbackEvent", event); }
        create = create.status_callback_events(events);
        if let Some(v) = send_digits { push(&mut expected, "SendDigits", &v); create = create.send_digits(v); }
        if let Some(v) = timeout { push(&mut expected, "Timeout", v); create = create.timeout(v); }
        if let Some(v) = record { push(&mut expected, "Record", v); create = create.record(v); }
        if let Some(v) = caller_id { push(&mut expected, "CallerId", &v); create = create.caller_id(v); }
        if let Some(v) = time_limit { push(&mut expected, "TimeLimit", v); create = create.time_limit(v); }

        let request = create.build_request(&config()).unwrap();
        prop_assert_eq!(decode(request.body()), sorted(expected));
    }

    #[test]
    fn update_parameters_round_trip(
        redirect in proptest::option::of(prop_oneof![
            url().prop_map(Target::Url),
            "<Response>[\\PC&&[^<>]]{0,100}</Response>".prop_map(Target::Twiml),
        ]),
        call_method in proptest::option::of(method()),
        status in proptest::option::of(prop_oneof![Just(UpdateStatus::Canceled), Just(UpdateStatus::Completed)]),
        status_callback in proptest::option::of(url()),
        time_limit in proptest::option::of(1u32..=86_400),
    ) {
        prop_assume!(redirect.is_some() || status.is_some() || status_callback.is_some() || time_limit.is_some() || call_method.is_some());
        let mut expected = Vec::new();
        let mut update = UpdateCall::new("CA1");
        match redirect {
            Some(Target::Url(v)) => { push(&mut expected, "Url", &v); update = update.url(v); }
            Some(Target::Twiml(v)) => { push(&mut expected, "Twiml", &v); update = update.twiml(v); }
            _ => {}
        }
        if let Some(m) = call_method { push(&mut expected, "Method", m); update = update.method(m); }
        if let Some(s) = status { push(&mut expected, "Status", s); update = update.status(s); }
        if let Some(v) = status_callback { push(&mut expected, "StatusCallback", &v); update = update.status_callback(v); }
        if let Some(v) = time_limit { push(&mut expected, "TimeLimit", v); update = update.time_limit(v); }

        let request = update.build_request(&config()).unwrap();
        prop_assert_eq!(decode(request.body()), sorted(expected));
    }

    #[test]
    fn list_parameters_round_trip(
        to in proptest::option::of(endpoint()),
        from in proptest::option::of(endpoint()),
        status in proptest::option::of("[a-z-]{1,12}"),
        page in proptest::option::of(0u32..10_000),
        page_size in proptest::option::of(1u32..=1000),
        page_token in proptest::option::of("\\PC{1,30}"),
        day in 1u8..=28,
    ) {
        let mut expected = Vec::new();
        let mut list = ListCalls::new();
        if let Some(v) = to { push(&mut expected, "To", &v); list = list.to(v); }
        if let Some(v) = from { push(&mut expected, "From", &v); list = list.from(v); }
        if let Some(v) = status { push(&mut expected, "Status", &v); list = list.status(CallStatus::from_wire(&v)); }
        let date = time::Date::from_calendar_date(2026, time::Month::April, day).unwrap();
        push(&mut expected, "StartTime>", format!("2026-04-{day:02}"));
        list = list.start_time_after(date);
        if let Some(v) = page { push(&mut expected, "Page", v); list = list.page(v); }
        if let Some(v) = page_size { push(&mut expected, "PageSize", v); list = list.page_size(v); }
        if let Some(v) = page_token { push(&mut expected, "PageToken", &v); list = list.page_token(v); }

        let request = list.build_request(&config()).unwrap();
        let query = request.uri().query().unwrap_or_default();
        prop_assert_eq!(decode(query.as_bytes()), sorted(expected));
    }
}
