//! `Call` and `CallPage`: read-only views of the calls the API sent.
//!
//! A page keeps its body once, shared, with core's [`PageIndex`] over it (one validating pass
//! that records where each call and field is). A `Call` of a page is that shared page plus the
//! call's number: a field is decoded when it is read, straight from the body's bytes, with the
//! same rules as core's typed `Call`. So walking a page and reading one field of each call only
//! pays for that field. Calls the clients decode one at a time (create, fetch, update, and the
//! calls `list`/`stream` yield) keep core's typed `Call`; every attribute reads the same either way.

use std::borrow::Cow;
use std::sync::Arc;

use mycpaas_core::{CallView, PageIndex};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::convert::opt_datetime;
use crate::errors;

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
    map: serde_json::Map<String, serde_json::Value>,
) -> PyResult<Py<PyAny>> {
    let loads = JSON_LOADS.get_or_try_init(py, || {
        py.import("json")?.getattr("loads").map(Bound::unbind)
    })?;
    let text = serde_json::Value::Object(map).to_string();
    loads.bind(py).call1((text,)).map(Bound::unbind)
}

/// The bytes of a page, held without copying what Python handed over.
pub(crate) enum Body {
    /// `bytes` or `bytearray` from Python.
    Bytes(PyBackedBytes),
    /// `str` from Python (its UTF-8 form).
    Text(PyBackedStr),
    /// A response body the client received (`calls.page()`).
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Bytes(bytes) => bytes,
            Body::Text(text) => text.as_ref(),
            Body::Owned(bytes) => bytes,
        }
    }
}

/// A page body and its index, shared by the page and its calls.
type Page = Arc<PageIndex<Body>>;

/// `ListCalls` answered with the page's bytes indexed instead of decoded into core's typed
/// `CallPage`: what the clients' `calls.page()` send, so a fetched page is read lazily like one
/// from `CallPage.from_json`.
pub(crate) struct ListPage(pub(crate) mycpaas_core::ops::ListCalls);

impl mycpaas_core::Operation for ListPage {
    type Output = PageIndex<Body>;

    fn build_request(
        &self,
        config: &mycpaas_core::Config,
    ) -> mycpaas_core::Result<http::Request<Vec<u8>>> {
        self.0.build_request(config)
    }

    fn parse_response(
        &self,
        response: http::Response<Vec<u8>>,
    ) -> mycpaas_core::Result<PageIndex<Body>> {
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(mycpaas_core::ops::response::api_error(
                status,
                response.body(),
            ));
        }
        PageIndex::with_status(Body::Owned(response.into_body()), status)
    }

    fn transport_error(&self, failure: mycpaas_core::TransportFailure) -> mycpaas_core::Error {
        self.0.transport_error(failure)
    }

    fn method(&self) -> http::Method {
        self.0.method()
    }
}

/// Indexes a body, raising the package's `DecodeError` when it is not a page of calls.
fn index(py: Python<'_>, body: Body) -> PyResult<Page> {
    PageIndex::new(body)
        .map(Arc::new)
        .map_err(|err| errors::from_core(py, &err))
}

/// A call, as the API returned it.
#[pyclass(module = "mycpaas", name = "Call", frozen)]
pub(crate) struct PyCall {
    source: Source,
}

/// Where a call's fields come from.
enum Source {
    /// A call of a page: decoded field by field from the shared body when read.
    View { page: Page, number: usize },
    /// A call that came alone (create, fetch, update, and the calls of `list`/`stream`, which
    /// the clients decode): already decoded by core. Writing it back to JSON to view it would
    /// cost more than it saves.
    Typed(Box<mycpaas_core::Call>),
}

impl PyCall {
    /// A call core decoded.
    pub(crate) fn new(inner: mycpaas_core::Call) -> Self {
        PyCall {
            source: Source::Typed(Box::new(inner)),
        }
    }

    /// The view of a call of a page (its number comes from the page, so it is always there;
    /// should it not be, reads raise `DecodeError` rather than panic).
    fn view<'a>(py: Python<'_>, page: &'a Page, number: usize) -> PyResult<CallView<'a>> {
        page.call(number).ok_or_else(|| {
            errors::new_error(py, "DecodeError", ("no such call in the page", 0u16, ""))
        })
    }

