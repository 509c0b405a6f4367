//! Core's results as Python objects: the one mapping from a Rust model to its Python class, used
//! by both clients (the async one converts in the event loop's thread, once a request is done).

use pyo3::prelude::*;
use pyo3::types::PyList;

use mycpaas_core::model::Row;
use mycpaas_core::{Call, CallPage};

use crate::call::{PyCall, PyCallPage};

/// A result of core that becomes a Python object.
pub(crate) trait IntoPython: Send + 'static {
    /// The Python object for `self`.
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>>;
}

impl IntoPython for Call {
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, PyCall::from(self))?.into_any())
    }
}

impl IntoPython for Row<Call> {
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, PyCall::from(self))?.into_any())
    }
}

impl IntoPython for CallPage<Row<Call>> {
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, PyCallPage::new(self))?.into_any())
    }
}

/// An empty answer (a DELETE's 204) is `None`.
impl IntoPython for () {
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(py.None())
    }
}

/// A list of items (`calls.list()`) is a Python list.
impl<T: IntoPython> IntoPython for Vec<T> {
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items = self
            .into_iter()
            .map(|item| item.into_python(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any().unbind())
    }
}
