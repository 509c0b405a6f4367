//! Places a call end to end, offline: a local simulator, a small web app serving LaML, and
//! status callbacks for every stage, printed as they arrive, then the call's timeline.
//!
//! Run it with `cargo run -p mycpaas-blocking --example quickstart`.

use std::error::Error;
use std::thread;
use std::time::{Duration, Instant};

use mycpaas_blocking::webhook::SignatureValidator;
use mycpaas_blocking::{AuthToken, CallEvent, CallStatus, Client, CreateCall};
use mycpaas_laml::{Pause, Response, Say};
use mycpaas_sim::webapp::{ReceivedRequest, WebApp};
use mycpaas_sim::{SimEvent, Simulator};

const TO: &str = "+491234567890";
const FROM: &str = "+491098765432";

fn main() -> Result<(), Box<dyn Error>> {
    // The simulator runs calls on its own clock, here 10 times faster than real time.
    let sim = Simulator::builder().speed(10.0).start_in_background()?;

    // Your voice app: the LaML document the call runs, built with mycpaas-laml.
    let voice = Response::new()
        .say(Say::new("Hello from the mycpaas quickstart."))
        .pause(Pause::seconds(2))
        .say(Say::new("Goodbye."))
        .hangup();
    let app = WebApp::builder()
        .document("/voice", voice.to_xml())
        .start_in_background()?;

    println!(
        "simulator  {} (account {})",
        sim.base_url(),
        sim.account_sid()
    );
    println!("web app    {}", app.base_url());

    let client = Client::builder(sim.account_sid(), sim.auth_token())
        .base_url(&sim.base_url())
        .build()?;
    let call = client.calls().create(
        CreateCall::new(TO, FROM)
            .url(app.url("/voice"))
            .status_callback(app.url("/status"))
            .status_callback_events([
                CallEvent::Initiated,
                CallEvent::Ringing,
                CallEvent::Answered,
                CallEvent::Completed,
            ]),
    )?;
    println!(
        "created    {} from {FROM} to {TO}: {}",
        call.sid,
        call.status.as_ref().map_or("?", CallStatus::as_str)
    );

    // Print each status callback the web app receives, checking its signature.
    let validator = SignatureValidator::new(AuthToken::new(sim.auth_token()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut printed = 0;
    let settled = loop {
        let settled = sim.timeline(&call.sid).is_some_and(|t| t.settled);
        let callbacks = app.requests_to("/status");
        for callback in &callbacks[printed..] {
            print_callback(callback, &validator);
        }
        printed = callbacks.len();
        if settled || Instant::now() > deadline {
            break settled;
        }
        thread::sleep(Duration::from_millis(25));
    };

    let timeline = sim
        .timeline(&call.sid)
        .ok_or("the simulator lost the call")?;
    println!("timeline of {}:", call.sid);
    for entry in timeline.entries {
        let event = SimEvent {
            call_sid: call.sid.clone(),
            entry,
        };
        // The event prints as `time sid what`; the sid is the same on every line.
        let line = event
            .to_string()
            .replacen(&format!(" {} ", call.sid), "  ", 1);
        println!("  {line}");
    }

    let finished = client.calls().fetch(&call.sid)?;
    let status = finished.status.as_ref().map_or("?", CallStatus::as_str);
    println!(
        "final      {} is {status} after {} s",
        finished.sid,
        finished
            .duration
            .map_or_else(|| "?".to_owned(), |d| d.to_string())
    );
    if !settled || finished.status != Some(CallStatus::Completed) {
        return Err(format!("the call did not complete (status {status})").into());
    }
    Ok(())
}

fn print_callback(callback: &ReceivedRequest, validator: &SignatureValidator) {
    let signed = callback.signature.as_deref().is_some_and(|signature| {
        validator.validate(&callback.full_url, callback.signed_params(), signature)
    });
    println!(
        "callback   #{} {:<12} {}{}",
        callback.param("SequenceNumber").unwrap_or("?"),
        callback.param("CallStatus").unwrap_or("?"),
        if signed {
            "signature ok"
        } else {
            "SIGNATURE INVALID"
        },
        callback
            .param("CallDuration")
            .map(|d| format!(", duration {d} s"))
            .unwrap_or_default(),
    );
}
