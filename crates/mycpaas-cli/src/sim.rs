//! `mycpaas sim`: runs the local simulator in the foreground until Ctrl-C, printing its base URL,
//! its credentials and one line per call event (the same program as `mycpaas-sim`).

use std::net::{Ipv4Addr, SocketAddr};

use clap::Args;
use mycpaas_sim::{DEFAULT_SPEED, Simulator};

use crate::connection::Secret;
use crate::error::CliError;

const SIM_EXAMPLES: &str = "\
Examples:
  mycpaas sim
  mycpaas sim --port 8080 --speed 1 --account-sid AC00000000000000000000000000000001 --auth-token secret

Then, in another shell, use the `export` line it prints and run for example:
  mycpaas calls create --to +15551230000 --from +15559870000 --url http://127.0.0.1:9000/voice.xml
Numbers ending the call a chosen way: +15005550002 busy, +15005550003 no answer,
+15005550004 failed, +15005550001 rejected as invalid.";

/// Flags of `mycpaas sim`.
#[derive(Debug, Args)]
#[command(after_help = SIM_EXAMPLES)]
pub struct SimArgs {
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Simulated seconds per wall-clock second (1 is real time)
    #[arg(long, default_value_t = DEFAULT_SPEED, value_parser = positive_speed)]
    speed: f64,
    /// Account SID the simulator accepts [default: a random one]
    #[arg(long, value_name = "SID", requires = "auth_token")]
    account_sid: Option<String>,
    /// That account's auth token
    #[arg(long, value_name = "TOKEN", requires = "account_sid")]
    auth_token: Option<Secret>,
    /// Seed for SIDs, ring times and random faults, for reproducible runs
    #[arg(long)]
    seed: Option<u64>,
}

/// A speed is a positive, finite number.
pub fn positive_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(speed) if speed.is_finite() && speed > 0.0 => Ok(speed),
        _ => Err("must be a positive number, e.g. 1 (real time) or 1000".to_owned()),
    }
}

impl SimArgs {
    /// Runs the simulator until Ctrl-C.
    pub fn run(self) -> Result<(), CliError> {
        let mut builder = Simulator::builder()
            .bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)))
            .speed(self.speed);
        if let (Some(sid), Some(token)) = (self.account_sid, self.auth_token) {
            builder = builder.account(sid, token.expose());
        }
        if let Some(seed) = self.seed {
            builder = builder.seed(seed);
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
