//! Conversions between Python values and the Rust types the crates use, shared by every module.

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyString, PyTuple};
use time::OffsetDateTime;

/// `datetime.datetime` and `datetime.timezone.utc`, imported once.
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// An aware `datetime.datetime` in UTC for a Rust timestamp.
pub(crate) fn datetime(py: Python<'_>, at: OffsetDateTime) -> PyResult<Py<PyAny>> {
    let class = DATETIME.get_or_try_init(py, || {
        py.import("datetime")?
            .getattr("datetime")
            .map(Bound::unbind)
    })?;
    let utc = UTC.get_or_try_init(py, || {
        py.import("datetime")?
            .getattr("timezone")?
            .getattr("utc")
            .map(Bound::unbind)
    })?;
    let at = at.to_offset(time::UtcOffset::UTC);
    let args = (
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond(),
        utc.bind(py),
    );
    class.bind(py).call1(args).map(Bound::unbind)
}

/// An optional timestamp as `datetime | None`.
pub(crate) fn opt_datetime(py: Python<'_>, at: Option<OffsetDateTime>) -> PyResult<Py<PyAny>> {
    match at {
        Some(at) => datetime(py, at),
        None => Ok(py.None()),
    }
}

/// Form parameters from what web frameworks hand out: a dict (values may be lists for repeated names),
/// any mapping with `items()` (Flask's `request.form`, Starlette's `FormData` via `multi_items()`), or an
/// iterable of `(name, value)` pairs.
pub(crate) fn form_pairs(params: &Bound<'_, PyAny>) -> PyResult<Vec<(Text, Text)>> {
    let py = params.py();
    // Plain dicts first: the common case, without probing for framework methods.
    if let Ok(dict) = params.cast::<pyo3::types::PyDict>() {
        let mut pairs = Vec::with_capacity(dict.len());
        for (name, value) in dict.iter() {
            push_pair(&mut pairs, Text::Backed(name.extract()?), &value)?;
        }
        return Ok(pairs);
    }
    let source = if let Ok(multi) = params.getattr("multi_items") {
        // Starlette/FastAPI FormData and QueryParams: every value of repeated names.
        multi.call0()?
    } else if params.hasattr("getlist")? && params.hasattr("keys")? {
        // Werkzeug/Flask MultiDict: items(multi=True) yields every value.
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("multi", true)?;
        params.call_method("items", (), Some(&kwargs))?
    } else if params.hasattr("items")? {
        params.call_method0("items")?
    } else {
        params.clone()
    };
    let mut pairs = Vec::new();
    for item in source.try_iter()? {
        let item = item?;
        let pair = item.cast::<PyTuple>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "params must be a dict or an iterable of (name, value) pairs",
            )
        })?;
        push_pair(
            &mut pairs,
            Text::Backed(pair.get_item(0)?.extract()?),
            &pair.get_item(1)?,
        )?;
    }
    Ok(pairs)
}

/// Adds one form field: a list or tuple value adds one pair per item (a repeated name).
fn push_pair(pairs: &mut Vec<(Text, Text)>, name: Text, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if value.is_instance_of::<PyString>() {
        pairs.push((name, Text::Backed(value.extract()?)));
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        for v in value.try_iter()? {
            let name = Text::Owned(name.as_ref().to_owned());
            pairs.push((name, Text::Owned(v?.str()?.extract()?)));
        }
    } else {
        pairs.push((name, Text::Owned(value.str()?.extract()?)));
    }
    Ok(())
}

/// Text read from Python without copying it when it already is a `str`.
pub(crate) enum Text {
    /// A Python `str`, borrowed.
    Backed(PyBackedStr),
    /// Text made here (`str()` of a number, say).
    Owned(String),
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        match self {
            Text::Backed(text) => text,
            Text::Owned(text) => text,
        }
    }
}
