//! `mycpaas sim`: runs the local simulator in the foreground until Ctrl-C, printing its base URL,
//! its credentials and one line per call event (the same program as `mycpaas-sim`).

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{Args, Subcommand};
use mycpaas_sim::{
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_SPEED, DateFormat, MAX_SPEED, MIN_SPEED,
    Simulator,
};

use crate::connection::Secret;
use crate::error::CliError;
use crate::generated::simulator;

const SIM_EXAMPLES: &str = "\
Examples:
  mycpaas sim
  mycpaas sim --port 8080 --speed 1 --account-sid AC00000000000000000000000000000001 --auth-token secret

Then, in another shell, use the `export` line it prints and run for example:
  mycpaas calls create --to +15551230000 --from +15559870000 --url http://127.0.0.1:9000/voice.xml
  mycpaas incoming-phone-numbers create --phone-number +14155550100 --voice-url http://127.0.0.1:9000/voice.xml
  mycpaas sim call-in --to +14155550100 --from +15551230000
Numbers ending the call a chosen way: +15005550002 busy, +15005550003 no answer,
+15005550004 failed, +15005550001 rejected as invalid.

Control commands (a running simulator's /_sim routes), ";

/// `mycpaas sim --help`'s examples: running one, then the generated control commands'.
fn sim_examples() -> String {
    let control = simulator::EXAMPLES.trim_start_matches("Examples:\n");
    format!("{SIM_EXAMPLES}for example:\n{control}")
}

/// Flags of `mycpaas sim`.
#[derive(Debug, Args)]
#[command(after_help = sim_examples(), args_conflicts_with_subcommands = true)]
pub struct SimArgs {
    #[command(subcommand)]
    command: Option<SimCommand>,
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Simulated seconds per wall-clock second (1 is real time)
    #[arg(long, default_value_t = DEFAULT_SPEED, value_parser = positive_speed)]
    speed: f64,
    /// Stop simulated time: it moves only when `mycpaas sim advance-clock` (POST /_sim/clock) moves it
    #[arg(long, conflicts_with = "speed")]
    manual_clock: bool,
    /// Account SID the simulator accepts [default: a random one]
    #[arg(long, value_name = "SID", requires = "auth_token")]
    account_sid: Option<String>,
    /// That account's auth token
    #[arg(long, value_name = "TOKEN", requires = "account_sid")]
    auth_token: Option<Secret>,
    /// Seed for SIDs, ring times and random faults, for reproducible runs
    #[arg(long)]
    seed: Option<u64>,
    /// How call JSON writes dates: iso8601 (2026-04-19T10:00:00Z) or rfc2822 (Sun, 19 Apr 2026 10:00:00 +0000)
    #[arg(long, default_value_t = DateFormat::Iso8601, value_name = "FORMAT",
          value_parser = PossibleValuesParser::new(["iso8601", "rfc2822"])
              .try_map(|text| text.parse::<DateFormat>()))]
    date_format: DateFormat,
    /// Seconds a connection may wait without sending a complete request before it is closed
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_IDLE_TIMEOUT.as_secs_f64(),
          value_parser = positive_seconds)]
    idle_timeout: f64,
    /// Connections served at once; beyond it the oldest are closed once idle
    #[arg(long, value_name = "N", default_value_t = u32::try_from(DEFAULT_MAX_CONNECTIONS).unwrap_or(u32::MAX),
          value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
}

/// What `mycpaas sim` does to a simulator already running: its control routes, one command
/// per operation of the description's `Simulator` tag (generated, with its connection flags).
#[derive(Debug, Subcommand)]
enum SimCommand {
    #[command(flatten)]
    Control(simulator::Command),
}

impl SimCommand {
    fn run(self) -> Result<(), CliError> {
        match self {
            SimCommand::Control(command) => command.run(),
        }
    }
}

/// A speed the simulator accepts: from [`MIN_SPEED`] to [`MAX_SPEED`].
pub fn positive_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(speed) if (MIN_SPEED..=MAX_SPEED).contains(&speed) => Ok(speed),
        _ => Err(format!(
            "must be a number from {MIN_SPEED} to {MAX_SPEED}, e.g. 1 (real time) or 1000"
        )),
    }
}

/// A duration in seconds, above zero.
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if Duration::try_from_secs_f64(seconds).is_ok_and(|d| !d.is_zero()) => {
            Ok(seconds)
        }
        _ => Err("must be a number of seconds above 0, e.g. 30 or 0.5".to_owned()),
    }
}

impl SimArgs {
    /// Runs the simulator until Ctrl-C, or the control command given.
    pub fn run(self) -> Result<(), CliError> {
        if let Some(command) = self.command {
            return command.run();
        }
        let mut builder = Simulator::builder()
            .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)))
            .speed(self.speed)
            .date_format(self.date_format)
            .idle_timeout(Duration::from_secs_f64(self.idle_timeout))
            .max_connections(usize::try_from(self.max_connections).unwrap_or(usize::MAX));
        if let (Some(sid), Some(token)) = (self.account_sid, self.auth_token) {
            builder = builder.account(sid, token.expose());
        }
        if let Some(seed) = self.seed {
            builder = builder.seed(seed);
        }
        if self.manual_clock {
            builder = builder.manual_clock();
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| CliError::failed(format!("cannot start the async runtime: {e}")))?;
        runtime
            .block_on(mycpaas_sim::standalone::run(builder, std::io::stdout()))
            .map_err(|e| CliError::failed(format!("simulator: {e}")))
    }
}
