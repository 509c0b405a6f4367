//! `mycpaas-sim`: runs the local mycpaas Voice API simulator until Ctrl-C.
//!
//! ```text
//! mycpaas-sim [--port N] [--speed X] [--account-sid SID --auth-token TOKEN] [--seed N]
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use mycpaas_sim::Simulator;

const USAGE: &str =
    "usage: mycpaas-sim [--port N] [--speed X] [--account-sid SID --auth-token TOKEN] [--seed N]

Runs the local mycpaas Voice API simulator on 127.0.0.1 until Ctrl-C.
  --port N           port to listen on (default: any free port)
  --speed X          simulated seconds per wall second (default 1000; 1 = real time)
  --account-sid SID  account SID to accept (default: random)
  --auth-token TOKEN its auth token (required with --account-sid)
  --seed N           seed for SIDs and random choices";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok(Some(builder)) => run(builder),
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("mycpaas-sim: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(builder: mycpaas_sim::SimulatorBuilder) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("mycpaas-sim: cannot start a runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(mycpaas_sim::standalone::run(builder, std::io::stdout())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mycpaas-sim: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The builder the flags describe; `None` for `--help`.
fn parse(
    mut args: impl Iterator<Item = String>,
) -> Result<Option<mycpaas_sim::SimulatorBuilder>, String> {
    let mut builder = Simulator::builder();
    let mut sid = None;
    let mut token = None;
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => {
                let port: u16 = value()?
                    .parse()
                    .map_err(|_| "--port must be a number from 0 to 65535".to_owned())?;
                builder = builder.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
            }
            "--speed" => {
                let speed: f64 = value()?
                    .parse()
                    .map_err(|_| "--speed must be a positive number".to_owned())?;
                builder = builder.speed(speed);
            }
            "--seed" => {
                let seed: u64 = value()?
                    .parse()
                    .map_err(|_| "--seed must be a whole number".to_owned())?;
                builder = builder.seed(seed);
            }
            "--account-sid" => sid = Some(value()?),
            "--auth-token" => token = Some(value()?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    match (sid, token) {
        (Some(sid), Some(token)) => builder = builder.account(sid, token),
        (None, None) => {}
        _ => return Err("--account-sid and --auth-token go together".to_owned()),
    }
    Ok(Some(builder))
}
