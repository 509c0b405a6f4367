//! The operations as a user sees them: what is refused before sending, what goes on the wire,
//! and what comes back.

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{Method, Response};
use mycpaas_core::types::{
    AnsweredByDetection, RecordingChannels, RecordingEvent, RecordingTrack, Trim,
};
use mycpaas_core::{
    CallEvent, CallStatus, Config, CreateCall, DeleteCall, Error, FetchCall, HttpMethod, ListCalls,
    Operation, TransportFailure, UpdateCall, UpdateStatus,
};
use time::macros::date;

fn config() -> Config {
    Config::builder("AC1", "token")
        .base_url("http://127.0.0.1:4010")
        .build()
        .unwrap()
}

fn create() -> CreateCall {
    CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml")
}

fn decode(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

fn response(status: u16, body: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

/// Asserts that building fails naming `parameter` and a rule containing `rule`.
fn refused(op: &impl Operation, parameter: &str, rule: &str) {
    match op.build_request(&config()) {
        Err(Error::InvalidInput {
            parameter: got,
            rule: why,
        }) => {
            assert_eq!(got, parameter, "rule: {why}");
            assert!(why.contains(rule), "{parameter}: {why:?} lacks {rule:?}");
        }
        other => panic!("expected InvalidInput for {parameter}, got {other:?}"),
    }
}

#[test]
fn create_request_shape() {
    let request = create().build_request(&config()).unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(
        request.uri(),
        "http://127.0.0.1:4010/api/laml/2010-04-01/Accounts/AC1/Calls.json"
    );
    assert_eq!(
        request.headers()[CONTENT_TYPE],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(request.headers()[ACCEPT], "application/json");
    assert_eq!(request.headers()[AUTHORIZATION], "Basic QUMxOnRva2Vu");
    let agent = request.headers()[USER_AGENT].to_str().unwrap();
    assert!(agent.starts_with("mycpaas-rust/"), "{agent}");
    assert_eq!(
        decode(request.body()),
        pairs(&[
            ("To", "+491234567890"),
            ("From", "+491098765432"),
            ("Url", "https://example.com/voice.xml"),
        ])
    );
}

#[test]
fn create_sends_every_parameter_with_its_wire_name() {
    let request = CreateCall::new("sip:bob@example.com", "client:alice")
        .url("https://example.com/voice")
        .method(HttpMethod::Get)
        .fallback_url("https://example.com/fallback")
        .fallback_method(HttpMethod::Post)
        .status_callback("https://example.com/status")
        .status_callback_events([CallEvent::Initiated, CallEvent::Ringing])
        .status_callback_event(CallEvent::Answered)
        .status_callback_event(CallEvent::Initiated)
        .status_callback_method(HttpMethod::Get)
        .send_digits("ww1234#")
        .timeout(45)
        .record(true)
        .recording_channels(RecordingChannels::Dual)
        .recording_status_callback("https://example.com/rec")
        .recording_status_callback_method(HttpMethod::Post)
        .recording_status_callback_events([RecordingEvent::InProgress, RecordingEvent::Completed])
        .recording_track(RecordingTrack::Both)
        .trim(Trim::DoNotTrim)
        .machine_detection(AnsweredByDetection::DetectMessageEnd)
        .machine_detection_timeout(30)
        .machine_detection_speech_threshold(2400)
        .machine_detection_speech_end_threshold(1200)
        .machine_detection_silence_timeout(5000)
        .async_amd(false)
        .async_amd_status_callback("https://example.com/amd")
        .async_amd_status_callback_method(HttpMethod::Get)
        .caller_id("+4955")
        .sip_auth_username("bob")
        .sip_auth_password("pw")
        .time_limit(3600)
        .build_request(&config())
        .unwrap();
    assert_eq!(
        decode(request.body()),
        pairs(&[
            ("To", "sip:bob@example.com"),
            ("From", "client:alice"),
            ("Url", "https://example.com/voice"),
            ("Method", "GET"),
            ("FallbackUrl", "https://example.com/fallback"),
            ("FallbackMethod", "POST"),
            ("StatusCallback", "https://example.com/status"),
            ("StatusCallbackEvent", "initiated"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
            ("StatusCallbackMethod", "GET"),
            ("SendDigits", "ww1234#"),
            ("Timeout", "45"),
            ("Record", "true"),
            ("RecordingChannels", "dual"),
            ("RecordingStatusCallback", "https://example.com/rec"),
            ("RecordingStatusCallbackMethod", "POST"),
            ("RecordingStatusCallbackEvent", "in-progress"),
            ("RecordingStatusCallbackEvent", "completed"),
            ("RecordingTrack", "both"),
            ("Trim", "do-not-trim"),
            ("MachineDetection", "DetectMessageEnd"),
            ("MachineDetectionTimeout", "30"),
            ("MachineDetectionSpeechThreshold", "2400"),
            ("MachineDetectionSpeechEndThreshold", "1200"),
            ("MachineDetectionSilenceTimeout", "5000"),
            ("AsyncAmd", "false"),
            ("AsyncAmdStatusCallback", "https://example.com/amd"),
            ("AsyncAmdStatusCallbackMethod", "GET"),
            ("CallerId", "+4955"),
            ("SipAuthUsername", "bob"),
            ("SipAuthPassword", "pw"),
            ("TimeLimit", "3600"),
        ])
    );
}

#[test]
fn create_twiml_and_application_targets() {
    let twiml = "<Response><Say>Hi &amp; bye</Say></Response>";
    let request = CreateCall::new("+4912", "+4934")
        .twiml(twiml)
        .build_request(&config())
        .unwrap();
    assert!(decode(request.body()).contains(&("Twiml".to_string(), twiml.to_string())));
    let request = CreateCall::new("+4912", "+4934")
        .application_sid("AP123")
        .build_request(&config())
        .unwrap();
    assert!(decode(request.body()).contains(&("ApplicationSid".into(), "AP123".into())));
}

#[test]
fn create_validation_rules() {
    // (the request, the parameter its refusal names, words of the rule): one row a line.
    #[rustfmt::skip]
    let cases: Vec<(CreateCall, &str, &str)> = vec![
        (CreateCall::new("", "+4934").url("https://e.x"), "To", "required"),
        (CreateCall::new("+4912", "").url("https://e.x"), "From", "required"),
        (CreateCall::new("4912", "+4934").url("https://e.x"), "To", "E.164"),
        (CreateCall::new("+0912", "+4934").url("https://e.x"), "To", "not 0"),
        (CreateCall::new("+1", "+4934").url("https://e.x"), "To", "2 to 15 digits"),
        (CreateCall::new("+4912", "+49 34").url("https://e.x"), "From", "E.164"),
        (CreateCall::new("+4912", "client:").url("https://e.x"), "From", "name"),
        (CreateCall::new("+4912", "+4934"), "Url", "exactly one of Url, Twiml, ApplicationSid"),
        (CreateCall::new("+4912", "+4934").url("https://e.x").twiml("<Response/>"), "Url", "exactly one"),
        (CreateCall::new("+4912", "+4934").twiml("<Response/>").application_sid("AP1"), "Twiml", "exactly one"),
        (CreateCall::new("+4912", "+4934").url("/voice.xml"), "Url", "absolute http(s) URL"),
        (CreateCall::new("+4912", "+4934").url("ftp://e.x/v"), "Url", "absolute http(s) URL"),
        (CreateCall::new("+4912", "+4934").twiml("x".repeat(4001)), "Twiml", "at most 4000"),
        (CreateCall::new("+4912", "+4934").application_sid("AP/1"), "ApplicationSid", "URL-safe"),
        (create().fallback_url("nope"), "FallbackUrl", "absolute"),
        (create().status_callback("example.com/s"), "StatusCallback", "absolute"),
        (create().recording_status_callback("file:///tmp/x"), "RecordingStatusCallback", "absolute"),
        (create().async_amd_status_callback(""), "AsyncAmdStatusCallback", "absolute"),
        (create().timeout(0), "Timeout", "between 1 and 600"),
        (create().timeout(601), "Timeout", "between 1 and 600"),
        (create().send_digits("12x"), "SendDigits", "0-9, A-D, #, *, w and W"),
        (create().send_digits("1".repeat(33)), "SendDigits", "at most 32"),
        (create().time_limit(0), "TimeLimit", "greater than 0"),
        (create().machine_detection_timeout(0), "MachineDetectionTimeout", "greater than 0"),
        (create().caller_id(""), "CallerId", "empty"),
        (create().sip_auth_username(""), "SipAuthUsername", "empty"),
        (create().caller_id("+4912\r\nX-Injected: 1"), "CallerId", "control characters (found '\\r' at character 6)"),
        (create().sip_auth_username("alice\0"), "SipAuthUsername", "control characters"),
        (create().sip_auth_password("pa\nss"), "SipAuthPassword", "control characters"),
        (create().send_digits("12\t3"), "SendDigits", "'\\t'"),
    ];
    for (op, parameter, rule) in &cases {
        refused(op, parameter, rule);
    }
    // boundaries that are allowed
    assert!(create().timeout(1).validate().is_ok());
    assert!(create().timeout(600).validate().is_ok());
    assert!(
        create()
            .send_digits("0123456789ABCD#*wW")
            .validate()
            .is_ok()
    );
    assert!(
        CreateCall::new("+4912", "+4934")
            .twiml("x".repeat(4000))
            .validate()
            .is_ok()
    );
}

#[test]
fn create_outcomes() {
    let call = create()
        .parse_response(response(
            201,
            r#"{"sid":"CA1","status":"queued","direction":"outbound-api"}"#,
        ))
        .unwrap();
    assert_eq!(call.status, Some(CallStatus::Queued));
    let err = create()
        .parse_response(response(
            400,
            r#"{"code":21211,"message":"Invalid 'To' Phone Number","more_info":"https://x/21211","status":400}"#,
        ))
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.api_code(), Some(21211));
    assert!(!err.is_retryable());
    // a failure after sending: the call may exist
    let err = create().transport_error(TransportFailure::maybe_sent("connection reset"));
    assert!(matches!(err, Error::MaybeCreated { .. }), "{err:?}");
    let err = create().transport_error(TransportFailure::maybe_sent("slow").timed_out());
    assert!(matches!(err, Error::MaybeCreated { .. }), "{err:?}");
    // an accepted create whose answer cannot be read: the call exists, so never "not sent"
    for (status, body) in [
        (201, r#"{"sid": "CA1", "status": "queu"#),
        (200, "<html>accepted</html>"),
        (201, ""),
    ] {
        let err = create().parse_response(response(status, body)).unwrap_err();
        let Error::MaybeCreated { message, .. } = &err else {
            panic!("HTTP {status} {body:?}: expected MaybeCreated, got {err:?}");
        };
        assert!(err.may_have_been_sent(), "{err:?}");
        assert!(!err.is_retryable(), "{err:?}");
        assert!(
            message.contains(&format!("accepted the create (HTTP {status})")),
            "{message}"
        );
        assert!(message.contains("could not be read"), "{message}");
        assert!(message.contains(&format!("{body:?}")), "{message}");
    }
    // the same body for a fetch stays a decode error: a GET creates nothing
    let err = FetchCall::new("CA1")
        .parse_response(response(200, "<html>accepted</html>"))
        .unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    // a failure before sending: nothing was created
    let err = create().transport_error(TransportFailure::not_sent("refused"));
    assert!(
        matches!(
            err,
            Error::Transport {
                may_have_been_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn fetch_and_delete() {
    let request = FetchCall::new("CA42").build_request(&config()).unwrap();
    assert_eq!(request.method(), Method::GET);
    assert!(request.body().is_empty());
    assert!(request.headers().get(CONTENT_TYPE).is_none());
    assert_eq!(
        request.uri(),
        "http://127.0.0.1:4010/api/laml/2010-04-01/Accounts/AC1/Calls/CA42.json"
    );
    refused(&FetchCall::new(""), "CallSid", "empty");
    refused(&FetchCall::new("CA1?x=1"), "CallSid", "URL-safe");
    refused(&DeleteCall::new("../AC2"), "CallSid", "URL-safe");

    let delete = DeleteCall::new("CA42");
    let request = delete.build_request(&config()).unwrap();
    assert_eq!(request.method(), Method::DELETE);
    assert_eq!(delete.method(), Method::DELETE);
    delete.parse_response(response(204, "")).unwrap();
    let err = delete
        .parse_response(response(
            404,
            r#"{"code":20404,"message":"The requested resource was not found","status":404}"#,
        ))
        .unwrap_err();
    assert_eq!(err.api_code(), Some(20404));

    let err =
        FetchCall::new("CA1").transport_error(TransportFailure::maybe_sent("eof").timed_out());
    assert!(matches!(
        err,
        Error::Timeout {
            may_have_been_sent: true,
            ..
        }
    ));
}

#[test]
fn sids_are_percent_encoded_in_paths() {
    let config = Config::builder("AC:ü", "t").build().unwrap();
    let request = FetchCall::new("CA~1.x").build_request(&config).unwrap();
    assert_eq!(
        request.uri().path(),
        "/api/laml/2010-04-01/Accounts/AC%3A%C3%BC/Calls/CA~1.x.json"
    );
}

#[test]
fn update_requests_and_rules() {
    let request = UpdateCall::new("CA1")
        .url("https://example.com/next")
        .method(HttpMethod::Get)
        .fallback_url("https://example.com/fb")
        .fallback_method(HttpMethod::Post)
        .status_callback("https://example.com/s")
        .status_callback_method(HttpMethod::Get)
        .time_limit(60)
        .build_request(&config())
        .unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(
        request.uri().path(),
        "/api/laml/2010-04-01/Accounts/AC1/Calls/CA1.json"
    );
    assert_eq!(
        decode(request.body()),
        pairs(&[
            ("Url", "https://example.com/next"),
            ("Method", "GET"),
            ("FallbackUrl", "https://example.com/fb"),
            ("FallbackMethod", "POST"),
            ("StatusCallback", "https://example.com/s"),
            ("StatusCallbackMethod", "GET"),
            ("TimeLimit", "60"),
        ])
    );
    let request = UpdateCall::new("CA1")
        .status(UpdateStatus::Canceled)
        .build_request(&config())
        .unwrap();
    assert_eq!(decode(request.body()), pairs(&[("Status", "canceled")]));
    let request = UpdateCall::new("CA1")
        .twiml("<Response><Hangup/></Response>")
        .build_request(&config())
        .unwrap();
    assert_eq!(
        decode(request.body()),
        pairs(&[("Twiml", "<Response><Hangup/></Response>")])
    );

    // (the request, the parameter its refusal names, words of the rule): one row a line.
    #[rustfmt::skip]
    let cases: Vec<(UpdateCall, &str, &str)> = vec![
        (UpdateCall::new("CA1").url("https://e.x/a").twiml("<Response/>"), "Twiml", "exclusive"),
        (UpdateCall::new("CA1"), "Status", "at least one parameter"),
        (UpdateCall::new("CA1").url("relative"), "Url", "absolute"),
        (UpdateCall::new("CA1").twiml("y".repeat(4001)), "Twiml", "4000"),
        (UpdateCall::new("CA1").time_limit(0), "TimeLimit", "greater than 0"),
        (UpdateCall::new("CA1").fallback_url("x"), "FallbackUrl", "absolute"),
        (UpdateCall::new("CA1").status_callback("x"), "StatusCallback", "absolute"),
        (UpdateCall::new("").status(UpdateStatus::Completed), "CallSid", "empty"),
    ];
    for (op, parameter, rule) in &cases {
        refused(op, parameter, rule);
    }

    let err = UpdateCall::new("CA1")
        .status(UpdateStatus::Canceled)
        .parse_response(response(
            400,
            r#"{"code":21220,"message":"Call is not in-progress","status":400}"#,
        ))
        .unwrap_err();
    assert_eq!(err.api_code(), Some(21220));
}

#[test]
fn list_requests_and_rules() {
    let request = ListCalls::new()
        .to("+4912")
        .from("client:bob")
        .status(CallStatus::NoAnswer)
        .parent_call_sid("CA0")
        .start_time(date!(2026 - 04 - 19))
        .end_time_before(date!(2026 - 04 - 20))
        .end_time_after(date!(2026 - 04 - 01))
        .page(2)
        .page_size(1000)
        .page_token("PA42")
        .build_request(&config())
        .unwrap();
    assert_eq!(request.method(), Method::GET);
    assert!(request.body().is_empty());
    let query = request.uri().query().unwrap();
    assert!(query.contains("EndTime%3C=2026-04-20"), "{query}");
    assert_eq!(
        decode(query.as_bytes()),
        pairs(&[
            ("To", "+4912"),
            ("From", "client:bob"),
            ("Status", "no-answer"),
            ("ParentCallSid", "CA0"),
            ("StartTime", "2026-04-19"),
            ("EndTime<", "2026-04-20"),
            ("EndTime>", "2026-04-01"),
            ("Page", "2"),
            ("PageSize", "1000"),
            ("PageToken", "PA42"),
        ])
    );
    let request = ListCalls::new().build_request(&config()).unwrap();
    assert_eq!(request.uri().query(), None);
    assert!(ListCalls::new().page_size(1).validate().is_ok());
    // (the request, the parameter its refusal names, words of the rule): one row a line.
    #[rustfmt::skip]
    let cases: Vec<(ListCalls, &str, &str)> = vec![
        (ListCalls::new().page_size(0), "PageSize", "between 1 and 1000"),
        (ListCalls::new().page_size(1001), "PageSize", "between 1 and 1000"),
        (ListCalls::new().to("12345"), "To", "E.164"),
        (ListCalls::new().from("+0"), "From", "E.164"),
        (ListCalls::new().parent_call_sid("a#b"), "ParentCallSid", "URL-safe"),
        (ListCalls::new().page_token(""), "PageToken", "empty"),
        (ListCalls::new().start_time(date!(2026 - 01 - 01)).start_time_after(date!(2026 - 01 - 01)), "StartTime", "exclusive"),
    ];
    for (op, parameter, rule) in &cases {
        refused(op, parameter, rule);
    }
    // an unknown status value the server may have added can still be filtered on
    let request = ListCalls::new()
        .status(CallStatus::Other("on-hold".into()))
        .build_request(&config())
        .unwrap();
    assert_eq!(request.uri().query(), Some("Status=on-hold"));
}

#[test]
fn list_pages_decode() {
    let page = ListCalls::new()
        .parse_response(response(
            200,
            r#"{"page":0,"page_size":50,"calls":[{"sid":"CA1","status":"busy"}]}"#,
        ))
        .unwrap();
    assert_eq!(page.calls[0].status, Some(CallStatus::Busy));
    let err = ListCalls::new()
        .parse_response(response(502, "<html><body>Bad Gateway</body></html>"))
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert!(err.is_retryable());
    let err = ListCalls::new()
        .parse_response(response(200, "<html>maintenance</html>"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: 200, body_excerpt, .. } if body_excerpt == "<html>maintenance</html>"),
        "{err:?}"
    );
}
