//! Fault injection for reliability tests: make the API misbehave for the next N
//! requests, or at random with a seeded probability.
//!
//! Faults apply to requests of the Calls API only (not to `/_sim/...` routes), in the
//! order they were injected; each API request consumes at most one fault.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

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
#[derive(Debug, Clone)]
pub struct FaultInjector {
    inner: Arc<Mutex<Faults>>,
    randomness: Arc<Randomness>,
}

#[derive(Debug, Default)]
struct Faults {
    queued: VecDeque<(Fault, usize)>,
    random: Vec<(Fault, f64)>,
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

    /// Removes every pending and random fault.
    pub fn clear(&self) {
        let mut inner = self.inner.lock();
        inner.queued.clear();
        inner.random.clear();
    }

    /// How many counted faults are still waiting for a request.
    pub fn pending(&self) -> usize {
        self.inner.lock().queued.iter().map(|(_, n)| n).sum()
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
