//! `calls.find_created(error)`: the calls a create that raised `MaybeCreatedError` may have placed,
//! in both clients (the search itself is the Rust clients' `find_attempted`).

use mycpaas_core::ops::reconcile::CreateAttempt;
use pyo3::prelude::*;

use crate::aio::spawn;
use crate::errors;
use crate::generated::{PyAsyncCalls, PyCalls};
use crate::interrupt::run;
use crate::output::IntoPython;

/// The attribute of a `MaybeCreatedError` that holds its create's attempt.
pub(crate) const ATTEMPT_ATTRIBUTE: &str = "_attempt";

/// What a create asked for and when, kept on its `MaybeCreatedError`.
#[pyclass(module = "mycpaas", name = "_CreateAttempt", frozen)]
pub(crate) struct PyCreateAttempt {
    attempt: CreateAttempt,
}

impl PyCreateAttempt {
    pub(crate) fn new(attempt: CreateAttempt) -> Self {
        PyCreateAttempt { attempt }
    }
}

/// The attempt held by `error`, or a `ValidationError` naming `error`.
fn attempt_of(py: Python<'_>, error: &Bound<'_, PyAny>) -> PyResult<CreateAttempt> {
    error
        .getattr(ATTEMPT_ATTRIBUTE)
        .ok()
        .and_then(|held| {
            held.cast::<PyCreateAttempt>()
                .ok()
                .map(|a| a.get().attempt.clone())
        })
        .ok_or_else(|| {
            errors::validation(
                py,
                "error",
                "must be the MaybeCreatedError a create raised in this process",
            )
        })
}

#[pymethods]
impl PyCalls {
    /// The calls a create that raised `error` may have placed: to the same `to` from the same
    /// `from_`, created since just before the attempt, newest first. It only lists; an empty
    /// list means no call was placed.
    fn find_created(&self, py: Python<'_>, error: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let attempt = attempt_of(py, error)?;
        let client = self.client.clone();
        run(py, move || client.calls().find_attempted(&attempt))?.into_python(py)
    }
}

#[pymethods]
impl PyAsyncCalls {
    /// The calls a create that raised `error` may have placed (see `Calls.find_created`).
    fn find_created<'py>(
        &self,
        py: Python<'py>,
        error: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let attempt = attempt_of(py, error)?;
        let client = self.slot.get(py)?;
        spawn(
            py,
            async move { client.calls().find_attempted(&attempt).await },
            |py, calls| calls.into_python(py),
        )
    }
}
