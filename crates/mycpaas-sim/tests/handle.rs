//! The handle: background start for sync code, waiting, events, builder checks,
//! shutdown, and the standalone binary.

mod common;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use common::{Api, HANGUP, SETTLE, start};
use mycpaas_sim::webapp::WebApp;
use mycpaas_sim::{GatherInput, Simulator, TimelineEvent};

#[test]
fn background_simulator_serves_sync_code_and_waits_for_calls() {
    let sim = Simulator::builder().seed(5).start_in_background().unwrap();
    let app = WebApp::builder()
        .document(
            "/voice",
            "<Response><Gather numDigits=\"2\" action=\"/done\"/></Response>",
        )
        .document("/done", "<Response><Say>Thanks</Say></Response>")
        .start_in_background()
        .unwrap();
    sim.script_input("+15551112222", GatherInput::digits("42#"))
        .unwrap();

    // A plain blocking client: a one-off runtime just for reqwest.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let api = Api::new(&sim);
    let voice = app.url("/voice");
    let call = runtime.block_on(api.create_ok(&[
        ("To", "+15551112222"),
        ("From", "+15553334444"),
        ("Url", &voice),
    ]));

    let timeline = sim.wait_for_call(&call, SETTLE).expect("call settles");
    assert_eq!(timeline.status, "completed");
    assert_eq!(app.requests_to("/done")[0].param("Digits"), Some("42"));
    assert_eq!(sim.timeline(&call), Some(timeline.clone()));
    assert!(sim.timeline("CA-unknown").is_none());
    assert!(
        sim.wait_for_call("CA-unknown", Duration::from_millis(10))
            .is_none()
    );

    // Timelines are plain JSON.
    let json = serde_json::to_value(&timeline).unwrap();
    assert_eq!(json["call_sid"], call.as_str());
    assert_eq!(json["entries"][0]["type"], "status");
    assert_eq!(json["entries"][0]["status"], "queued");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_stream_live_and_print_one_line_each() {
    let (sim, api) = start(Simulator::builder()).await;
    let mut events = sim.events();
    let call = api
        .create_call(&[("Twiml", "<Response><Say>Hello there</Say></Response>")])
        .await;
    let mut lines = Vec::new();
    loop {
        let event = tokio::time::timeout(SETTLE, events.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(event.call_sid, call);
        let line = event.to_string();
        assert!(!line.contains('\n'));
        lines.push(line);
        if matches!(&event.entry.event, TimelineEvent::Status { status } if status == "completed") {
            break;
        }
    }
    assert!(
        lines[0].ends_with(&format!("{call} status queued")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("<Say> Hello there")),
        "{lines:?}"
    );
}

#[test]
fn builder_rejects_bad_settings_and_debug_hides_tokens() {
    for builder in [
        Simulator::builder().speed(0.0),
        Simulator::builder().speed(f64::NAN),
        Simulator::builder().speed(f64::INFINITY),
        Simulator::builder().speed(-1.0),
        // Below about 1e-19 the clock used to panic and calls stayed queued.
        Simulator::builder().speed(1e-19),
        Simulator::builder().speed(mycpaas_sim::MIN_SPEED / 2.0),
        Simulator::builder().speed(mycpaas_sim::MAX_SPEED * 2.0),
        Simulator::builder().idle_timeout(Duration::ZERO),
        Simulator::builder().max_connections(0),
        Simulator::builder().account("AC/1", "token"),
        Simulator::builder().account("AC1", ""),
        Simulator::builder().max_body_bytes(0),
    ] {
        let error = builder.start_in_background().unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{error}");
    }
    let error = Simulator::builder()
        .speed(1e-19)
        .start_in_background()
        .unwrap_err();
    assert!(
        error.to_string().contains("speed must be a number from"),
        "{error}"
    );
    let sim = Simulator::builder()
        .account("AC1", "very-secret-token")
        .start_in_background()
        .unwrap();
    assert_eq!(sim.account_sid(), "AC1");
    assert!(!format!("{sim:?}").contains("very-secret-token"));
    assert!(!format!("{:?}", sim.accounts()).contains("very-secret-token"));
    assert!(sim.banner().contains(&sim.base_url()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_stops_accepting_connections() {
    let (sim, api) = start(Simulator::builder()).await;
    assert_eq!(api.get(&api.calls_path()).await.status, 200);
    sim.shutdown_and_wait().await;
    let fresh = common::http_client();
    let result = fresh
        .get(format!("{}{}", api.base, api.calls_path()))
        .basic_auth(&api.sid, Some(&api.token))
        .send()
        .await;
    assert!(result.is_err(), "server still answering after shutdown");
}

#[test]
fn the_binary_prints_its_url_and_credentials() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mycpaas-sim"))
        .args([
            "--account-sid",
            "ACbin",
            "--auth-token",
            "bin-token",
            "--speed",
            "100",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let third = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(first.contains("http://127.0.0.1:"), "{first}");
    assert!(second.contains("ACbin"), "{second}");
    assert!(third.contains("bin-token"), "{third}");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mycpaas-sim"))
        .arg("--speed")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--speed needs a value"));

    for (args, message) in [
        (
            ["--speed", "1e-19"],
            "--speed must be a number from 0.000001 to 1000000000",
        ),
        (
            ["--date-format", "unix"],
            "the date format must be iso8601 or rfc2822",
        ),
        (
            ["--idle-timeout", "0"],
            "--idle-timeout must be a number of seconds above 0",
        ),
        (
            ["--max-connections", "0"],
            "--max-connections must be a whole number above 0",
        ),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_mycpaas-sim"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_extreme_speeds_accepted_run_calls() {
    // The fastest: a whole call in well under a millisecond of wall time per step.
    let (fast, api) = start(Simulator::builder().speed(mycpaas_sim::MAX_SPEED)).await;
    let call = api
        .create_call(&[("Twiml", "<Response><Pause length=\"3600\"/></Response>")])
        .await;
    let timeline = fast.wait_for_call_async(&call, SETTLE).await.unwrap();
    assert_eq!(timeline.status, "completed");
    let fetched = api.get(&api.call_path(&call)).await;
    assert_eq!(fetched.body["duration"], "3600");

    // The slowest: the call is queued, its clock readable, and it can be ended.
    let (_slow, api) = start(Simulator::builder().speed(mycpaas_sim::MIN_SPEED)).await;
    let call = api.create_call(&[("Twiml", HANGUP)]).await;
    assert_eq!(
        api.get(&api.call_path(&call)).await.body["status"],
        "queued"
    );
    let ended = api
        .post(&api.call_path(&call), &[("Status", "canceled")])
        .await;
    assert_eq!(ended.body["status"], "canceled");
}
