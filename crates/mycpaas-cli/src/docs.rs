//! `mycpaas completions SHELL` and `mycpaas man`: shell completions and manual pages, rendered
//! from the same command definitions as `--help`, so they list exactly the commands and flags
//! this binary accepts.

use std::io::{self, Write as _};
use std::path::PathBuf;

use clap::{Args, CommandFactory as _, ValueEnum};

use crate::cli::Cli;
use crate::error::CliError;

/// The shells `mycpaas completions` writes a script for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    /// Bash: `source <(mycpaas completions bash)`
    Bash,
    /// Zsh: save as `_mycpaas` in a directory of `$fpath`
    Zsh,
    /// Fish: save as `~/.config/fish/completions/mycpaas.fish`
    Fish,
}

/// Flags of `mycpaas completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    shell: Shell,
}

impl CompletionsArgs {
    /// Writes the completion script to stdout.
    pub fn run(&self) -> Result<(), CliError> {
        let shell = match self.shell {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
        };
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "mycpaas", &mut script);
        write_stdout(&script)
    }
}

/// Flags of `mycpaas man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command (mycpaas.1, mycpaas-calls.1, ...) into this directory
    /// instead of printing mycpaas(1)
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

impl ManArgs {
    /// Prints mycpaas(1) as roff, or writes every command's page into `--dir`.
    pub fn run(&self) -> Result<(), CliError> {
        let command = Cli::command();
        if let Some(dir) = &self.dir {
            return clap_mangen::generate_to(command, dir).map_err(|error| {
                CliError::failed(format!(
                    "cannot write the manual pages into {}: {error}",
                    dir.display()
                ))
            });
        }
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(|error| CliError::output(&error))?;
        write_stdout(&page)
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|error| CliError::output(&error))
}
