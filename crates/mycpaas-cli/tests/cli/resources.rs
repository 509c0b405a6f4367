//! Every command of the resources beyond Calls, against the simulator: one row per resource
//! (create, get, update, list with a filter, delete, then get again is a 404), and the commands
//! of a live call's recording.

use std::time::Duration;

use serde_json::Value;

use crate::support::{Env, LONG_PAUSE, json, temp_file};

/// Stands for the path of a LaML file in a row's arguments.
const LAML_FILE: &str = "{laml file}";

/// A resource whose commands create, get, update, list and delete.
struct Row {
    command: &'static str,
    create: &'static [&'static str],
    update: &'static [&'static str],
    /// The field the update sets, and its value after it.
    updated: (&'static str, &'static str),
    list: &'static [&'static str],
}

const ROWS: &[Row] = &[
    Row {
        command: "applications",
        create: &[
            "--friendly-name",
            "ivr",
            "--voice-url",
            "https://example.com/a.xml",
        ],
        update: &["--voice-method", "GET"],
        updated: ("voice_method", "GET"),
        list: &["--friendly-name", "ivr"],
    },
    Row {
        command: "incoming-phone-numbers",
        create: &[
            "--phone-number",
            "+14155550199",
            "--friendly-name",
            "front desk",
        ],
        update: &["--voice-url", "https://example.com/in.xml"],
        updated: ("voice_url", "https://example.com/in.xml"),
        list: &["--phone-number", "+1415"],
    },
    Row {
        command: "laml-bins",
        create: &["--name", "greeting", "--contents", LAML_FILE],
        update: &["--name", "renamed"],
        updated: ("name", "renamed"),
        list: &["--name", "renamed"],
    },
    Row {
        command: "queues",
        create: &["--friendly-name", "support", "--max-size", "20"],
        update: &["--friendly-name", "sales"],
        updated: ("friendly_name", "sales"),
        list: &[],
    },
];

fn run_json(env: &Env, command: &str, args: &[&str]) -> Value {
    let output = env
        .resource(command, args)
        .args(["--output", "json"])
        .assert()
        .success();
    json(&output.get_output().stdout)
}

#[test]
fn every_command_of_each_resource_runs_against_the_simulator() {
    let env = Env::fast();
    let (_dir, laml_file) = temp_file("greeting.xml", "<Response><Say>Hi</Say></Response>");
    for row in ROWS {
        let mut create = vec!["create"];
        create.extend(row.create.iter().map(|arg| {
            if *arg == LAML_FILE {
                laml_file.as_str()
            } else {
                arg
            }
        }));
        let created = run_json(&env, row.command, &create);
        let sid = created["sid"].as_str().expect("a SID").to_owned();
        assert_eq!(
            run_json(&env, row.command, &["get", &sid])["sid"],
            sid.as_str()
        );

        let mut update = vec!["update", sid.as_str()];
        update.extend(row.update);
        let updated = run_json(&env, row.command, &update);
        assert_eq!(updated[row.updated.0], row.updated.1, "{}", row.command);

        let mut list = vec!["list"];
        list.extend(row.list);
        let listed = run_json(&env, row.command, &list);
        let sids: Vec<&str> = listed
            .as_array()
            .expect("a list is an array")
            .iter()
            .filter_map(|item| item["sid"].as_str())
            .collect();
        assert_eq!(sids, [sid.as_str()], "{}", row.command);

        let deleted = run_json(&env, row.command, &["delete", &sid]);
        assert_eq!(deleted["deleted"], true);
        env.resource(row.command, &["get", &sid])
            .assert()
            .code(1)
            .stderr(predicates::str::contains("20404"));
    }
}

