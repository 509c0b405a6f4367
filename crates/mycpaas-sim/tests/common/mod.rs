//! Helpers shared by the simulator's tests: a plain HTTP client for the Calls API.
#![allow(dead_code)] // each test file uses a different subset

use std::time::Duration;

use mycpaas_sim::{SimEvent, SimHandle, Simulator, SimulatorBuilder, TimelineEvent};
use serde_json::Value;

/// A plain reqwest client for the simulator's `http://127.0.0.1` URLs. reqwest is built
/// without a crypto provider of its own; a test process installs ring, the workspace's one.
pub fn http_client() -> reqwest::Client {
    // Fails only when a provider is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().expect("HTTP client")
}

/// The callee most tests call (any valid number answers in the simulator).
pub const TO: &str = "+15551230000";
/// The caller ID every test uses.
pub const FROM: &str = "+15559870000";
/// A document that ends the call at once.
pub const HANGUP: &str = "<Response><Hangup/></Response>";

/// The canonical API prefix.
pub const PREFIX: &str = "/api/laml/2010-04-01";

/// A response: status and parsed JSON body (`Value::Null` for an empty body).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    pub fn code(&self) -> Option<u64> {
        self.body["code"].as_u64()
    }
}

/// A plain HTTP client for one simulator account.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub sid: String,
    pub token: String,
}

impl Api {
    pub fn new(sim: &SimHandle) -> Self {
        Self {
            http: http_client(),
            base: sim.base_url(),
            sid: sim.account_sid(),
            token: sim.auth_token(),
        }
    }

    pub fn calls_path(&self) -> String {
        format!("{PREFIX}/Accounts/{}/Calls.json", self.sid)
    }

    pub fn call_path(&self, call_sid: &str) -> String {
        format!("{PREFIX}/Accounts/{}/Calls/{call_sid}.json", self.sid)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request
            .basic_auth(&self.sid, Some(&self.token))
            .send()
            .await
            .expect("request reaches the simulator");
        read(response).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        self.send(form_request(
            &self.http,
            &format!("{}{path}", self.base),
            form,
        ))
        .await
    }

    pub async fn get(&self, path_and_query: &str) -> Answer {
        self.send(self.http.get(format!("{}{path_and_query}", self.base)))
            .await
    }

    pub async fn delete(&self, path: &str) -> Answer {
        self.send(self.http.delete(format!("{}{path}", self.base)))
            .await
    }

    pub async fn create(&self, form: &[(&str, &str)]) -> Answer {
        self.post(&self.calls_path(), form).await
    }

    /// Creates a call from [`FROM`] to [`TO`] with `params` (its document among them) that must
    /// be accepted; returns its SID.
    pub async fn create_call(&self, params: &[(&str, &str)]) -> String {
        self.create_ok(&[&[("To", TO), ("From", FROM)][..], params].concat())
            .await
    }

    /// Creates a call that must be accepted; returns its SID.
    pub async fn create_ok(&self, form: &[(&str, &str)]) -> String {
        let answer = self.create(form).await;
        assert_eq!(answer.status, 201, "create failed: {:?}", answer.body);
        answer.body["sid"].as_str().expect("sid").to_owned()
    }
}

/// A form POST request (reqwest is built without its form feature).
pub fn form_request(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    http.post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
}

pub async fn read(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Answer {
        status,
        body,
        headers,
    }
}

/// A simulator on the current runtime, seeded.
pub async fn sim() -> SimHandle {
    Simulator::builder()
        .seed(42)
        .start()
        .await
        .expect("simulator starts")
}

/// [`sim`] and a client of its account.
pub async fn sim_and_api() -> (SimHandle, Api) {
    let sim = sim().await;
    let api = Api::new(&sim);
    (sim, api)
}

/// The simulator `builder` makes, started on the current runtime, and a client of its first
/// account.
pub async fn start(builder: SimulatorBuilder) -> (SimHandle, Api) {
    let sim = builder.start().await.expect("simulator starts");
    let api = Api::new(&sim);
    (sim, api)
}

/// Generous bound for a call to settle: calls take milliseconds at the default speed.
pub const SETTLE: Duration = Duration::from_secs(30);

/// Waits until the call reaches `status` (by its live events).
pub async fn wait_for_status(
    events: &mut tokio::sync::broadcast::Receiver<SimEvent>,
    call_sid: &str,
    status: &str,
) {
    let wait = async {
        loop {
            let event = events.recv().await.expect("event stream open");
            if event.call_sid == call_sid
                && matches!(&event.entry.event, TimelineEvent::Status { status: s } if s == status)
            {
                return;
            }
        }
    };
    tokio::time::timeout(SETTLE, wait)
        .await
        .expect("call reaches the status");
}

/// Serves `router` on `ip` (a port of its own) on the current runtime; returns the address.
pub async fn serve(router: axum::Router, ip: [u8; 4]) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind((std::net::Ipv4Addr::from(ip), 0))
        .await
        .expect("test server binds");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

/// The account of every [`Program`].
pub const PROGRAM_SID: &str = "AC0123456789abcdef0123456789abcdef";
/// Its auth token.
pub const PROGRAM_TOKEN: &str = "program-token";

/// The `mycpaas-sim` program running as a process of its own, so its memory and file
/// descriptors are its own; killed when dropped.
pub struct Program {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
}

impl Program {
    /// Starts `mycpaas-sim` with `args`, at most `max_files` file descriptors if given (the
    /// soft limit, as `ulimit -n` sets it).
    pub fn start(args: &[&str], max_files: Option<u32>) -> Self {
        use std::io::BufRead as _;
        let binary = env!("CARGO_BIN_EXE_mycpaas-sim");
        let mut command = match max_files {
            None => std::process::Command::new(binary),
            Some(limit) => {
                let mut shell = std::process::Command::new("sh");
                shell
                    .arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(binary);
                shell
            }
        };
        let mut child = command
            .args(["--port", "0", "--account-sid", PROGRAM_SID])
            .args(["--auth-token", PROGRAM_TOKEN])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("mycpaas-sim starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let banner = lines
            .next()
            .expect("a banner line")
            .expect("readable banner");
        let base_url = banner
            .split_whitespace()
            .find(|word| word.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no base URL in {banner:?}"))
            .to_owned();
        // Keep reading, so the program never blocks on a full pipe.
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        Program { child, base_url }
    }

    /// A client of the program's account.
    pub fn api(&self) -> Api {
        Api {
            http: http_client(),
            base: self.base_url.clone(),
            sid: PROGRAM_SID.to_owned(),
            token: PROGRAM_TOKEN.to_owned(),
        }
    }

    /// The call's timeline, over HTTP.
    pub async fn timeline(&self, call_sid: &str) -> mycpaas_sim::Timeline {
        let api = self.api();
        let answer = api.get(&format!("/_sim/calls/{call_sid}/timeline")).await;
        serde_json::from_value(answer.body).expect("a timeline")
    }

    /// The program's peak resident memory in bytes (`VmHWM`, Linux).
    pub fn peak_rss_bytes(&self) -> u64 {
        mycpaas_tests::memory::peak_rss_bytes_of(self.child.id())
            .expect("VmHWM in /proc/PID/status")
    }

    /// Whether the program is still running.
    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("child status").is_none()
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
