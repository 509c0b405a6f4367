//! `mycpaas demo`: the whole job in one command, offline. It starts the simulator and a small
//! LaML web app in this process, places a call with the SDK, prints each status callback as the
//! web app receives it (with its signature checked by core's validator), then the call's
//! timeline: documents fetched, verbs executed, input used.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::Duration;

use clap::Args;
use mycpaas_blocking::{CallStatus, Client, CreateCall};
use mycpaas_core::AuthToken;
use mycpaas_core::types::CallEvent;
use mycpaas_core::webhook::{SignatureValidator, StatusCallback};
use mycpaas_laml::{Gather, Response, Say, Voice};
use mycpaas_sim::webapp::{ReceivedRequest, WebApp, WebAppHandle};
use mycpaas_sim::{GatherInput, SimHandle, Simulator, Timeline, TimelineEvent};
use tokio::sync::broadcast;

use crate::error::{CliError, code};
use crate::sim::positive_speed;

/// Writes one line of the report; a closed stdout (`mycpaas demo | head -1`) ends the demo
/// quietly, with exit code 0, as for every command.
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        writeln!($out, $($arg)*).map_err(|error| CliError::output(&error))
    };
}

/// The number the demo calls and the caller ID it uses (ordinary numbers: the call answers).
const TO: &str = "+15551230000";
const FROM: &str = "+15559870000";
/// Where the web app receives status callbacks.
const STATUS_PATH: &str = "/status";

const DEMO_EXAMPLES: &str = "\
Examples:
  mycpaas demo                 a call at 20x real time (about a second)
  mycpaas demo --speed 1       the same call in real time
  mycpaas demo --press 2       the callee picks the other menu entry";

/// Flags of `mycpaas demo`.
#[derive(Debug, Args)]
#[command(after_help = DEMO_EXAMPLES)]
pub struct DemoArgs {
    /// Simulated seconds per wall-clock second (1 is real time)
    #[arg(long, default_value_t = 20.0, value_parser = positive_speed)]
    speed: f64,
    /// The keys the simulated callee presses at the menu (0-9 * # A-D, w for a pause)
    #[arg(long, default_value = "1", value_name = "DIGITS", value_parser = phone_keys)]
    press: String,
}

/// Keys a phone can send, as the simulator's input script takes them.
fn phone_keys(text: &str) -> Result<String, String> {
    GatherInput::digits(text)
        .check()
        .map(|()| text.to_owned())
        .map_err(|error| error.to_string())
}

/// The first document of the call: a greeting and a one-key menu.
fn voice_document() -> Response {
    Response::new()
        .say(Say::new("Hello from the mycpaas simulator.").voice(Voice::Alice))
        .gather(
            Gather::new()
                .num_digits(1)
                .timeout(5)
                .action("/menu")
                .say("Press 1 for the weather, or 2 for a joke."),
        )
        .say("We did not hear a choice. Goodbye.")
}

/// The document the menu's `Gather` action leads to, chosen by the digits pressed.
fn menu_document(request: &ReceivedRequest) -> String {
    let answer = match request.param("Digits") {
        Some("1") => "Sunny, twenty-one degrees, light wind from the west.",
        Some("2") => "Why did the phone wear glasses? It lost its contacts.",
        _ => "That is not on the menu.",
    };
    Response::new().say(Say::new(answer)).hangup().to_xml()
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "NO" }
}

/// What the demo saw of the status callbacks.
#[derive(Default)]
struct Callbacks {
    events: Vec<CallEvent>,
    invalid_signatures: usize,
}

impl Callbacks {
    /// Prints one status callback the web app received and remembers it.
    fn show(
        &mut self,
        out: &mut impl Write,
        request: &ReceivedRequest,
        validator: &SignatureValidator,
    ) -> Result<(), CliError> {
        let valid = request.signature.as_deref().is_some_and(|signature| {
            validator.validate(&request.full_url, request.signed_params(), signature)
        });
        if !valid {
            self.invalid_signatures += 1;
        }
        let mut line = String::from("  ");
        match StatusCallback::from_pairs(&request.params) {
            Ok(callback) => {
                let status = callback
                    .call
                    .call_status
                    .unwrap_or(CallStatus::Other(String::new()));
                let event = CallEvent::for_status(&status);
                self.events.extend(event);
                let event = event.as_ref().map_or("?", CallEvent::as_str);
                let sequence = callback
                    .sequence_number
                    .map_or_else(|| "-".to_owned(), |n| n.to_string());
                let _ = write!(
                    line,
                    "#{sequence:<3} {event:<10} CallStatus={:<12} signature valid: {}",
                    status.as_str(),
                    yes_no(valid)
                );
                if let Some(duration) = callback.call_duration {
                    let _ = write!(line, "   (CallDuration {duration} s)");
                }
            }
            Err(error) => {
                let _ = write!(
                    line,
                    "unreadable callback ({error}), signature valid: {}",
                    yes_no(valid)
                );
            }
        }
        say!(out, "{line}")
    }
}

