//! No secret (auth token, SIP password, Basic credentials) shows in any `Debug` or `Display` output.

use base64::Engine as _;
use mycpaas_core::webhook::SignatureValidator;
use mycpaas_core::{AuthToken, Config, CreateCall, Error, Operation, TransportFailure};

const TOKEN: &str = "tok-7f3a9c-super-secret";
const SIP_PASSWORD: &str = "sip-pass-0xdeadbeef";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{what} leaks the token: {text}");
    assert!(
        !text.contains(SIP_PASSWORD),
        "{what} leaks the SIP password: {text}"
    );
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("AC1:{TOKEN}"));
    assert!(
        !text.contains(&basic),
        "{what} leaks the Basic credentials: {text}"
    );
}

#[test]
fn debug_output_never_contains_secrets() {
    let token = AuthToken::new(TOKEN.into());
    assert_eq!(format!("{token:?}"), "AuthToken(***)");

    let builder = Config::builder("AC1", TOKEN);
    assert_clean("ConfigBuilder", &format!("{builder:?}"));
    let config = builder.build().unwrap();
    assert_clean("Config", &format!("{config:?}"));
    assert_clean("Config (pretty)", &format!("{config:#?}"));

    let validator = SignatureValidator::new(token.clone());
    assert_clean("SignatureValidator", &format!("{validator:?}"));

    let create = CreateCall::new("sip:alice@example.com", "+4912345")
        .url("https://example.com/voice")
        .sip_auth_username("alice")
        .sip_auth_password(SIP_PASSWORD);
    assert_clean("CreateCall", &format!("{create:?}"));

    let request = mycpaas_core::FetchCall::new("CA1")
        .build_request(&config)
        .unwrap();
    assert_clean("Request", &format!("{request:?}"));
}

#[test]
fn errors_never_contain_secrets() {
    let errors: Vec<Error> = vec![
        Config::builder("AC1", format!("{TOKEN}\n"))
            .build()
            .unwrap_err(),
        Config::builder("AC/1", TOKEN).build().unwrap_err(),
        CreateCall::new("+4912", "+4934")
            .url("https://example.com")
            .sip_auth_username("")
            .sip_auth_password(SIP_PASSWORD)
            .validate()
            .unwrap_err(),
        CreateCall::new("+4912", "+4934")
            .transport_error(TransportFailure::maybe_sent("connection reset")),
    ];
    for err in errors {
        assert_clean("Error Display", &err.to_string());
        assert_clean("Error Debug", &format!("{err:?}"));
    }
}
