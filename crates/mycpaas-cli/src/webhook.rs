//! `mycpaas webhook send`: one signed webhook with realistic values, sent to a handler, so a web
//! app's handler is tested without placing a call. The parameters are written by core's typed
//! webhook forms (the names the platform sends) and signed with core's signature scheme.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::{self, Write};
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use mycpaas_core::AuthToken;
use mycpaas_core::types::{CallStatus, Direction};
use mycpaas_core::webhook::{
    CallParams, DialResult, GatherResult, RecordResult, SIGNATURE_HEADER, StatusCallback,
    VoiceRequest, compute_signature,
};

use crate::connection::{Secret, flag_or_env};
use crate::error::CliError;

const EXAMPLES: &str = "\
Examples:
  mycpaas webhook send http://127.0.0.1:5000/voice --auth-token $TOKEN
  mycpaas webhook send http://127.0.0.1:5000/menu --event gather --param Digits=2
  mycpaas webhook send http://127.0.0.1:5000/status --event status-callback --param CallStatus=busy
  mycpaas webhook send http://127.0.0.1:5000/voice --bad-signature   # the handler should answer 403

The answer's body is printed on stdout, its status on stderr. Exit 0 for a 2xx answer, 1 for
any other, 3 when the handler cannot be reached.";

/// Longest answer body printed.
const MAX_ANSWER_BYTES: u64 = 1 << 20;

/// `mycpaas webhook ...`.
#[derive(Debug, Args)]
pub struct WebhookArgs {
    #[command(subcommand)]
    command: WebhookCommand,
}

#[derive(Debug, Subcommand)]
enum WebhookCommand {
    /// Sign and send one webhook to a handler, and print its answer
    #[command(after_help = EXAMPLES)]
    Send(SendArgs),
}

/// Which request of the platform to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Event {
    /// The request for a call's LaML (its voice URL)
    Voice,
    /// A status callback (the call completed)
    StatusCallback,
    /// A `<Gather>` action (digits pressed)
    Gather,
    /// A `<Record>` action (a recording made)
    Record,
    /// A `<Dial>` action (the dialled leg ended)
    Dial,
}

/// How the webhook is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Method {
    /// A form POST
    Post,
    /// The parameters in the query string
    Get,
}

#[derive(Debug, Args)]
struct SendArgs {
    /// The handler's URL, as the platform would request it (the signature covers it)
    url: String,
    /// Which webhook to send
    #[arg(long, value_enum, default_value_t = Event::Voice)]
    event: Event,
    /// Add a parameter or replace one, as NAME=VALUE (repeatable)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// How the webhook is requested
    #[arg(long, value_enum, default_value_t = Method::Post)]
    method: Method,
    /// Sign with another key, to check that the handler refuses it
    #[arg(long)]
    bad_signature: bool,
    /// Auth token that signs the request [env: MYCPAAS_AUTH_TOKEN]
    #[arg(long, value_name = "TOKEN", value_parser = |s: &str| Ok::<Secret, String>(Secret::from(s.to_owned())))]
    auth_token: Option<Secret>,
    /// Account SID sent as AccountSid [env: MYCPAAS_ACCOUNT_SID; default: a made-up one]
    #[arg(long, value_name = "SID")]
    account_sid: Option<String>,
}

impl WebhookArgs {
    /// Runs the subcommand.
    pub fn run(self) -> Result<(), CliError> {
        match self.command {
            WebhookCommand::Send(args) => args.run(),
        }
    }
}

impl SendArgs {
    fn run(self) -> Result<(), CliError> {
        let auth_token = flag_or_env(self.auth_token.map(Secret::expose), "MYCPAAS_AUTH_TOKEN")
            .ok_or_else(|| {
                CliError::usage("no auth token: pass --auth-token or set MYCPAAS_AUTH_TOKEN")
            })?;
        let account_sid = flag_or_env(self.account_sid, "MYCPAAS_ACCOUNT_SID")
            .unwrap_or_else(|| made_up_sid("AC"));
        let mut params = sample(self.event, &account_sid);
        for param in &self.params {
            let (name, value) = param.split_once('=').ok_or_else(|| {
                CliError::usage(format!("--param {param:?}: expected NAME=VALUE"))
            })?;
            match params.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => value.clone_into(&mut slot.1),
                None => params.push((name.to_owned(), value.to_owned())),
            }
        }
        let url = match self.method {
            Method::Post => self.url.clone(),
            Method::Get => with_query(&self.url, &params)?,
        };
        let signed_params: &[(String, String)] = match self.method {
            Method::Post => &params,
            Method::Get => &[],
        };
        let key = if self.bad_signature {
            AuthToken::new(format!("not-{auth_token}"))
        } else {
            AuthToken::new(auth_token)
        };
        let signature = compute_signature(&url, signed_params, &key);
        send(&url, self.method, signed_params, &signature)
    }
}

