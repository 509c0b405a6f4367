//! Everything core reads from the network or from a webhook request, fed arbitrary bytes:
//! response bodies of every operation under any status, the pagination state machine (whose next
//! request must never leave the configured host), error documents, `Retry-After` headers and
//! webhook forms with their signatures. Nothing may panic.
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use mycpaas_core::ops::response;
use mycpaas_core::paginate::Paginator;
use mycpaas_core::webhook::{
    DialResult, GatherResult, RecordResult, SignatureValidator, StatusCallback, VoiceRequest,
};
use mycpaas_core::{
    AuthToken, Config, CreateCall, DeleteCall, FetchCall, ListCalls, Operation, UpdateCall,
};

const STATUSES: [u16; 12] = [200, 201, 204, 301, 400, 401, 404, 429, 500, 502, 503, 599];

fn response(status: u16, headers: &[(&str, &[u8])], body: &[u8]) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        if let Ok(value) = http::HeaderValue::from_bytes(value) {
            builder = builder.header(*name, value);
        }
    }
    builder
        .body(body.to_vec())
        .unwrap_or_else(|_| http::Response::new(body.to_vec()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Some((&status_index, body)) = rest.split_first() else {
        return;
    };
    let status = STATUSES[usize::from(status_index) % STATUSES.len()];
    let config = Config::builder("AC0123456789abcdef0123456789abcdef", "fuzz-token")
        .base_url("https://api.example.test")
        .build()
        .expect("a valid configuration");

    match selector % 8 {
        0 => {
            let op = CreateCall::new("+491234567890", "+491098765432").url("https://e.test/v");
            let _ = op.parse_response(response(status, &[], body));
        }
        1 => {
            let _ = FetchCall::new("CA1").parse_response(response(status, &[], body));
            let _ = DeleteCall::new("CA1").parse_response(response(status, &[], body));
        }
        2 => {
            let op = UpdateCall::new("CA1").url("https://e.test/v");
            let _ = op.parse_response(response(status, &[], body));
            let _ = ListCalls::new().parse_response(response(status, &[], body));
        }
        3 => {
            // The same page served over and over: the walk must end, and every request it
            // makes must go to the configured host.
            let mut pages = Paginator::new(ListCalls::new().page_size(2), None);
            for _ in 0..8 {
                let Some(request) = pages.next_request(&config) else {
                    break;
                };
                if let Ok(request) = request {
                    assert_eq!(request.uri().host(), Some("api.example.test"));
                    assert_eq!(request.uri().scheme_str(), Some("https"));
                }
                let _ = pages.handle_response(response(status, &[], body));
            }
        }
        4 => {
            let error = response::api_error(status, body);
            let _ = error.to_string();
            let excerpt = response::excerpt(body);
            assert!(excerpt.chars().count() <= response::EXCERPT_CHARS + 1);
        }
        5 => {
            let headers = response(status, &[("retry-after", body)], b"")
                .headers()
                .clone();
            let policy = mycpaas_core::RetryPolicy::default();
            let outcome = mycpaas_core::retry::Outcome::Response {
                status: http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK),
                headers: &headers,
            };
            let mut half = || 0.5;
            if let mycpaas_core::retry::RetryDecision::RetryAfter(wait) = policy.decide(
                &http::Method::POST,
                1,
                &outcome,
                SystemTime::now(),
                &mut half,
            ) {
                assert!(
                    wait <= policy.max_retry_after.max(policy.max_delay) + Duration::from_millis(1)
                );
            }
        }
        6 => {
            let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
            let _ = VoiceRequest::from_pairs(pairs.clone());
            let _ = StatusCallback::from_pairs(pairs.clone());
            let _ = GatherResult::from_pairs(pairs.clone());
            let _ = RecordResult::from_pairs(pairs.clone());
            let _ = DialResult::from_pairs(pairs);
        }
        _ => {
            // URL, then a signature, then the form, separated by newlines.
            let text = String::from_utf8_lossy(body);
            let mut parts = text.splitn(3, '\n');
            let url = parts.next().unwrap_or_default();
            let signature = parts.next().unwrap_or_default();
            let form = parts.next().unwrap_or_default();
            let pairs: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes())
                .into_owned()
                .collect();
            let validator = SignatureValidator::new(AuthToken::new("12345".to_owned()));
            let _ = validator.validate(url, pairs.clone(), signature);
            let _ = validator.validate_body(url, form.as_bytes(), signature);
            let signed = validator.sign(url, pairs.clone());
            // What the validator signs, it accepts.
            assert!(validator.validate(url, pairs, &signed));
        }
    }
});
