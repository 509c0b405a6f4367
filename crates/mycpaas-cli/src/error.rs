//! Failures of a command and the exit codes they map to.
//!
//! Every command returns `Result<(), CliError>`; `main` prints the error in one or two lines on
//! stderr (never a backtrace, never a credential) and exits with its code.

use std::fmt;
use std::io::{self, Write as _};
use std::process::ExitCode;

use mycpaas_core::Error as SdkError;

use crate::output::for_terminal;

/// The documented exit codes (see `mycpaas --help` and docs/cli.md).
pub mod code {
    /// The command did what was asked.
    pub const OK: u8 = 0;
    /// The API refused the request, an input broke a rule, or a LaML document has errors.
    pub const FAILED: u8 = 1;
    /// The command line itself is wrong: unknown flag, missing value or credential.
    pub const USAGE: u8 = 2;
    /// The API could not be reached or did not answer in time.
    pub const TRANSPORT: u8 = 3;
    /// A create's outcome is unknown (the request may have reached the server, or the answer
    /// does not prove it was refused): the call may exist.
    pub const MAYBE_CREATED: u8 = 4;
}

/// Why a command failed, with the exit code it deserves.
#[derive(Debug)]
pub struct CliError {
    code: u8,
    message: String,
    hint: Option<String>,
    /// Set when stdout was closed early (`mycpaas calls list | head`): not a failure.
    broken_pipe: bool,
}

impl CliError {
    fn new(code: u8, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            hint: None,
            broken_pipe: false,
        }
    }

    /// The command line is wrong (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new(code::USAGE, message)
    }

    /// The command ran and failed (exit 1).
    pub fn failed(message: impl Into<String>) -> Self {
        CliError::new(code::FAILED, message)
    }

    /// A server could not be reached or did not answer (exit 3).
    pub fn unreachable(message: impl Into<String>) -> Self {
        CliError::new(code::TRANSPORT, message)
    }

    /// A LaML document or a file could not be read (exit 1).
    pub fn file(path: &str, error: &io::Error) -> Self {
        CliError::failed(format!("cannot read {path}: {error}"))
    }

    /// Writing the output failed; a closed pipe is not reported.
    pub fn output(error: &io::Error) -> Self {
        let mut cli = CliError::failed(format!("cannot write the output: {error}"));
        cli.broken_pipe = error.kind() == io::ErrorKind::BrokenPipe;
        cli
    }

    /// A client setting from the flags or the environment is invalid (exit 2): the core error
    /// names the setting, which is translated to the flag that sets it.
    pub fn config(error: &SdkError) -> Self {
        match error {
            SdkError::InvalidInput { parameter, rule } => {
                let flag = match parameter.as_str() {
                    "base_url" => "--base-url (MYCPAAS_BASE_URL)",
                    "account_sid" => "--account-sid (MYCPAAS_ACCOUNT_SID)",
                    "auth_token" => "--auth-token (MYCPAAS_AUTH_TOKEN)",
                    "request_timeout" => "--request-timeout",
                    other => other,
                };
                CliError::usage(format!("invalid {flag}: {rule}"))
            }
            other => CliError::from(other),
        }
    }

    /// Adds a second line telling the user what to do next.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Names the API address in the hint of a transport failure (the usual cause is a wrong
    /// `--base-url` or a simulator that is not running).
    #[must_use]
    pub fn at_base_url(self, base_url: &str) -> Self {
        if self.code == code::TRANSPORT {
            let hint = format!(
                "is the API at {base_url} reachable? check --base-url (MYCPAAS_BASE_URL) and the network"
            );
            self.with_hint(hint)
        } else {
            self
        }
    }

    /// The exit code.
    pub fn code(&self) -> u8 {
        self.code
    }

    /// Prints the error on stderr and returns the exit code to end with.
    pub fn report(&self) -> ExitCode {
        if self.broken_pipe {
            return ExitCode::from(code::OK);
        }
        // Messages can hold what a server sent: shown escaped, like table output. Written
        // without `eprintln!`, which panics when stderr is closed.
        let mut stderr = io::stderr().lock();
        let _ = writeln!(stderr, "error: {}", escaped_lines(&self.message));
        if let Some(hint) = &self.hint {
            let _ = writeln!(stderr, "hint: {}", escaped_lines(hint));
        }
        ExitCode::from(self.code())
    }
}

/// Text of several lines for the terminal: each line escaped, the line breaks kept.
fn escaped_lines(text: &str) -> String {
    text.split('\n')
        .map(for_terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<&SdkError> for CliError {
    fn from(error: &SdkError) -> Self {
        let message = error.to_string();
        match error {
            SdkError::MaybeCreated { .. } => CliError::new(code::MAYBE_CREATED, message)
                .with_hint(
                    "the call may exist: check with `mycpaas calls list --to NUMBER` before creating it again",
                ),
            SdkError::Transport { .. } | SdkError::Timeout { .. } => {
                CliError::new(code::TRANSPORT, message)
                    .with_hint("check --base-url (MYCPAAS_BASE_URL) and the network")
            }
            SdkError::Api(api) => {
                let cli = CliError::failed(message);
                match api.code {
                    Some(20003) => cli.with_hint(
                        "check the account SID and auth token (--account-sid/--auth-token or MYCPAAS_ACCOUNT_SID/MYCPAAS_AUTH_TOKEN)",
                    ),
                    Some(20404) => cli.with_hint("no call with this SID in this account"),
                    _ => cli,
                }
            }
            // Invalid input (nothing was sent), undecodable or too large answers (the API
            // answered: not a reachability problem), unsafe pagination and anything a newer
            // core adds.
            _ => CliError::failed(message),
        }
    }
}

impl From<SdkError> for CliError {
    fn from(error: SdkError) -> Self {
        CliError::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mycpaas_core::ApiError;

    #[test]
    fn sdk_errors_map_to_documented_codes() {
        let cases = [
            (SdkError::invalid("To", "must be E.164"), code::FAILED),
            (
                SdkError::Api(ApiError::new(400, "bad").with_code(21211)),
                code::FAILED,
            ),
            (
                SdkError::Timeout {
                    may_have_been_sent: false,
                    message: "slow".into(),
                    source: None,
                    response: None,
                },
                code::TRANSPORT,
            ),
            (SdkError::maybe_created("reset", None), code::MAYBE_CREATED),
        ];
        for (error, expected) in cases {
            assert_eq!(CliError::from(&error).code(), expected, "{error}");
        }
    }

    #[test]
    fn config_errors_name_the_flag() {
        let error = CliError::config(&SdkError::invalid("base_url", "must be an absolute URL"));
        assert_eq!(error.code(), code::USAGE);
        assert!(error.to_string().contains("--base-url"), "{error}");
    }

    #[test]
    fn messages_keep_their_lines_and_lose_their_escapes() {
        assert_eq!(
            escaped_lines("refused: \u{1b}[2J\n  a.xml:1:1: error"),
            "refused: \\u{1b}[2J\n  a.xml:1:1: error"
        );
    }

    #[test]
    fn closed_pipe_is_silent_success() {
        let error = CliError::output(&io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(error.report(), ExitCode::from(code::OK));
    }
}
