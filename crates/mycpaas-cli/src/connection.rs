//! Where the `calls` commands send their requests and with which credentials: flags first,
//! then the `MYCPAAS_*` environment variables.

use std::fmt;
use std::time::Duration;

use clap::Args;
use mycpaas_blocking::Client;

use crate::error::CliError;

/// A secret given on the command line (auth token, SIP password): kept out of `Debug` output.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the one place that needs it.
    pub fn expose(self) -> String {
        self.0
    }
}

impl From<String> for Secret {
    fn from(text: String) -> Self {
        Secret(text)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The connection flags shared by every `calls` subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Connection")]
pub struct ApiArgs {
    /// Account SID [env: MYCPAAS_ACCOUNT_SID]
    #[arg(long, global = true, value_name = "SID")]
    account_sid: Option<String>,

    /// Auth token [env: MYCPAAS_AUTH_TOKEN]; prefer the variable, flags are visible to other users
    #[arg(long, global = true, value_name = "TOKEN")]
    auth_token: Option<Secret>,

    /// API base URL (the help text names the default and the variable).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help = "API base URL, e.g. the simulator's http://127.0.0.1:PORT [env: MYCPAAS_BASE_URL] \
                  [default: https://developer.mycpaas.io]"
    )]
    base_url: Option<String>,

    /// Seconds to wait for each request before giving up
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,

    /// Seconds a whole command may take, its retries and their waits included [default: no limit]
    #[arg(long, global = true, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=86400))]
    total_timeout: Option<u64>,
}

/// A flag's value, or else the environment variable's; empty values count as absent.
///
/// The variables are read here rather than through clap's `env` so that the auth token's value
/// can never be echoed by clap's help or error output.
pub(crate) fn flag_or_env(flag: Option<String>, variable: &str) -> Option<String> {
    flag.filter(|value| !value.is_empty()).or_else(|| {
        std::env::var(variable)
            .ok()
            .filter(|value| !value.is_empty())
    })
}

impl ApiArgs {
    /// Builds the blocking client the flags and environment describe.
    pub fn client(&self) -> Result<Client, CliError> {
        let account_sid =
            flag_or_env(self.account_sid.clone(), "MYCPAAS_ACCOUNT_SID").ok_or_else(|| {
                CliError::usage("no account SID: pass --account-sid or set MYCPAAS_ACCOUNT_SID")
            })?;
        let auth_token = flag_or_env(
            self.auth_token.clone().map(Secret::expose),
            "MYCPAAS_AUTH_TOKEN",
        )
        .ok_or_else(|| {
            CliError::usage("no auth token: pass --auth-token or set MYCPAAS_AUTH_TOKEN")
        })?;
        let mut builder = Client::builder(account_sid, auth_token)
            .request_timeout(Duration::from_secs(self.request_timeout))
            .user_agent_suffix(concat!("mycpaas-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(seconds) = self.total_timeout {
            builder = builder.total_timeout(Duration::from_secs(seconds));
        }
        if let Some(base_url) = flag_or_env(self.base_url.clone(), "MYCPAAS_BASE_URL") {
            builder = builder.base_url(&base_url);
        }
        builder.build().map_err(|error| CliError::config(&error))
    }
}