/// Receives the web app's requests and prints the status callbacks until the simulator says the
/// call has ended and every callback was delivered; returns the call's timeline.
fn follow_callbacks(
    out: &mut impl Write,
    sim: &SimHandle,
    requests: &mut broadcast::Receiver<ReceivedRequest>,
    sid: &str,
    validator: &SignatureValidator,
    callbacks: &mut Callbacks,
    timeout: Duration,
) -> Result<Timeline, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(format!("cannot start the async runtime: {e}")))?;
    let timeline = runtime.block_on(async {
        let settled = sim.wait_for_call_async(sid, timeout);
        tokio::pin!(settled);
        loop {
            tokio::select! {
                biased;
                received = requests.recv() => match received {
                    Ok(request) if request.path == STATUS_PATH => {
                        callbacks.show(out, &request, validator)?;
                    }
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        say!(out, "  ... {missed} requests not shown")?;
                    }
                    Err(broadcast::error::RecvError::Closed) => break Ok::<_, CliError>(settled.await),
                },
                timeline = &mut settled => {
                    // Settled means every callback was answered, so each one is queued here.
                    while let Ok(request) = requests.try_recv() {
                        if request.path == STATUS_PATH {
                            callbacks.show(out, &request, validator)?;
                        }
                    }
                    break Ok(timeline);
                }
            }
        }
    })?;
    timeline.ok_or_else(|| {
        CliError::failed(format!(
            "the call did not finish within {} s",
            timeout.as_secs()
        ))
    })
}

/// One timeline entry as a line of the report, or `None` for entries the report skips.
fn timeline_line(event: &TimelineEvent) -> Option<String> {
    let (kind, text) = match event {
        TimelineEvent::Status { status } => ("status", status.clone()),
        TimelineEvent::Document {
            purpose,
            url,
            method,
            http_status,
            error,
        } => {
            let mut text = if url.is_empty() {
                format!("{purpose}: inline LaML")
            } else {
                format!("{purpose}: {method} {url}")
            };
            if let Some(code) = http_status {
                let _ = write!(text, " -> HTTP {code}");
            }
            if let Some(error) = error {
                let _ = write!(text, " ({error})");
            }
            ("document", text)
        }
        TimelineEvent::Verb { verb, detail } => ("verb", format!("<{verb}> {detail}")),
        TimelineEvent::Input { digits, speech } => (
            "input",
            describe_input(digits.as_deref(), speech.as_deref()),
        ),
        TimelineEvent::Callback {
            event,
            sequence,
            http_status,
            delivered,
            attempt,
            ..
        } => {
            let outcome = if *delivered {
                "delivered"
            } else {
                "not delivered"
            };
            let code = http_status.map_or_else(|| "no answer".to_owned(), |c| format!("HTTP {c}"));
            (
                "callback",
                format!("{event} #{sequence} attempt {attempt}: {code}, {outcome}"),
            )
        }
        TimelineEvent::Error { message } => ("error", message.clone()),
        _ => return None,
    };
    Some(format!("{kind:<9} {text}"))
}

fn describe_input(digits: Option<&str>, speech: Option<&str>) -> String {
    match (digits, speech) {
        (Some(d), Some(s)) => format!("pressed {d}, said \"{s}\""),
        (Some(d), None) => format!("pressed {d}"),
        (None, Some(s)) => format!("said \"{s}\""),
        (None, None) => "nothing (the callee stayed silent)".to_owned(),
    }
}

fn print_timeline(out: &mut impl Write, timeline: &Timeline) -> Result<(), CliError> {
    say!(
        out,
        "\nTimeline of {} (simulated time since the call was created):",
        timeline.call_sid
    )?;
    for entry in &timeline.entries {
        if let Some(line) = timeline_line(&entry.event) {
            #[allow(clippy::cast_precision_loss)] // milliseconds of one call fit an f64 exactly
            let seconds = entry.offset_ms as f64 / 1000.0;
            say!(out, "  {seconds:>7.3}s  {line}")?;
        }
    }
    Ok(())
}

