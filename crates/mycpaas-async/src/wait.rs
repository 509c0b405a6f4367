//! `calls().wait(sid, until, deadline)`: polls a call until it is answered or ends (see
//! `mycpaas_core::ops::wait`).

use std::time::{Duration, Instant};

use mycpaas_core::ops::wait::{Until, Wait};
use mycpaas_core::{Call, Result};

use crate::generated::Calls;

impl Calls<'_> {
    /// Fetches call `sid` until it is answered or ends (`until`), pausing 0.25 s, then twice as
    /// long each time up to 5 s, and returns it then. A call that ends unanswered also ends a
    /// wait for [`Until::Answered`] (its status says so). After `deadline` (counted from the
    /// first fetch, which is made at once) it fails with a `Timeout` error naming the last
    /// status; a 429 on the way is retried after its `Retry-After`.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use mycpaas_async::{Client, Until};
    ///
    /// # async fn run() -> mycpaas_async::Result<()> {
    /// let client = Client::from_env()?;
    /// let call = client.calls().wait("CA1234567890abcdef1234567890abcdef", Until::Ended, Duration::from_secs(120)).await?;
    /// println!("{:?} after {:?} s", call.status, call.duration);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait(&self, sid: &str, until: Until, deadline: Duration) -> Result<Call> {
        let started = Instant::now();
        let mut wait = Wait::new(sid, until, deadline);
        loop {
            let call = self.fetch(sid).await?;
            if wait.is_over(&call) {
                return Ok(call);
            }
            match wait.next_pause(started.elapsed()) {
                Some(pause) => tokio::time::sleep(pause).await,
                None => return Err(wait.timed_out(&call)),
            }
        }
    }
}
