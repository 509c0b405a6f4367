//! `mycpaas calls ...`: the Calls resource. Flags become `mycpaas-core` request builders (which
//! validate them before anything is sent), `mycpaas-blocking` sends them, `output` prints the
//! result.

use std::io;
use std::path::PathBuf;
use std::str::FromStr;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Subcommand};
use mycpaas_blocking::{CallStatus, Client, CreateCall, ListCalls, UpdateCall};
use mycpaas_core::types::{
    AnsweredByDetection, CallEvent, HttpMethod, RecordingChannels, RecordingEvent, RecordingTrack,
    Trim,
};

use crate::connection::{ApiArgs, Secret};
use crate::error::CliError;
use crate::laml;
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
    Create(Box<CreateArgs>),
    /// Show one call
    Get {
        /// The call's SID
        sid: String,
    },
    /// List calls, following every page (up to --limit)
    List(ListArgs),
    /// Send a live call to new LaML
    Update(UpdateArgs),
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
}

/// A value parser for a closed wire enumeration of core: its values are listed in `--help`, and
/// the text is parsed by core itself.
fn wire_enum<T>(all: &'static [T], name: fn(&T) -> &'static str) -> impl TypedValueParser<Value = T>
where
    T: FromStr<Err = mycpaas_core::Error> + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(all.iter().map(name)).try_map(|text| text.parse::<T>())
}

fn events() -> impl TypedValueParser<Value = CallEvent> {
    wire_enum(CallEvent::ALL, CallEvent::as_str)
}

fn recording_events() -> impl TypedValueParser<Value = RecordingEvent> {
    wire_enum(RecordingEvent::ALL, RecordingEvent::as_str)
}

fn method() -> impl TypedValueParser<Value = HttpMethod> {
    wire_enum(HttpMethod::ALL, HttpMethod::as_str)
}

/// Where the call's LaML comes from: exactly one of these.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("instructions").required(true).args(["url", "twiml", "application_sid"])))]
struct CreateArgs {
    /// Number to call: E.164 (+491234567890), sip:URI or client:NAME
    #[arg(long, value_name = "NUMBER")]
    to: String,
    /// Caller ID: one of your numbers, E.164
    #[arg(long, value_name = "NUMBER")]
    from: String,
    /// URL the platform fetches the call's LaML from
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// File holding the call's LaML (`-` reads stdin); checked before it is sent
    #[arg(long, value_name = "FILE")]
    twiml: Option<PathBuf>,
    /// Application whose voice URL handles the call
    #[arg(long, value_name = "SID")]
    application_sid: Option<String>,
    /// How --url is requested
    #[arg(long, value_parser = method(), ignore_case = true, value_name = "METHOD")]
    method: Option<HttpMethod>,
    /// Requested when --url fails
    #[arg(long, value_name = "URL")]
    fallback_url: Option<String>,
    /// How --fallback-url is requested
    #[arg(long, value_parser = method(), ignore_case = true, value_name = "METHOD")]
    fallback_method: Option<HttpMethod>,
    /// URL that receives call progress events
    #[arg(long, value_name = "URL")]
    status_callback: Option<String>,
    /// An event sent to --status-callback; repeat or separate with commas [server default: completed]
    #[arg(long = "event", value_name = "EVENT", value_parser = events(), value_delimiter = ',')]
    events: Vec<CallEvent>,
    /// How --status-callback is requested
    #[arg(long, value_parser = method(), ignore_case = true, value_name = "METHOD")]
    status_callback_method: Option<HttpMethod>,
    /// Keys to press once answered: up to 32 of 0-9 A-D # * w (w waits half a second)
    #[arg(long, value_name = "DIGITS")]
    send_digits: Option<String>,
    /// Seconds to let the call ring, 1-600 [server default: 60]
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<u32>,
    /// Record the call
    #[arg(long)]
    record: bool,
    /// Recording channels
    #[arg(long, value_parser = wire_enum(RecordingChannels::ALL, RecordingChannels::as_str))]
    recording_channels: Option<RecordingChannels>,
    /// URL that receives recording events
    #[arg(long, value_name = "URL")]
    recording_status_callback: Option<String>,
    /// How --recording-status-callback is requested
    #[arg(long, value_parser = method(), ignore_case = true, value_name = "METHOD")]
    recording_status_callback_method: Option<HttpMethod>,
    /// A recording event to report; repeat or separate with commas
    #[arg(long = "recording-event", value_name = "EVENT", value_parser = recording_events(), value_delimiter = ',')]
    recording_events: Vec<RecordingEvent>,
    /// Which audio to record
    #[arg(long, value_parser = wire_enum(RecordingTrack::ALL, RecordingTrack::as_str))]
    recording_track: Option<RecordingTrack>,
    /// Trim silence from the recording
    #[arg(long, value_parser = wire_enum(Trim::ALL, Trim::as_str))]
    trim: Option<Trim>,
    /// Answering machine detection
    #[arg(long, value_parser = wire_enum(AnsweredByDetection::ALL, AnsweredByDetection::as_str), ignore_case = true)]
    machine_detection: Option<AnsweredByDetection>,
    /// Seconds machine detection may take
    #[arg(long, value_name = "SECONDS")]
    machine_detection_timeout: Option<u32>,
    /// Milliseconds of speech that mean a machine
    #[arg(long, value_name = "MS")]
    machine_detection_speech_threshold: Option<u32>,
    /// Milliseconds of silence that end speech
    #[arg(long, value_name = "MS")]
    machine_detection_speech_end_threshold: Option<u32>,
    /// Milliseconds of initial silence that mean a machine
    #[arg(long, value_name = "MS")]
    machine_detection_silence_timeout: Option<u32>,
    /// Run machine detection without holding the call
    #[arg(long)]
    async_amd: bool,
    /// URL that receives the machine detection result
    #[arg(long, value_name = "URL")]
    async_amd_status_callback: Option<String>,
    /// How --async-amd-status-callback is requested
    #[arg(long, value_parser = method(), ignore_case = true, value_name = "METHOD")]
    async_amd_status_callback_method: Option<HttpMethod>,
    /// Caller ID shown to sip: and client: destinations
    #[arg(long)]
    caller_id: Option<String>,
    /// Username for a sip: destination
    #[arg(long)]
    sip_auth_username: Option<String>,
    /// Password for a sip: destination (visible to other users of this machine while running)
    #[arg(long)]
    sip_auth_password: Option<Secret>,
    /// Longest duration of the call in seconds
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<u32>,
}

