//! Telling a retried status callback from a new one.
//!
//! The platform retries a status callback that did not get a 2xx answer (up to 3 attempts), so a
//! handler that did its work and then failed to answer sees the same callback again. A callback is
//! identified by its `CallSid` and `SequenceNumber`; [`Repeats`] remembers the ones seen.

use std::collections::{HashSet, VecDeque};
use std::sync::{Mutex, PoisonError};

use super::StatusCallback;

/// Where the keys of the callbacks seen are kept. The in-memory [`SeenCallbacks`] serves one
/// process; a fleet of web servers shares one store (for example Redis: `SET key 1 NX EX 86400`
/// is an `insert` that reports whether the key was new).
pub trait SeenStore: Send + Sync {
    /// Records `key`; `true` when it was not there before. Must be atomic: of two concurrent
    /// inserts of one key, one returns `true`.
    fn insert(&self, key: &str) -> bool;
}

/// The keys of the last `capacity` callbacks seen by this process (the oldest forgotten first).
#[derive(Debug)]
pub struct SeenCallbacks {
    capacity: usize,
    seen: Mutex<(HashSet<String>, VecDeque<String>)>,
}

impl SeenCallbacks {
    /// Remembers up to `capacity` callbacks (at least one).
    pub fn new(capacity: usize) -> Self {
        SeenCallbacks {
            capacity: capacity.max(1),
            seen: Mutex::new((HashSet::new(), VecDeque::new())),
        }
    }
}

impl SeenStore for SeenCallbacks {
    fn insert(&self, key: &str) -> bool {
        let mut guard = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let (keys, order) = &mut *guard;
        if keys.contains(key) {
            return false;
        }
        if order.len() == self.capacity {
            if let Some(oldest) = order.pop_front() {
                keys.remove(&oldest);
            }
        }
        keys.insert(key.to_owned());
        order.push_back(key.to_owned());
        true
    }
}

/// Tells a repeated status callback from a new one.
///
/// ```
/// use mycpaas_core::webhook::{Repeats, StatusCallback};
///
/// let repeats = Repeats::in_memory(10_000);
/// let pairs = [("CallSid", "CA1"), ("SequenceNumber", "2"), ("CallStatus", "completed")];
/// let callback = StatusCallback::from_pairs(pairs)?;
/// assert!(!repeats.is_repeat(&callback)); // first delivery: do the work
/// assert!(repeats.is_repeat(&callback)); // a retry of it: answer 200, do nothing
/// # Ok::<(), mycpaas_core::Error>(())
/// ```
pub struct Repeats {
    store: Box<dyn SeenStore>,
}

impl Repeats {
    /// Remembers the last `capacity` callbacks in this process.
    pub fn in_memory(capacity: usize) -> Self {
        Repeats::with_store(SeenCallbacks::new(capacity))
    }

    /// Keeps the callbacks seen in `store` (one shared by every web server of a fleet).
    pub fn with_store(store: impl SeenStore + 'static) -> Self {
        Repeats {
            store: Box::new(store),
        }
    }

    /// Whether `callback` was seen before (and records it). One without a `CallSid` or a
    /// `SequenceNumber` cannot be told apart and is never a repeat.
    pub fn is_repeat(&self, callback: &StatusCallback) -> bool {
        match repeat_key(callback) {
            Some(key) => !self.store.insert(&key),
            None => false,
        }
    }
}

impl std::fmt::Debug for Repeats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repeats").finish_non_exhaustive()
    }
}

/// The key a callback is remembered by, `CallSid:SequenceNumber`, when it has both.
pub fn repeat_key(callback: &StatusCallback) -> Option<String> {
    let sid = callback
        .call
        .call_sid
        .as_deref()
        .filter(|s| !s.is_empty())?;
    let sequence = callback.sequence_number?;
    Some(format!("{sid}:{sequence}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn callback(sid: &str, sequence: &str) -> StatusCallback {
        StatusCallback::from_pairs([("CallSid", sid), ("SequenceNumber", sequence)]).unwrap()
    }

    #[test]
    fn a_callback_is_new_once_and_the_oldest_are_forgotten() {
        let repeats = Repeats::in_memory(2);
        assert!(!repeats.is_repeat(&callback("CA1", "0")));
        assert!(repeats.is_repeat(&callback("CA1", "0")));
        assert!(!repeats.is_repeat(&callback("CA1", "1")));
        assert!(!repeats.is_repeat(&callback("CA2", "0")));
        // CA1:0 was the oldest of three: forgotten.
        assert!(!repeats.is_repeat(&callback("CA1", "0")));
        let unkeyed = StatusCallback::from_pairs([("CallSid", "CA3")]).unwrap();
        assert!(!repeats.is_repeat(&unkeyed) && !repeats.is_repeat(&unkeyed));
    }

    #[test]
    fn concurrent_deliveries_of_one_callback_are_new_exactly_once() {
        let repeats = std::sync::Arc::new(Repeats::in_memory(1000));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let repeats = std::sync::Arc::clone(&repeats);
                std::thread::spawn(move || !repeats.is_repeat(&callback("CA9", "3")))
            })
            .collect();
        let new = handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|was_new| *was_new)
            .count();
        assert_eq!(new, 1);
    }
}
