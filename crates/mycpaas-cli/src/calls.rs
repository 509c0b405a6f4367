//! `mycpaas calls ...`: the Calls resource. The flags of `create`, `update` and `list` are
//! generated from the API description (`generated::calls`) and become `mycpaas-core` requests,
//! validated before anything is sent; `mycpaas-blocking` sends them, `output` prints the result.

use std::io;
use std::time::Duration;

use clap::{Args, Subcommand};
use mycpaas_blocking::{Client, CreateCall, Error as SdkError, ListCalls, Until, UpdateCall};

use crate::connection::ApiArgs;
use crate::error::CliError;
use crate::generated::calls::{CreateCallArgs, ListCallsArgs, UpdateCallArgs};
use crate::output::{self, CallList, Format, Progress};

const CALLS_EXAMPLES: &str = "\
Examples:
  mycpaas calls create --to +491234567890 --from +491098765432 --url https://example.com/voice.xml
  mycpaas calls create --to +491234567890 --from +491098765432 --twiml hello.xml \\
      --status-callback https://example.com/status --event initiated --event completed
  mycpaas calls get CA1234567890abcdef1234567890abcdef
  mycpaas calls list --status completed --limit 20 --output csv
  mycpaas calls update CA1234567890abcdef1234567890abcdef --url https://example.com/next.xml
  mycpaas calls hangup CA1234567890abcdef1234567890abcdef

Credentials come from --account-sid/--auth-token or MYCPAAS_ACCOUNT_SID/MYCPAAS_AUTH_TOKEN;
--base-url or MYCPAAS_BASE_URL points the commands at the simulator (`mycpaas sim`).";

/// `mycpaas calls`: connection flags, output format, and the operation.
#[derive(Debug, Args)]
#[command(after_help = CALLS_EXAMPLES)]
pub struct CallsArgs {
    #[command(flatten)]
    api: ApiArgs,

    /// Output format
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = Format::Table,
          help_heading = "Output")]
    output: Format,

    #[command(subcommand)]
    command: CallsCommand,
}

#[derive(Debug, Subcommand)]
enum CallsCommand {
    /// Place an outbound call
    Create(Box<CreateCallArgs>),
    /// Show one call
    Get {
        /// The call's SID
        sid: String,
    },
    /// List calls, following every page (up to --limit)
    List(Box<ListArgs>),
    /// Change a live call: new LaML, new callbacks, or its end
    Update(Box<UpdateCallArgs>),
    /// End a call in any state (Status=completed)
    Hangup {
        /// The call's SID
        sid: String,
    },
    /// End a call that is still queued or ringing (Status=canceled); no effect once answered
    Cancel {
        /// The call's SID
        sid: String,
    },
    /// Delete a call's record
    Delete {
        /// The call's SID
        sid: String,
    },
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

/// `list`: the operation's flags, and how many calls to print in all.
#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    params: ListCallsArgs,
    /// Stop after this many calls [default: all]
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
}

/// A checked request, ready to send.
enum Prepared {
    Create(Box<CreateCall>),
    Get(String),
    Update(UpdateCall),
    Hangup(String),
    Cancel(String),
    Delete(String),
    List(ListCalls, Option<usize>),
    Wait(String, Until, Duration),
}

impl CallsCommand {
    /// Turns the flags into a request and checks it with core, before any client exists: bad
    /// input is reported as such even when credentials are missing too.
    fn prepare(self) -> Result<Prepared, CliError> {
        Ok(match self {
            CallsCommand::Create(args) => {
                let request = args.into_request()?;
                request.validate()?;
                Prepared::Create(Box::new(request))
            }
            CallsCommand::Update(args) => {
                let request = args.into_request()?;
                request.validate()?;
                Prepared::Update(request)
            }
            CallsCommand::List(args) => {
                let request = args.params.into_request()?;
                request.validate()?;
                Prepared::List(request, args.limit)
            }
            CallsCommand::Get { sid } => Prepared::Get(sid),
            CallsCommand::Hangup { sid } => Prepared::Hangup(sid),
            CallsCommand::Cancel { sid } => Prepared::Cancel(sid),
            CallsCommand::Delete { sid } => Prepared::Delete(sid),
            CallsCommand::Wait {
                sid,
                until,
                deadline,
            } => {
                let deadline = Duration::try_from_secs_f64(deadline).map_err(|_| {
                    SdkError::invalid("deadline", "must be a number of seconds from 0")
                })?;
                Prepared::Wait(sid, until.parse()?, deadline)
            }
        })
    }
}

impl Prepared {
    /// Sends the request and prints its result.
    fn execute(self, client: &Client, format: Format) -> Result<(), CliError> {
        let calls = client.calls();
        let call = match self {
            Prepared::Create(request) => calls.create(*request)?,
            Prepared::Get(sid) => calls.fetch(&sid)?,
            Prepared::Update(request) => calls.update(request)?,
            Prepared::Hangup(sid) => calls.hangup(&sid)?,
            Prepared::Cancel(sid) => calls.cancel(&sid)?,
            Prepared::Delete(sid) => {
                calls.delete(&sid)?;
                return output::write_deleted(&mut io::stdout().lock(), format, &sid)
                    .map_err(|e| CliError::output(&e));
            }
            Prepared::List(request, limit) => return list(client, request, limit, format),
            Prepared::Wait(sid, until, deadline) => calls.wait(&sid, until, deadline)?,
        };
        output::write_call(&mut io::stdout().lock(), format, &call)
            .map_err(|e| CliError::output(&e))
    }
}

impl CallsArgs {
    /// Runs the subcommand.
    pub fn run(self) -> Result<(), CliError> {
        let prepared = self.command.prepare()?;
        let client = self.api.client()?;
        prepared
            .execute(&client, self.output)
            .map_err(|error| error.at_base_url(client.config().base_url()))
    }
}

/// Streams every matching call to stdout, page after page.
fn list(
    client: &Client,
    request: ListCalls,
    limit: Option<usize>,
    format: Format,
) -> Result<(), CliError> {
    let progress = Progress::on_stderr();
    let mut list =
        CallList::start(io::stdout().lock(), format).map_err(|e| CliError::output(&e))?;
    let mut failure = None;
    for (index, call) in client.calls().iter(request, limit).enumerate() {
        let written = call
            .map_err(CliError::from)
            .and_then(|call| list.push(&call).map_err(|e| CliError::output(&e)));
        if let Err(error) = written {
            failure = Some(error);
            break;
        }
        progress.update(index + 1);
    }
    progress.clear();
    // Close the list even after a failure, so JSON output stays parseable.
    let finished = list.finish().map_err(|e| CliError::output(&e));
    match (failure, finished) {
        (Some(error), _) | (None, Err(error)) => Err(error),
        (None, Ok(_)) => Ok(()),
    }
}