    /// Reads a field: `typed` from a decoded call, `viewed` from a page's view.
    fn read<'a, T>(
        &'a self,
        py: Python<'_>,
        typed: impl FnOnce(&'a mycpaas_core::Call) -> T,
        viewed: impl FnOnce(CallView<'a>) -> mycpaas_core::Result<T>,
    ) -> PyResult<T> {
        match &self.source {
            Source::Typed(call) => Ok(typed(call)),
            Source::View { page, number } => {
                viewed(Self::view(py, page, *number)?).map_err(|err| errors::from_core(py, &err))
            }
        }
    }

    /// A string field, `None` when absent or null.
    fn text<'a>(
        &'a self,
        py: Python<'_>,
        key: &str,
        typed: fn(&mycpaas_core::Call) -> Option<&str>,
    ) -> PyResult<Option<Cow<'a, str>>> {
        self.read(
            py,
            |call| typed(call).map(Cow::Borrowed),
            |view| view.text(key),
        )
    }

    fn date(
        &self,
        py: Python<'_>,
        key: &str,
        typed: fn(&mycpaas_core::Call) -> Option<time::OffsetDateTime>,
    ) -> PyResult<Py<PyAny>> {
        let date = self.read(py, typed, |view| view.date(key))?;
        opt_datetime(py, date)
    }

    /// The whole call, decoded.
    fn typed(&self, py: Python<'_>) -> PyResult<mycpaas_core::Call> {
        self.read(py, Clone::clone, |view| view.to_call())
    }
}

