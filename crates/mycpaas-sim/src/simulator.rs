//! Configuring and starting a simulator.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket};

use crate::accounts::{Account, Accounts};
use crate::background::BackgroundRuntime;
use crate::clock::Pace;
use crate::dates::DateFormat;
use crate::handle::SimHandle;
use crate::ids::Randomness;
use crate::state::{SimState, StateParts, webhook_client};
use crate::{api, server};

/// Default speed: 1000 simulated seconds per wall second, so a typical call of a
/// minute or less runs in a few tens of milliseconds.
pub const DEFAULT_SPEED: f64 = 1000.0;
/// Slowest speed accepted: a simulated second then lasts about 11.6 days of wall time.
pub const MIN_SPEED: f64 = 1e-6;
/// Fastest speed accepted: a simulated day then passes in under a tenth of a millisecond.
pub const MAX_SPEED: f64 = 1e9;
/// Default cap on API request bodies.
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024;
/// Default time a connection may stay without a complete request head (idle between
/// requests, or sending its head or body too slowly) before it is closed: hyper's own default
/// for reading a request head.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of connections served at once. Each is a file descriptor: with the 512
/// webhook requests the simulator may have in flight, it stays within the common limit of
/// 1,024 descriptors per process.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// Connections the kernel queues for the simulator before it accepts them: those waiting for
/// a connection slot, and bursts. tokio's own `bind` queues 128, which a burst of clients
/// overflows (their connection attempts then wait a second per retry).
const LISTEN_BACKLOG: u32 = 1024;

/// A listening socket on `addr` with [`LISTEN_BACKLOG`], set up as tokio's `bind` does.
fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// The local mycpaas Voice API simulator. Start one with [`Simulator::builder`].
///
/// ```
/// # fn main() -> std::io::Result<()> {
/// let sim = mycpaas_sim::Simulator::builder().start_in_background()?;
/// assert!(sim.base_url().starts_with("http://127.0.0.1:"));
/// assert!(sim.account_sid().starts_with("AC"));
/// sim.shutdown();
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// A builder with the defaults: fast speed, one random account, `127.0.0.1:0`.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }
}

/// Settings of a simulator before it starts.
#[derive(Debug, Clone)]
pub struct SimulatorBuilder {
    speed: f64,
    manual_clock: bool,
    accounts: Vec<Account>,
    bind: SocketAddr,
    max_body_bytes: usize,
    seed: Option<u64>,
    date_format: DateFormat,
    limits: server::Limits,
}

impl Default for SimulatorBuilder {
    fn default() -> Self {
        Self {
            speed: DEFAULT_SPEED,
            manual_clock: false,
            accounts: Vec::new(),
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            seed: None,
            date_format: DateFormat::default(),
            limits: server::Limits {
                idle_timeout: DEFAULT_IDLE_TIMEOUT,
                max_connections: DEFAULT_MAX_CONNECTIONS,
            },
        }
    }
}

impl SimulatorBuilder {
    /// Simulated seconds per wall second (default [`DEFAULT_SPEED`]; `1.0` is real time), from
    /// [`MIN_SPEED`] to [`MAX_SPEED`]; starting refuses any other value.
    pub fn speed(mut self, speed: f64) -> Self {
        self.speed = speed;
        self
    }

    /// Stops simulated time: it moves only when [`SimHandle::advance`] moves it, waking every
    /// wait due on the way in order, so a test steps a scenario exactly ("advance 30 seconds,
    /// then look") and reads the same times however long it takes between steps. The speed is
    /// then unused.
    ///
    /// ```
    /// # fn main() -> std::io::Result<()> {
    /// use std::time::Duration;
    /// let sim = mycpaas_sim::Simulator::builder()
    ///     .manual_clock()
    ///     .start_in_background()?;
    /// let before = sim.now();
    /// sim.advance(Duration::from_secs(90));
    /// assert_eq!(sim.now() - before, time::Duration::seconds(90));
    /// # Ok(())
    /// # }
    /// ```
    pub fn manual_clock(mut self) -> Self {
        self.manual_clock = true;
        self
    }

