//! The settings of a client, written once for every transport.
//!
//! A client is a [`Config`] plus a jitter source plus the transport's own connection pool. The
//! first two are the same for every transport, so their builder lives here; a transport only says
//! how it turns them into its client, by implementing [`FromSettings`]. `mycpaas-blocking` and
//! `mycpaas-async` name `ClientBuilder<TheirClient>` as their own `ClientBuilder`.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::config::{AuthToken, Config, ConfigBuilder};
use crate::error::Result;
use crate::retry::{RandomSource, RetryPolicy};

/// A transport's client, built from checked settings by [`ClientBuilder::build`].
pub trait FromSettings: Sized {
    /// Builds the client. `jitter` is `None` unless [`ClientBuilder::jitter`] was set; the
    /// transport then uses its own random generator.
    fn from_settings(config: Config, jitter: Option<Box<dyn RandomSource + Send>>) -> Result<Self>;
}

/// Settings of a client `C`; every value is checked in [`ClientBuilder::build`].
///
/// ```
/// use std::time::Duration;
/// use mycpaas_core::retry::RandomSource;
/// use mycpaas_core::{ClientBuilder, Config, FromSettings, RetryPolicy};
///
/// /// A transport's client (here one that only keeps its configuration).
/// struct MyClient(Config);
///
/// impl FromSettings for MyClient {
///     fn from_settings(
///         config: Config,
///         _jitter: Option<Box<dyn RandomSource + Send>>,
///     ) -> mycpaas_core::Result<Self> {
///         Ok(MyClient(config))
///     }
/// }
///
/// let client: MyClient = ClientBuilder::new("ACxxx", "auth-token")
///     .base_url("http://127.0.0.1:8080")
///     .connect_timeout(Duration::from_secs(2))
///     .retry_policy(RetryPolicy::no_retries())
///     .jitter(|| 0.0)
///     .build()?;
/// assert_eq!(client.0.base_url(), "http://127.0.0.1:8080");
/// # Ok::<(), mycpaas_core::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder<C> {
    config: ConfigBuilder,
    jitter: Option<Box<dyn RandomSource + Send>>,
    /// `fn() -> C`: the builder makes a `C` but holds none, so it is `Send` whatever `C` is.
    client: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// Default settings for the production API and these credentials.
    pub fn new(account_sid: impl Into<String>, auth_token: impl Into<AuthToken>) -> Self {
        ClientBuilder {
            config: Config::builder(account_sid, auth_token),
            jitter: None,
            client: PhantomData,
        }
    }

    /// The API's base URL (default: production). `http://` is allowed for loopback hosts only,
    /// unless [`ClientBuilder::allow_insecure_http`] is set.
    pub fn base_url(mut self, base_url: &str) -> Self {
        self.config = self.config.base_url(base_url);
        self
    }

    /// Limit for establishing a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config = self.config.connect_timeout(timeout);
        self
    }

    /// Limit for one whole attempt: connect, send, and read the response (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config = self.config.request_timeout(timeout);
        self
    }

    /// Limit for a whole operation, retries and `Retry-After` waits included (default: none):
    /// no retry or wait starts that would end past it.
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.config = self.config.total_timeout(timeout);
        self
    }

    /// How often and how long to retry (default: 3 attempts with jittered backoff).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config = self.config.retry_policy(policy);
        self
    }

    /// Appended to the `User-Agent` header, for example `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.config = self.config.user_agent_suffix(suffix);
        self
    }

    /// Allows `http://` on non-loopback hosts (the credentials then travel in clear text).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.config = self.config.allow_insecure_http(allow);
        self
    }

    /// Largest response body accepted (default 16 MiB); longer ones fail with
    /// `Error::ResponseTooLarge` without being read to the end.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config = self.config.max_response_bytes(limit);
        self
    }

    /// The source of the backoff jitter, numbers in `[0, 1)` (default: a random generator).
    /// A fixed source such as `|| 0.0` makes retry waits deterministic in tests.
    pub fn jitter(mut self, source: impl RandomSource + Send + 'static) -> Self {
        self.jitter = Some(Box::new(source));
        self
    }
}

impl<C: FromSettings> ClientBuilder<C> {
    /// Checks every setting and builds the client.
    pub fn build(self) -> Result<C> {
        C::from_settings(self.config.build()?, self.jitter)
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // ConfigBuilder's Debug redacts the auth token.
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("custom_jitter", &self.jitter.is_some())
            .finish()
    }
}