fn print_summary(
    out: &mut impl Write,
    timeline: &Timeline,
    callbacks: &Callbacks,
) -> Result<(), CliError> {
    let inputs: Vec<String> = timeline
        .entries
        .iter()
        .filter_map(|entry| match &entry.event {
            TimelineEvent::Input { digits, speech } => {
                Some(describe_input(digits.as_deref(), speech.as_deref()))
            }
            _ => None,
        })
        .collect();
    say!(out, "\nSummary")?;
    say!(out, "  statuses   {}", timeline.statuses().join(" → "))?;
    say!(out, "  documents  {} fetched", timeline.documents().len())?;
    say!(out, "  verbs      {}", timeline.verbs().join(", "))?;
    say!(
        out,
        "  input      {}",
        if inputs.is_empty() {
            "none".to_owned()
        } else {
            inputs.join("; ")
        }
    )?;
    say!(
        out,
        "  callbacks  {} received ({}), {} with a valid signature",
        callbacks.events.len(),
        callbacks
            .events
            .iter()
            .map(CallEvent::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        callbacks
            .events
            .len()
            .saturating_sub(callbacks.invalid_signatures)
    )
}

/// The simulator and the web app of the demo.
fn start_servers(args: &DemoArgs) -> Result<(SimHandle, WebAppHandle), CliError> {
    let sim = Simulator::builder()
        .speed(args.speed)
        .start_in_background()
        .map_err(|e| CliError::failed(format!("cannot start the simulator: {e}")))?;
    let app = WebApp::builder()
        .document("/voice", voice_document().to_xml())
        .document_fn("/menu", menu_document)
        .start_in_background()
        .map_err(|e| CliError::failed(format!("cannot start the web app: {e}")))?;
    sim.script_input(TO, GatherInput::digits(args.press.clone()))
        .map_err(|error| CliError::usage(format!("--press: {error}")))?;
    Ok((sim, app))
}

/// The demo talks to 127.0.0.1 only, so a transport failure almost always means a proxy
/// variable routes loopback traffic away.
fn local_failure(error: mycpaas_core::Error) -> CliError {
    let error = CliError::from(error);
    if error.code() == code::TRANSPORT {
        error.with_hint(
            "the demo only talks to 127.0.0.1: if HTTP_PROXY, HTTPS_PROXY or ALL_PROXY is set, \
             add 127.0.0.1 to NO_PROXY",
        )
    } else {
        error
    }
}

impl DemoArgs {
    /// Runs the demo; fails unless the call completed and every callback arrived signed.
    pub fn run(self) -> Result<(), CliError> {
        let out = &mut io::stdout();
        say!(
            out,
            "mycpaas demo: one phone call from start to finish, on the local simulator.\n"
        )?;
        let (sim, app) = start_servers(&self)?;
        say!(
            out,
            "  simulator  {}  (account {}, speed x{})",
            sim.base_url(),
            sim.account_sid(),
            self.speed
        )?;
        say!(
            out,
            "  web app    {}  serves /voice and /menu, receives {STATUS_PATH}",
            app.base_url()
        )?;
        say!(out, "  the callee will press {} at the menu", self.press)?;

        // Subscribe before the call exists, so no callback can be missed.
        let mut requests = app.subscribe();
        let client = Client::builder(sim.account_sid(), sim.auth_token())
            .base_url(&sim.base_url())
            .build()
            .map_err(local_failure)?;
        let create = CreateCall::new(TO, FROM)
            .url(app.url("/voice"))
            .status_callback(app.url(STATUS_PATH))
            .status_callback_events(CallEvent::ALL.iter().copied());
        say!(out, "\nPlacing a call from {FROM} to {TO} ...")?;
        let call = client.calls().create(create).map_err(local_failure)?;
        let first_status = call
            .status
            .clone()
            .unwrap_or(CallStatus::Other("unknown".into()));
        say!(out, "  created {}  status {}", call.sid, first_status)?;

        say!(out, "\nStatus callbacks, as the web app receives them:")?;
        let validator = SignatureValidator::new(AuthToken::new(sim.auth_token()));
        let mut callbacks = Callbacks::default();
        let timeout = Duration::from_secs(30) + Duration::from_secs_f64(600.0 / self.speed);
        let timeline = follow_callbacks(
            out,
            &sim,
            &mut requests,
            &call.sid,
            &validator,
            &mut callbacks,
            timeout,
        )?;
        print_timeline(out, &timeline)?;
        print_summary(out, &timeline, &callbacks)?;

        let final_call = client.calls().fetch(&call.sid).map_err(local_failure)?;
        let final_status = final_call
            .status
            .unwrap_or(CallStatus::Other("unknown".into()));
        let missing: Vec<&str> = CallEvent::ALL
            .iter()
            .filter(|event| !callbacks.events.contains(event))
            .map(CallEvent::as_str)
            .collect();
        if final_status != CallStatus::Completed {
            return Err(CliError::failed(format!(
                "the call ended {final_status}, not completed"
            )));
        }
        if callbacks.invalid_signatures > 0 {
            return Err(CliError::failed(
                "a status callback had an invalid signature",
            ));
        }
        if !missing.is_empty() {
            return Err(CliError::failed(format!(
                "no status callback for {}",
                missing.join(", ")
            )));
        }
        say!(
            out,
            "\n{first_status} → {final_status}: the call went through every stage."
        )?;
        say!(
            out,
            "Next: run `mycpaas sim` in one shell and `mycpaas calls create ...` in another (see `mycpaas --help`)."
        )
    }
}
