//! `Call` and `CallPage`: immutable views of core's models. Fields are converted when read, so
//! walking thousands of calls only pays for the attributes the program looks at.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

use crate::convert::opt_datetime;

/// `decimal.Decimal` and `json.loads`, imported once.
static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn decimal(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let class = DECIMAL.get_or_try_init(py, || {
        py.import("decimal")?.getattr("Decimal").map(Bound::unbind)
    })?;
    class.bind(py).call1((text,)).map(Bound::unbind)
}

/// A JSON object of the response (`subresource_uris`, unknown fields) as a Python dict.
fn json_dict(
    py: Python<'_>,
    map: &serde_json::Map<String, serde_json::Value>,
) -> PyResult<Py<PyAny>> {
    let loads = JSON_LOADS.get_or_try_init(py, || {
        py.import("json")?.getattr("loads").map(Bound::unbind)
    })?;
    let text = serde_json::Value::Object(map.clone()).to_string();
    loads.bind(py).call1((text,)).map(Bound::unbind)
}

/// A call, as the API returned it.
#[pyclass(module = "mycpaas", name = "Call", frozen)]
pub(crate) struct PyCall {
    inner: mycpaas_core::Call,
}

impl PyCall {
    pub(crate) fn new(inner: mycpaas_core::Call) -> Self {
        PyCall { inner }
    }
}

#[pymethods]
impl PyCall {
    /// The account that owns the call.
    #[getter]
    fn account_sid(&self) -> Option<String> {
        self.inner.account_sid.clone()
    }

    /// The parent call, for child legs of a `<Dial>`.
    #[getter]
    fn parent_call_sid(&self) -> Option<String> {
        self.inner.parent_call_sid.clone()
    }

    /// The number called.
    #[getter]
    fn to(&self) -> Option<String> {
        self.inner.to.clone()
    }

    /// `to`, formatted for display.
    #[getter]
    fn to_formatted(&self) -> Option<String> {
        self.inner.to_formatted.clone()
    }

    /// `from_`, formatted for display.
    #[getter]
    #[allow(clippy::wrong_self_convention, reason = "the API's field name")]
    fn from_formatted(&self) -> Option<String> {
        self.inner.from_formatted.clone()
    }

    /// The SID of the account's number used.
    #[getter]
    fn phone_number_sid(&self) -> Option<String> {
        self.inner.phone_number_sid.clone()
    }

    /// The currency of `price`.
    #[getter]
    fn price_unit(&self) -> Option<String> {
        self.inner.price_unit.clone()
    }

    /// `human` / `machine_*` when answering-machine detection ran.
    #[getter]
    fn answered_by(&self) -> Option<String> {
        self.inner.answered_by.clone()
    }

    /// API version of the call.
    #[getter]
    fn api_version(&self) -> Option<String> {
        self.inner.api_version.clone()
    }

    /// The forwarding number, when the call was forwarded.
    #[getter]
    fn forwarded_from(&self) -> Option<String> {
        self.inner.forwarded_from.clone()
    }

    /// Caller name lookup result.
    #[getter]
    fn caller_name(&self) -> Option<String> {
        self.inner.caller_name.clone()
    }

    /// Group SID.
    #[getter]
    fn group_sid(&self) -> Option<String> {
        self.inner.group_sid.clone()
    }

    /// Time spent queued, as the server sent it.
    #[getter]
    fn queue_time(&self) -> Option<String> {
        self.inner.queue_time.clone()
    }

    /// Annotation.
    #[getter]
    fn annotation(&self) -> Option<String> {
        self.inner.annotation.clone()
    }

    /// The call's URI.
    #[getter]
    fn uri(&self) -> Option<String> {
        self.inner.uri.clone()
    }

    /// The call's SID.
    #[getter]
    fn sid(&self) -> &str {
        &self.inner.sid
    }

    /// The caller ID.
    #[getter]
    fn from_(&self) -> Option<String> {
        self.inner.from.clone()
    }

    /// `queued`, `ringing`, `in-progress`, `completed`, ... (values the server adds later come through as is).
    #[getter]
    fn status(&self) -> Option<&str> {
        self.inner
            .status
            .as_ref()
            .map(mycpaas_core::CallStatus::as_str)
    }

