//! The settings a binding takes from its user, resolved once for every front end.
//!
//! A binding's constructor (`mycpaas.Client(...)`, `mycpaas.AsyncClient(...)`, a simulator's
//! `client()`) receives each setting as an optional value: what is missing comes from the
//! `MYCPAAS_*` environment, and numbers arrive as seconds. [`Settings::resolve`] turns them into
//! a checked [`Config`], so every binding refuses the same values with the same words.

use std::time::Duration;

use crate::config::{AuthToken, Config, ENV_ACCOUNT_SID, ENV_AUTH_TOKEN, ENV_BASE_URL};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

/// Optional client settings; see [`Settings::resolve`].
///
/// ```
/// use mycpaas_core::Settings;
///
/// let config = Settings {
///     account_sid: Some("ACxxx".into()),
///     auth_token: Some("auth-token".into()),
///     base_url: Some("http://127.0.0.1:8080".into()),
///     timeout: Some(2.5),
///     max_retries: Some(0),
///     ..Settings::default()
/// }
/// .resolve_with(|_| None)?;
/// assert_eq!(config.request_timeout().as_millis(), 2500);
/// assert_eq!(config.retry_policy().max_attempts, 1);
///
/// let refused = Settings { timeout: Some(0.0), ..Settings::default() }.resolve_with(|_| None);
/// assert_eq!(refused.unwrap_err().parameter(), Some("account_sid"));
/// # Ok::<(), mycpaas_core::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The account SID; else `MYCPAAS_ACCOUNT_SID`.
    pub account_sid: Option<String>,
    /// The auth token; else `MYCPAAS_AUTH_TOKEN`.
    pub auth_token: Option<AuthToken>,
    /// The API's base URL; else `MYCPAAS_BASE_URL`, else the production API.
    pub base_url: Option<String>,
    /// Seconds each attempt may take (the config's request timeout).
    pub timeout: Option<f64>,
    /// Seconds a whole operation may take, its retries and waits included.
    pub total_timeout: Option<f64>,
    /// Retries after the first attempt, with the default policy's delays.
    pub max_retries: Option<u32>,
}

impl Settings {
    /// The checked configuration, with missing values read from the process environment.
    pub fn resolve(self) -> Result<Config> {
        self.resolve_with(|name| std::env::var(name).ok())
    }

    /// Like [`Settings::resolve`], with the variables looked up through `lookup`. An empty
    /// variable counts as unset. An error names the setting (`account_sid`, `timeout`, ...).
    pub fn resolve_with(self, lookup: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let from_env = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let account_sid = self
            .account_sid
            .or_else(|| from_env(ENV_ACCOUNT_SID))
            .ok_or_else(|| {
                Error::invalid(
                    "account_sid",
                    format!("is required: pass it or set {ENV_ACCOUNT_SID}"),
                )
            })?;
        let auth_token = self
            .auth_token
            .or_else(|| from_env(ENV_AUTH_TOKEN).map(AuthToken::new))
            .ok_or_else(|| {
                Error::invalid(
                    "auth_token",
                    format!("is required: pass it or set {ENV_AUTH_TOKEN}"),
                )
            })?;
        let mut builder = Config::builder(account_sid, auth_token);
        if let Some(base_url) = self.base_url.or_else(|| from_env(ENV_BASE_URL)) {
            builder = builder.base_url(&base_url);
        }
        if let Some(seconds) = self.timeout {
            builder = builder.request_timeout(seconds_of("timeout", seconds)?);
        }
        if let Some(seconds) = self.total_timeout {
            builder = builder.total_timeout(seconds_of("total_timeout", seconds)?);
        }
        if let Some(retries) = self.max_retries {
            let defaults = RetryPolicy::default();
            builder = builder.retry_policy(RetryPolicy::new(
                retries.saturating_add(1),
                defaults.base_delay,
                defaults.max_delay,
            ));
        }
        builder.build()
    }
}

/// A number of seconds above 0 as a `Duration`, or an error naming `setting`.
fn seconds_of(setting: &str, seconds: f64) -> Result<Duration> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            let rule = if seconds.is_finite() && seconds > 0.0 {
                format!("must be at most {} seconds", u64::MAX)
            } else {
                "must be a number of seconds above 0".to_owned()
            };
            Error::invalid(setting, rule)
        })
}
