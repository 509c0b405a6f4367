//! `mycpaas demo`: the main job in one command.

use predicates::prelude::*;

use crate::support::{mycpaas, text};

#[test]
fn demo_completes_a_call_and_shows_signed_callbacks_and_the_timeline() {
    let output = mycpaas()
        .args(["demo", "--speed", "1000"])
        .assert()
        .success();
    let stdout = text(&output.get_output().stdout);
    assert!(
        stdout.contains("queued → initiated → ringing → in-progress → completed"),
        "{stdout}"
    );
    assert!(stdout.contains("queued → completed"), "{stdout}");
    for event in ["initiated", "ringing", "answered", "completed"] {
        let line = stdout
            .lines()
            .find(|l| l.trim_start().starts_with('#') && l.contains(&format!(" {event} ")))
            .unwrap_or_else(|| panic!("no callback line for {event}:\n{stdout}"));
        assert!(
            line.ends_with("signature valid: yes") || line.contains("signature valid: yes "),
            "{line}"
        );
    }
    assert!(
        stdout.contains("document  voice: POST http://127.0.0.1:"),
        "{stdout}"
    );
    assert!(stdout.contains("document  gather-action: POST"), "{stdout}");
    assert!(stdout.contains("<Gather> listening"), "{stdout}");
    assert!(stdout.contains("input     pressed 1"), "{stdout}");
    assert!(stdout.contains("Sunny"), "{stdout}");
}

#[test]
fn demo_follows_the_key_pressed() {
    mycpaas()
        .args(["demo", "--speed", "1000", "--press", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("input     pressed 2"))
        .stdout(predicate::str::contains("contacts"));
}