    /// Adds an account. Without any, one account with a random `AC` + 32 hex SID and
    /// token is created.
    pub fn account(mut self, sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        self.accounts.push(Account::new(sid, auth_token));
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, an ephemeral port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Largest request body accepted (default [`DEFAULT_MAX_BODY_BYTES`]); larger ones get 413.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Seeds SIDs, ring times and random faults, for reproducible runs.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// How call JSON writes its dates (default [`DateFormat::Iso8601`], as the seed does).
    pub fn date_format(mut self, format: DateFormat) -> Self {
        self.date_format = format;
        self
    }

    /// How long a connection may go without a complete request head before it is closed
    /// (default [`DEFAULT_IDLE_TIMEOUT`]): idle between two requests, or sending its head too
    /// slowly. A request body must also arrive within this time.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// Most connections served at once (default [`DEFAULT_MAX_CONNECTIONS`]). At the limit,
    /// answers carry `Connection: close` and the oldest connections are asked to close (one
    /// that has sent nothing, one being answered after its answer, one idle between
    /// requests; the first and last only after a quarter of the idle timeout, at most 5 s);
    /// new ones wait in the listen queue until one has.
    pub fn max_connections(mut self, limit: usize) -> Self {
        self.limits.max_connections = limit;
        self
    }

    /// Starts the simulator on the current tokio runtime.
    // Nothing in it waits, but it stays `async`: the listener registers with the current
    // runtime's reactor and the server task is spawned on it, so it must run inside one.
    #[allow(clippy::unused_async)]
    pub async fn start(self) -> io::Result<SimHandle> {
        let settings = self.validated()?;
        let randomness = Arc::new(Randomness::new(settings.seed.unwrap_or_else(rand::random)));
        let mut accounts = settings.accounts;
        if accounts.is_empty() {
            accounts.push(Account::new(randomness.sid("AC"), randomness.token()));
        }
        let listener = listen(settings.bind)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(SimState::new(StateParts {
            http: webhook_client()?,
            pace: if settings.manual_clock {
                Pace::Manual
            } else {
                Pace::Speed(settings.speed)
            },
            randomness,
            accounts: Accounts::new(accounts),
            base_url: format!("http://{addr}"),
            max_body_bytes: settings.max_body_bytes,
            date_format: settings.date_format,
        }));
        tokio::spawn(state.clock.clone().drive(state.shutdown.subscribe()));
        let router = api::router(Arc::clone(&state));
        let task = tokio::spawn(server::serve(
            listener,
            router,
            Arc::clone(&state),
            settings.limits,
        ));
        Ok(SimHandle::new(state, task))
    }

    /// Starts the simulator on a runtime of its own (for code without a runtime). The
    /// runtime stops when the last handle is dropped.
    pub fn start_in_background(self) -> io::Result<SimHandle> {
        let runtime = BackgroundRuntime::new("mycpaas-sim")?;
        let handle = runtime.run(self.start())??;
        handle.adopt_runtime(runtime);
        Ok(handle)
    }

    fn validated(self) -> io::Result<Self> {
        let invalid = |message: String| Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        if !(MIN_SPEED..=MAX_SPEED).contains(&self.speed) {
            return invalid(format!(
                "speed must be a number from {MIN_SPEED} to {MAX_SPEED}, got {}",
                self.speed
            ));
        }
        if self.max_body_bytes == 0 {
            return invalid("max_body_bytes must be at least 1".to_owned());
        }
        if self.limits.idle_timeout.is_zero() {
            return invalid("idle_timeout must be longer than zero".to_owned());
        }
        if self.limits.max_connections == 0 {
            return invalid("max_connections must be at least 1".to_owned());
        }
        for account in &self.accounts {
            if let Err(error) = mycpaas_core::types::check_sid("account sid", account.sid()) {
                return invalid(error.to_string());
            }
            if account.auth_token().is_empty() {
                return invalid(format!(
                    "auth token of account {} must not be empty",
                    account.sid()
                ));
            }
        }
        Ok(self)
    }
}
