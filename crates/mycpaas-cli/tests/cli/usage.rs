//! Help, usage errors and their exit codes.

use predicates::prelude::*;

use crate::support::{CREATE, FROM, mycpaas};

/// `calls create` to the usual callee from [`FROM`] followed by `rest`.
fn calls_create<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    [&["calls"][..], &CREATE, rest].concat()
}

#[test]
fn help_lists_commands_examples_and_exit_codes() {
    mycpaas()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("demo"))
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("4  creating a call failed"));
    for group in [
        &["calls", "--help"][..],
        &["laml", "--help"],
        &["sim", "--help"],
        &["demo", "--help"],
    ] {
        mycpaas()
            .args(group)
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn usage_errors_exit_with_2() {
    // (the arguments, what the message must name, if anything)
    let cases: [(&[&str], Option<&str>); 9] = [
        (&[], None),
        (&["calls", "frobnicate"], None),
        (
            &[
                "calls",
                "create",
                "--from",
                FROM,
                "--url",
                "https://example.com/v",
            ],
            Some("--to"),
        ),
        (&calls_create(&[]), Some("--url")),
        (
            &calls_create(&["--url", "https://example.com/v", "--twiml", "x.xml"]),
            None,
        ),
        (
            &calls_create(&["--url", "https://example.com/v", "--event", "sometimes"]),
            Some("initiated"),
        ),
        (&["laml", "fmt", "--pretty", "--compact", "x.xml"], None),
        (&["sim", "--speed", "0"], None),
        (&["sim", "--account-sid", "AC1"], None),
    ];
    for (args, names) in cases {
        let assert = mycpaas().args(args).assert().code(2);
        if let Some(name) = names {
            assert.stderr(predicate::str::contains(name));
        }
    }
}

#[test]
fn a_bad_base_url_names_the_flag() {
    mycpaas()
        .args(["calls", "list", "--base-url", "ftp://example.com"])
        .args(["--account-sid", "AC123", "--auth-token", "t"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--base-url"));
}
