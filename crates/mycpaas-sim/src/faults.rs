//! Fault injection for reliability tests: make the API misbehave for the next N
//! requests, or at random with a seeded probability.
//!
//! API faults apply to requests of the API only (not to `/_sim/...` routes), in the
//! order they were injected; each API request consumes at most one fault. Callback faults
//! ([`CallbackFault`]) apply to the simulator's own requests to the web app: status callbacks
//! and the recording and transcription callbacks, each attempt consuming at most one.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use mycpaas_core::SimFault;
use parking_lot::Mutex;

use crate::ids::Randomness;

/// One way the API can misbehave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer `429 Too Many Requests` with `Retry-After` (seconds) and error code 20429.
    RateLimited {
        /// The `Retry-After` value, in seconds.
        retry_after_secs: u64,
    },
    /// Answer `503 Service Unavailable`.
    Unavailable,
    /// Read the request, then close the connection without acting on it or answering
    /// (no call is created).
    DropBeforeHandling,
    /// Act on the request (a create does create the call), then close the connection
    /// without answering: the case where retrying a POST would duplicate a call.
    DropAfterHandling,
    /// Answer normally after this wall-clock delay.
    Delay(Duration),
    /// Act on the request and answer its status with a body that is not valid JSON.
    MalformedBody,
    /// Act on the request, send the headers and half the body, then close the connection.
    TruncatedBody,
    /// Answer `502 Bad Gateway` with a proxy's HTML page, without acting on the request (no
    /// call is created): what a gateway answers when the API behind it is gone.
    BadGateway,
    /// Act on the request (a create does create the call), then answer `504 Gateway Timeout`
    /// with a proxy's HTML page: what a gateway answers when the API was too slow for it.
    GatewayTimeout,
    /// Act on the request, then answer its status with a body of this many bytes (a JSON object
    /// padded with one long member), to exceed a client's response size limit.
    OversizedBody(usize),
}

/// The body size of the `oversized_body` fault named by [`SimFault::OversizedBody`]: past the
/// clients' default response size limit of 16 MiB.
pub const OVERSIZED_FAULT_BYTES: usize = 17 * 1024 * 1024;

/// One way the web app's answer to a callback can be made to fail.
///
/// The web app really receives and handles the callback; the simulator then treats its answer
/// as the fault says and retries as for any failed delivery (3 attempts in all). This is what a
/// failing gateway in front of the app looks like, and it lets a test of retries keep an app
/// that always answers `200`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackFault {
    /// The answer counts as `500 Internal Server Error`, whatever the app answered.
    ServerError,
}

impl CallbackFault {
    /// The HTTP status the web app's answer counts as.
    pub fn http_status(self) -> u16 {
        match self {
            CallbackFault::ServerError => 500,
        }
    }

    /// The fault's name in timelines and control routes (`callback_server_error`).
    pub fn name(self) -> &'static str {
        match self {
            CallbackFault::ServerError => "callback_server_error",
        }
    }
}

/// Injects faults into a running simulator (cheap to clone; clones share the queue).
///
/// ```
/// use mycpaas_sim::{Fault, Simulator};
///
/// # fn main() -> std::io::Result<()> {
/// let sim = Simulator::builder().start_in_background()?;
/// // The next two API requests get 429 with `Retry-After: 1`, the third a 503.
/// sim.faults().inject(Fault::RateLimited { retry_after_secs: 1 }, 2);
/// sim.faults().inject(Fault::Unavailable, 1);
/// assert_eq!(sim.faults().pending(), 3);
/// sim.faults().clear();
/// # Ok(())
/// # }
/// ```
///
/// Callback faults are counted apart, and apply to the callbacks the simulator sends:
///
/// ```
/// use mycpaas_sim::{CallbackFault, Simulator};
///
/// # fn main() -> std::io::Result<()> {
/// let sim = Simulator::builder().start_in_background()?;
/// // The web app's answers to the next two callback attempts count as 500: a callback
/// // whose first two attempts fail is delivered by its third.
/// sim.faults().inject_callback(CallbackFault::ServerError, 2);
/// assert_eq!(sim.faults().pending_callbacks(), 2);
/// assert_eq!(sim.faults().pending(), 0);
/// sim.faults().clear();
/// assert_eq!(sim.faults().pending_callbacks(), 0);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct FaultInjector {
    inner: Arc<Mutex<Faults>>,
    randomness: Arc<Randomness>,
}

#[derive(Debug, Default)]
struct Faults {
    queued: VecDeque<(Fault, usize)>,
    random: Vec<(Fault, f64)>,
    callbacks: VecDeque<(CallbackFault, usize)>,
}

impl FaultInjector {
    pub(crate) fn new(randomness: Arc<Randomness>) -> Self {
        Self {
            inner: Arc::default(),
            randomness,
        }
    }

    /// Applies `fault` to the next `count` API requests (after faults injected earlier).
    pub fn inject(&self, fault: Fault, count: usize) {
        if count > 0 {
            self.inner.lock().queued.push_back((fault, count));
        }
    }

    /// Applies `fault` to each API request with probability `probability` (0.0–1.0),
    /// drawn from the simulator's seeded generator, until [`FaultInjector::clear`].
    /// Counted faults from [`FaultInjector::inject`] take precedence.
    pub fn inject_randomly(&self, fault: Fault, probability: f64) {
        self.inner.lock().random.push((fault, probability));
    }

    /// Applies `fault` to the web app's answers to the next `count` callback attempts (after
    /// callback faults injected earlier): status callbacks, recording status callbacks and
    /// transcription callbacks alike, in the order the simulator sends them. An attempt the app
    /// does not answer at all fails anyway and leaves the faults to the next attempts.
    pub fn inject_callback(&self, fault: CallbackFault, count: usize) {
        if count > 0 {
            self.inner.lock().callbacks.push_back((fault, count));
        }
    }

