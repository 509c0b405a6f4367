//! Whatever a server or a webhook caller sends, core answers with a value or a typed error,
//! never a panic.

use mycpaas_core::paginate::Paginator;
use mycpaas_core::webhook::{
    DialResult, GatherResult, RecordResult, StatusCallback, VoiceRequest, validate_body_signature,
    validate_signature,
};
use mycpaas_core::{
    AuthToken, Config, CreateCall, DeleteCall, Endpoint, FetchCall, ListCalls, Operation,
};
use proptest::prelude::*;

fn response(status: u16, body: Vec<u8>) -> http::Response<Vec<u8>> {
    http::Response::builder().status(status).body(body).unwrap()
}

/// Bodies that look like JSON often enough to reach the decoders.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        "\\PC{0,100}".prop_map(String::into_bytes),
        (
            "[a-z_]{1,12}",
            prop_oneof![
                Just("null".to_string()),
                Just("-1".to_string()),
                Just("1e400".to_string()),
                Just("\"\"".to_string()),
                "\"\\PC{0,20}\"",
                Just("{}".to_string()),
                Just("[]".to_string()),
            ]
        )
            .prop_map(|(k, v)| format!(
                r#"{{"sid":"CA1","{k}":{v},"calls":[{{"sid":"CA2","{k}":{v}}}]}}"#
            )
            .into_bytes()),
    ]
}

proptest! {
    #[test]
    fn responses_never_panic(status in 100u16..600, body in body()) {
        let _ = CreateCall::new("+4912", "+4934").parse_response(response(status, body.clone()));
        let _ = FetchCall::new("CA1").parse_response(response(status, body.clone()));
        let _ = DeleteCall::new("CA1").parse_response(response(status, body.clone()));
        let _ = ListCalls::new().parse_response(response(status, body.clone()));
        let config = Config::builder("AC1", "t").build().unwrap();
        let mut pages = Paginator::new(ListCalls::new(), None);
        if let Some(Ok(_)) = pages.next_request(&config) {
            let _ = pages.handle_response(response(status, body));
            let _ = pages.next_request(&config);
        }
    }

    #[test]
    fn webhook_forms_never_panic(pairs in proptest::collection::vec(
        (prop_oneof![
            Just("SequenceNumber".to_string()), Just("Timestamp".to_string()),
            Just("Confidence".to_string()), Just("CallDuration".to_string()),
            Just("RecordingDuration".to_string()), Just("DialCallDuration".to_string()),
            Just("CallStatus".to_string()), "\\PC{0,10}",
        ], "\\PC{0,30}"), 0..10)) {
        let _ = VoiceRequest::from_pairs(&pairs);
        let _ = StatusCallback::from_pairs(&pairs);
        let _ = GatherResult::from_pairs(&pairs);
        let _ = RecordResult::from_pairs(&pairs);
        let _ = DialResult::from_pairs(&pairs);
        let token = AuthToken::new("k".into());
        let _ = validate_signature("https://example.com/hook", &pairs, "sig", &token);
    }

    #[test]
    fn signature_checks_never_panic(url in "\\PC{0,60}", body in any::<Vec<u8>>(), signature in "\\PC{0,40}") {
        let token = AuthToken::new("k".into());
        prop_assert!(!validate_body_signature(&url, &body, &signature, &token) || url.contains("bodySHA256"));
        let _ = validate_signature(&url, [("a", "b")], &signature, &token);
    }

    #[test]
    fn user_input_never_panics(to in "\\PC{0,20}", from in "\\PC{0,20}", url in "\\PC{0,30}", sid in "\\PC{0,12}") {
        let config = Config::builder("AC1", "t").build().unwrap();
        let _ = Endpoint::parse(&to);
        let _ = CreateCall::new(to, from).url(url).build_request(&config);
        let _ = FetchCall::new(sid.clone()).build_request(&config);
        let _ = Config::builder(sid, "t").build();
    }
}
