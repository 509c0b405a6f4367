//! `mycpaas calls ...` against the simulator.

use std::time::Duration;

use assert_cmd::Command;
use mycpaas_sim::TimelineEvent;
use mycpaas_sim::{Fault, magic};
use predicates::prelude::*;

use crate::support::{CREATE, Env, FROM, TO, json, mycpaas, sid_of, temp_file, text};

#[test]
fn create_places_the_call_and_asks_for_every_status_callback() {
    let env = Env::fast();
    let output = env
        .calls(&CREATE)
        .args([
            "--url",
            &env.app.url("/voice"),
            "--status-callback",
            &env.app.url("/status"),
            "--event",
            "initiated",
            "--event",
            "ringing",
            "--event",
            "answered,completed",
            "--timeout",
            "30",
            "--output",
            "json",
        ])
        .assert()
        .success();
    let call = json(&output.get_output().stdout);
    assert_eq!(call["status"], "queued");
    assert_eq!(call["to"], TO);
    let sid = call["sid"].as_str().unwrap();

    let timeline = env.finished(sid);
    assert_eq!(
        timeline.statuses(),
        ["queued", "initiated", "ringing", "in-progress", "completed"]
    );
    assert_eq!(timeline.verbs(), ["Say"]);
    let statuses: Vec<String> = env
        .app
        .requests_to("/status")
        .iter()
        .filter_map(|r| r.param("CallStatus").map(str::to_owned))
        .collect();
    assert_eq!(statuses.len(), 4, "{statuses:?}");
    for status in ["initiated", "ringing", "in-progress", "completed"] {
        assert!(statuses.iter().any(|s| s == status), "{statuses:?}");
    }
}

#[test]
fn create_sends_a_twiml_file_and_the_call_runs_it() {
    let env = Env::fast();
    let (_dir, laml) = temp_file(
        "hello.xml",
        "<Response>\n  <Say>From a file</Say>\n  <Pause length=\"1\"/>\n  <Hangup/>\n</Response>\n",
    );
    let output = env
        .calls_with_env(&CREATE)
        .args(["--twiml", &laml, "--output", "json"])
        .assert()
        .success();
    let timeline = env.finished(&sid_of(&output));
    assert_eq!(timeline.verbs(), ["Say", "Pause", "Hangup"]);
    assert_eq!(timeline.status, "completed");
}

#[test]
fn laml_with_errors_is_refused_with_line_and_column_before_sending() {
    // (file, its text, where the first error is, what the message must also say)
    let cases: [(&str, &str, &str, &[&str]); 2] = [
        (
            "broken.xml",
            "<Response>\n  <Say>Hi</Say>\n  <play>https://example.com/a.mp3</play>\n</Response>\n",
            "3:3",
            &["play"],
        ),
        (
            "dial.xml",
            "<Response>\n  <Dial timeout=\"2\"><Number>+15551230001</Number></Dial>\n</Response>\n",
            "2:3",
            &["timeout", "nothing was sent"],
        ),
    ];
    for (name, laml, position, mentions) in cases {
        let env = Env::fast();
        let (_dir, laml) = temp_file(name, laml);
        let path = laml.as_str();
        let position = format!("{path}:{position}: error:");
        let command = env.calls(&[&CREATE[..], &["--twiml", path]].concat());
        assert_refused_before_sending(&env, command, &[&[&*position][..], mentions].concat());
    }
}

#[test]
fn input_the_client_can_judge_is_refused_before_any_request() {
    // (the command, what its message must say)
    let cases: [(&[&str], &[&str]); 2] = [
        (
            &[
                "create",
                "--to",
                "0049 123",
                "--from",
                FROM,
                "--url",
                "https://example.com/v",
            ],
            &["invalid To", "E.164"],
        ),
        (&["list", "--page-size", "0"], &["PageSize"]),
    ];
    for (args, mentions) in cases {
        let env = Env::fast();
        assert_refused_before_sending(&env, env.calls(args), mentions);
    }
}

/// Runs `command`, which must exit with 1 and a message saying each of `mentions`, with no
/// request reaching `env`'s simulator.
fn assert_refused_before_sending(env: &Env, mut command: Command, mentions: &[&str]) {
    let output = command.assert().code(1);
    let stderr = text(&output.get_output().stderr);
    for mention in mentions {
        assert!(stderr.contains(mention), "{mention} in {stderr}");
    }
    assert_eq!(env.sim.request_count(), 0, "nothing sent: {stderr}");
}

