//! Running the simulator as a program: what `mycpaas-sim` and `mycpaas sim` do.

use std::io::{self, Write};

use tokio::sync::broadcast::error::RecvError;

use crate::{SimHandle, SimulatorBuilder};

/// Starts a simulator, prints its banner (base URL, credentials), then prints one line
/// per call event to `out` until Ctrl-C. Runs on the current tokio runtime.
pub async fn run(builder: SimulatorBuilder, out: impl Write + Send) -> io::Result<()> {
    let sim = builder.start().await?;
    print_until_ctrl_c(&sim, out).await
}

/// Prints `sim`'s banner and its live events to `out` until Ctrl-C, then shuts it down.
pub async fn print_until_ctrl_c(sim: &SimHandle, mut out: impl Write + Send) -> io::Result<()> {
    let mut events = sim.events();
    write!(out, "{}", sim.banner())?;
    writeln!(out, "Press Ctrl-C to stop.")?;
    out.flush()?;
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) => writeln!(out, "{event}")?,
                Err(RecvError::Lagged(missed)) => writeln!(out, "... {missed} events not shown (output too slow)")?,
                Err(RecvError::Closed) => break,
            },
            signal = tokio::signal::ctrl_c() => {
                signal?;
                break;
            }
        }
        out.flush()?;
    }
    writeln!(out, "stopping")?;
    sim.shutdown_and_wait().await;
    Ok(())
}
