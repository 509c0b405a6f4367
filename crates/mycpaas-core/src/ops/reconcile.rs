//! Finding the call a create may have placed: the answer to an [`Error::MaybeCreated`](crate::Error::MaybeCreated).
//!
//! A create whose outcome is unknown is never sent again (it could place a second call). The
//! error carries a [`CreateAttempt`]: what was asked for and when. Listing the calls to the same
//! `To` from the same `From`, newest first, down to just before the attempt, gives the calls it
//! may have placed; both clients' `calls().find_created(&error)` run that walk, and never create.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use mycpaas_core::{Call, CreateCall, ops::reconcile::CreateAttempt};
//!
//! let request = CreateCall::new("+491234567890", "+491098765432").url("https://example.com/v.xml");
//! let attempt = CreateAttempt::of(&request, SystemTime::now());
//! assert_eq!(attempt.list().to.as_deref(), Some("+491234567890"));
//! let placed: Call = serde_json::from_str(r#"{"sid": "CA1", "date_created": "2999-01-01T00:00:00Z"}"#).unwrap();
//! assert!(attempt.is_candidate(&placed));
//! ```

use std::time::{Duration, SystemTime};

use time::OffsetDateTime;

use crate::model::Call;
use crate::ops::{CreateCall, ListCalls};

/// How far before the attempt the window opens: the clocks of this machine and the server's may
/// disagree by that much.
pub const CLOCK_SKEW: Duration = Duration::from_secs(120);

/// The most calls a search looks at before it stops (the window is searched newest first, so a
/// busy number's older calls are never fetched).
pub const MAX_CALLS_SEARCHED: usize = 1000;

/// A create that may have placed a call: its `To` and `From`, and the moment the window of its
/// search opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateAttempt {
    to: String,
    from: String,
    not_before: OffsetDateTime,
}

impl CreateAttempt {
    /// The attempt of `request`, started at `started`.
    pub fn of(request: &CreateCall, started: SystemTime) -> Self {
        let opens = started
            .checked_sub(CLOCK_SKEW)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        CreateAttempt {
            to: request.to.clone(),
            from: request.from.clone(),
            not_before: OffsetDateTime::from(opens),
        }
    }

    /// The list to walk: the calls to the same `To` from the same `From`, newest first.
    pub fn list(&self) -> ListCalls {
        ListCalls::new().to(&self.to).from(&self.from)
    }

    /// When the window opens (a little before the attempt started).
    pub fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }

    /// Whether `call` is in the window: created at or after [`CreateAttempt::not_before`] (a call
    /// without `date_created` is kept: nothing proves it older).
    pub fn is_candidate(&self, call: &Call) -> bool {
        call.date_created
            .is_none_or(|created| created >= self.not_before)
    }
}

impl CreateCall {
    /// The attempt of this request, started at `started` (see [`CreateAttempt`]).
    pub fn attempt_at(&self, started: SystemTime) -> CreateAttempt {
        CreateAttempt::of(self, started)
    }
}
