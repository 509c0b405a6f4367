//! `mycpaas.webhooks.Repeats`: core's [`Repeats`], for idempotent status-callback handlers.

use mycpaas_core::webhook::{self, SeenCallbacks, SeenStore, repeat_key};
use pyo3::prelude::*;

use crate::convert::form_pairs;
use crate::errors;

/// Tells a retried status callback from a new one: `Repeats()` remembers the last `capacity`
/// callbacks of this process; `Repeats(store=...)` keeps them in a shared store, an object whose
/// `insert(key: str) -> bool` records the key and says whether it was new.
#[pyclass(module = "mycpaas.webhooks", name = "Repeats", frozen)]
pub(crate) struct PyRepeats {
    seen: Seen,
}

enum Seen {
    Memory(SeenCallbacks),
    Store(Py<PyAny>),
}

#[pymethods]
impl PyRepeats {
    #[new]
    #[pyo3(signature = (capacity = 10_000, *, store = None))]
    fn new(capacity: usize, store: Option<Py<PyAny>>) -> Self {
        PyRepeats {
            seen: match store {
                Some(store) => Seen::Store(store),
                None => Seen::Memory(SeenCallbacks::new(capacity)),
            },
        }
    }

    /// Whether `callback` (a `StatusCallback`, or the callback's form parameters) was seen before,
    /// and records it. One without a `CallSid` or a `SequenceNumber` is never a repeat.
    fn is_repeat(&self, py: Python<'_>, callback: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Some(key) = key_of(py, callback)? else {
            return Ok(false);
        };
        let new = match &self.seen {
            Seen::Memory(seen) => seen.insert(&key),
            Seen::Store(store) => store.bind(py).call_method1("insert", (key,))?.is_truthy()?,
        };
        Ok(!new)
    }
}

/// The key of a parsed `StatusCallback` (its attributes) or of form parameters (parsed by core).
fn key_of(py: Python<'_>, callback: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let parsed = if callback.hasattr("sequence_number")? {
        let mut parsed = webhook::StatusCallback::default();
        parsed.call.call_sid = callback.getattr("call_sid")?.extract()?;
        parsed.sequence_number = callback.getattr("sequence_number")?.extract()?;
        parsed
    } else {
        webhook::StatusCallback::from_pairs(form_pairs(callback)?)
            .map_err(|e| errors::from_core(py, &e))?
    };
    Ok(repeat_key(&parsed))
}
