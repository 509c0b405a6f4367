//! The top level of the command line: the command groups, `--help` text, examples and the exit
//! codes. Each group's flags live in its own module.

use clap::{Parser, Subcommand};

use crate::demo::DemoArgs;
use crate::docs::{CompletionsArgs, ManArgs};
use crate::error::CliError;
use crate::generated::Resource;
use crate::laml::LamlCommand;
use crate::sim::SimArgs;
use crate::webhook::WebhookArgs;

const AFTER_HELP: &str = "\
Examples:
  mycpaas demo                         see a whole call, offline, in one command
  mycpaas sim                          run the local simulator (prints its URL and credentials)
  mycpaas calls create --to +491234567890 --from +491098765432 --url https://example.com/voice.xml
  mycpaas calls list --status completed --output json
  mycpaas laml validate voice.xml
  source <(mycpaas completions bash)   complete commands and flags in bash (also zsh, fish)
  mycpaas man | man -l -               read the manual page

Credentials: --account-sid/--auth-token or MYCPAAS_ACCOUNT_SID/MYCPAAS_AUTH_TOKEN;
--base-url or MYCPAAS_BASE_URL selects the API (default https://developer.mycpaas.io).

Exit codes:
  0  success
  1  the API refused the request, an input broke a rule, or a LaML document has errors
  2  usage: unknown flag, missing value, missing credentials
  3  the API could not be reached or did not answer in time
  4  creating a call failed after the request may have reached the server:
     the call may exist, check with `mycpaas calls list` before retrying";

/// Place and steer calls, check LaML, and run the local Voice API simulator.
#[derive(Debug, Parser)]
#[command(name = "mycpaas", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Resource(Resource),
    /// Check and format LaML documents
    #[command(subcommand)]
    Laml(LamlCommand),
    /// Run the local Voice API simulator until Ctrl-C
    Sim(SimArgs),
    /// Place one call on an embedded simulator and show everything that happens
    Demo(DemoArgs),
    /// Send signed webhooks to a handler, as the platform would
    Webhook(WebhookArgs),
    /// Print a shell completion script (bash, zsh or fish)
    Completions(CompletionsArgs),
    /// Print the manual page mycpaas(1), or write every command's page with --dir
    Man(ManArgs),
}

impl Cli {
    /// Runs the chosen command.
    pub fn run(self) -> Result<(), CliError> {
        match self.command {
            Command::Resource(resource) => resource.run(),
            Command::Laml(command) => command.run(),
            Command::Sim(args) => args.run(),
            Command::Demo(args) => args.run(),
            Command::Webhook(args) => args.run(),
            Command::Completions(args) => args.run(),
            Command::Man(args) => args.run(),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use clap::Parser;

    use super::Cli;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let command_lines: [&[&str]; 3] = [
            &[
                "mycpaas",
                "calls",
                "get",
                "CA1",
                "--auth-token",
                "s3cret-token",
            ],
            &[
                "mycpaas",
                "calls",
                "create",
                "--to",
                "+15551230000",
                "--from",
                "+15559870000",
                "--url",
                "https://example.com/v",
                "--sip-auth-password",
                "s3cret-sip",
            ],
            &[
                "mycpaas",
                "sim",
                "--account-sid",
                "AC1",
                "--auth-token",
                "s3cret-sim",
            ],
        ];
        for args in command_lines {
            let cli = Cli::try_parse_from(args).expect("the command line parses");
            let shown = format!("{cli:?}");
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }
    }
}