    /// `inbound`, `outbound-api`, `outbound-dial` (or a newer value, as is).
    #[getter]
    fn direction(&self) -> Option<&str> {
        self.inner
            .direction
            .as_ref()
            .map(mycpaas_core::Direction::as_str)
    }

    /// When the call was created (aware `datetime`, UTC).
    #[getter]
    fn date_created(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        opt_datetime(py, self.inner.date_created)
    }

    /// When the call was last updated.
    #[getter]
    fn date_updated(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        opt_datetime(py, self.inner.date_updated)
    }

    /// When the call started.
    #[getter]
    fn start_time(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        opt_datetime(py, self.inner.start_time)
    }

    /// When the call ended.
    #[getter]
    fn end_time(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        opt_datetime(py, self.inner.end_time)
    }

    /// Length in seconds, once known.
    #[getter]
    fn duration(&self) -> Option<u64> {
        self.inner.duration
    }

    /// The price as a `Decimal` (negative: a charge), once known.
    #[getter]
    fn price(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .price
            .as_deref()
            .map(|p| decimal(py, p))
            .transpose()
    }

    /// Links to the call's subresources.
    #[getter]
    fn subresource_uris(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner
            .subresource_uris
            .as_ref()
            .map(|m| json_dict(py, m))
            .transpose()
    }

    /// Fields this SDK does not model, as the server sent them.
    #[getter]
    fn extra(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_dict(py, &self.inner.extra)
    }

    /// Every field as a dict (keys as the attributes: `from_` for `from`).
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        let py = slf.py();
        let dict = PyDict::new(py);
        for name in CALL_FIELDS {
            dict.set_item(*name, slf.getattr(*name)?)?;
        }
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Call(sid={:?}, to={:?}, from_={:?}, status={:?}, direction={:?})",
            self.inner.sid,
            self.inner.to.as_deref().unwrap_or(""),
            self.inner.from.as_deref().unwrap_or(""),
            self.status().unwrap_or(""),
            self.direction().unwrap_or(""),
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyCall>()
            .is_ok_and(|other| self.inner == other.get().inner)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.inner.sid.hash(&mut hasher);
        hasher.finish()
    }
}

/// The attributes `to_dict()` returns, in order.
const CALL_FIELDS: &[&str] = &[
    "sid",
    "account_sid",
    "parent_call_sid",
    "to",
    "to_formatted",
    "from_",
    "from_formatted",
    "phone_number_sid",
    "status",
    "direction",
    "date_created",
    "date_updated",
    "start_time",
    "end_time",
    "duration",
    "price",
    "price_unit",
    "answered_by",
    "api_version",
    "forwarded_from",
    "caller_name",
    "group_sid",
    "queue_time",
    "annotation",
    "uri",
    "subresource_uris",
    "extra",
];

/// One page of a call list.
#[pyclass(module = "mycpaas", name = "CallPage", frozen)]
pub(crate) struct PyCallPage {
    inner: mycpaas_core::CallPage,
}

impl PyCallPage {
    pub(crate) fn new(inner: mycpaas_core::CallPage) -> Self {
        PyCallPage { inner }
    }
}

#[pymethods]
impl PyCallPage {
    /// The calls of this page.
    #[getter]
    fn calls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let calls = self
            .inner
            .calls
            .iter()
            .map(|c| Py::new(py, PyCall::new(c.clone())))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, calls)
    }

    /// The page number (from 0), when the server sent it.
    #[getter]
    fn page(&self) -> Option<u64> {
        self.inner.page
    }

    /// The page size, when the server sent it.
    #[getter]
    fn page_size(&self) -> Option<u64> {
        self.inner.page_size
    }

    /// The next page's URI; `None` on the last page (or when the server does not send it).
    #[getter]
    fn next_page_uri(&self) -> Option<String> {
        self.inner.next_page_uri.clone()
    }

    /// The previous page's URI.
    #[getter]
    fn previous_page_uri(&self) -> Option<String> {
        self.inner.previous_page_uri.clone()
    }

    fn __len__(&self) -> usize {
        self.inner.calls.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "CallPage(page={}, calls={}, next_page_uri={})",
            self.inner
                .page
                .map_or_else(|| "None".to_owned(), |p| p.to_string()),
            self.inner.calls.len(),
            self.inner
                .next_page_uri
                .as_deref()
                .map_or_else(|| "None".to_owned(), |u| format!("{u:?}"))
        )
    }
}
