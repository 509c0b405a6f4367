//! `mycpaas recordings ...`: the generated commands of the Recordings resource
//! (`generated::recordings`), and `download`, which streams a recording's audio to a file or to
//! stdout.

use std::io::{self, IsTerminal};
use std::path::PathBuf;

use clap::Subcommand;
use mycpaas_blocking::{AudioFormat, Client, Error as SdkError};

use crate::error::CliError;
use crate::generated::recordings;
use crate::output::Format;
use crate::resource::{Command, Prepared};

/// The commands of `mycpaas recordings`.
#[derive(Debug, Subcommand)]
pub enum RecordingsCommand {
    #[command(flatten)]
    Api(recordings::Command),
    /// Download a recording's audio to a file (or stdout), streamed as it arrives
    Download {
        /// The recording's SID, or the RecordingUrl a webhook gave
        recording: String,
        /// Write the audio here [default: stdout, when it is not a terminal]
        #[arg(long, short = 'O', value_name = "FILE")]
        out: Option<PathBuf>,
        /// The audio format
        #[arg(long, value_name = "wav|mp3", default_value = "wav")]
        format: String,
    },
}

/// A checked `recordings` command.
#[derive(Debug)]
pub enum PreparedRecordings {
    Api(recordings::Prepared),
    Download(String, AudioFormat, Option<PathBuf>),
}

impl Command for RecordingsCommand {
    type Prepared = PreparedRecordings;

    fn prepare(self) -> Result<PreparedRecordings, CliError> {
        Ok(match self {
            RecordingsCommand::Api(command) => PreparedRecordings::Api(command.prepare()?),
            RecordingsCommand::Download {
                recording,
                out,
                format,
            } => {
                if out.is_none() && io::stdout().is_terminal() {
                    return Err(SdkError::invalid(
                        "out",
                        "is needed when stdout is a terminal (audio would be printed): use -O FILE",
                    )
                    .into());
                }
                PreparedRecordings::Download(recording, format.parse()?, out)
            }
        })
    }
}

impl Prepared for PreparedRecordings {
    fn execute(self, client: &Client, format: Format) -> Result<(), CliError> {
        match self {
            PreparedRecordings::Api(prepared) => prepared.execute(client, format),
            PreparedRecordings::Download(recording, audio, out) => {
                let recordings = client.recordings();
                let downloaded = match &out {
                    Some(path) => recordings.download_to_file(&recording, audio, path)?,
                    None => recordings.download(&recording, audio, &mut io::stdout().lock())?,
                };
                let place = out.map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
                eprintln!("wrote {} bytes of audio to {place}", downloaded.bytes);
                Ok(())
            }
        }
    }
}
