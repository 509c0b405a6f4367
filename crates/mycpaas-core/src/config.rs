//! Client configuration: where to send requests, how to authenticate, how long to wait and retry.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use http::HeaderValue;

use crate::error::{Error, Result};
use crate::ops::request;
pub use crate::retry::RetryPolicy;
use crate::types::check_sid;

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://developer.mycpaas.io";
/// Default limit for connecting.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit for a whole request (connect, send, receive).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default limit on the size of a response body (16 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// Longest auth token a client accepts, in bytes. Real tokens are a few dozen characters; a
/// longer one is a mistake (a pasted file), and once encoded in the `Authorization` header it would
/// pass the header limits of servers and proxies (commonly 8 KiB a line), which answer by closing
/// the connection: an outcome that says nothing about a create.
pub const MAX_AUTH_TOKEN_BYTES: usize = 4096;
/// Environment variable holding the account SID.
pub const ENV_ACCOUNT_SID: &str = "MYCPAAS_ACCOUNT_SID";
/// Environment variable holding the auth token.
pub const ENV_AUTH_TOKEN: &str = "MYCPAAS_AUTH_TOKEN";
/// Environment variable holding the base URL (optional).
pub const ENV_BASE_URL: &str = "MYCPAAS_BASE_URL";

/// The account's auth token: the Basic-auth password and the webhook signing key.
///
/// It never shows in `Debug` output and has no `PartialEq`: compare signatures with the
/// constant-time helpers of [`crate::webhook`] instead.
///
/// ```
/// use mycpaas_core::AuthToken;
/// let token = AuthToken::new("s3cret".to_string());
/// assert_eq!(format!("{token:?}"), "AuthToken(***)");
/// assert_eq!(token.expose_secret(), "s3cret");
/// ```
#[derive(Clone)]
pub struct AuthToken(String);

impl AuthToken {
    /// Wraps a token.
    pub fn new(token: String) -> Self {
        AuthToken(token)
    }

    /// The token itself. Call this only where the secret is needed (auth header, HMAC key).
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthToken(***)")
    }
}

impl From<String> for AuthToken {
    fn from(token: String) -> Self {
        AuthToken(token)
    }
}

impl From<&str> for AuthToken {
    fn from(token: &str) -> Self {
        AuthToken(token.to_owned())
    }
}

/// Validated client configuration. Build it with [`Config::builder`] or [`Config::from_env`].
///
/// ```
/// use std::time::Duration;
/// use mycpaas_core::Config;
///
/// let config = Config::builder("AC123", "token")
///     .base_url("http://127.0.0.1:8080")
///     .request_timeout(Duration::from_secs(5))
///     .build()
///     .unwrap();
/// assert_eq!(config.base_url(), "http://127.0.0.1:8080");
/// assert!(config.user_agent().starts_with("mycpaas-rust/"));
/// assert!(!format!("{config:?}").contains("token\""));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    base_url: String,
    parsed_base_url: url::Url,
    account_sid: String,
    auth_token: AuthToken,
    connect_timeout: Duration,
    request_timeout: Duration,
    total_timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    user_agent: String,
    /// The header values every request carries, built once here rather than per request.
    headers: FixedHeaders,
    max_response_bytes: usize,
}

/// The `Authorization` and `User-Agent` values of every request, encoded and checked once by
/// [`ConfigBuilder::build`] so that building a request only clones them. Its `Debug` shows no
/// value: the authorization one carries the token.
#[derive(Clone)]
struct FixedHeaders {
    /// `Basic base64(account_sid:auth_token)`, marked sensitive.
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

impl fmt::Debug for FixedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FixedHeaders(..)")
    }
}

impl Config {
    /// Starts a configuration with the two required values.
    pub fn builder(
        account_sid: impl Into<String>,
        auth_token: impl Into<AuthToken>,
    ) -> ConfigBuilder {
        ConfigBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            total_timeout: None,
            retry_policy: RetryPolicy::default(),
            user_agent_suffix: None,
            allow_insecure_http: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// Reads `MYCPAAS_ACCOUNT_SID`, `MYCPAAS_AUTH_TOKEN` and the optional `MYCPAAS_BASE_URL`.
    /// A missing (or empty) required variable is an [`Error::InvalidInput`] naming it.
    pub fn from_env() -> Result<Config> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], with the variables looked up through `lookup`
    /// (for tests and for callers with their own configuration source).
    ///
    /// ```
    /// use mycpaas_core::Config;
    /// let err = Config::from_lookup(|_| None).unwrap_err();
    /// assert_eq!(err.parameter(), Some("MYCPAAS_ACCOUNT_SID"));
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let required = |name: &str| {
            lookup(name)
                .filter(|value| !value.is_empty())
                .ok_or_else(|| {
                    Error::invalid(name, "environment variable is not set (or is empty)")
                })
        };
        let account_sid = required(ENV_ACCOUNT_SID)?;
        let auth_token = required(ENV_AUTH_TOKEN)?;
        let mut builder = Config::builder(account_sid, AuthToken::new(auth_token));
        if let Some(base_url) = lookup(ENV_BASE_URL).filter(|value| !value.is_empty()) {
            builder = builder.base_url(&base_url);
        }
        builder.build()
    }

    /// The base URL without a trailing slash, for example `https://developer.mycpaas.io`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The parsed base URL (used to keep credentials on the configured host).
    pub fn parsed_base_url(&self) -> &url::Url {
        &self.parsed_base_url
    }

    /// Whether the base URL's host is this machine (`localhost`, `127.0.0.0/8`, `::1`), as for
    /// the local simulator. Transports then skip the proxies of the environment: a proxy cannot
    /// reach this machine's loopback interface.
    ///
    /// ```
    /// use mycpaas_core::Config;
    ///
    /// let local = Config::builder("AC123", "token").base_url("http://127.0.0.1:8080").build()?;
    /// assert!(local.is_loopback());
    /// let production = Config::builder("AC123", "token").build()?;
    /// assert!(!production.is_loopback());
    /// # Ok::<(), mycpaas_core::Error>(())
    /// ```
    pub fn is_loopback(&self) -> bool {
        self.parsed_base_url
            .host()
            .is_some_and(|host| is_loopback_host(&host))
    }

    /// The account SID.
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }

    /// The auth token.
    pub fn auth_token(&self) -> &AuthToken {
        &self.auth_token
    }

    /// Limit for establishing a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Limit for a whole request.
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// Limit for a whole operation, its retries and their waits included (none by default: the
    /// retry policy bounds it).
    pub fn total_timeout(&self) -> Option<Duration> {
        self.total_timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry_policy
    }

    /// The `User-Agent` header value: `mycpaas-rust/<version>` plus the optional suffix.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The `Authorization` header value (sensitive: it carries the token).
    pub(crate) fn authorization_header(&self) -> &HeaderValue {
        &self.headers.authorization
    }

    /// The `User-Agent` header value.
    pub(crate) fn user_agent_header(&self) -> &HeaderValue {
        &self.headers.user_agent
    }

    /// Responses with larger bodies are refused with [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

