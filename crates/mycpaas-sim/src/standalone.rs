//! Running the simulator as a program: what `mycpaas-sim` and `mycpaas sim` do.

use std::io::{self, Write};

use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

use crate::{SimEvent, SimHandle, SimulatorBuilder};

/// Starts a simulator, prints its banner (base URL, credentials), then prints one line
/// per call event to `out` until Ctrl-C. Runs on the current tokio runtime.
pub async fn run(builder: SimulatorBuilder, out: impl Write + Send) -> io::Result<()> {
    let sim = builder.start().await?;
    print_until_ctrl_c(&sim, out).await
}

/// Prints `sim`'s banner and its live events to `out` until Ctrl-C, then shuts it down.
///
/// Output that can no longer be written (a closed pipe: `mycpaas-sim | head -1`) stops the
/// printing, not the simulator: it serves on until Ctrl-C. Other write errors are reported on
/// stderr once, then the same.
pub async fn print_until_ctrl_c(sim: &SimHandle, mut out: impl Write + Send) -> io::Result<()> {
    let mut events = Some(sim.events());
    let banner = write!(out, "{}", sim.banner())
        .and_then(|()| writeln!(out, "Press Ctrl-C to stop."))
        .and_then(|()| out.flush());
    if let Err(error) = banner {
        stop_printing(&mut events, &error);
    }
    loop {
        tokio::select! {
            event = next_event(&mut events) => {
                let written = match event {
                    Ok(event) => writeln!(out, "{event}"),
                    Err(RecvError::Lagged(missed)) => {
                        writeln!(out, "... {missed} events not shown (output too slow)")
                    }
                    Err(RecvError::Closed) => break,
                };
                if let Err(error) = written.and_then(|()| out.flush()) {
                    stop_printing(&mut events, &error);
                }
            },
            signal = tokio::signal::ctrl_c() => {
                signal?;
                break;
            }
        }
    }
    if events.is_some() {
        let _ = writeln!(out, "stopping").and_then(|()| out.flush());
    }
    sim.shutdown_and_wait().await;
    Ok(())
}

/// The next live event; never, once printing has stopped.
async fn next_event(
    events: &mut Option<broadcast::Receiver<SimEvent>>,
) -> Result<SimEvent, RecvError> {
    match events {
        Some(events) => events.recv().await,
        None => std::future::pending().await,
    }
}

fn stop_printing(events: &mut Option<broadcast::Receiver<SimEvent>>, error: &io::Error) {
    if events.take().is_some() && error.kind() != io::ErrorKind::BrokenPipe {
        // Not `eprintln!`, which panics when stderr is closed too.
        let _ = writeln!(
            io::stderr(),
            "cannot print call events ({error}); still serving until Ctrl-C"
        );
    }
}