/// The parameters the platform sends with `event`, with realistic values.
fn sample(event: Event, account_sid: &str) -> Vec<(String, String)> {
    let mut call = CallParams::default();
    call.account_sid = Some(account_sid.to_owned());
    call.api_version = Some("2010-04-01".to_owned());
    call.call_sid = Some(made_up_sid("CA"));
    call.direction = Some(Direction::OutboundApi);
    call.from = Some("+15005550006".to_owned());
    call.to = Some("+15005550001".to_owned());
    call.call_status = Some(match event {
        Event::Voice => CallStatus::Ringing,
        Event::StatusCallback => CallStatus::Completed,
        Event::Gather | Event::Record | Event::Dial => CallStatus::InProgress,
    });
    match event {
        Event::Voice => {
            let mut form = VoiceRequest::default();
            form.call = call;
            form.to_pairs()
        }
        Event::StatusCallback => {
            let mut form = StatusCallback::default();
            form.call = call;
            form.callback_source = Some("call-progress-events".to_owned());
            form.sequence_number = Some(3);
            form.timestamp = Some(time::OffsetDateTime::now_utc());
            form.call_duration = Some(42);
            form.to_pairs()
        }
        Event::Gather => {
            let mut form = GatherResult::default();
            form.call = call;
            form.digits = Some("1".to_owned());
            form.to_pairs()
        }
        Event::Record => {
            let recording = made_up_sid("RE");
            let mut form = RecordResult::default();
            form.recording_url = Some(format!(
                "https://developer.mycpaas.io/api/laml/2010-04-01/Accounts/{account_sid}/Recordings/{recording}"
            ));
            form.call = call;
            form.recording_sid = Some(recording);
            form.recording_duration = Some(5);
            form.digits = Some("#".to_owned());
            form.to_pairs()
        }
        Event::Dial => {
            let mut form = DialResult::default();
            form.call = call;
            form.dial_call_status = Some(CallStatus::Completed);
            form.dial_call_sid = Some(made_up_sid("CA"));
            form.dial_call_duration = Some(30);
            form.to_pairs()
        }
    }
}

/// A SID of the given kind that no resource has: two random words as 32 hex digits.
fn made_up_sid(prefix: &str) -> String {
    let random = RandomState::new();
    format!(
        "{prefix}{:016x}{:016x}",
        random.hash_one(1_u8),
        random.hash_one(2_u8)
    )
}

/// `url` with `params` appended to its query.
fn with_query(url: &str, params: &[(String, String)]) -> Result<String, CliError> {
    let mut parsed =
        url::Url::parse(url).map_err(|e| CliError::usage(format!("invalid URL {url:?}: {e}")))?;
    parsed.query_pairs_mut().extend_pairs(params);
    Ok(parsed.into())
}

/// Sends the webhook as the platform would (no redirects followed) and prints the answer.
fn send(
    url: &str,
    method: Method,
    form: &[(String, String)],
    signature: &str,
) -> Result<(), CliError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let sent = match method {
        Method::Post => agent
            .post(url)
            .header(SIGNATURE_HEADER, signature)
            .send_form(form.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        Method::Get => agent.get(url).header(SIGNATURE_HEADER, signature).call(),
    };
    let mut answer = sent.map_err(|e| CliError::unreachable(format!("cannot reach {url}: {e}")))?;
    let status = answer.status();
    let content_type = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type")
        .to_owned();
    let body = answer
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER_BYTES)
        .read_to_vec()
        .map_err(|e| CliError::unreachable(format!("cannot read the answer of {url}: {e}")))?;
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "HTTP {} ({content_type})", status.as_u16());
    io::stdout()
        .lock()
        .write_all(&body)
        .map_err(|e| CliError::output(&e))?;
    if status.is_success() {
        Ok(())
    } else {
        Err(CliError::failed(format!(
            "the handler answered HTTP {}",
            status.as_u16()
        )))
    }
}
