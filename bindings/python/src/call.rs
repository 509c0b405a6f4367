//! `Call` and `CallPage`: read-only views of the calls the API sent.
//!
//! A `Call` holds core's [`Row`]: a call read from a list page is decoded on the first use of a
//! field other than its `sid`, and one fetched or created is decoded already.

use std::borrow::Cow;
use std::sync::{Mutex, PoisonError};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};

use mycpaas_core::model::Row;
use mycpaas_core::ops::response;
use mycpaas_core::{Call, CallPage};

use crate::errors;

/// `decimal.Decimal` and `json.loads`, imported once.
static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub(crate) fn decimal(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let class = DECIMAL.get_or_try_init(py, || {
        py.import("decimal")?.getattr("Decimal").map(Bound::unbind)
    })?;
    class.bind(py).call1((text,)).map(Bound::unbind)
}

/// A JSON object of the response (`subresource_uris`, unknown fields) as a Python dict.
pub(crate) fn json_dict(
    py: Python<'_>,
    map: serde_json::Map<String, serde_json::Value>,
) -> PyResult<Py<PyAny>> {
    let loads = JSON_LOADS.get_or_try_init(py, || {
        py.import("json")?.getattr("loads").map(Bound::unbind)
    })?;
    let text = serde_json::Value::Object(map).to_string();
    loads.bind(py).call1((text,)).map(Bound::unbind)
}

/// A call, as the API returned it.
#[pyclass(module = "mycpaas", name = "Call", frozen)]
pub(crate) struct PyCall {
    pub(crate) row: Row<Call>,
}

impl PyCall {
    /// The decoded call (decoded now, for a row of a page).
    pub(crate) fn call(&self) -> &Call {
        self.row.get()
    }
}

impl From<Row<Call>> for PyCall {
    fn from(row: Row<Call>) -> Self {
        PyCall { row }
    }
}

impl From<Call> for PyCall {
    fn from(call: Call) -> Self {
        PyCall {
            row: Row::from(call),
        }
    }
}

#[pymethods]
impl PyCall {
    /// Fields this SDK does not model, as the server sent them.
    #[getter]
    fn extra(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_dict(py, self.call().extra.clone())
    }

    /// Members of the answer that could not be read, by wire name, with what was wrong: each is
    /// `None` above (or missing from `extra`), so that a call whose SID is good is never lost to
    /// one odd field (of a created or fetched call, or of one call of a page). Empty when the
    /// answer was read whole.
    #[getter]
    fn problems(&self) -> Vec<(String, String)> {
        self.call()
            .problems
            .iter()
            .map(|p| (p.field.clone(), p.problem.clone()))
            .collect()
    }

    /// What happened to the request that brought this call (status, headers, request ids,
    /// attempts, time), for a call created, fetched or updated; `None` for a call of a page (the
    /// page's `response` says it) and for one read with `CallPage.from_json`.
    #[getter]
    fn response(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.row.json().is_some() {
            // A row of a page: reading its info must not decode it.
            return Ok(py.None());
        }
        crate::info::PyResponseInfo::object(py, self.call().response.as_ref())
    }

    /// Every field as a dict (keys as the attributes: `from_` for `from`).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        let py = slf.py();
        let dict = PyDict::new(py);
        for name in Self::FIELDS {
            dict.set_item(*name, slf.getattr(*name)?)?;
        }
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Call(sid={:?}, to={:?}, from_={:?}, status={:?}, direction={:?})",
            self.row.sid(),
            self.call().to.as_deref().unwrap_or_default(),
            self.call().from.as_deref().unwrap_or_default(),
            self.call()
                .status
                .as_ref()
                .map_or("", mycpaas_core::CallStatus::as_str),
            self.call()
                .direction
                .as_ref()
                .map_or("", mycpaas_core::Direction::as_str),
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyCall>()
            .is_ok_and(|other| self.call() == other.get().call())
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.row.sid().hash(&mut hasher);
        hasher.finish()
    }
}

/// One page of a call list.
#[pyclass(module = "mycpaas", name = "CallPage", frozen)]
pub(crate) struct PyCallPage {
    /// The page without its calls (they are in `pending`, then in `calls`).
    page: CallPage<Row<Call>>,
    /// How many calls the page holds.
    count: usize,
    /// The calls, until the first read of `calls` moves them into `Call` objects.
    pending: Mutex<Vec<Row<Call>>>,
    /// The `Call` objects, made on the first read of `calls` and shared by every later read.
    calls: PyOnceLock<Py<PyTuple>>,
}

impl PyCallPage {
    /// A page a client fetched.
    pub(crate) fn new(mut page: CallPage<Row<Call>>) -> Self {
        let calls = std::mem::take(&mut page.calls);
        PyCallPage {
            page,
            count: calls.len(),
            pending: Mutex::new(calls),
            calls: PyOnceLock::new(),
        }
    }
}

#[pymethods]
impl PyCallPage {
    /// Reads a page of calls from JSON received some other way (`bytes`, `bytearray` or `str`).
    /// Raises `DecodeError`.
    #[staticmethod]
    fn from_json(py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<Self> {
        let bytes: Cow<'_, [u8]> = if let Ok(bytes) = body.cast::<PyBytes>() {
            Cow::Borrowed(bytes.as_bytes())
        } else if let Ok(text) = body.cast::<PyString>() {
            Cow::Owned(text.to_cow()?.as_bytes().to_vec())
        } else if let Ok(array) = body.cast::<PyByteArray>() {
            Cow::Owned(array.to_vec())
        } else {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "body must be bytes, bytearray or str",
            ));
        };
        response::decode::<CallPage<Row<Call>>>(200, &bytes)
            .map(PyCallPage::new)
            .map_err(|err| errors::from_core(py, &err))
    }

    /// The calls of this page.
    #[getter]
    fn calls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let calls = self.calls.get_or_try_init(py, || {
            let pending =
                std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
            let calls = pending
                .into_iter()
                .map(|call| Py::new(py, PyCall::from(call)))
                .collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, calls).map(Bound::unbind)
        })?;
        // A new list each time (callers may change it); the calls in it are shared.
        PyList::new(py, calls.bind(py).iter())
    }

    /// The page number (from 0), when the server sent it.
    #[getter]
    fn page(&self) -> Option<u64> {
        self.page.page
    }

    /// The page size, when the server sent it.
    #[getter]
    fn page_size(&self) -> Option<u64> {
        self.page.page_size
    }

    /// What happened to the request of this page (status, headers, request ids, attempts,
    /// time); `None` for a page read with `from_json`.
    #[getter]
    fn response(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        crate::info::PyResponseInfo::object(py, self.page.response.as_ref())
    }

    /// The next page's URI; `None` on the last page (or when the server does not send it).
    #[getter]
    fn next_page_uri(&self) -> Option<&str> {
        self.page.next_page_uri.as_deref()
    }

    /// The previous page's URI.
    #[getter]
    fn previous_page_uri(&self) -> Option<&str> {
        self.page.previous_page_uri.as_deref()
    }

    fn __len__(&self) -> usize {
        self.count
    }

    fn __repr__(&self) -> String {
        format!(
            "CallPage(page={}, calls={}, next_page_uri={})",
            self.page()
                .map_or_else(|| "None".to_owned(), |p| p.to_string()),
            self.count,
            self.next_page_uri()
                .map_or_else(|| "None".to_owned(), |u| format!("{u:?}"))
        )
    }
}
