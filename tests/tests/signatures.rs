//! Webhook signatures end to end: what the simulator signs with the account's token, core's
//! validator accepts; a wrong token, a changed parameter, a changed URL or a mangled signature
//! is refused. Plus the reference vectors of the API, through the public API.

use std::time::Duration;

use mycpaas_core::AuthToken;
use mycpaas_core::webhook::{SignatureValidator, body_sha256, url_with_body_sha256};
use mycpaas_sim::Simulator;
use mycpaas_sim::webapp::WebApp;
use mycpaas_tests::fixtures::{AnyClient, Settings, call_with_every_callback};

const ACCOUNT: &str = "AC5196a7a5196a7a5196a7a5196a7a5196";
const TOKEN: &str = "signing-token-4b1d";

#[test]
fn every_webhook_the_simulator_sends_validates_and_tampering_does_not() {
    let sim = Simulator::builder()
        .seed(21)
        .account(ACCOUNT, TOKEN)
        .start_in_background()
        .unwrap();
    let app = WebApp::builder()
        .document(
            "/voice",
            "<Response><Say>Hello</Say><Redirect method=\"GET\">/next</Redirect></Response>",
        )
        .document("/next", "<Response><Hangup/></Response>")
        .start_in_background()
        .unwrap();
    let client = AnyClient::blocking(&Settings::for_sim(&sim));
    let call = client
        .create(call_with_every_callback(
            &app.url("/voice"),
            &app.url("/status"),
        ))
        .unwrap();
    sim.wait_for_call(&call.sid, Duration::from_secs(30))
        .expect("the call ends");

    let validator = SignatureValidator::new(AuthToken::new(TOKEN.to_owned()));
    let impostor = SignatureValidator::new(AuthToken::new("not-the-token".to_owned()));
    let requests = app.requests();
    // The voice URL (POST), the redirect (GET with its parameters in the URL) and the callbacks.
    assert!(requests.iter().any(|r| r.method == "GET"), "{requests:?}");
    assert!(requests.iter().filter(|r| r.path == "/status").count() >= 4);
    for request in &requests {
        let signature = request
            .signature
            .as_deref()
            .expect("every webhook is signed");
        let params = request.signed_params();
        assert!(
            validator.validate(&request.full_url, params, signature),
            "{} {} did not validate",
            request.method,
            request.full_url
        );
        assert!(!impostor.validate(&request.full_url, params, signature));
        // A changed URL, a changed or added parameter, a mangled signature: all refused.
        let other_url = format!("{}x", request.full_url);
        assert!(!validator.validate(&other_url, params, signature));
        let mut changed = params.to_vec();
        if let Some(first) = changed.first_mut() {
            first.1.push('0');
            assert!(!validator.validate(&request.full_url, &changed, signature));
        }
        let mut added = params.to_vec();
        added.push(("Injected".to_owned(), "1".to_owned()));
        assert!(!validator.validate(&request.full_url, &added, signature));
        assert!(!validator.validate(&request.full_url, params, &signature[1..]));
        assert!(!validator.validate(&request.full_url, params, ""));
    }
    println!(
        "signatures: {} webhooks of one call validated, each refused when tampered 6 ways",
        requests.len()
    );
}

#[test]
fn reference_vectors_of_the_api() {
    let validator = SignatureValidator::new(AuthToken::new("12345".to_owned()));
    let params = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
    ];
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    assert_eq!(validator.sign(url, params), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    assert_eq!(
        validator.sign(with_port, params),
        "kvajT1Ptam85bY51eRf/AJRuM3w="
    );
    for signature in [
        "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
        "kvajT1Ptam85bY51eRf/AJRuM3w=",
    ] {
        assert!(validator.validate(url, params, signature));
        assert!(validator.validate(with_port, params, signature));
    }
    let body = br#"{"property": "value", "boolean": true}"#;
    assert_eq!(
        body_sha256(body),
        "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    );
    let signed_url = url_with_body_sha256("https://mycompany.com/myapp.php", body);
    assert!(validator.validate_body(&signed_url, body, "y77kIzt2vzLz71DgmJGsen2scGs="));
    assert!(!validator.validate_body(&signed_url, b"{}", "y77kIzt2vzLz71DgmJGsen2scGs="));
}
