//! `ResponseInfo`: what happened to the request behind a result or an exception.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use mycpaas_core::exchange::ResponseInfo;

/// What happened to one operation: the final answer's status and headers, the provider's and the
/// client's request ids, the attempts and the time they took.
#[pyclass(module = "mycpaas", name = "ResponseInfo", frozen)]
pub(crate) struct PyResponseInfo {
    info: ResponseInfo,
}

impl PyResponseInfo {
    /// The Python object of `info`, or `None`.
    pub(crate) fn object(py: Python<'_>, info: Option<&ResponseInfo>) -> PyResult<Py<PyAny>> {
        match info {
            Some(info) => Ok(Py::new(py, PyResponseInfo { info: info.clone() })?.into_any()),
            None => Ok(py.None()),
        }
    }
}

#[pymethods]
impl PyResponseInfo {
    /// The HTTP status of the final answer; `None` when no answer came.
    #[getter]
    fn status(&self) -> Option<u16> {
        self.info.status
    }

    /// The final answer's headers, names in lower case (values of a repeated header joined by
    /// `", "`); empty when no answer came.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for name in self.info.headers.keys() {
            let values: Vec<String> = self
                .info
                .headers
                .get_all(name)
                .iter()
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                .collect();
            dict.set_item(name.as_str(), values.join(", "))?;
        }
        Ok(dict)
    }

    /// The provider's id of the final request (`X-Request-Id`), when it sent one.
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.info.request_id.as_deref()
    }

    /// The client's id of the operation (`X-Client-Request-Id`), the same on every attempt.
    #[getter]
    fn client_request_id(&self) -> &str {
        &self.info.client_request_id
    }

    /// How many attempts were made.
    #[getter]
    fn attempts(&self) -> u32 {
        self.info.attempts
    }

    /// Seconds spent in all attempts and the waits between them.
    #[getter]
    fn elapsed(&self) -> f64 {
        self.info.elapsed.as_secs_f64()
    }

    fn __repr__(&self) -> String {
        format!(
            "ResponseInfo(status={}, request_id={}, client_request_id={:?}, attempts={}, elapsed={:.3})",
            self.info
                .status
                .map_or("None".to_owned(), |s| s.to_string()),
            self.info
                .request_id
                .as_ref()
                .map_or("None".to_owned(), |id| format!("{id:?}")),
            self.info.client_request_id,
            self.info.attempts,
            self.info.elapsed.as_secs_f64(),
        )
    }
}
