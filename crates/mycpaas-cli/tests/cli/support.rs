//! Helpers: a simulator with a web app, and `mycpaas` commands pointed at it.

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use mycpaas_sim::webapp::{WebApp, WebAppHandle};
use mycpaas_sim::{SimHandle, Simulator, Timeline};
use serde_json::Value;

/// The callee most tests call.
pub const TO: &str = "+15551230000";
/// The caller ID every test uses.
pub const FROM: &str = "+15559870000";
/// `create` to [`TO`] from [`FROM`]: a create command without its document flag.
pub const CREATE: [&str; 5] = ["create", "--to", TO, "--from", FROM];

/// A LaML document that keeps a call busy long enough to steer it (600 simulated seconds).
pub const LONG_PAUSE: &str = r#"<Response><Pause length="600"/></Response>"#;

/// A simulator and a customer web app serving `/voice` (a greeting) and `/hold` (a long pause).
pub struct Env {
    pub sim: SimHandle,
    pub app: WebAppHandle,
}

impl Env {
    /// A fast simulator (the default speed): calls end within milliseconds.
    pub fn fast() -> Self {
        Self::with_speed(mycpaas_sim::DEFAULT_SPEED)
    }

    /// A slower simulator, for calls that must still be alive when the test steers them.
    pub fn slow() -> Self {
        Self::with_speed(10.0)
    }

    /// A simulator whose time stands still until it is advanced.
    pub fn manual() -> Self {
        Self::with(Simulator::builder().manual_clock())
    }

    fn with_speed(speed: f64) -> Self {
        Self::with(Simulator::builder().speed(speed))
    }

    fn with(builder: mycpaas_sim::SimulatorBuilder) -> Self {
        let sim = builder.start_in_background().expect("simulator starts");
        let app = WebApp::builder()
            .document(
                "/voice",
                "<Response><Say>Hello from the test</Say></Response>",
            )
            .document("/hold", LONG_PAUSE)
            .start_in_background()
            .expect("web app starts");
        Env { sim, app }
    }

    /// `mycpaas calls <args>` with this simulator's URL and credentials as flags.
    pub fn calls(&self, args: &[&str]) -> Command {
        let mut command = mycpaas();
        command.arg("calls").args(args).args([
            "--base-url",
            &self.sim.base_url(),
            "--account-sid",
            &self.sim.account_sid(),
            "--auth-token",
            &self.sim.auth_token(),
        ]);
        command
    }

    /// `mycpaas <resource> <args>` with this simulator's URL and credentials as flags.
    pub fn resource(&self, resource: &str, args: &[&str]) -> Command {
        let mut command = mycpaas();
        command.arg(resource).args(args).args([
            "--base-url",
            &self.sim.base_url(),
            "--account-sid",
            &self.sim.account_sid(),
            "--auth-token",
            &self.sim.auth_token(),
        ]);
        command
    }

    /// `mycpaas calls <args>` with the credentials in `MYCPAAS_*` variables instead of flags.
    pub fn calls_with_env(&self, args: &[&str]) -> Command {
        let mut command = mycpaas();
        command
            .arg("calls")
            .args(args)
            .env("MYCPAAS_BASE_URL", self.sim.base_url())
            .env("MYCPAAS_ACCOUNT_SID", self.sim.account_sid())
            .env("MYCPAAS_AUTH_TOKEN", self.sim.auth_token());
        command
    }

    /// Creates a call to `to` running the app's `path` and returns its SID.
    pub fn create(&self, to: &str, path: &str) -> String {
        let output = self
            .calls(&["create", "--to", to, "--from", FROM])
            .args(["--url", &self.app.url(path), "--output", "json"])
            .assert()
            .success();
        sid_of(&output)
    }

    /// Creates a call ([`CREATE`] followed by `args`, the document flag among them) and returns
    /// its SID.
    pub fn create_with(&self, args: &[&str]) -> String {
        let output = self
            .calls(&CREATE)
            .args(args)
            .args(["--output", "json"])
            .assert()
            .success();
        sid_of(&output)
    }

    /// Waits until the call has ended and its callbacks were delivered.
    pub fn finished(&self, sid: &str) -> Timeline {
        self.sim
            .wait_for_call(sid, Duration::from_secs(60))
            .expect("the call finishes")
    }
}

/// The `mycpaas` binary with no `MYCPAAS_*` variable inherited from the test's environment.
pub fn mycpaas() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mycpaas"));
    for variable in [
        "MYCPAAS_BASE_URL",
        "MYCPAAS_ACCOUNT_SID",
        "MYCPAAS_AUTH_TOKEN",
    ] {
        command.env_remove(variable);
    }
    command
}

/// The `sid` of the call a command printed as JSON.
pub fn sid_of(output: &Assert) -> String {
    json(&output.get_output().stdout)["sid"]
        .as_str()
        .expect("a created call has a sid")
        .to_owned()
}

/// Parses command output as JSON.
pub fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!(
            "output is not JSON ({e}): {}",
            String::from_utf8_lossy(bytes)
        )
    })
}

/// Command output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A file `name` holding `content` in a fresh temporary directory, and its path as text; the
/// file lives as long as the returned directory.
pub fn temp_file(name: &str, content: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = file(&dir, name, content);
    let path = path.to_str().expect("a UTF-8 temporary path").to_owned();
    (dir, path)
}

/// Writes `content` to a file in a fresh temporary directory.
pub fn file(dir: &tempfile::TempDir, name: &str, content: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("temporary file is written");
    path
}
