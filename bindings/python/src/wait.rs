//! `calls.wait(sid, until=..., deadline=...)` in both clients (the loop is the Rust clients'
//! `calls().wait`).

use std::time::Duration;

use mycpaas_core::ops::wait::Until;
use pyo3::prelude::*;

use crate::aio::spawn;
use crate::errors;
use crate::generated::{PyAsyncCalls, PyCalls};
use crate::interrupt::run;
use crate::output::IntoPython;

/// `until=` and `deadline=` as core's values.
fn wait_arguments(py: Python<'_>, until: &str, deadline: f64) -> PyResult<(Until, Duration)> {
    let until = until
        .parse::<Until>()
        .map_err(|e| errors::from_core(py, &e))?;
    let deadline = Duration::try_from_secs_f64(deadline)
        .map_err(|_| errors::validation(py, "deadline", "must be a number of seconds from 0"))?;
    Ok((until, deadline))
}

#[pymethods]
impl PyCalls {
    /// Fetches call `sid` until it is answered or ends (`until="answered"` or `"ended"`) and
    /// returns it then, pausing 0.25 s and twice as long each time up to 5 s. A call that ends
    /// unanswered also ends a wait for "answered". Raises `TimeoutError` after `deadline`
    /// seconds. For scripts and tests without a webhook server.
    #[pyo3(signature = (sid, *, until = "ended", deadline = 60.0))]
    fn wait(&self, py: Python<'_>, sid: String, until: &str, deadline: f64) -> PyResult<Py<PyAny>> {
        let (until, deadline) = wait_arguments(py, until, deadline)?;
        let client = self.client.clone();
        run(py, move || client.calls().wait(&sid, until, deadline))?.into_python(py)
    }
}

#[pymethods]
impl PyAsyncCalls {
    /// Fetches call `sid` until it is answered or ends (see `Calls.wait`).
    #[pyo3(signature = (sid, *, until = "ended", deadline = 60.0))]
    fn wait<'py>(
        &self,
        py: Python<'py>,
        sid: String,
        until: &str,
        deadline: f64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (until, deadline) = wait_arguments(py, until, deadline)?;
        let client = self.slot.get(py)?;
        spawn(
            py,
            async move { client.calls().wait(&sid, until, deadline).await },
            |py, call| call.into_python(py),
        )
    }
}
