//! The command line under careless pipes, endless files, odd file names and hostile server
//! fields: it ends quietly, reads no more than a document can hold, and never lets a server
//! field drive the terminal or a spreadsheet.

use std::io::{BufRead as _, BufReader, Write as _};
use std::os::unix::ffi::OsStrExt as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mycpaas_sim::webapp::{WebApp, WebAppHandle, WebReply};
use predicates::prelude::*;

use crate::support::{CREATE, Env, json, mycpaas, sid_of, text};

const BINARY: &str = env!("CARGO_BIN_EXE_mycpaas");
/// The LaML document cap, as the messages state it.
const CAP_MESSAGE: &str = "larger than 1048576 bytes, the document cap; reading stopped there";
/// A guard against a hang, not a measurement.
const PATIENCE: Duration = Duration::from_secs(60);

#[test]
fn demo_piped_into_head_exits_0_without_panic_text() {
    let dir = tempfile::tempdir().unwrap();
    let (stderr, status) = (dir.path().join("stderr"), dir.path().join("status"));
    // Exactly the shell pipeline: `head` exits after the first line, while the demo (about a
    // second at its default speed) still has its timeline and summary to write.
    let output = Command::new("sh")
        .arg("-c")
        .arg(r#"{ "$0" demo 2>"$1"; echo $? >"$2"; } | head -1"#)
        .arg(BINARY)
        .arg(&stderr)
        .arg(&status)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(text(&output.stdout).lines().count(), 1);
    let stderr = std::fs::read_to_string(&stderr).unwrap();
    assert_eq!(
        std::fs::read_to_string(&status).unwrap().trim(),
        "0",
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "a closed pipe is not reported: {stderr}");

    // A pipe closed before the first line: every write fails.
    let mut child = Command::new(BINARY)
        .args(["demo", "--speed", "1000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn sim_keeps_serving_after_its_stdout_closes() {
    let dir = tempfile::tempdir().unwrap();
    let twiml = dir.path().join("hi.xml");
    std::fs::write(&twiml, "<Response><Say>Hi</Say></Response>").unwrap();
    let mut child = Command::new(BINARY)
        .args(["sim", "--port", "0", "--speed", "1000"])
        .args(["--account-sid", "AC0123456789abcdef0123456789abcdef"])
        .args(["--auth-token", "pipe-token"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -1`: one line read, then the pipe is closed.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base_url = first
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_owned();

    // Each call prints event lines, which now fail to write; the simulator serves on.
    let calls = |args: &[&str]| {
        let mut command = mycpaas();
        command.arg("calls").args(args).args([
            "--base-url",
            &base_url,
            "--account-sid",
            "AC0123456789abcdef0123456789abcdef",
            "--auth-token",
            "pipe-token",
        ]);
        command
    };
    for _ in 0..3 {
        calls(&CREATE).arg("--twiml").arg(&twiml).assert().success();
    }
    std::thread::sleep(Duration::from_millis(300));
    let listed = calls(&["list", "-o", "json"]).assert().success();
    let listed = json(&listed.get_output().stdout);
    assert_eq!(listed.as_array().map(Vec::len), Some(3), "{listed}");
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|call| call["status"] == "completed"),
        "{listed}"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "mycpaas sim stopped when its stdout closed"
    );
    child.kill().unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Runs `mycpaas args` with at most `kib` KiB of address space (`ulimit -v`), so reading an
/// endless file whole would fail: the command must stop at the cap instead.
fn within_memory(kib: u32, args: &[&str], stdin: Stdio) -> std::process::Output {
    let started = Instant::now();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
        .arg(BINARY)
        .args(args)
        .stdin(stdin)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < PATIENCE,
        "{args:?} took {:?}",
        started.elapsed()
    );
    output
}

/// Everything a command wrote, stdout then stderr.
fn said(output: &std::process::Output) -> String {
    format!("{}{}", text(&output.stdout), text(&output.stderr))
}

#[test]
fn laml_commands_read_an_endless_file_up_to_the_document_cap() {
    // 512 MiB of address space: the binary needs a few dozen; /dev/zero read whole needs all.
    const KIB: u32 = 512 * 1024;
    for args in [
        &["laml", "validate", "/dev/zero"][..],
        &["laml", "fmt", "/dev/zero"],
        &["laml", "fmt", "--compact", "/dev/zero"],
    ] {
        let output = within_memory(KIB, args, Stdio::null());
        let said = said(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {said}");
        // validate reports per file on stdout, fmt on stderr.
        let expected = if args[1] == "validate" {
            format!("/dev/zero: error: cannot read: {CAP_MESSAGE}")
        } else {
            format!("error: cannot read /dev/zero: {CAP_MESSAGE}")
        };
        assert!(said.contains(&expected), "{args:?}: {said}");
        assert!(
            !said.contains("panicked") && !said.contains("memory"),
            "{said}"
        );
    }
    // The same through stdin (`-`).
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let output = within_memory(KIB, &["laml", "validate", "-"], Stdio::from(zero));
    let said = said(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!("<stdin>: error: cannot read: {CAP_MESSAGE}")),
        "{said}"
    );

    // A document of exactly the cap is read (and then judged on its content).
    let dir = tempfile::tempdir().unwrap();
    let at_cap = dir.path().join("at-cap.xml");
    let mut document = b"<Response><Say>".to_vec();
    let tail = b"</Say></Response>";
    document.resize(1_048_576 - tail.len(), b'a');
    document.extend_from_slice(tail);
    std::fs::write(&at_cap, &document).unwrap();
    let output = mycpaas()
        .args(["laml", "validate"])
        .arg(&at_cap)
        .output()
        .unwrap();
    assert!(!text(&output.stderr).contains(CAP_MESSAGE), "{output:?}");
}

#[test]
fn calls_create_twiml_reads_an_endless_file_up_to_the_cap_and_sends_nothing() {
    let env = Env::fast();
    let started = Instant::now();
    let output = env
        .calls(&CREATE)
        .args(["--twiml", "/dev/zero"])
        .timeout(PATIENCE)
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot read /dev/zero: {CAP_MESSAGE}")),
        "{stderr}"
    );
    assert!(started.elapsed() < PATIENCE);
    assert_eq!(env.sim.request_count(), 0, "nothing was sent");
}

/// A name that is not UTF-8: `voice-\xff.xml` in `dir`.
fn non_utf8_name(dir: &tempfile::TempDir, content: &str) -> PathBuf {
    let name = std::ffi::OsStr::from_bytes(b"voice-\xff.xml");
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn files_whose_names_are_not_utf8_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = non_utf8_name(&dir, "<Response><Say>Hi</Say><Hangup/></Response>");
    mycpaas()
        .args(["laml", "validate"])
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::contains("voice-\u{fffd}.xml: ok"));
    mycpaas()
        .args(["laml", "fmt", "--compact"])
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "<Response><Say>Hi</Say><Hangup/></Response>",
        ));

    let env = Env::fast();
    let output = env
        .calls(&CREATE)
        .arg("--twiml")
        .arg(&good)
        .args(["-o", "json"])
        .assert()
        .success();
    let sid = sid_of(&output);
    assert_eq!(env.finished(&sid).verbs(), ["Say", "Hangup"]);

    // A missing file of such a name is reported by its (shown) name.
    let missing = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"gone-\xfe.xml"));
    mycpaas()
        .args(["laml", "validate"])
        .arg(&missing)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "gone-\u{fffd}.xml: error: cannot read",
        ));
}

const HOSTILE_SID: &str = "CA0123456789abcdef0123456789abcdef";
const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
/// Clears the screen, retitles the window, rings the bell.
const TERMINAL_ATTACK: &str = "\u{1b}[2J\u{1b}]0;owned\u{7}+15551230000";
/// Reverses the rest of the line on display.
const BIDI_ATTACK: &str = "\u{202e}00001235551+";

/// A call as a hostile (or broken) server could send it.
fn hostile_call() -> serde_json::Value {
    serde_json::json!({
        "sid": HOSTILE_SID,
        "account_sid": ACCOUNT,
        "to": TERMINAL_ATTACK,
        "from": "=HYPERLINK(\"http://evil.example/\",\"click\")",
        "status": "completed",
        "direction": "outbound-api",
        "date_created": "2026-04-19T10:00:00Z",
        "date_updated": "2026-04-19T10:00:10Z",
        "start_time": "2026-04-19T10:00:02Z",
        "end_time": "2026-04-19T10:00:10Z",
        "duration": "8",
        "answered_by": "@SUM(A1:A9)",
        "parent_call_sid": null,
        "price": "-0.01",
        "price_unit": BIDI_ATTACK,
        "api_version": "2010-04-01",
        "uri": format!("/2010-04-01/Accounts/{ACCOUNT}/Calls/{HOSTILE_SID}.json"),
    })
}

/// An API server over real HTTP that answers the call and a one-page list with
/// [`hostile_call`].
fn hostile_server() -> WebAppHandle {
    let calls = format!("/2010-04-01/Accounts/{ACCOUNT}/Calls");
    let page = serde_json::json!({
        "calls": [hostile_call()],
        "page": 0,
        "page_size": 50,
        "start": 0,
        "end": 0,
        "uri": format!("{calls}.json?PageSize=50&Page=0"),
        "first_page_uri": format!("{calls}.json?PageSize=50&Page=0"),
        "next_page_uri": null,
    })
    .to_string();
    let call = hostile_call().to_string();
    let mut builder = WebApp::builder();
    for prefix in ["", "/api/laml"] {
        let page = page.clone();
        let call = call.clone();
        builder = builder
            .reply(&format!("{prefix}{calls}.json"), move |_| {
                WebReply::new(200, "application/json", page.clone())
            })
            .reply(&format!("{prefix}{calls}/{HOSTILE_SID}.json"), move |_| {
                WebReply::new(200, "application/json", call.clone())
            });
    }
    builder.start_in_background().unwrap()
}

fn hostile_command(server: &WebAppHandle, args: &[&str]) -> std::process::Output {
    mycpaas()
        .arg("calls")
        .args(args)
        .args(["--base-url", &server.url("")])
        .args(["--account-sid", ACCOUNT, "--auth-token", "token"])
        .output()
        .unwrap()
}

#[test]
fn table_output_shows_control_characters_and_bidi_marks_as_escapes() {
    let server = hostile_server();
    for args in [&["get", HOSTILE_SID][..], &["list"]] {
        let output = hostile_command(&server, args);
        let stdout = text(&output.stdout);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(
            !stdout.contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{args:?}: raw control characters reached the terminal: {stdout:?}"
        );
        assert!(
            stdout.contains(r"\u{1b}[2J\u{1b}]0;owned\u{7}+15551230000"),
            "{args:?}: {stdout}"
        );
        if args[0] == "get" {
            assert!(stdout.contains(r"\u{202e}00001235551+"), "{stdout}");
        }
    }
    // JSON output keeps the values exactly (escaped as JSON does).
    let output = hostile_command(&server, &["get", HOSTILE_SID, "-o", "json"]);
    assert_eq!(json(&output.stdout)["to"], TERMINAL_ATTACK);
}

#[test]
fn csv_output_neutralises_cells_a_spreadsheet_would_run() {
    let server = hostile_server();
    for args in [
        &["get", HOSTILE_SID, "-o", "csv"][..],
        &["list", "-o", "csv"],
    ] {
        let output = hostile_command(&server, args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            text(&output.stderr)
        );
        let csv = text(&output.stdout);
        let row = csv.lines().nth(1).unwrap_or_else(|| panic!("{csv}"));
        for cell in [
            // Quoted (it holds quotes and commas), with the leading `'`.
            r#""'=HYPERLINK(""http://evil.example/"",""click"")""#,
            "'@SUM(A1:A9)",
            "'-0.01",
        ] {
            assert!(row.contains(cell), "{args:?}: {cell} not in {row}");
        }
        for field in row.split(',') {
            assert!(
                !field.starts_with(['=', '+', '-', '@']),
                "{args:?}: {field} in {row}"
            );
        }
    }
}

#[test]
fn stdin_that_never_ends_is_cut_at_the_cap_for_fmt_too() {
    let mut child = Command::new(BINARY)
        .args(["laml", "fmt", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Writes until the command stops reading and closes its end.
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 64 * 1024];
        let mut written = 0usize;
        while stdin.write_all(&chunk).is_ok() {
            written += chunk.len();
        }
        written
    });
    let output = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(CAP_MESSAGE), "{stderr}");
    // The pipe holds some more than was read; far less than an endless reader would take.
    assert!(written < 8 * 1024 * 1024, "{written} bytes were taken");
}
