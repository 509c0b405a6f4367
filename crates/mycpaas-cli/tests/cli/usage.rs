//! Help, usage errors and their exit codes.

use predicates::prelude::*;

use crate::support::mycpaas;

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
    mycpaas().assert().code(2);
    mycpaas().args(["calls", "frobnicate"]).assert().code(2);
    mycpaas()
        .args([
            "calls",
            "create",
            "--from",
            "+15559870000",
            "--url",
            "https://example.com/v",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--to"));
    mycpaas()
        .args([
            "calls",
            "create",
            "--to",
            "+15551230000",
            "--from",
            "+15559870000",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--url"));
    mycpaas()
        .args([
            "calls",
            "create",
            "--to",
            "+15551230000",
            "--from",
            "+15559870000",
        ])
        .args(["--url", "https://example.com/v", "--twiml", "x.xml"])
        .assert()
        .code(2);
    mycpaas()
        .args([
            "calls",
            "create",
            "--to",
            "+15551230000",
            "--from",
            "+15559870000",
        ])
        .args(["--url", "https://example.com/v", "--event", "sometimes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("initiated"));
    mycpaas()
        .args(["laml", "fmt", "--pretty", "--compact", "x.xml"])
        .assert()
        .code(2);
    mycpaas().args(["sim", "--speed", "0"]).assert().code(2);
    mycpaas()
        .args(["sim", "--account-sid", "AC1"])
        .assert()
        .code(2);
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
