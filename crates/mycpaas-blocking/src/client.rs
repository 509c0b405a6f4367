//! The client: configuration, the pooled ureq agent and the jitter source, shared by all threads.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use mycpaas_core::retry::RandomSource;
use mycpaas_core::{AuthToken, Config, FromSettings, Result};

use crate::per_process::PerProcess;

/// A blocking client of the mycpaas Voice API.
///
/// Cheap to clone (the connection pool and configuration are shared), `Send` and `Sync`: one
/// client can serve every thread of a program. No async runtime is involved.
///
/// Fork-safe: a client used before `fork()` opens new connections in the child (the process ID
/// is checked on every request), so a child never reads an answer meant for its parent.
///
/// ```no_run
/// use mycpaas_blocking::{Client, CreateCall};
///
/// let client = Client::new("ACxxx", "auth-token")?;
/// let call = client.calls().create(
///     CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml"),
/// )?;
/// println!("{} is {:?}", call.sid, call.status);
/// # Ok::<(), mycpaas_blocking::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    /// The transport of the current process (a forked child builds its own).
    pub(crate) transport: PerProcess,
    jitter: Mutex<Box<dyn RandomSource + Send>>,
}

impl Client {
    /// A client of the production API with default settings.
    pub fn new(account_sid: impl Into<String>, auth_token: impl Into<AuthToken>) -> Result<Client> {
        Client::builder(account_sid, auth_token).build()
    }

    /// A client configured from `MYCPAAS_ACCOUNT_SID`, `MYCPAAS_AUTH_TOKEN` and the optional
    /// `MYCPAAS_BASE_URL`; a missing variable is an `InvalidInput` error naming it.
    pub fn from_env() -> Result<Client> {
        Client::from_config(Config::from_env()?)
    }

    /// A client with every setting spelled out; see [`ClientBuilder`].
    pub fn builder(
        account_sid: impl Into<String>,
        auth_token: impl Into<AuthToken>,
    ) -> ClientBuilder {
        ClientBuilder::new(account_sid, auth_token)
    }

    /// A client for an already validated configuration.
    pub fn from_config(config: Config) -> Result<Client> {
        Ok(Client::assemble(config, Box::new(rand::random::<f64>)))
    }

    /// Closes the client and every clone of it: idle pooled connections close now, those of
    /// requests in flight when these end, and every later request fails with an `InvalidInput`
    /// error naming `client`.
    ///
    /// ```
    /// let client = mycpaas_blocking::Client::new("AC123", "token")?;
    /// client.close();
    /// let error = client.calls().fetch("CA1").unwrap_err();
    /// assert_eq!(error.parameter(), Some("client"));
    /// # Ok::<(), mycpaas_blocking::Error>(())
    /// ```
    pub fn close(&self) {
        self.inner.transport.close();
    }

    fn assemble(config: Config, jitter: Box<dyn RandomSource + Send>) -> Client {
        let transport = PerProcess::new(&config);
        Client {
            inner: Arc::new(Inner {
                config,
                transport,
                jitter: Mutex::new(jitter),
            }),
        }
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

impl Inner {
    /// Runs `f` with the jitter source; a panic elsewhere cannot make it unusable.
    pub(crate) fn with_jitter<T>(&self, f: impl FnOnce(&mut dyn RandomSource) -> T) -> T {
        let mut jitter = self.jitter.lock().unwrap_or_else(PoisonError::into_inner);
        f(jitter.as_mut())
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Config's Debug redacts the auth token.
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`Client`]; every value is checked in `build`. The setters are
/// core's [`ClientBuilder`](mycpaas_core::ClientBuilder), shared with the other client crate.
///
/// ```
/// use std::time::Duration;
/// use mycpaas_blocking::{Client, RetryPolicy};
///
/// let client = Client::builder("ACxxx", "auth-token")
///     .base_url("http://127.0.0.1:8080")
///     .connect_timeout(Duration::from_secs(2))
///     .request_timeout(Duration::from_secs(10))
///     .retry_policy(RetryPolicy::new(5, Duration::from_millis(100), Duration::from_secs(2)))
///     .user_agent_suffix("my-app/1.0")
///     .max_response_bytes(1 << 20)
///     .build()?;
/// assert_eq!(client.config().base_url(), "http://127.0.0.1:8080");
/// # Ok::<(), mycpaas_blocking::Error>(())
/// ```
pub type ClientBuilder = mycpaas_core::ClientBuilder<Client>;

impl FromSettings for Client {
    fn from_settings(
        config: Config,
        jitter: Option<Box<dyn RandomSource + Send>>,
    ) -> Result<Client> {
        match jitter {
            Some(jitter) => Ok(Client::assemble(config, jitter)),
            None => Client::from_config(config),
        }
    }
}
