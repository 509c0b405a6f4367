//! Simulators and both SDK clients, set up the way the suites need them.
//!
//! [`AnyClient`] runs the same scenario through the blocking and the async client: the async one
//! on a runtime private to the test (the SDK itself never wraps one client in the other).

use std::time::Duration;

use futures::StreamExt as _;
use mycpaas_core::retry::RetryPolicy;
use mycpaas_core::{
    Call, CallEvent, CallPage, ClientBuilder, CreateCall, FromSettings, ListCalls, Result,
    UpdateCall,
};
use mycpaas_sim::{SimHandle, Simulator};

/// Runs one operation through either client: `$call` (which names the client `$client`) as it is
/// for the blocking client, on the client's runtime for the async one. The two clients' methods
/// have the same names and arguments, so the same tokens serve both.
macro_rules! on_either {
    ($any:expr, $client:ident => $call:expr) => {
        match $any {
            AnyClient::Blocking($client) => $call,
            AnyClient::Async($client, runtime) => runtime.block_on($call),
        }
    };
}

/// Retries that wait at most a few milliseconds, so fault tests run fast.
pub fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::new(
        max_attempts,
        Duration::from_millis(1),
        Duration::from_millis(10),
    )
    .with_max_retry_after(Duration::from_millis(50))
}

/// A call from a test number that runs `voice_url` and reports every status event to
/// `status_url`.
pub fn call_with_every_callback(voice_url: &str, status_url: &str) -> CreateCall {
    CreateCall::new("+15551230000", "+15559870000")
        .url(voice_url)
        .status_callback(status_url)
        .status_callback_events(CallEvent::ALL.iter().copied())
}

/// A simulator on its own runtime, seeded for reproducible SIDs and faults.
pub fn simulator(seed: u64) -> SimHandle {
    Simulator::builder()
        .seed(seed)
        .start_in_background()
        .expect("the simulator starts")
}

/// A simulator at `speed` (simulated seconds per real second), on its own runtime.
pub fn simulator_at(speed: f64) -> SimHandle {
    Simulator::builder()
        .speed(speed)
        .start_in_background()
        .expect("the simulator starts")
}

/// Which of the two SDK clients a scenario runs through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// `mycpaas-blocking`.
    Blocking,
    /// `mycpaas-async`, on a runtime private to the client.
    Async,
}

/// Client settings shared by both kinds.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL of the server.
    pub base_url: String,
    /// Account SID.
    pub account_sid: String,
    /// Auth token.
    pub auth_token: String,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Whole-request timeout.
    pub request_timeout: Duration,
    /// Response body cap.
    pub max_response_bytes: usize,
    /// Limit of a whole operation, when set.
    pub total_timeout: Option<Duration>,
    /// The number in `[0, 1)` every backoff is scaled by (full jitter, made repeatable).
    pub jitter: f64,
}

impl Settings {
    /// Settings for `base_url` with fast retries, a 5 s timeout and a 1 MiB body cap.
    pub fn new(base_url: &str, account_sid: &str, auth_token: &str) -> Self {
        Settings {
            base_url: base_url.to_owned(),
            account_sid: account_sid.to_owned(),
            auth_token: auth_token.to_owned(),
            retry: fast_retries(3),
            request_timeout: Duration::from_secs(5),
            max_response_bytes: 1024 * 1024,
            total_timeout: None,
            jitter: 0.5,
        }
    }

    /// Settings for a simulator's first account.
    pub fn for_sim(sim: &SimHandle) -> Self {
        Settings::new(&sim.base_url(), &sim.account_sid(), &sim.auth_token())
    }

    /// Sets the retry policy.
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the whole-request timeout.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the response body cap.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets the limit of a whole operation.
    #[must_use]
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// Sets the jitter every backoff is scaled by (`0.0` retries at once).
    #[must_use]
    pub fn jitter(mut self, jitter: f64) -> Self {
        self.jitter = jitter;
        self
    }

    /// Both clients with these settings.
    pub fn both(&self) -> [AnyClient; 2] {
        [AnyClient::blocking(self), AnyClient::asynchronous(self)]
    }

