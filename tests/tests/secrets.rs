//! A known auth token never shows: not in `Debug` or `Display` of any public config, client,
//! request or error, and not in anything the SDK, its HTTP stacks or the simulator log at
//! `TRACE` level while calls are created, retried, refused and failed.

use std::net::Ipv4Addr;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mycpaas_core::paginate::Paginator;
use mycpaas_core::retry::RetryPolicy;
use mycpaas_core::webhook::SignatureValidator;
use mycpaas_core::{AuthToken, Config, CreateCall, Error, ListCalls, Operation};
use mycpaas_sim::{Fault, Simulator};
use mycpaas_tests::capture;
use mycpaas_tests::fixtures::Settings;
use mycpaas_tests::hostile::{Behavior, HostileServer, Reply};

const ACCOUNT: &str = "AC5ec4e75ec4e75ec4e75ec4e75ec4e75e";
/// The secret every test uses; it must never be seen.
const TOKEN: &str = "tok-LEAK-7c1e5a9b3d";

/// Every form the secret could leak in: itself, and the Basic credentials carrying it.
fn secret_forms() -> Vec<String> {
    vec![
        TOKEN.to_owned(),
        STANDARD.encode(format!("{ACCOUNT}:{TOKEN}")),
        STANDARD
            .encode(format!("{ACCOUNT}:{TOKEN}"))
            .trim_end_matches('=')
            .to_owned(),
    ]
}

fn assert_hidden(what: &str, text: &str) {
    for secret in secret_forms() {
        assert!(!text.contains(&secret), "{what} shows the secret: {text}");
    }
}

fn assert_debug_hidden(what: &str, value: &impl std::fmt::Debug) {
    assert_hidden(what, &format!("{value:?}"));
    assert_hidden(what, &format!("{value:#?}"));
}

fn assert_error_hidden(what: &str, error: &Error) {
    assert_debug_hidden(what, error);
    assert_hidden(what, &error.to_string());
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        assert_hidden(what, &cause.to_string());
        source = cause.source();
    }
}

fn assert_log_hidden() {
    assert!(
        capture::install(),
        "the capturing subscriber is the global one"
    );
    let output = capture::output();
    assert_hidden("captured tracing output", &output);
}

#[test]
fn configs_clients_requests_and_validators_hide_the_token() {
    assert!(capture::install());
    let token = AuthToken::new(TOKEN.to_owned());
    assert_debug_hidden("AuthToken", &token);

    let builder = Config::builder(ACCOUNT, TOKEN).base_url("http://127.0.0.1:9");
    assert_debug_hidden("ConfigBuilder", &builder);
    let config = builder.build().unwrap();
    assert_debug_hidden("Config", &config);

    let blocking_builder = mycpaas_blocking::Client::builder(ACCOUNT, TOKEN);
    assert_debug_hidden("blocking ClientBuilder", &blocking_builder);
    let blocking = mycpaas_blocking::Client::from_config(config.clone()).unwrap();
    assert_debug_hidden("blocking Client", &blocking);
    assert_debug_hidden(
        "blocking CallIter",
        &blocking.calls().iter(ListCalls::new(), Some(1)),
    );
    let async_builder = mycpaas_async::Client::builder(ACCOUNT, TOKEN);
    assert_debug_hidden("async ClientBuilder", &async_builder);
    let asynchronous = mycpaas_async::Client::from_config(config.clone()).unwrap();
    assert_debug_hidden("async Client", &asynchronous);

    // The request core builds carries the credentials, marked sensitive.
    let create = CreateCall::new("+491234567890", "+491098765432")
        .url("https://example.com/voice.xml")
        // A SIP password is a secret too.
        .sip_auth_username("alice")
        .sip_auth_password(TOKEN);
    assert_debug_hidden("CreateCall", &create);
    let request = create.build_request(&config).unwrap();
    assert_debug_hidden("http::Request", &request);
    assert_debug_hidden("request headers", request.headers());

    let mut pages = Paginator::new(ListCalls::new(), Some(5));
    let page_request = pages.next_request(&config).unwrap().unwrap();
    assert_debug_hidden("Paginator", &pages);
    assert_debug_hidden("page request", &page_request);

    assert_debug_hidden("SignatureValidator", &SignatureValidator::new(token));

    // The simulator's own accounts hold the token too.
    let sim = Simulator::builder()
        .account(ACCOUNT, TOKEN)
        .start_in_background()
        .unwrap();
    assert_debug_hidden("SimHandle", &sim);
    assert_debug_hidden("sim accounts", &sim.accounts());
    assert_log_hidden();
}

#[test]
fn configuration_errors_hide_the_token() {
    assert!(capture::install());
    // A token the configuration refuses is not repeated in the error.
    for bad in [
        format!("{TOKEN}\n"),
        format!("{TOKEN}\u{0}"),
        format!("\r{TOKEN}"),
    ] {
        let error = Config::builder(ACCOUNT, bad.as_str()).build().unwrap_err();
        assert_eq!(error.parameter(), Some("auth_token"));
        assert_error_hidden("config error", &error);
        let error = mycpaas_blocking::Client::builder(ACCOUNT, bad.as_str())
            .build()
            .unwrap_err();
        assert_error_hidden("blocking client error", &error);
        let error = mycpaas_async::Client::builder(ACCOUNT, bad.as_str())
            .build()
            .unwrap_err();
        assert_error_hidden("async client error", &error);
    }
    // Other bad settings next to a good token.
    for error in [
        Config::builder(ACCOUNT, TOKEN)
            .base_url("ftp://x")
            .build()
            .unwrap_err(),
        Config::builder("AC/1", TOKEN).build().unwrap_err(),
        Config::builder(ACCOUNT, TOKEN)
            .base_url("https://user:pass@example.com")
            .build()
            .unwrap_err(),
        Config::from_lookup(|name| (name == "MYCPAAS_AUTH_TOKEN").then(|| TOKEN.to_owned()))
            .unwrap_err(),
    ] {
        assert_error_hidden("config error", &error);
    }
    assert_log_hidden();
}