/// Builder of [`Config`]; see [`Config::builder`]. All checks run in [`ConfigBuilder::build`].
#[derive(Clone, Debug)]
#[must_use]
pub struct ConfigBuilder {
    base_url: String,
    account_sid: String,
    auth_token: AuthToken,
    connect_timeout: Duration,
    request_timeout: Duration,
    total_timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    user_agent_suffix: Option<String>,
    allow_insecure_http: bool,
    max_response_bytes: usize,
}

impl ConfigBuilder {
    /// Sets the base URL (default `https://developer.mycpaas.io`). Plain `http://` is accepted only
    /// for loopback hosts unless [`ConfigBuilder::allow_insecure_http`] is set.
    pub fn base_url(mut self, base_url: &str) -> Self {
        base_url.clone_into(&mut self.base_url);
        self
    }

    /// Sets the connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the whole-request timeout (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the limit for a whole operation, retries and `Retry-After` waits included (default:
    /// none). No retry and no wait starts that would end past it; an attempt in flight still ends
    /// within [`ConfigBuilder::request_timeout`].
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Appends ` <suffix>` to the user agent, for example `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.user_agent_suffix = Some(suffix.to_owned());
        self
    }

    /// Allows `http://` base URLs on non-loopback hosts (credentials then travel in clear text).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sets the response body limit (default 16 MiB).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks every value and builds the configuration.
    pub fn build(self) -> Result<Config> {
        check_sid("account_sid", &self.account_sid)?;
        if self.auth_token.expose_secret().is_empty() {
            return Err(Error::invalid("auth_token", "must not be empty"));
        }
        if self.auth_token.expose_secret().len() > MAX_AUTH_TOKEN_BYTES {
            return Err(Error::invalid(
                "auth_token",
                format!("must be at most {MAX_AUTH_TOKEN_BYTES} bytes"),
            ));
        }
        if self
            .auth_token
            .expose_secret()
            .chars()
            .any(char::is_control)
        {
            return Err(Error::invalid(
                "auth_token",
                "must not contain control characters",
            ));
        }
        let parsed_base_url = parse_base_url(&self.base_url, self.allow_insecure_http)?;
        if self.connect_timeout.is_zero() {
            return Err(Error::invalid(
                "connect_timeout",
                "must be greater than zero",
            ));
        }
        if self.request_timeout.is_zero() {
            return Err(Error::invalid(
                "request_timeout",
                "must be greater than zero",
            ));
        }
        if self.total_timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::invalid("total_timeout", "must be greater than zero"));
        }
        if self.max_response_bytes == 0 {
            return Err(Error::invalid(
                "max_response_bytes",
                "must be greater than zero",
            ));
        }
        self.retry_policy.validate()?;
        let mut user_agent = format!("mycpaas-rust/{}", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = &self.user_agent_suffix {
            if suffix.is_empty() || !suffix.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
                return Err(Error::invalid(
                    "user_agent_suffix",
                    "must be non-empty printable ASCII",
                ));
            }
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        let headers = FixedHeaders {
            authorization: request::basic_auth(&self.account_sid, &self.auth_token)?,
            user_agent: request::user_agent(&user_agent)?,
        };
        Ok(Config {
            base_url: parsed_base_url.as_str().trim_end_matches('/').to_owned(),
            parsed_base_url,
            account_sid: self.account_sid,
            auth_token: self.auth_token,
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            total_timeout: self.total_timeout,
            retry_policy: self.retry_policy,
            user_agent,
            headers,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

fn parse_base_url(raw: &str, allow_insecure_http: bool) -> Result<url::Url> {
    crate::ops::validate::written_as_parsed("base_url", raw, "must be an absolute URL")?;
    let url = url::Url::parse(raw)
        .map_err(|e| Error::invalid("base_url", format!("must be an absolute URL ({e})")))?;
    let Some(host) = url.host() else {
        return Err(Error::invalid("base_url", "must have a host"));
    };
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            "base_url",
            "must not have a query or fragment",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "base_url",
            "must not carry credentials (use the account SID and auth token)",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback_host(&host) && !allow_insecure_http {
                return Err(Error::invalid(
                    "base_url",
                    "http:// is allowed only for loopback hosts (use https, or allow_insecure_http)",
                ));
            }
        }
        _ => return Err(Error::invalid("base_url", "scheme must be https or http")),
    }
    Ok(url)
}

/// Whether `host` is this machine: `localhost` or a loopback address.
pub(crate) fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(domain) => domain.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}
