//! One ignored test of the running test binary, run again in a child process with its own
//! environment: how a suite tests what the clients read from process-wide variables without
//! any other test seeing them.

use std::process::Command;

/// Runs the ignored test `case` of the current test binary in a child process, with each of
/// `env` set (`Some`) or removed (`None`); panics with the child's output unless it passes.
pub fn run_ignored_case(case: &str, env: &[(&str, Option<&str>)]) {
    let mut child = Command::new(std::env::current_exe().expect("the test binary"));
    child.args([case, "--exact", "--ignored", "--nocapture"]);
    for (name, value) in env {
        match value {
            Some(value) => child.env(name, value),
            None => child.env_remove(name),
        };
    }
    let output = child.output().expect("the test binary runs");
    assert!(
        output.status.success(),
        "{case} with {env:?}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