/// Applies each `Some` field to the builder method of the same name.
macro_rules! set_present {
    ($builder:ident, $args:ident, [$($field:ident),* $(,)?]) => {
        $(
            if let Some(value) = $args.$field {
                $builder = $builder.$field(value);
            }
        )*
    };
}

impl CreateArgs {
    fn into_request(self) -> Result<CreateCall, CliError> {
        let args = self;
        let mut call = CreateCall::new(args.to, args.from);
        if let Some(path) = &args.twiml {
            call = call.twiml(&laml::load_for_sending(path)?);
        }
        set_present!(
            call,
            args,
            [
                url,
                application_sid,
                method,
                fallback_url,
                fallback_method,
                status_callback,
                status_callback_method,
                send_digits,
                timeout,
                recording_channels,
                recording_status_callback,
                recording_status_callback_method,
                recording_track,
                trim,
                machine_detection,
                machine_detection_timeout,
                machine_detection_speech_threshold,
                machine_detection_speech_end_threshold,
                machine_detection_silence_timeout,
                async_amd_status_callback,
                async_amd_status_callback_method,
                caller_id,
                sip_auth_username,
                time_limit,
            ]
        );
        if let Some(password) = args.sip_auth_password {
            call = call.sip_auth_password(password.expose());
        }
        if args.record {
            call = call.record(true);
        }
        if args.async_amd {
            call = call.async_amd(true);
        }
        Ok(call
            .status_callback_events(args.events)
            .recording_status_callback_events(args.recording_events))
    }
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Only calls in this status: queued, initiated, ringing, in-progress, completed, failed,
    /// busy, no-answer, canceled (other values are sent as typed)
    #[arg(long)]
    status: Option<CallStatus>,
    /// Only calls to this number
    #[arg(long, value_name = "NUMBER")]
    to: Option<String>,
    /// Only calls from this number
    #[arg(long, value_name = "NUMBER")]
    from: Option<String>,
    /// Only the legs of this parent call
    #[arg(long, value_name = "SID")]
    parent: Option<String>,
    /// Stop after this many calls [default: all]
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Calls per request, 1-1000 [server default: 50]
    #[arg(long, value_name = "N")]
    page_size: Option<u32>,
}

impl ListArgs {
    fn to_request(&self) -> ListCalls {
        let mut list = ListCalls::new();
        if let Some(status) = &self.status {
            list = list.status(status.clone());
        }
        if let Some(to) = &self.to {
            list = list.to(to);
        }
        if let Some(from) = &self.from {
            list = list.from(from);
        }
        if let Some(parent) = &self.parent {
            list = list.parent_call_sid(parent);
        }
        if let Some(size) = self.page_size {
            list = list.page_size(size);
        }
        list
    }
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("instructions").required(true).args(["url", "twiml"])))]
struct UpdateArgs {
    /// The call's SID
    sid: String,
    /// URL of the LaML the call continues with
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// File holding the LaML the call continues with (`-` reads stdin)
    #[arg(long, value_name = "FILE")]
    twiml: Option<PathBuf>,
    /// How --url is requested
    #[arg(long, value_parser = method(), ignore_case = true, value_name = "METHOD")]
    method: Option<HttpMethod>,
    /// Requested when --url fails
    #[arg(long, value_name = "URL")]
    fallback_url: Option<String>,
    /// How --fallback-url is requested
    #[arg(long, value_parser = method(), ignore_case = true, value_name = "METHOD")]
    fallback_method: Option<HttpMethod>,
    /// URL that receives call progress events from now on
    #[arg(long, value_name = "URL")]
    status_callback: Option<String>,
    /// How --status-callback is requested
    #[arg(long, value_parser = method(), ignore_case = true, value_name = "METHOD")]
    status_callback_method: Option<HttpMethod>,
    /// Longest duration of the call in seconds
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<u32>,
}

impl UpdateArgs {
    fn into_request(self) -> Result<UpdateCall, CliError> {
        let args = self;
        let mut update = UpdateCall::new(args.sid);
        if let Some(path) = &args.twiml {
            update = update.twiml(&laml::load_for_sending(path)?);
        }
        set_present!(
            update,
            args,
            [
                url,
                method,
                fallback_url,
                fallback_method,
                status_callback,
                status_callback_method,
                time_limit,
            ]
        );
        Ok(update)
    }
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
                let request = args.to_request();
                request.validate()?;
                Prepared::List(request, args.limit)
            }
            CallsCommand::Get { sid } => Prepared::Get(sid),
            CallsCommand::Hangup { sid } => Prepared::Hangup(sid),
            CallsCommand::Cancel { sid } => Prepared::Cancel(sid),
            CallsCommand::Delete { sid } => Prepared::Delete(sid),
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
