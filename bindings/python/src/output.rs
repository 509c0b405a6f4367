//! Core's results as Python objects: the one mapping from a Rust model to its Python class, used
//! by both clients (the async one converts in the event loop's thread, once a request is done).
//! Each model and page gets its impl from `resource::model_class!` and `page_class!`.

use pyo3::prelude::*;
use pyo3::types::PyList;

/// A result of core that becomes a Python object.
pub(crate) trait IntoPython: Send + 'static {
    /// The Python object for `self`.
    fn into_python(self, py: Python<'_>) -> PyResult<Py<PyAny>>;
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
