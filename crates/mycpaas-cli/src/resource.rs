//! What every resource command shares (`mycpaas calls ...`, `mycpaas recordings ...`): the
//! connection flags, the output format, and the two steps of a command. `prepare` turns the flags
//! into a request and checks it with core before any client exists, so bad input is reported as
//! such even when credentials are missing too; `execute` sends it and prints the result.

use std::io;

use clap::{Args, Subcommand};
use mycpaas_blocking::{Client, Pages};
use mycpaas_core::ops::ListOperation;
use serde::Serialize;

use crate::connection::ApiArgs;
use crate::error::CliError;
use crate::output::{self, Format, List, Progress, View};

/// A resource's commands, as parsed.
pub trait Command {
    /// The checked request.
    type Prepared: Prepared;

    /// Turns the flags into a request and checks it.
    fn prepare(self) -> Result<Self::Prepared, CliError>;
}

/// A checked request, ready to send.
pub trait Prepared {
    /// Sends the request with `client` and prints its result in `format`.
    fn execute(self, client: &Client, format: Format) -> Result<(), CliError>;
}

/// `mycpaas RESOURCE`: connection flags, output format, and the command.
#[derive(Debug, Args)]
pub struct ResourceArgs<C: Subcommand> {
    #[command(flatten)]
    api: ApiArgs,

    /// Output format
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = Format::Table,
          help_heading = "Output")]
    output: Format,

    #[command(subcommand)]
    command: C,
}

impl<C: Subcommand + Command> ResourceArgs<C> {
    /// Runs the command.
    pub fn run(self) -> Result<(), CliError> {
        let prepared = self.command.prepare()?;
        let client = self.api.client()?;
        prepared
            .execute(&client, self.output)
            .map_err(|error| error.at_base_url(client.config().base_url()))
    }
}

/// The connection flags and output format of a command that carries its own (the simulator's
/// control commands, `mycpaas sim <command>`, whose parent has flags of the same names).
#[derive(Debug, Clone, Args)]
pub struct Connection {
    #[command(flatten)]
    api: ApiArgs,

    /// Output format
    #[arg(long, short = 'o', value_enum, default_value_t = Format::Table, help_heading = "Output")]
    output: Format,
}

impl Connection {
    /// Prepares `command`, sends it to the server the flags name, and prints the answer.
    pub fn run<C: Command>(self, command: C) -> Result<(), CliError> {
        let prepared = command.prepare()?;
        let client = self.api.client()?;
        prepared
            .execute(&client, self.output)
            .map_err(|error| error.at_base_url(client.config().base_url()))
    }
}

/// Prints one resource on stdout.
pub fn print_one(format: Format, view: &View, resource: &impl Serialize) -> Result<(), CliError> {
    output::write_one(&mut io::stdout().lock(), format, view, resource)
        .map_err(|e| CliError::output(&e))
}

/// Prints that the resource `sid` was deleted.
pub fn print_deleted(format: Format, sid: &str) -> Result<(), CliError> {
    output::write_deleted(&mut io::stdout().lock(), format, sid).map_err(|e| CliError::output(&e))
}

/// Streams every item of the list `request` asks for to stdout, page after page, at most
/// `limit` of them.
pub fn print_list<L>(
    client: &Client,
    request: L,
    limit: Option<usize>,
    format: Format,
    view: &'static View,
) -> Result<(), CliError>
where
    L: ListOperation,
    L::Item: Serialize,
{
    let progress = Progress::on_stderr(view);
    let mut list =
        List::start(io::stdout().lock(), format, view).map_err(|e| CliError::output(&e))?;
    let mut failure = None;
    for (index, item) in Pages::<L>::of(client.clone(), request, limit).enumerate() {
        let written = item
            .map_err(CliError::from)
            .and_then(|item| list.push(&item).map_err(|e| CliError::output(&e)));
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
