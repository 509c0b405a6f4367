//! The send loop: send one attempt, sleep when told, repeat.
//!
//! Core decides everything: it builds the request, and its [`Exchange`] counts the attempts,
//! judges each with the retry policy, emits the `tracing` events and maps the final result.
//! This loop only sends, measures, sleeps and hands the results back.

use std::thread;
use std::time::{Instant, SystemTime};

use mycpaas_core::exchange::{Exchange, Finished, Step};
use mycpaas_core::{Operation, Result};

use crate::client::Client;

impl Client {
    /// Runs any operation: validate and build (nothing is sent on invalid input), send with the
    /// retries the policy allows, and parse the final response.
    ///
    /// Every method of [`Calls`](crate::Calls) goes through here.
    ///
    /// ```no_run
    /// use mycpaas_blocking::{Client, FetchCall};
    ///
    /// let client = Client::from_env()?;
    /// let call = client.execute(&FetchCall::new("CA1234567890abcdef1234567890abcdef"))?;
    /// println!("{:?}", call.status);
    /// # Ok::<(), mycpaas_blocking::Error>(())
    /// ```
    pub fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output> {
        let request = operation.build_request(self.config())?;
        self.send(request)?.output(operation)
    }

    /// Sends `request` until the exchange is over; fails only when the client is closed.
    pub(crate) fn send(&self, request: http::Request<Vec<u8>>) -> Result<Finished> {
        let inner = self.inner();
        let mut exchange = Exchange::new(request, &inner.config);
        loop {
            // Asked for on every attempt: the process may have forked since the last one.
            let transport = inner.transport.get(&inner.config)?;
            let started = Instant::now();
            let result = transport.send(exchange.request());
            let latency = started.elapsed();
            let step = inner
                .with_jitter(|jitter| exchange.handle(result, latency, SystemTime::now(), jitter));
            match step {
                Step::Wait(delay) => thread::sleep(delay),
                Step::Done(finished) => return Ok(finished),
            }
        }
    }
}
