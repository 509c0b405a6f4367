//! The calls that exist on a simulator after a run, by destination number, and the rules every
//! create outcome must satisfy against them.
//!
//! A fault test gives each create attempt its own `To` number; afterwards the ledger reads every
//! call back (without faults) and judges each attempt's outcome:
//! - a number never has more than one call (no duplicate was placed);
//! - a `Call` has exactly its call;
//! - an error whose `may_have_been_sent()` is false has none (so creating again is safe);
//! - `Error::MaybeCreated` may have one or none.

use std::collections::HashMap;

use mycpaas_core::{Call, Error, ListCalls};

use crate::fixtures::AnyClient;

/// Every call of the account, by `To`.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    by_number: HashMap<String, Vec<String>>,
    total: usize,
}

/// What an outcome turned out to be, once judged against the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// A `Call`, and it exists.
    Created,
    /// An error that says nothing was sent, and no call exists.
    NotCreated,
    /// `MaybeCreated`, and the call exists.
    AmbiguousCreated,
    /// `MaybeCreated`, and no call exists.
    AmbiguousAbsent,
}

impl Ledger {
    /// Reads every call through `client` (the caller clears the faults first).
    pub fn read(client: &AnyClient) -> Result<Ledger, Error> {
        let calls: Vec<Call> = client
            .walk(ListCalls::new().page_size(1000), None)
            .into_iter()
            .collect::<Result<_, _>>()?;
        let mut ledger = Ledger {
            total: calls.len(),
            ..Ledger::default()
        };
        for call in calls {
            ledger
                .by_number
                .entry(call.to.unwrap_or_default())
                .or_default()
                .push(call.sid);
        }
        Ok(ledger)
    }

    /// How many calls exist in all.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The SIDs of the calls to `to`.
    pub fn calls_to(&self, to: &str) -> &[String] {
        self.by_number.get(to).map_or(&[], Vec::as_slice)
    }

    /// Judges the outcome of the one create attempt that dialled `to`.
    pub fn judge(&self, to: &str, outcome: &Result<Call, Error>) -> Result<Verdict, String> {
        let existing = self.calls_to(to);
        if existing.len() > 1 {
            return Err(format!(
                "{to}: DUPLICATE: {} calls {existing:?}",
                existing.len()
            ));
        }
        let exists = existing.len() == 1;
        match outcome {
            Ok(call) if exists && existing[0] == call.sid => Ok(Verdict::Created),
            Ok(call) => Err(format!(
                "{to}: returned {} but {existing:?} exist",
                call.sid
            )),
            Err(Error::MaybeCreated { .. }) if exists => Ok(Verdict::AmbiguousCreated),
            Err(Error::MaybeCreated { .. }) => Ok(Verdict::AmbiguousAbsent),
            Err(error) if error.may_have_been_sent() => Err(format!(
                "{to}: a create error other than MaybeCreated says it may have been sent: {error:?}"
            )),
            Err(error) if exists => Err(format!(
                "{to}: a call exists but the error says nothing was sent: {error:?}"
            )),
            Err(_) => Ok(Verdict::NotCreated),
        }
    }
}

/// Fails the test with every problem `client` (its name) showed, one a line, unless there are
/// none.
pub fn assert_no_problems(client: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{client} client: {} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