#[test]
fn errors_from_real_exchanges_and_the_logs_hide_the_token() {
    assert!(capture::install());
    let mut seen = Vec::new();

    // Api: the simulator refuses the token (401), and answers a missing call (404).
    let sim = Simulator::builder()
        .seed(3)
        .account(ACCOUNT, "another-token")
        .start_in_background()
        .unwrap();
    for client in Settings::new(&sim.base_url(), ACCOUNT, TOKEN).both() {
        let error = client.fetch("CA404").unwrap_err();
        assert_eq!(error.status(), Some(401));
        assert_error_hidden("401", &error);
        seen.push("Api");
    }

    // Calls with retries under faults, against a simulator that knows the token: every attempt,
    // retry and failure is logged at TRACE level.
    let sim = Simulator::builder()
        .seed(4)
        .account(ACCOUNT, TOKEN)
        .start_in_background()
        .unwrap();
    let settings = Settings::for_sim(&sim).request_timeout(Duration::from_millis(500));
    for client in settings.both() {
        let name = client.name();
        sim.faults().inject(
            Fault::RateLimited {
                retry_after_secs: 0,
            },
            1,
        );
        sim.faults().inject(Fault::Unavailable, 1);
        let call = client
            .create(twiml_call())
            .map_err(|e| format!("{name}: {e}"));
        // 429 is retried; the 503 after it is final for a create.
        assert!(call.is_err(), "{call:?}");
        let call = client.create(twiml_call()).unwrap();
        sim.faults().inject(Fault::DropAfterHandling, 1);
        sim.faults().inject(Fault::TruncatedBody, 1);
        client.fetch(&call.sid).unwrap();
        sim.faults().inject(Fault::DropAfterHandling, 1);
        let error = client.create(twiml_call()).unwrap_err();
        assert!(matches!(error, Error::MaybeCreated { .. }), "{error:?}");
        assert_error_hidden("MaybeCreated", &error);
        sim.faults().inject(Fault::MalformedBody, 1);
        let error = client.fetch(&call.sid).unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        assert_error_hidden("Decode", &error);
        sim.faults().inject(Fault::Delay(Duration::from_secs(2)), 3);
        let error = client.fetch(&call.sid).unwrap_err();
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
        assert_error_hidden("Timeout", &error);
        seen.extend(["MaybeCreated", "Decode", "Timeout"]);
    }

    // Transport before sending: nobody listens.
    let closed =
        Settings::new("http://127.0.0.1:9", ACCOUNT, TOKEN).retry(RetryPolicy::no_retries());
    for client in closed.both() {
        let error = client.fetch("CA1").unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        assert_error_hidden("Transport", &error);
        seen.push("Transport");
    }

    // Too large, and a next page on another host (whose URI carries a token-like query).
    let flood = HostileServer::start(Behavior::Flood {
        status: 200,
        bytes: 1 << 20,
        announce_length: true,
    })
    .unwrap();
    for client in Settings::new(&flood.base_url(), ACCOUNT, TOKEN)
        .max_response_bytes(1024)
        .both()
    {
        let error = client.fetch("CA1").unwrap_err();
        assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
        assert_error_hidden("ResponseTooLarge", &error);
        seen.push("ResponseTooLarge");
    }
    let elsewhere = HostileServer::start_on(
        Ipv4Addr::new(127, 0, 0, 2),
        Behavior::Reply(Reply::new(200, "application/json", "{}")),
    )
    .unwrap();
    let page = serde_json::json!({
        "page": 0, "page_size": 1, "uri": "/x",
        "next_page_uri": format!("{}/next", elsewhere.base_url()),
        "calls": [{"sid": "CA1"}],
    });
    let lister = HostileServer::start(Behavior::Reply(Reply::new(
        200,
        "application/json",
        page.to_string(),
    )))
    .unwrap();
    for client in Settings::new(&lister.base_url(), ACCOUNT, TOKEN).both() {
        let items = client.walk(ListCalls::new().page_size(1), None);
        let error = items.into_iter().find_map(Result::err).unwrap();
        assert!(matches!(error, Error::UnsafeNextPage { .. }), "{error:?}");
        assert_error_hidden("UnsafeNextPage", &error);
        seen.push("UnsafeNextPage");
    }
    assert!(elsewhere.received().is_empty());

    assert_log_hidden();
    let output = capture::output();
    // The capture did see the exchanges: an empty log would prove nothing.
    assert!(output.contains("mycpaas"), "nothing was captured");
    let lines_of = |target: &str| output.lines().filter(|l| l.contains(target)).count();
    println!(
        "secrets: TRACE lines from mycpaas: {}, ureq: {}, hyper: {}, reqwest: {}",
        lines_of(" mycpaas"),
        lines_of("ureq"),
        lines_of("hyper"),
        lines_of("reqwest")
    );
    println!(
        "secrets: {} errors of {} kinds checked, {} bytes of TRACE output checked, 0 leaks",
        seen.len(),
        {
            let mut kinds = seen.clone();
            kinds.sort_unstable();
            kinds.dedup();
            kinds.len()
        },
        output.len()
    );
}

fn twiml_call() -> CreateCall {
    CreateCall::new("+491234567890", "+491098765432").twiml("<Response><Hangup/></Response>")
}
