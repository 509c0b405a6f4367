//! `mycpaas`: the command line of the mycpaas SDK.
//!
//! It parses flags into the SDK's types and prints their results; the work itself is done by
//! `mycpaas-core`, `mycpaas-blocking`, `mycpaas-laml` and `mycpaas-sim`. See `docs/cli.md`.
//!
//! | module | job |
//! |---|---|
//! | `cli` | the top-level commands, `--help` text, exit codes |
//! | `generated` | the resource commands (`mycpaas calls ...`, `mycpaas recordings ...`), their flags and what they print, from `api/openapi.yaml` |
//! | `resource` | what the resource commands share: connection, output format, prepare then execute |
//! | `calls` | `mycpaas calls wait`, on top of the generated Calls commands |
//! | `recordings` | `mycpaas recordings download`, on top of the generated Recordings commands |
//! | `laml` | `mycpaas laml ...` |
//! | `sim` | `mycpaas sim` |
//! | `demo` | `mycpaas demo` |
//! | `docs` | `mycpaas completions` and `mycpaas man` |
//! | `connection` | credentials and base URL from flags or `MYCPAAS_*` |
//! | `output` | table, JSON and CSV |
//! | `error` | failures and their exit codes |

mod calls;
mod cli;
mod connection;
mod demo;
mod docs;
mod error;
mod generated;
mod laml;
mod output;
mod recordings;
mod resource;
mod sim;
mod webhook;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Usage errors exit with 2 and `--help`/`--version` with 0, printed by clap.
    let cli = cli::Cli::parse();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(),
    }
}
