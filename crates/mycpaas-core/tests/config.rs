//! Configuration: defaults, base URL rules, environment lookup.

use std::collections::HashMap;
use std::time::Duration;

use mycpaas_core::{Config, Error, RetryPolicy};

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn defaults() {
    let config = Config::builder("AC1", "token").build().unwrap();
    assert_eq!(config.base_url(), "https://developer.mycpaas.io");
    assert_eq!(config.account_sid(), "AC1");
    assert_eq!(config.auth_token().expose_secret(), "token");
    assert_eq!(config.connect_timeout(), Duration::from_secs(10));
    assert_eq!(config.request_timeout(), Duration::from_secs(30));
    assert_eq!(config.retry_policy(), &RetryPolicy::default());
    assert_eq!(config.retry_policy().max_attempts, 3);
    assert_eq!(config.max_response_bytes(), 16 * 1024 * 1024);
    assert_eq!(
        config.user_agent(),
        format!("mycpaas-rust/{}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn setters() {
    let config = Config::builder("AC1", "token")
        .base_url("https://eu.example.com/")
        .connect_timeout(Duration::from_secs(1))
        .request_timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::no_retries())
        .user_agent_suffix("my-app/1.2")
        .max_response_bytes(1024)
        .build()
        .unwrap();
    assert_eq!(config.base_url(), "https://eu.example.com");
    assert_eq!(config.connect_timeout(), Duration::from_secs(1));
    assert_eq!(config.request_timeout(), Duration::from_secs(2));
    assert_eq!(config.retry_policy().max_attempts, 1);
    assert!(config.user_agent().ends_with(" my-app/1.2"));
    assert_eq!(config.max_response_bytes(), 1024);
}

#[test]
fn plain_http_only_for_loopback_unless_allowed() {
    for ok in [
        "http://127.0.0.1:8080",
        "http://localhost:3000",
        "http://[::1]:9000",
        "http://127.0.0.2",
    ] {
        assert!(
            Config::builder("AC1", "t").base_url(ok).build().is_ok(),
            "{ok}"
        );
    }
    let err = Config::builder("AC1", "t")
        .base_url("http://api.example.com")
        .build()
        .unwrap_err();
    assert_eq!(err.parameter(), Some("base_url"));
    assert!(err.to_string().contains("loopback"), "{err}");
    assert!(
        Config::builder("AC1", "t")
            .base_url("http://api.example.com")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
}

#[test]
fn bad_base_urls() {
    for bad in [
        "developer.mycpaas.io",
        "ftp://example.com",
        "https://example.com/?q=1",
        "https://example.com/#x",
        "https://user:pw@example.com",
        "",
    ] {
        let err = Config::builder("AC1", "t")
            .base_url(bad)
            .build()
            .unwrap_err();
        assert_eq!(err.parameter(), Some("base_url"), "{bad}");
    }
}

#[test]
fn bad_values_are_named() {
    let cases: Vec<(Result<Config, Error>, &str)> = vec![
        (Config::builder("", "t").build(), "account_sid"),
        (Config::builder("AC/1", "t").build(), "account_sid"),
        (Config::builder("AC1", "").build(), "auth_token"),
        (Config::builder("AC1", "a\nb").build(), "auth_token"),
        (
            Config::builder("AC1", "t")
                .connect_timeout(Duration::ZERO)
                .build(),
            "connect_timeout",
        ),
        (
            Config::builder("AC1", "t")
                .request_timeout(Duration::ZERO)
                .build(),
            "request_timeout",
        ),
        (
            Config::builder("AC1", "t").max_response_bytes(0).build(),
            "max_response_bytes",
        ),
        (
            Config::builder("AC1", "t")
                .user_agent_suffix("bad\u{7}")
                .build(),
            "user_agent_suffix",
        ),
        (
            Config::builder("AC1", "t")
                .retry_policy(RetryPolicy::new(0, Duration::ZERO, Duration::ZERO))
                .build(),
            "retry_policy.max_attempts",
        ),
    ];
    for (result, parameter) in cases {
        assert_eq!(result.unwrap_err().parameter(), Some(parameter));
    }
}

#[test]
fn sids_of_any_shape_are_accepted() {
    for sid in [
        "AC0123456789abcdef0123456789abcdef",
        "6f1c0b0e-35c8-4b3b-9d1c-2a8b1b3c4d5e",
        "acct_42",
    ] {
        assert!(Config::builder(sid, "t").build().is_ok(), "{sid}");
    }
}

#[test]
fn environment() {
    let config = Config::from_lookup(env(&[
        ("MYCPAAS_ACCOUNT_SID", "AC9"),
        ("MYCPAAS_AUTH_TOKEN", "tok"),
        ("MYCPAAS_BASE_URL", "http://127.0.0.1:4010"),
    ]))
    .unwrap();
    assert_eq!(config.account_sid(), "AC9");
    assert_eq!(config.base_url(), "http://127.0.0.1:4010");

    let config = Config::from_lookup(env(&[
        ("MYCPAAS_ACCOUNT_SID", "AC9"),
        ("MYCPAAS_AUTH_TOKEN", "tok"),
    ]))
    .unwrap();
    assert_eq!(config.base_url(), "https://developer.mycpaas.io");

    let err = Config::from_lookup(env(&[("MYCPAAS_ACCOUNT_SID", "AC9")])).unwrap_err();
    assert_eq!(err.parameter(), Some("MYCPAAS_AUTH_TOKEN"));
    assert!(err.to_string().contains("MYCPAAS_AUTH_TOKEN"));
    let err = Config::from_lookup(env(&[("MYCPAAS_AUTH_TOKEN", "tok")])).unwrap_err();
    assert_eq!(err.parameter(), Some("MYCPAAS_ACCOUNT_SID"));
    let err = Config::from_lookup(env(&[
        ("MYCPAAS_ACCOUNT_SID", "AC9"),
        ("MYCPAAS_AUTH_TOKEN", "tok"),
        ("MYCPAAS_BASE_URL", "http://example.com"),
    ]))
    .unwrap_err();
    assert_eq!(err.parameter(), Some("base_url"));
}

#[test]
fn loopback_base_urls_are_recognised() {
    for base_url in [
        "http://127.0.0.1:8080",
        "http://127.9.9.9",
        "http://[::1]:3000",
        "http://LOCALHOST:8080",
        "https://localhost",
    ] {
        let config = Config::builder("AC123", "token")
            .base_url(base_url)
            .build()
            .unwrap();
        assert!(config.is_loopback(), "{base_url}");
    }
    for base_url in [
        "https://developer.mycpaas.io",
        "https://10.0.0.1",
        "https://localhost.example.com",
    ] {
        let config = Config::builder("AC123", "token")
            .base_url(base_url)
            .build()
            .unwrap();
        assert!(!config.is_loopback(), "{base_url}");
    }
}
