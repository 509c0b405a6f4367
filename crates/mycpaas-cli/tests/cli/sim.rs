//! `mycpaas sim`: the simulator as a foreground program.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use mycpaas_sim::webapp::WebApp;

use crate::support::{CREATE, mycpaas, sid_of};

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "sim-test-token";
/// A guard against a hung child, not a measurement: the lines come within milliseconds.
const PATIENCE: Duration = Duration::from_secs(60);

/// The running `mycpaas sim`; killed when the test ends, however it ends.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Running {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mycpaas"))
            .args(["sim", "--port", "0", "--speed", "1000"])
            .args(["--account-sid", SID, "--auth-token", TOKEN])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("mycpaas sim starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    /// The next line that satisfies `wanted`.
    fn line_where(&self, wanted: impl Fn(&str) -> bool) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(PATIENCE)
                .expect("mycpaas sim keeps printing");
            if wanted(&line) {
                return line;
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sim_prints_its_url_credentials_and_a_line_per_call_event() {
    let sim = Running::start();
    let banner = sim.line_where(|l| l.contains("listening on"));
    let base_url = banner
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .expect("the banner names the base URL")
        .to_owned();
    sim.line_where(|l| l.contains(SID));
    sim.line_where(|l| l.contains(TOKEN));

    let app = WebApp::builder()
        .document("/voice", "<Response><Say>Hi</Say></Response>")
        .start_in_background()
        .unwrap();
    let output = mycpaas()
        .arg("calls")
        .args(CREATE)
        .args(["--url", &app.url("/voice"), "-o", "json"])
        .env("MYCPAAS_BASE_URL", &base_url)
        .env("MYCPAAS_ACCOUNT_SID", SID)
        .env("MYCPAAS_AUTH_TOKEN", TOKEN)
        .assert()
        .success();
    let sid = sid_of(&output);

    sim.line_where(|l| l.contains(&sid) && l.contains("status ringing"));
    sim.line_where(|l| l.contains(&sid) && l.contains("<Say>"));
    sim.line_where(|l| l.contains(&sid) && l.contains("status completed"));
}