#[pymethods]
impl PyCall {
    /// The account that owns the call.
    #[getter]
    fn account_sid(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "account_sid", |c| c.account_sid.as_deref())
    }

    /// The parent call, for child legs of a `<Dial>`.
    #[getter]
    fn parent_call_sid(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "parent_call_sid", |c| c.parent_call_sid.as_deref())
    }

    /// The number called.
    #[getter]
    fn to(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "to", |c| c.to.as_deref())
    }

    /// `to`, formatted for display.
    #[getter]
    fn to_formatted(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "to_formatted", |c| c.to_formatted.as_deref())
    }

    /// `from_`, formatted for display.
    #[getter]
    #[allow(clippy::wrong_self_convention, reason = "the API's field name")]
    fn from_formatted(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "from_formatted", |c| c.from_formatted.as_deref())
    }

    /// The SID of the account's number used.
    #[getter]
    fn phone_number_sid(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "phone_number_sid", |c| c.phone_number_sid.as_deref())
    }

    /// The currency of `price`.
    #[getter]
    fn price_unit(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "price_unit", |c| c.price_unit.as_deref())
    }

    /// `human` / `machine_*` when answering-machine detection ran.
    #[getter]
    fn answered_by(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "answered_by", |c| c.answered_by.as_deref())
    }

    /// API version of the call.
    #[getter]
    fn api_version(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "api_version", |c| c.api_version.as_deref())
    }

    /// The forwarding number, when the call was forwarded.
    #[getter]
    fn forwarded_from(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "forwarded_from", |c| c.forwarded_from.as_deref())
    }

    /// Caller name lookup result.
    #[getter]
    fn caller_name(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "caller_name", |c| c.caller_name.as_deref())
    }

    /// Group SID.
    #[getter]
    fn group_sid(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "group_sid", |c| c.group_sid.as_deref())
    }

    /// Time spent queued, as the server sent it.
    #[getter]
    fn queue_time(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.read(
            py,
            |c| c.queue_time.clone(),
            |view| view.loose_text("queue_time"),
        )
    }

    /// Annotation.
    #[getter]
    fn annotation(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "annotation", |c| c.annotation.as_deref())
    }

    /// The call's URI.
    #[getter]
    fn uri(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "uri", |c| c.uri.as_deref())
    }

    /// The call's SID.
    #[getter]
    fn sid(&self, py: Python<'_>) -> PyResult<Cow<'_, str>> {
        self.read(py, |c| Cow::Borrowed(c.sid.as_str()), |view| view.sid())
    }

    /// The caller ID.
    #[getter]
    fn from_(&self, py: Python<'_>) -> PyResult<Option<Cow<'_, str>>> {
        self.text(py, "from", |c| c.from.as_deref())
    }

    /// `queued`, `ringing`, `in-progress`, `completed`, ... (values the server adds later come through as is).
    #[getter]
    fn status(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.read(
            py,
            |c| c.status.as_ref().map(|s| s.as_str().to_owned()),
            |view| Ok(view.status()?.map(|s| s.as_str().to_owned())),
        )
    }

    /// `inbound`, `outbound-api`, `outbound-dial` (or a newer value, as is).
    #[getter]
    fn direction(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.read(
            py,
            |c| c.direction.as_ref().map(|d| d.as_str().to_owned()),
            |view| Ok(view.direction()?.map(|d| d.as_str().to_owned())),
        )
    }

    /// When the call was created (aware `datetime`, UTC).
    #[getter]
    fn date_created(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.date(py, "date_created", |c| c.date_created)
    }

    /// When the call was last updated.
    #[getter]
    fn date_updated(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.date(py, "date_updated", |c| c.date_updated)
    }

    /// When the call started.
    #[getter]
    fn start_time(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.date(py, "start_time", |c| c.start_time)
    }

    /// When the call ended.
    #[getter]
    fn end_time(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.date(py, "end_time", |c| c.end_time)
    }

    /// Length in seconds, once known.
    #[getter]
    fn duration(&self, py: Python<'_>) -> PyResult<Option<u64>> {
        self.read(py, |c| c.duration, |view| view.count("duration"))
    }

    /// The price as a `Decimal` (negative: a charge), once known.
    #[getter]
    fn price(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.read(py, |c| c.price.clone(), |view| view.loose_text("price"))?
            .map(|p| decimal(py, &p))
            .transpose()
    }

    /// Links to the call's subresources.
    #[getter]
    fn subresource_uris(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.read(
            py,
            |c| c.subresource_uris.clone(),
            |view| view.object("subresource_uris"),
        )?
        .map(|m| json_dict(py, m))
        .transpose()
    }

    /// Fields this SDK does not model, as the server sent them.
    #[getter]
    fn extra(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let extra = self.read(py, |c| c.extra.clone(), |view| view.extra())?;
        json_dict(py, extra)
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

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Call(sid={:?}, to={:?}, from_={:?}, status={:?}, direction={:?})",
            self.sid(py)?,
            self.to(py)?.unwrap_or_default(),
            self.from_(py)?.unwrap_or_default(),
            self.status(py)?.unwrap_or_default(),
            self.direction(py)?.unwrap_or_default(),
        ))
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> bool {
        let Ok(other) = other.cast::<PyCall>() else {
            return false;
        };
        let other = other.get();
        if let (
            Source::View { page, number },
            Source::View {
                page: their_page,
                number: their_number,
            },
        ) = (&self.source, &other.source)
        {
            if Arc::ptr_eq(page, their_page) && number == their_number {
                return true;
            }
        }
        // Equal when they decode to the same call (a call that does not decode equals no other).
        match (self.typed(py), other.typed(py)) {
            (Ok(ours), Ok(theirs)) => ours == theirs,
            _ => false,
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<u64> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.sid(py)?.hash(&mut hasher);
        Ok(hasher.finish())
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
    page: Page,
    /// The `Call` objects, made on the first read of `calls` and shared by every later read.
    calls: PyOnceLock<Py<PyTuple>>,
}

impl PyCallPage {
    /// A page a client fetched with [`ListPage`].
    pub(crate) fn from_index(page: PageIndex<Body>) -> Self {
        PyCallPage::shared(Arc::new(page))
    }

    fn shared(page: Page) -> Self {
        PyCallPage {
            page,
            calls: PyOnceLock::new(),
        }
    }

    fn envelope(&self) -> &mycpaas_core::CallPage {
        self.page.envelope()
    }

    fn len(&self) -> usize {
        self.page.len()
    }
}

#[pymethods]
impl PyCallPage {
    /// Reads a page of calls from JSON received some other way (`bytes`, `bytearray` or `str`).
    /// The body is checked in full; fields are decoded when read. Raises `DecodeError`.
    #[staticmethod]
    fn from_json(py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<Self> {
        // Bytes first, as received from a transport; a failed cast costs nothing (a failed
        // `extract` would build a Python exception only to drop it).
        let body = if let Ok(bytes) = body.cast::<PyBytes>() {
            Body::Bytes(PyBackedBytes::from(bytes.clone()))
        } else if let Ok(text) = body.cast::<PyString>() {
            Body::Text(PyBackedStr::try_from(text.clone())?)
        } else if let Ok(array) = body.cast::<PyByteArray>() {
            Body::Bytes(PyBackedBytes::from(array.clone()))
        } else {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "body must be bytes, bytearray or str",
            ));
        };
        index(py, body).map(PyCallPage::shared)
    }

    /// The calls of this page.
    #[getter]
    fn calls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let calls = self.calls.get_or_try_init(py, || {
            let calls = (0..self.len())
                .map(|number| {
                    Py::new(
                        py,
                        PyCall {
                            source: Source::View {
                                page: Arc::clone(&self.page),
                                number,
                            },
                        },
                    )
                })
                .collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, calls).map(Bound::unbind)
        })?;
        // A new list each time (callers may change it); the calls in it are shared.
        PyList::new(py, calls.bind(py).iter())
    }

    /// The page number (from 0), when the server sent it.
    #[getter]
    fn page(&self) -> Option<u64> {
        self.envelope().page
    }

    /// The page size, when the server sent it.
    #[getter]
    fn page_size(&self) -> Option<u64> {
        self.envelope().page_size
    }

    /// The next page's URI; `None` on the last page (or when the server does not send it).
    #[getter]
    fn next_page_uri(&self) -> Option<&str> {
        self.envelope().next_page_uri.as_deref()
    }

    /// The previous page's URI.
    #[getter]
    fn previous_page_uri(&self) -> Option<&str> {
        self.envelope().previous_page_uri.as_deref()
    }

    fn __len__(&self) -> usize {
        self.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "CallPage(page={}, calls={}, next_page_uri={})",
            self.page()
                .map_or_else(|| "None".to_owned(), |p| p.to_string()),
            self.len(),
            self.next_page_uri()
                .map_or_else(|| "None".to_owned(), |u| format!("{u:?}"))
        )
    }
}
