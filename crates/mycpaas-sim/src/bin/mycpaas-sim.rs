//! `mycpaas-sim`: runs the local mycpaas Voice API simulator until Ctrl-C.
//!
//! ```text
//! mycpaas-sim [--port N] [--speed X | --manual-clock] [--account-sid SID --auth-token TOKEN]
//!             [--seed N] [--date-format iso8601|rfc2822] [--idle-timeout SECONDS] [--max-connections N]
//! ```

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use mycpaas_sim::{DateFormat, MAX_SPEED, MIN_SPEED, Simulator};

/// A page of calls allocates several strings per call listed, on the runtime's worker threads:
/// mimalloc serves that faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: mycpaas-sim [--port N] [--speed X | --manual-clock] [--account-sid SID --auth-token TOKEN]
                   [--seed N] [--date-format iso8601|rfc2822] [--idle-timeout SECONDS] [--max-connections N]

Runs the local mycpaas Voice API simulator on 127.0.0.1 until Ctrl-C.
  --port N             port to listen on (default: any free port)
  --speed X            simulated seconds per wall second (default 1000; 1 = real time)
  --manual-clock       time stands still until POST /_sim/clock (mycpaas sim advance-clock) moves it
  --account-sid SID    account SID to accept (default: random)
  --auth-token TOKEN   its auth token (required with --account-sid)
  --seed N             seed for SIDs and random choices
  --date-format F      dates in call JSON: iso8601 (default) or rfc2822
  --idle-timeout S     seconds a connection may wait without a complete request (default 30)
  --max-connections N  connections served at once (default 256)";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok(Some(builder)) => run(builder),
        Ok(None) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "mycpaas-sim: {message}\n\n{USAGE}");
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
            let _ = writeln!(
                std::io::stderr(),
                "mycpaas-sim: cannot start a runtime: {error}"
            );
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(mycpaas_sim::standalone::run(builder, std::io::stdout())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "mycpaas-sim: {error}");
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
                    .ok()
                    .filter(|speed| (MIN_SPEED..=MAX_SPEED).contains(speed))
                    .ok_or_else(|| {
                        format!("--speed must be a number from {MIN_SPEED} to {MAX_SPEED}")
                    })?;
                builder = builder.speed(speed);
            }
            "--manual-clock" => builder = builder.manual_clock(),
            "--seed" => {
                let seed: u64 = value()?
                    .parse()
                    .map_err(|_| "--seed must be a whole number".to_owned())?;
                builder = builder.seed(seed);
            }
            "--date-format" => builder = builder.date_format(value()?.parse::<DateFormat>()?),
            "--idle-timeout" => {
                let seconds: f64 = value()?
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| {
                        "--idle-timeout must be a number of seconds above 0".to_owned()
                    })?;
                let timeout = Duration::try_from_secs_f64(seconds)
                    .map_err(|_| "--idle-timeout is too long".to_owned())?;
                builder = builder.idle_timeout(timeout);
            }
            "--max-connections" => {
                let limit: usize =
                    value()?.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        "--max-connections must be a whole number above 0".to_owned()
                    })?;
                builder = builder.max_connections(limit);
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
