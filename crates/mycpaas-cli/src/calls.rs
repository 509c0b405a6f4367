//! `mycpaas calls ...`: the generated commands of the Calls resource (`generated::calls`), and
//! `wait`, which polls a call until it is answered or ends.

use std::time::Duration;

use clap::Subcommand;
use mycpaas_blocking::{Client, Error as SdkError, Until};

use crate::error::CliError;
use crate::generated::calls;
use crate::generated::views::CALL;
use crate::output::Format;
use crate::resource::{self, Command, Prepared};

/// The commands of `mycpaas calls`.
#[derive(Debug, Subcommand)]
pub enum CallsCommand {
    #[command(flatten)]
    Api(calls::Command),
    /// Wait until a call is answered or ends, polling it, then show it
    Wait {
        /// The call's SID
        sid: String,
        /// What to wait for: answered (or ended unanswered) or ended
        #[arg(long, value_name = "answered|ended", default_value = "ended")]
        until: String,
        /// Give up after this many seconds (exit 3, a timeout)
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
        deadline: f64,
    },
}

/// A checked `calls` command.
#[derive(Debug)]
pub enum PreparedCalls {
    Api(calls::Prepared),
    Wait(String, Until, Duration),
}

impl Command for CallsCommand {
    type Prepared = PreparedCalls;

    fn prepare(self) -> Result<PreparedCalls, CliError> {
        Ok(match self {
            CallsCommand::Api(command) => PreparedCalls::Api(command.prepare()?),
            CallsCommand::Wait {
                sid,
                until,
                deadline,
            } => {
                let deadline = Duration::try_from_secs_f64(deadline).map_err(|_| {
                    SdkError::invalid("deadline", "must be a number of seconds from 0")
                })?;
                PreparedCalls::Wait(sid, until.parse()?, deadline)
            }
        })
    }
}

impl Prepared for PreparedCalls {
    fn execute(self, client: &Client, format: Format) -> Result<(), CliError> {
        match self {
            PreparedCalls::Api(prepared) => prepared.execute(client, format),
            PreparedCalls::Wait(sid, until, deadline) => {
                let call = client.calls().wait(&sid, until, deadline)?;
                resource::print_one(format, &CALL, &call)
            }
        }
    }
}
