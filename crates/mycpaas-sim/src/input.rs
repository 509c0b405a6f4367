//! Caller input scripted by tests: what the simulated callee "types" or "says" when a
//! `<Gather>` listens. Queued per call SID or per number called; the call's own queue
//! is used first.

use std::collections::{HashMap, VecDeque};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

/// One answer to one `<Gather>`: digits, speech, both, or neither (silence).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatherInput {
    /// Keys pressed: what a phone can send, `0-9`, `*`, `#`, `A-D`, and `w` for a
    /// half-second pause between two keys (checked by [`GatherInput::check`]).
    pub digits: Option<String>,
    /// Speech recognised.
    pub speech: Option<String>,
}

impl GatherInput {
    /// The callee presses these digits.
    pub fn digits(digits: impl Into<String>) -> Self {
        Self {
            digits: Some(digits.into()),
            speech: None,
        }
    }

    /// The callee says this.
    pub fn speech(speech: impl Into<String>) -> Self {
        Self {
            digits: None,
            speech: Some(speech.into()),
        }
    }

    /// The callee stays silent: the `<Gather>` times out.
    pub fn silence() -> Self {
        Self::default()
    }

    /// Checks that the digits are keys a phone can send (`0-9 * # A-D`, `w` for a pause).
    ///
    /// ```
    /// use mycpaas_sim::GatherInput;
    /// assert!(GatherInput::digits("12w#").check().is_ok());
    /// let error = GatherInput::digits("1z").check().unwrap_err();
    /// assert_eq!(error.key, 'z');
    /// assert!(error.to_string().contains("0-9, *, #, A-D and w"));
    /// ```
    pub fn check(&self) -> Result<(), InvalidDigits> {
        let Some(digits) = &self.digits else {
            return Ok(());
        };
        match digits.chars().find(|key| !is_phone_key(*key)) {
            None => Ok(()),
            Some(key) => Err(InvalidDigits {
                digits: digits.clone(),
                key,
            }),
        }
    }
}

/// A key of a phone's keypad (`0-9 * # A-D`) or `w`, a half-second pause.
pub(crate) fn is_phone_key(key: char) -> bool {
    key.is_ascii_digit() || matches!(key, '*' | '#' | 'A'..='D' | 'w')
}

/// Scripted digits holding something a phone cannot send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "scripted digits may only hold 0-9, *, #, A-D and w (a half-second pause): {digits:?} holds {key:?}"
)]
#[non_exhaustive]
pub struct InvalidDigits {
    /// The digits as scripted.
    pub digits: String,
    /// The first character that is not a key.
    pub key: char,
}

/// The queues of scripted input (what a `<Gather>` hears, what a transcription says), by call
/// SID or number.
#[derive(Debug)]
pub(crate) struct InputScript<T = GatherInput> {
    queues: Mutex<HashMap<String, VecDeque<T>>>,
}

impl<T> Default for InputScript<T> {
    fn default() -> Self {
        InputScript {
            queues: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> InputScript<T> {
    /// Queues input for a call SID or a number (`+15551230000`).
    pub(crate) fn push(&self, key: &str, input: T) {
        self.queues
            .lock()
            .entry(key.to_owned())
            .or_default()
            .push_back(input);
    }

    /// Takes the next input for this call: its own queue first, then the number's.
    pub(crate) fn take(&self, call_sid: &str, to: &str) -> Option<T> {
        let mut queues = self.queues.lock();
        for key in [call_sid, to] {
            if let Some(queue) = queues.get_mut(key) {
                if let Some(input) = queue.pop_front() {
                    if queue.is_empty() {
                        queues.remove(key);
                    }
                    return Some(input);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_queue_comes_before_number_queue() {
        let script = InputScript::default();
        script.push("+15550001", GatherInput::digits("1"));
        script.push("CA1", GatherInput::digits("2"));
        assert_eq!(
            script.take("CA1", "+15550001"),
            Some(GatherInput::digits("2"))
        );
        assert_eq!(
            script.take("CA1", "+15550001"),
            Some(GatherInput::digits("1"))
        );
        assert_eq!(script.take("CA1", "+15550001"), None);
    }
}