    /// The client of `layer` with these settings.
    pub fn client(&self, layer: Layer) -> AnyClient {
        match layer {
            Layer::Blocking => AnyClient::blocking(self),
            Layer::Async => AnyClient::asynchronous(self),
        }
    }

    /// A client of either transport (`mycpaas_blocking::Client`, `mycpaas_async::Client`);
    /// panics when the settings are invalid (test set-up error).
    pub fn build<C: FromSettings>(&self) -> C {
        let jitter = self.jitter;
        let mut builder =
            ClientBuilder::<C>::new(self.account_sid.as_str(), self.auth_token.as_str())
                .base_url(&self.base_url)
                .retry_policy(self.retry.clone())
                .connect_timeout(Duration::from_secs(2))
                .request_timeout(self.request_timeout)
                .max_response_bytes(self.max_response_bytes)
                .jitter(move || jitter);
        if let Some(total) = self.total_timeout {
            builder = builder.total_timeout(total);
        }
        builder.build().expect("valid client settings")
    }
}

/// One of the two SDK clients.
#[derive(Debug)]
pub enum AnyClient {
    /// `mycpaas-blocking`.
    Blocking(mycpaas_blocking::Client),
    /// `mycpaas-async`, with the runtime its futures run on.
    Async(mycpaas_async::Client, tokio::runtime::Runtime),
}

impl AnyClient {
    /// A blocking client; panics when the settings are invalid (test set-up error).
    pub fn blocking(settings: &Settings) -> Self {
        AnyClient::Blocking(settings.build())
    }

    /// An async client on a private runtime; panics when the settings are invalid.
    pub fn asynchronous(settings: &Settings) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        AnyClient::Async(settings.build(), runtime)
    }

    /// `"blocking"` or `"async"`, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            AnyClient::Blocking(_) => "blocking",
            AnyClient::Async(..) => "async",
        }
    }

    /// `calls().create(..)`.
    pub fn create(&self, call: CreateCall) -> Result<Call> {
        on_either!(self, client => client.calls().create(call))
    }

    /// `calls().wait(..)`.
    pub fn wait(
        &self,
        sid: &str,
        until: mycpaas_core::ops::wait::Until,
        deadline: Duration,
    ) -> Result<Call> {
        on_either!(self, client => client.calls().wait(sid, until, deadline))
    }

    /// `calls().find_created(..)`.
    pub fn find_created(&self, error: &mycpaas_core::Error) -> Result<Vec<Call>> {
        on_either!(self, client => client.calls().find_created(error))
    }

    /// `calls().fetch(..)`.
    pub fn fetch(&self, sid: &str) -> Result<Call> {
        on_either!(self, client => client.calls().fetch(sid))
    }

    /// `calls().update(..)`.
    pub fn update(&self, update: UpdateCall) -> Result<Call> {
        on_either!(self, client => client.calls().update(update))
    }

    /// `calls().cancel(..)`.
    pub fn cancel(&self, sid: &str) -> Result<Call> {
        on_either!(self, client => client.calls().cancel(sid))
    }

    /// `calls().hangup(..)`.
    pub fn hangup(&self, sid: &str) -> Result<Call> {
        on_either!(self, client => client.calls().hangup(sid))
    }

    /// `calls().delete(..)`.
    pub fn delete(&self, sid: &str) -> Result<()> {
        on_either!(self, client => client.calls().delete(sid))
    }

    /// `calls().list(..)`: one page.
    pub fn list(&self, list: ListCalls) -> Result<CallPage> {
        on_either!(self, client => client.calls().list(list))
    }

    /// Every item of `calls().iter(..)` / `calls().stream(..)`, errors included.
    pub fn walk(&self, list: ListCalls, limit: Option<usize>) -> Vec<Result<Call>> {
        match self {
            AnyClient::Blocking(client) => client.calls().iter(list, limit).collect(),
            AnyClient::Async(client, runtime) => {
                runtime.block_on(client.calls().stream(list, limit).collect::<Vec<_>>())
            }
        }
    }
}