#[test]
fn a_live_calls_recording_is_started_paused_resumed_and_stopped() {
    let env = Env::slow();
    let (_dir, document) = temp_file("hold.xml", LONG_PAUSE);
    let call = env.create_with(&["--twiml", &document]);
    env.calls(&["wait", &call, "--until", "answered", "--deadline", "60"])
        .assert()
        .success();
    std::thread::sleep(Duration::from_millis(50));

    let started = run_json(
        &env,
        "recordings",
        &["start", &call, "--recording-channels", "dual"],
    );
    let sid = started["sid"].as_str().expect("a SID").to_owned();
    assert_eq!(started["status"], "in-progress");
    assert_eq!(started["channels"], "2");
    for (command, status) in [
        ("pause", "paused"),
        ("resume", "in-progress"),
        ("stop", "completed"),
    ] {
        let changed = run_json(&env, "recordings", &[command, &call, &sid]);
        assert_eq!(changed["status"], status, "{command}");
    }
    let listed = run_json(&env, "recordings", &["list-for-call", &call]);
    assert_eq!(listed[0]["sid"], sid.as_str());
    let listed = run_json(&env, "recordings", &["list", "--call-sid", &call]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let table = env
        .resource("recordings", &["list", "--call-sid", &call])
        .assert()
        .success();
    let table = String::from_utf8_lossy(&table.get_output().stdout).into_owned();
    assert!(table.starts_with("SID"), "{table}");
    assert!(table.contains(&sid), "{table}");
    let transcriptions = run_json(&env, "transcriptions", &["list-for-recording", &sid]);
    assert_eq!(transcriptions, Value::Array(Vec::new()));
    assert_eq!(
        run_json(&env, "transcriptions", &["list"]),
        Value::Array(Vec::new())
    );
    assert_eq!(
        run_json(&env, "recordings", &["get", &sid])["status"],
        "completed"
    );
    run_json(&env, "recordings", &["delete", &sid]);
    env.resource("transcriptions", &["get", "TR0"])
        .assert()
        .code(1);
    env.calls(&["hangup", &call]).assert().success();
}

#[test]
fn a_conference_is_listed_fetched_and_ended() {
    let env = Env::fast();
    let (_dir, document) = temp_file(
        "room.xml",
        "<Response><Dial><Conference>support</Conference></Dial></Response>",
    );
    let call = env.create_with(&["--twiml", &document]);
    let live = || {
        run_json(
            &env,
            "conferences",
            &[
                "list",
                "--friendly-name",
                "support",
                "--status",
                "in-progress",
            ],
        )
    };
    let mut listed = live();
    for _ in 0..500 {
        if listed.as_array().is_some_and(|items| !items.is_empty()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
        listed = live();
    }
    let sid = listed[0]["sid"].as_str().expect("a conference").to_owned();
    assert_eq!(
        run_json(&env, "conferences", &["get", &sid])["friendly_name"],
        "support"
    );
    let ended = run_json(&env, "conferences", &["end", &sid]);
    assert_eq!(ended["status"], "completed");
    env.resource("conferences", &["end", &sid])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("21501"));
    env.calls(&["wait", &call, "--until", "ended", "--deadline", "60"])
        .assert()
        .success();
}

#[test]
fn a_queues_members_are_listed_fetched_and_dequeued() {
    let env = Env::slow();
    let queue = run_json(&env, "queues", &["create", "--friendly-name", "line"]);
    let queue = queue["sid"].as_str().expect("a queue").to_owned();
    let (_dir, document) = temp_file(
        "enqueue.xml",
        "<Response><Enqueue>line</Enqueue></Response>",
    );
    // Placed one after the other, each once the one before waits: they are in this order.
    let mut callers = Vec::new();
    let mut listed = Value::Null;
    for n in 1..=2 {
        callers.push(env.create_with(&["--twiml", &document]));
        for _ in 0..500 {
            listed = run_json(&env, "members", &["list", &queue]);
            if listed.as_array().is_some_and(|items| items.len() == n) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let positions: Vec<(&str, u64)> = listed
        .as_array()
        .expect("the members")
        .iter()
        .map(|m| {
            let sid = m["call_sid"].as_str().unwrap_or_default();
            (sid, m["position"].as_u64().unwrap_or_default())
        })
        .collect();
    let expected: Vec<(&str, u64)> = callers.iter().map(String::as_str).zip(1..).collect();
    assert_eq!(positions, expected);
    let front = run_json(&env, "members", &["get", &queue, "Front"]);
    assert_eq!(front["call_sid"], expected[0].0);
    let taken = run_json(
        &env,
        "members",
        &[
            "dequeue",
            &queue,
            expected[1].0,
            "--url",
            "https://example.com/agent.xml",
        ],
    );
    assert_eq!(taken["position"], 2);
    env.resource("members", &["get", &queue, expected[1].0])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("404"));
    // The dequeued call went to a document the simulator cannot fetch, and ended there.
    env.calls(&["hangup", &callers[0]]).assert().success();
}

#[test]
fn a_conferences_participants_are_listed_changed_added_and_kicked() {
    let env = Env::slow();
    let (_dir, document) = temp_file(
        "room.xml",
        "<Response><Dial><Conference>standup</Conference></Dial></Response>",
    );
    let participants = |sid: &str| -> Vec<String> {
        run_json(&env, "participants", &["list", sid])
            .as_array()
            .expect("a list")
            .iter()
            .map(|p| p["call_sid"].as_str().expect("a call SID").to_owned())
            .collect()
    };
    let first = env.create_with(&["--twiml", &document]);
    let mut sid = String::new();
    for _ in 0..500 {
        let listed = run_json(&env, "conferences", &["list", "--friendly-name", "standup"]);
        if let Some(found) = listed[0]["sid"].as_str() {
            found.clone_into(&mut sid);
            if participants(&sid).len() == 1 {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = env.create_with(&["--twiml", &document]);
    for _ in 0..500 {
        if participants(&sid).len() == 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(participants(&sid), [first.as_str(), second.as_str()]);

    let fetched = run_json(&env, "participants", &["get", &sid, &first]);
    assert_eq!(fetched["call_sid"], first.as_str());
    assert_eq!(fetched["status"], "connected");
    for (flag, value) in [("--muted", true), ("--muted", false), ("--hold", true)] {
        let text = value.to_string();
        let changed = run_json(&env, "participants", &["update", &sid, &first, flag, &text]);
        assert_eq!(changed[&flag[2..]], value, "{flag} {value}");
    }
    let held = run_json(&env, "participants", &["list", &sid, "--hold", "true"]);
    assert_eq!(held[0]["call_sid"], first.as_str());
    let table = env
        .resource("participants", &["list", &sid])
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&table.get_output().stdout).contains(&second));
    env.resource(
        "participants",
        &["update", &sid, &second, "--coaching", "true"],
    )
    .assert()
    .code(1)
    .stderr(predicates::str::contains("21503"));

    let added = run_json(
        &env,
        "participants",
        &[
            "add",
            &sid,
            "--from",
            "+15559870000",
            "--to",
            "+15551230003",
            "--muted",
            "--label",
            "boss",
        ],
    );
    assert_eq!(added["status"], "queued");
    let guest = added["call_sid"].as_str().expect("its call").to_owned();
    for _ in 0..500 {
        if participants(&sid).contains(&guest) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let joined = run_json(&env, "participants", &["get", &sid, &guest]);
    assert_eq!(
        (&joined["muted"], &joined["label"]),
        (&true.into(), &"boss".into())
    );
    env.resource("participants", &["kick", &sid, &guest])
        .assert()
        .success();
    env.resource("participants", &["get", &sid, &guest])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("21502"));
    let recordings = run_json(&env, "recordings", &["list-for-conference", &sid]);
    assert_eq!(recordings.as_array().map(Vec::len), Some(0));

    run_json(&env, "conferences", &["end", &sid]);
    env.resource("participants", &["get", &sid, &first])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("21501"));
}

/// A completed recording of about `seconds` simulated seconds of a live call (the fast
/// simulator runs 1000 simulated seconds per real second).
fn recording_of(env: &Env, seconds: u64) -> String {
    let (_dir, document) = temp_file(
        "hold.xml",
        r#"<Response><Pause length="36000"/></Response>"#,
    );
    let call = env.create_with(&["--twiml", &document]);
    env.calls(&["wait", &call, "--until", "answered", "--deadline", "60"])
        .assert()
        .success();
    let started = run_json(env, "recordings", &["start", &call]);
    let sid = started["sid"].as_str().expect("a SID").to_owned();
    std::thread::sleep(Duration::from_millis(seconds + 20));
    run_json(env, "recordings", &["stop", &call, &sid]);
    env.calls(&["hangup", &call]).assert().success();
    sid
}

/// Runs `mycpaas recordings download SID -O FILE` and returns the most memory (VmHWM, bytes)
/// its process held, read from `/proc` while it ran.
#[cfg(target_os = "linux")]
fn download_peak(env: &Env, sid: &str, file: &std::path::Path) -> u64 {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mycpaas"))
        .args(["recordings", "download", sid, "-O"])
        .arg(file)
        .args([
            "--base-url",
            &env.sim.base_url(),
            "--account-sid",
            &env.sim.account_sid(),
        ])
        .args(["--auth-token", &env.sim.auth_token()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("mycpaas runs");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            let hwm = status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            peak = peak.max(hwm.unwrap_or(0) * 1024);
        }
        if let Some(status) = child.try_wait().expect("the download runs") {
            assert!(status.success(), "the download failed: {status}");
            return peak;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_thirty_minute_recording_downloads_with_flat_memory() {
    let env = Env::fast();
    let short = recording_of(&env, 5);
    let long = recording_of(&env, 1800);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (short_file, long_file) = (dir.path().join("short.wav"), dir.path().join("long.wav"));
    let short_peak = download_peak(&env, &short, &short_file);
    let long_peak = download_peak(&env, &long, &long_file);
    let long_bytes = std::fs::metadata(&long_file).expect("the file").len();
    let wav = hound::WavReader::open(&long_file).expect("a valid WAV");
    assert!(wav.duration() >= 1800 * 8000, "{} samples", wav.duration());
    println!(
        "a {long_bytes}-byte (30-minute) download peaked at {} KiB, a {}-byte one at {} KiB",
        long_peak / 1024,
        std::fs::metadata(&short_file).expect("the file").len(),
        short_peak / 1024
    );
    assert!(long_bytes > 28_000_000);
    assert!(
        long_peak < short_peak + 4 * 1024 * 1024,
        "the 30-minute download held {long_peak} bytes, the short one {short_peak}"
    );
}

#[test]
fn sim_call_in_rings_a_number_of_the_account() {
    let env = Env::fast();
    let voice = env.app.url("/voice");
    run_json(
        &env,
        "incoming-phone-numbers",
        &[
            "create",
            "--phone-number",
            "+14155550142",
            "--voice-url",
            &voice,
        ],
    );
    let output = crate::support::mycpaas()
        .args([
            "sim",
            "call-in",
            "--to",
            "+14155550142",
            "--from",
            "+15557770001",
        ])
        .args([
            "--base-url",
            &env.sim.base_url(),
            "--account-sid",
            &env.sim.account_sid(),
        ])
        .args(["--auth-token", &env.sim.auth_token(), "--output", "json"])
        .assert()
        .success();
    let call = json(&output.get_output().stdout);
    assert_eq!(call["direction"], "inbound");
    assert_eq!(call["to"], "+14155550142");
    let timeline = env.finished(call["sid"].as_str().expect("a SID"));
    assert_eq!(timeline.statuses().last(), Some(&"completed"));
    assert_eq!(env.app.requests_to("/voice").len(), 1);

    crate::support::mycpaas()
        .args([
            "sim",
            "call-in",
            "--to",
            "+14155550199",
            "--from",
            "+15557770001",
        ])
        .args([
            "--base-url",
            &env.sim.base_url(),
            "--account-sid",
            &env.sim.account_sid(),
        ])
        .args(["--auth-token", &env.sim.auth_token()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("20404"));
}

#[test]
fn a_manual_clock_is_read_and_advanced_by_the_sim_commands() {
    let env = Env::manual();
    let start = run_json(&env, "sim", &["clock"]);
    assert_eq!(start["manual"], true);
    let created = run_json(
        &env,
        "calls",
        &[
            "create",
            "--to",
            "+15557770003",
            "--from",
            "+15557770004",
            "--url",
            &env.app.url("/hold"),
        ],
    );
    let sid = created["sid"].as_str().expect("a call SID").to_owned();
    // Queued until time moves: 0.2 s to `initiated`, 1 s more to `ringing`.
    let status = |env: &Env| run_json(env, "calls", &["get", &sid])["status"].clone();
    assert_eq!(status(&env), "queued");
    let moved = run_json(&env, "sim", &["advance-clock", "--seconds", "1"]);
    assert_eq!(status(&env), "initiated");
    // The clock starts on a whole second and moves by whole seconds.
    let (from, to) = (start["now"].to_string(), moved["now"].to_string());
    assert!(
        from.ends_with(".000Z\"") && to.ends_with(".000Z\"") && from < to,
        "{from} {to}"
    );
    run_json(&env, "sim", &["advance-clock", "--seconds", "1"]);
    assert_eq!(status(&env), "ringing");
    let refused = Env::fast()
        .resource("sim", &["advance-clock", "--seconds", "1"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("manual clock"), "{stderr}");
    // Refused before it is sent, naming the parameter and the rule.
    env.resource("sim", &["advance-clock", "--seconds", "90000"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "invalid Seconds: must be between 0 and 86400",
        ));
}

#[test]
fn sim_control_commands_script_fault_and_read_a_running_simulator() {
    let env = Env::fast();
    let faults = run_json(
        &env,
        "sim",
        &["inject", "--fault", "callback_server_error", "--count", "2"],
    );
    assert_eq!(faults["callbacks_pending"], 2);
    assert_eq!(env.sim.faults().pending_callbacks(), 2);
    let faults = run_json(&env, "sim", &["inject", "--fault", "unavailable"]);
    assert_eq!(
        (
            faults["api_pending"].as_u64(),
            faults["callbacks_pending"].as_u64()
        ),
        (Some(1), Some(2))
    );
    // An answer without a body prints nothing.
    let cleared = env.resource("sim", &["clear-faults"]).assert().success();
    assert!(cleared.get_output().stdout.is_empty());
    assert_eq!(run_json(&env, "sim", &["faults"])["api_pending"], 0);
    assert_eq!(env.sim.faults().pending_callbacks(), 0);
    env.resource(
        "sim",
        &["script-input", "--key", "+15557770002", "--digits", "12#"],
    )
    .assert()
    .success();
    env.resource(
        "sim",
        &[
            "script-transcription",
            "--key",
            "+15557770002",
            "--text",
            "Call me back",
        ],
    )
    .assert()
    .success();
    // Core's rules refuse before anything is sent, in the description's words.
    env.resource(
        "sim",
        &["script-input", "--key", "+15557770002", "--digits", "12x"],
    )
    .assert()
    .code(1)
    .stderr(predicates::str::contains("invalid Digits"));
    env.resource("sim", &["inject", "--fault", "meltdown"])
        .assert()
        .code(2);

    let voice = env.app.url("/voice");
    run_json(
        &env,
        "incoming-phone-numbers",
        &[
            "create",
            "--phone-number",
            "+14155550143",
            "--voice-url",
            &voice,
        ],
    );
    let call = run_json(
        &env,
        "sim",
        &["call-in", "--to", "+14155550143", "--from", "+15557770002"],
    );
    let sid = call["sid"].as_str().expect("a SID");
    env.finished(sid);
    let timeline = run_json(&env, "sim", &["timeline", sid]);
    assert_eq!(timeline["settled"], true);
    assert_eq!(timeline["call_sid"], sid);
    assert!(
        timeline["entries"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
    let table = env.resource("sim", &["timeline", sid]).assert().success();
    let shown = String::from_utf8_lossy(&table.get_output().stdout).into_owned();
    assert!(
        shown.contains(sid) && shown.contains("completed"),
        "{shown}"
    );
}

#[test]
fn sim_script_callee_steers_the_child_legs_of_a_dial() {
    let env = Env::fast();
    env.resource(
        "sim",
        &[
            "script-callee",
            "--number",
            "+15551230007",
            "--answer",
            "busy",
            "--ring-for",
            "1",
        ],
    )
    .assert()
    .success();
    env.resource(
        "sim",
        &[
            "script-callee",
            "--number",
            "+15551230007",
            "--ring-for",
            "601",
        ],
    )
    .assert()
    .code(1)
    .stderr(predicates::str::contains("invalid RingFor"));
    env.resource(
        "sim",
        &[
            "script-callee",
            "--number",
            "+15551230007",
            "--answer",
            "maybe",
        ],
    )
    .assert()
    .code(2);
    let (_dir, laml_file) = temp_file(
        "forward.xml",
        "<Response><Dial><Number>+15551230007</Number><Number>+15551230008</Number></Dial></Response>",
    );
    let call = run_json(
        &env,
        "calls",
        &[
            "create",
            "--to",
            "+15551230000",
            "--from",
            "+15559870000",
            "--twiml",
            &laml_file,
        ],
    );
    let sid = call["sid"].as_str().expect("a SID");
    env.finished(sid);
    let legs = run_json(&env, "calls", &["list", "--parent", sid]);
    let mut got: Vec<(String, String)> = legs
        .as_array()
        .expect("the legs")
        .iter()
        .map(|leg| {
            assert_eq!(leg["parent_call_sid"], sid);
            assert_eq!(leg["direction"], "outbound-dial");
            let field = |name: &str| leg[name].as_str().unwrap_or_default().to_owned();
            (field("to"), field("status"))
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("+15551230007".to_owned(), "busy".to_owned()),
            ("+15551230008".to_owned(), "completed".to_owned()),
        ]
    );
}