#[test]
fn a_number_the_api_rejects_is_an_api_error() {
    let env = Env::fast();
    env.calls(&["create", "--to", magic::INVALID, "--from", FROM])
        .args(["--url", &env.app.url("/voice")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("code 21211"));
}

#[test]
fn a_missing_credential_is_a_usage_error_naming_the_variable() {
    let env = Env::fast();
    mycpaas()
        .args(["calls", "get", "CA123", "--base-url", &env.sim.base_url()])
        .args(["--account-sid", &env.sim.account_sid()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("MYCPAAS_AUTH_TOKEN"))
        .stderr(predicate::str::contains("--auth-token"));
    mycpaas()
        .args(["calls", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("MYCPAAS_ACCOUNT_SID"));
    assert_eq!(env.sim.request_count(), 0);
}

#[test]
fn a_wrong_auth_token_is_refused_and_never_printed() {
    let env = Env::fast();
    mycpaas()
        .args(["calls", "list", "--base-url", &env.sim.base_url()])
        .args(["--account-sid", &env.sim.account_sid()])
        .args(["--auth-token", "not-the-token-0123456789"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("20003"))
        .stderr(predicate::str::contains("not-the-token").not());
}

#[test]
fn an_unreachable_api_is_a_transport_error() {
    // Port 9 (discard) on loopback: nothing listens there on a test machine.
    mycpaas()
        .args(["calls", "get", "CA123", "--base-url", "http://127.0.0.1:9"])
        .args(["--account-sid", "AC123", "--auth-token", "secret-token"])
        .args(["--request-timeout", "5"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("secret-token").not());
}

#[test]
fn get_shows_the_call_in_each_format() {
    let env = Env::fast();
    let sid = env.create(TO, "/voice");
    env.finished(&sid);

    let output = env.calls(&["get", &sid, "-o", "json"]).assert().success();
    let call = json(&output.get_output().stdout);
    assert_eq!(call["sid"], sid.as_str());
    assert_eq!(call["status"], "completed");

    env.calls(&["get", &sid])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("sid:            {sid}")))
        .stdout(predicate::str::contains("status:         completed"));

    let output = env
        .calls(&["get", &sid, "--output", "csv"])
        .assert()
        .success();
    let csv = text(&output.get_output().stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("sid,status,"));
    assert!(lines[1].starts_with(&format!("{sid},completed,")));
}

#[test]
fn get_of_an_unknown_call_is_not_found() {
    let env = Env::fast();
    env.calls(&["get", "CA00000000000000000000000000000000"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("20404"));
}

#[test]
fn list_follows_pages_filters_and_limits() {
    let env = Env::fast();
    let mut mine = Vec::new();
    for _ in 0..5 {
        mine.push(env.create("+15551230001", "/voice"));
    }
    let other = env.create("+15551230002", "/voice");
    for sid in mine.iter().chain([&other]) {
        env.finished(sid);
    }

    let output = env
        .calls(&[
            "list",
            "--to",
            "+15551230001",
            "--page-size",
            "2",
            "-o",
            "json",
        ])
        .assert()
        .success();
    let listed = json(&output.get_output().stdout);
    let mut sids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sid"].as_str().unwrap())
        .collect();
    sids.sort_unstable();
    let mut expected: Vec<&str> = mine.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(sids, expected, "every page, only the filtered number");

    let output = env
        .calls(&[
            "list",
            "--page-size",
            "2",
            "--limit",
            "3",
            "--output",
            "csv",
        ])
        .assert()
        .success();
    let csv = text(&output.get_output().stdout);
    assert_eq!(csv.lines().count(), 1 + 3, "header and three calls:\n{csv}");

    let output = env
        .calls(&["list", "--status", "completed", "--from", "+15559870000"])
        .assert()
        .success();
    let table = text(&output.get_output().stdout);
    assert!(table.starts_with("SID "), "{table}");
    assert_eq!(table.lines().count(), 1 + 6, "{table}");
    assert!(table.contains(&other));

    env.calls(&["list", "--status", "busy"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(no calls)"));
}

#[test]
fn update_redirects_a_live_call_to_new_laml() {
    let env = Env::slow();
    let sid = env.create(TO, "/hold");
    let (_dir, laml) = temp_file(
        "next.xml",
        "<Response><Say>Moved on</Say><Hangup/></Response>",
    );
    env.calls(&["update", &sid, "--twiml", &laml, "-o", "json"])
        .assert()
        .success();
    let timeline = env.finished(&sid);
    assert!(timeline.verbs().contains(&"Say"), "{:?}", timeline.verbs());
    assert_eq!(timeline.status, "completed");

    let sid = env.create(TO, "/hold");
    env.calls(&["update", &sid, "--url", &env.app.url("/voice")])
        .assert()
        .success();
    let timeline = env.finished(&sid);
    let redirected = timeline
        .documents()
        .iter()
        .any(|d| matches!(d, TimelineEvent::Document { url, .. } if url.ends_with("/voice")));
    assert!(redirected, "{timeline:?}");
}

#[test]
fn hangup_a_status_update_and_cancel_end_a_live_call() {
    // (callee, the command and its flags after the SID, the status printed and ended in)
    let cases: [(&str, &str, &[&str], &str); 3] = [
        (TO, "hangup", &[], "completed"),
        (
            TO,
            "update",
            &["--status", "completed", "--time-limit", "60"],
            "completed",
        ),
        // The callee never answers: the call is still ringing when it is canceled.
        (magic::NO_ANSWER, "cancel", &[], "canceled"),
    ];
    for (to, command, flags, status) in cases {
        let env = Env::slow();
        let output = env
            .calls(&["create", "--to", to, "--from", FROM])
            .args(["--url", &env.app.url("/hold"), "--timeout", "600"])
            .args(["-o", "json"])
            .assert()
            .success();
        let sid = sid_of(&output);
        let output = env
            .calls(&[command, &sid])
            .args(flags)
            .args(["-o", "json"])
            .assert()
            .success();
        assert_eq!(
            json(&output.get_output().stdout)["status"],
            status,
            "{command}"
        );
        assert_eq!(env.finished(&sid).status, status, "{command}");
    }
}

#[test]
fn delete_removes_the_record() {
    let env = Env::fast();
    let sid = env.create(TO, "/voice");
    env.finished(&sid);
    env.calls(&["delete", &sid])
        .assert()
        .success()
        .stdout(format!("deleted {sid}\n"));
    env.calls(&["get", &sid]).assert().code(1);
}

#[test]
fn a_create_that_may_have_reached_the_server_exits_4_and_is_not_repeated() {
    let env = Env::fast();
    env.sim.faults().inject(Fault::DropAfterHandling, 1);
    env.calls(&CREATE)
        .args(["--url", &env.app.url("/voice")])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("may have been created"))
        .stderr(predicate::str::contains("mycpaas calls list"));
    assert_eq!(
        env.sim.calls_created(),
        1,
        "exactly one call, never a retry"
    );
}

#[test]
fn an_undecodable_answer_is_an_error_with_an_excerpt() {
    let env = Env::fast();
    let sid = env.create(TO, "/voice");
    env.sim.faults().inject(Fault::MalformedBody, 1);
    env.calls(&["get", &sid])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("could not decode"));
}

#[test]
fn a_list_failing_midway_still_prints_well_formed_json() {
    let env = Env::fast();
    for _ in 0..3 {
        let sid = env.create(TO, "/voice");
        env.finished(&sid);
    }
    // The first page is answered normally, the second is garbage.
    env.sim.faults().inject(Fault::Delay(Duration::ZERO), 1);
    env.sim.faults().inject(Fault::MalformedBody, 1);
    let output = env
        .calls(&["list", "--page-size", "2", "-o", "json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("could not decode"));
    let listed = json(&output.get_output().stdout);
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");
}

#[test]
fn wait_polls_a_call_until_it_ends_and_gives_up_at_the_deadline() {
    let env = Env::fast();
    let (_dir, laml) = temp_file("long.xml", "<Response><Pause length=\"3600\"/></Response>");
    let sid = env.create_with(&["--twiml", &laml]);
    let answered = env
        .calls(&["wait", &sid, "--until", "answered", "--output", "json"])
        .assert()
        .success();
    assert_eq!(json(&answered.get_output().stdout)["status"], "in-progress");
    env.calls(&["wait", &sid, "--deadline", "0.3"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("was not ended within"));
    env.calls(&["wait", &sid, "--until", "later"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("until"));
    env.calls(&["hangup", &sid]).assert().success();
    let ended = env
        .calls(&["wait", &sid, "--output", "json"])
        .assert()
        .success();
    assert_eq!(json(&ended.get_output().stdout)["status"], "completed");
}