    /// Injects the fault the description's enumeration names ([`SimFault`], the `Fault` of the
    /// `POST /_sim/faults` control route), for the next `count` API requests or callback
    /// attempts: `retry_after_secs` is the `Retry-After` of `rate_limited`, `delay` the delay of
    /// `delay`; the others take neither. An `oversized_body` body is
    /// [`OVERSIZED_FAULT_BYTES`] long.
    ///
    /// ```
    /// use std::time::Duration;
    /// use mycpaas_core::SimFault;
    /// use mycpaas_sim::Simulator;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = Simulator::builder().start_in_background()?;
    /// let fault: SimFault = "callback_server_error".parse()?;
    /// sim.faults().inject_named(fault, 2, 0, Duration::ZERO)?;
    /// sim.faults().inject_named(SimFault::RateLimited, 1, 3, Duration::ZERO)?;
    /// assert_eq!((sim.faults().pending(), sim.faults().pending_callbacks()), (1, 2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject_named(
        &self,
        fault: SimFault,
        count: usize,
        retry_after_secs: u64,
        delay: Duration,
    ) -> Result<(), mycpaas_core::Error> {
        let fault = match fault {
            SimFault::RateLimited => Fault::RateLimited { retry_after_secs },
            SimFault::Unavailable => Fault::Unavailable,
            SimFault::DropBeforeHandling => Fault::DropBeforeHandling,
            SimFault::DropAfterHandling => Fault::DropAfterHandling,
            SimFault::Delay => Fault::Delay(delay),
            SimFault::MalformedBody => Fault::MalformedBody,
            SimFault::TruncatedBody => Fault::TruncatedBody,
            SimFault::BadGateway => Fault::BadGateway,
            SimFault::GatewayTimeout => Fault::GatewayTimeout,
            SimFault::OversizedBody => Fault::OversizedBody(OVERSIZED_FAULT_BYTES),
            SimFault::CallbackServerError => {
                self.inject_callback(CallbackFault::ServerError, count);
                return Ok(());
            }
            other => {
                return Err(mycpaas_core::Error::invalid(
                    "Fault",
                    format!("{other} is not a fault this simulator injects"),
                ));
            }
        };
        self.inject(fault, count);
        Ok(())
    }

    /// Removes every pending and random fault, of the API and of callbacks.
    pub fn clear(&self) {
        let mut inner = self.inner.lock();
        inner.queued.clear();
        inner.random.clear();
        inner.callbacks.clear();
    }

    /// How many counted API faults are still waiting for a request.
    pub fn pending(&self) -> usize {
        self.inner.lock().queued.iter().map(|(_, n)| n).sum()
    }

    /// How many counted callback faults are still waiting for a callback attempt.
    pub fn pending_callbacks(&self) -> usize {
        self.inner.lock().callbacks.iter().map(|(_, n)| n).sum()
    }

    /// The fault for the callback attempt being made, if any.
    pub(crate) fn next_callback(&self) -> Option<CallbackFault> {
        let mut inner = self.inner.lock();
        let (fault, remaining) = inner.callbacks.front_mut()?;
        let fault = *fault;
        *remaining -= 1;
        if *remaining == 0 {
            inner.callbacks.pop_front();
        }
        Some(fault)
    }

    /// The fault for the API request being handled, if any.
    pub(crate) fn next(&self) -> Option<Fault> {
        let mut inner = self.inner.lock();
        if let Some((fault, remaining)) = inner.queued.front_mut() {
            let fault = fault.clone();
            *remaining -= 1;
            if *remaining == 0 {
                inner.queued.pop_front();
            }
            return Some(fault);
        }
        inner
            .random
            .iter()
            .find(|(_, p)| self.randomness.chance(*p))
            .map(|(fault, _)| fault.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_are_consumed_in_order() {
        let faults = FaultInjector::new(Arc::new(Randomness::new(1)));
        faults.inject(Fault::Unavailable, 2);
        faults.inject(Fault::MalformedBody, 1);
        assert_eq!(faults.pending(), 3);
        assert_eq!(faults.next(), Some(Fault::Unavailable));
        assert_eq!(faults.next(), Some(Fault::Unavailable));
        assert_eq!(faults.next(), Some(Fault::MalformedBody));
        assert_eq!(faults.next(), None);
    }

    #[test]
    fn callback_faults_are_counted_apart_from_api_faults() {
        let faults = FaultInjector::new(Arc::new(Randomness::new(1)));
        faults.inject(Fault::Unavailable, 1);
        faults.inject_callback(CallbackFault::ServerError, 2);
        assert_eq!((faults.pending(), faults.pending_callbacks()), (1, 2));
        assert_eq!(faults.next_callback(), Some(CallbackFault::ServerError));
        assert_eq!(faults.next(), Some(Fault::Unavailable));
        assert_eq!(faults.next(), None);
        assert_eq!(faults.next_callback(), Some(CallbackFault::ServerError));
        assert_eq!(faults.next_callback(), None);
    }

    #[test]
    fn random_faults_follow_the_seed() {
        let draw = |seed| {
            let faults = FaultInjector::new(Arc::new(Randomness::new(seed)));
            faults.inject_randomly(Fault::Unavailable, 0.5);
            (0..32).map(|_| faults.next().is_some()).collect::<Vec<_>>()
        };
        assert_eq!(draw(3), draw(3));
        assert!(draw(3).contains(&true));
        assert!(draw(3).contains(&false));
    }
}
