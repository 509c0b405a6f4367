//! Waiting for a call to be answered or to end, by polling: for scripts and tests without a
//! webhook server (status callbacks are best-effort on every provider of this API).
//!
//! Sans-IO like the rest of core: a [`Wait`] says how long to sleep before the next fetch and
//! judges each fetched call; the clients' `calls().wait(..)` run the loop. Each fetch is an
//! ordinary request, so a 429 is retried after its `Retry-After` by the retry policy.
//!
//! ```
//! use std::time::Duration;
//! use mycpaas_core::{Call, CallStatus, ops::wait::{Until, Wait}};
//!
//! let mut wait = Wait::new("CA1", Until::Ended, Duration::from_secs(60));
//! let mut call = Call::default();
//! call.status = Some(CallStatus::Ringing);
//! assert!(!wait.is_over(&call));
//! assert_eq!(wait.next_pause(Duration::ZERO), Some(Duration::from_millis(250)));
//! call.status = Some(CallStatus::Completed);
//! assert!(wait.is_over(&call));
//! ```

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::model::Call;
use crate::types::CallStatus;

/// The first pause between fetches; each later one doubles, up to [`MAX_PAUSE`].
pub const FIRST_PAUSE: Duration = Duration::from_millis(250);
/// The longest pause between fetches.
pub const MAX_PAUSE: Duration = Duration::from_secs(5);

/// What to wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Until {
    /// Answered (`in-progress`), or ended without being answered.
    Answered,
    /// Ended: `completed`, `busy`, `no-answer`, `failed` or `canceled`.
    Ended,
}

impl Until {
    /// The wire-like name: `answered` or `ended`.
    pub fn as_str(self) -> &'static str {
        match self {
            Until::Answered => "answered",
            Until::Ended => "ended",
        }
    }
}

impl fmt::Display for Until {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Until {
    type Err = Error;

    fn from_str(text: &str) -> Result<Until> {
        match text.to_ascii_lowercase().as_str() {
            "answered" => Ok(Until::Answered),
            "ended" => Ok(Until::Ended),
            _ => Err(Error::invalid("until", "must be answered or ended")),
        }
    }
}

/// One wait: the call, what for, and the time it may take.
#[derive(Debug, Clone)]
pub struct Wait {
    sid: String,
    until: Until,
    deadline: Duration,
    pause: Duration,
}

impl Wait {
    /// Waits for call `sid` until `until`, for at most `deadline` in all.
    pub fn new(sid: impl Into<String>, until: Until, deadline: Duration) -> Self {
        Wait {
            sid: sid.into(),
            until,
            deadline,
            pause: FIRST_PAUSE,
        }
    }

    /// The call waited for.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// Whether `call` is what is waited for. A call that ended unanswered also ends a wait for
    /// `Answered`: it never will be.
    pub fn is_over(&self, call: &Call) -> bool {
        let Some(status) = &call.status else {
            return false;
        };
        status.is_terminal() || (self.until == Until::Answered && *status == CallStatus::InProgress)
    }

    /// The pause before the next fetch, given the time spent so far; `None` once the next fetch
    /// would start past the deadline.
    pub fn next_pause(&mut self, elapsed: Duration) -> Option<Duration> {
        let pause = self.pause;
        if elapsed.saturating_add(pause) > self.deadline {
            return None;
        }
        self.pause = (pause * 2).min(MAX_PAUSE);
        Some(pause)
    }

    /// The error of a wait that ran out of time; `last` is the last call fetched.
    pub fn timed_out(&self, last: &Call) -> Error {
        let status = last.status.as_ref().map_or("unknown", CallStatus::as_str);
        Error::Timeout {
            may_have_been_sent: false,
            message: format!(
                "call {} was not {} within {:?} (last status: {status})",
                self.sid, self.until, self.deadline
            ),
            source: None,
            // What the last fetch saw.
            response: last.response.0.clone().map(Box::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(status: &str) -> Call {
        Call {
            status: Some(CallStatus::from_wire(status)),
            ..Call::default()
        }
    }

    #[test]
    fn each_status_ends_a_wait_or_not() {
        // (status, ends a wait for Answered, ends a wait for Ended)
        let cases = [
            ("queued", false, false),
            ("initiated", false, false),
            ("ringing", false, false),
            ("in-progress", true, false),
            ("completed", true, true),
            ("busy", true, true),
            ("no-answer", true, true),
            ("failed", true, true),
            ("canceled", true, true),
            ("on-hold", false, false),
        ];
        for (status, answered, ended) in cases {
            let c = call(status);
            assert_eq!(
                Wait::new("CA1", Until::Answered, Duration::ZERO).is_over(&c),
                answered,
                "{status}"
            );
            assert_eq!(
                Wait::new("CA1", Until::Ended, Duration::ZERO).is_over(&c),
                ended,
                "{status}"
            );
        }
    }

    #[test]
    fn pauses_double_to_the_cap_and_stop_at_the_deadline() {
        let mut wait = Wait::new("CA1", Until::Ended, Duration::from_secs(12));
        let mut elapsed = Duration::ZERO;
        let mut pauses = Vec::new();
        while let Some(pause) = wait.next_pause(elapsed) {
            pauses.push(pause.as_millis());
            elapsed += pause;
        }
        assert_eq!(pauses, [250, 500, 1000, 2000, 4000]);
        assert!(elapsed <= Duration::from_secs(12));
        let error = wait.timed_out(&call("ringing"));
        assert!(
            error
                .to_string()
                .contains("not ended within 12s (last status: ringing)")
        );
        assert!(!error.may_have_been_sent());
    }

    #[test]
    fn until_reads_its_two_names() {
        assert_eq!("answered".parse::<Until>().unwrap(), Until::Answered);
        assert_eq!("ENDED".parse::<Until>().unwrap(), Until::Ended);
        assert_eq!(
            "up".parse::<Until>().unwrap_err().parameter(),
            Some("until")
        );
    }
}
