//! The client: configuration, the pooled reqwest client and the jitter source, behind one `Arc`.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use mycpaas_core::retry::RandomSource;
use mycpaas_core::{AuthToken, Config, Error, FromSettings, Result};

use crate::transport::ReqwestTransport;

/// An async client of the mycpaas Voice API, on reqwest and tokio.
///
/// Cheap to clone (one `Arc`), `Send` and `Sync`: clone it into every task.
///
/// ```no_run
/// use mycpaas_async::{Client, CreateCall};
///
/// # async fn run() -> mycpaas_async::Result<()> {
/// let client = Client::new("ACxxx", "auth-token")?;
/// let call = client
///     .calls()
///     .create(CreateCall::new("+491234567890", "+491098765432").url("https://example.com/voice.xml"))
///     .await?;
/// println!("{} is {:?}", call.sid, call.status);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    /// `None` once the client is closed.
    transport: Mutex<Option<ReqwestTransport>>,
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
        Client::assemble(config, Box::new(rand::random::<f64>))
    }

    fn assemble(config: Config, jitter: Box<dyn RandomSource + Send>) -> Result<Client> {
        let transport = ReqwestTransport::new(&config).map_err(|error| {
            Error::invalid("http_client", format!("could not be set up: {error}"))
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                transport: Mutex::new(Some(transport)),
                jitter: Mutex::new(jitter),
            }),
        })
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// Closes the client and every clone of it: idle pooled connections close now, those of
    /// requests in flight when these end, and every later request fails with an `InvalidInput`
    /// error naming `client`.
    ///
    /// ```
    /// # async fn run() -> mycpaas_async::Result<()> {
    /// let client = mycpaas_async::Client::new("AC123", "token")?;
    /// client.close();
    /// let error = client.calls().fetch("CA1").await.unwrap_err();
    /// assert_eq!(error.parameter(), Some("client"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn close(&self) {
        *self
            .inner
            .transport
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl Inner {
    /// The transport (a cheap clone of the pooled clients), or the error of a closed client.
    pub(crate) fn transport(&self) -> Result<ReqwestTransport> {
        self.transport
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(Error::client_closed)
    }

    /// Runs `f` with the jitter source; never held across an `.await`.
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
/// use mycpaas_async::{Client, RetryPolicy};
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
/// # Ok::<(), mycpaas_async::Error>(())
/// ```
pub type ClientBuilder = mycpaas_core::ClientBuilder<Client>;

impl FromSettings for Client {
    fn from_settings(
        config: Config,
        jitter: Option<Box<dyn RandomSource + Send>>,
    ) -> Result<Client> {
        match jitter {
            Some(jitter) => Client::assemble(config, jitter),
            None => Client::from_config(config),
        }
    }
}
