//! Keyword arguments to typed LaML attributes and back.
//!
//! Every Python element class takes its attributes as snake_case keyword arguments. The values are
//! converted here into the attribute types of `mycpaas-laml` (which own the rules: keyword sets, number
//! ranges), and read back the same way for `element.<attribute>`.

use mycpaas_laml as laml;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyList, PyString};

use crate::errors;

/// A LaML attribute type that a Python value converts into; `Err` carries the rule it broke.
pub(crate) trait FromPyAttr: Sized {
    /// Converts `value`, or says which rule it breaks.
    fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String>;
}

/// A LaML attribute type that reads back as a Python value.
pub(crate) trait ToPyAttr {
    /// The Python value of the attribute.
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>>;
}

fn text_of(value: &Bound<'_, PyAny>) -> Result<PyBackedStr, String> {
    value
        .extract::<PyBackedStr>()
        .map_err(|_| "expected a string".to_owned())
}

impl FromPyAttr for String {
    fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String> {
        text_of(value).map(|s| (*s).to_owned())
    }
}

impl FromPyAttr for u32 {
    fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String> {
        // `True` is an `int` in Python; as a count it is almost certainly a mistake.
        if value.is_instance_of::<PyBool>() {
            return Err("expected a whole number, found a bool".to_owned());
        }
        value
            .extract::<u32>()
            .map_err(|_| "expected a whole number from 0 to 4294967295".to_owned())
    }
}

impl FromPyAttr for bool {
    fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String> {
        match value.cast::<PyBool>() {
            Ok(flag) => Ok(flag.is_true()),
            Err(_) => Err("expected True or False".to_owned()),
        }
    }
}

/// List attributes take a list (or tuple) of values, or one space-separated string.
impl<T: FromPyAttr> FromPyAttr for Vec<T> {
    fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String> {
        let py = value.py();
        if value.is_instance_of::<PyString>() {
            let text = text_of(value)?;
            return text
                .split_ascii_whitespace()
                .map(|part| T::from_py(PyString::new(py, part).as_any()))
                .collect();
        }
        let iter = value
            .try_iter()
            .map_err(|_| "expected a list of values or a space-separated string".to_owned())?;
        iter.map(|item| {
            item.map_err(|e| e.to_string())
                .and_then(|item| T::from_py(&item))
        })
        .collect()
    }
}

impl FromPyAttr for laml::SpeechTimeout {
    fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String> {
        if let Ok(seconds) = u32::from_py(value) {
            return Ok(laml::SpeechTimeout::Seconds(seconds));
        }
        match text_of(value).as_deref() {
            Ok("auto") => Ok(laml::SpeechTimeout::Auto),
            Ok(raw) => raw
                .parse::<u32>()
                .map(laml::SpeechTimeout::Seconds)
                .map_err(|_| format!("expected \"auto\" or whole seconds, found {raw:?}")),
            Err(_) => Err("expected \"auto\" or whole seconds".to_owned()),
        }
    }
}

impl FromPyAttr for laml::SipPassword {
    fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String> {
        String::from_py(value).map(laml::SipPassword::new)
    }
}

/// Closed keyword sets: the crate's `FromStr` says which values exist, and a value reads back
/// as its text in the document.
macro_rules! closed_keywords {
    ($($ty:ident),* $(,)?) => {$(
        impl FromPyAttr for laml::$ty {
            fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String> {
                text_of(value)?.parse::<laml::$ty>().map_err(|e| e.to_string())
            }
        }

        impl ToPyAttr for laml::$ty {
            fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                self.to_string().to_py(py)
            }
        }
    )*};
}

closed_keywords!(
    Method,
    GatherInput,
    DialRecord,
    ConferenceRecord,
    Trim,
    RecordingEvent,
    RecordingTrack,
    CallProgressEvent,
    ConferenceEvent,
    ConferenceBeep,
    RejectReason,
    StreamTrack,
);

impl FromPyAttr for laml::Voice {
    /// Voices are an open set (`Polly.<Name>`, provider-specific names): any string is kept.
    fn from_py(value: &Bound<'_, PyAny>) -> Result<Self, String> {
        String::from_py(value).map(laml::Voice::from)
    }
}

impl ToPyAttr for String {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(PyString::new(py, self).into_any().unbind())
    }
}

impl ToPyAttr for u32 {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.into_pyobject(py)?.into_any().unbind())
    }
}

impl ToPyAttr for bool {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(PyBool::new(py, *self).to_owned().into_any().unbind())
    }
}

impl<T: ToPyAttr> ToPyAttr for Vec<T> {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items = self
            .iter()
            .map(|item| item.to_py(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any().unbind())
    }
}

impl ToPyAttr for laml::SpeechTimeout {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            laml::SpeechTimeout::Seconds(n) => n.to_py(py),
            _ => "auto".to_owned().to_py(py),
        }
    }
}

impl ToPyAttr for laml::SipPassword {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.expose().to_owned().to_py(py)
    }
}

impl ToPyAttr for laml::Voice {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.to_string().to_py(py)
    }
}

/// Converts one keyword argument; `None` leaves the attribute unset.
pub(crate) fn convert<T: FromPyAttr>(
    value: &Bound<'_, PyAny>,
    keyword: &str,
) -> PyResult<Option<T>> {
    if value.is_none() {
        return Ok(None);
    }
    T::from_py(value)
        .map(Some)
        .map_err(|rule| errors::validation(value.py(), keyword, &rule))
}

/// Reads an optional attribute back: `None` when unset.
pub(crate) fn read<T: ToPyAttr>(py: Python<'_>, value: Option<&T>) -> PyResult<Py<PyAny>> {
    match value {
        Some(value) => value.to_py(py),
        None => Ok(py.None()),
    }
}

/// The `TypeError` Python raises for an unknown keyword argument, naming the accepted ones.
pub(crate) fn unexpected_keyword(element: &str, keyword: &str, known: &[&str]) -> PyErr {
    PyTypeError::new_err(format!(
        "{element}() got an unexpected keyword argument {keyword:?} (its attributes: {})",
        known.join(", ")
    ))
}

/// Generates, for one element type, `apply(&mut inner, kwargs)` (set attributes from keyword
/// arguments) and `attribute(&inner, name)` (read one back), from a table of the Rust fields,
/// each taken by the keyword of its name, or `"python_keyword" => rust_field` where they differ.
macro_rules! attribute_table {
    ($fn_apply:ident, $fn_read:ident, $element:literal, $ty:ty { $($($kw:literal =>)? $field:ident),* $(,)? }) => {
        /// Sets attributes from keyword arguments.
        #[allow(unused_variables, unused_mut, unused_labels)]
        pub(crate) fn $fn_apply(
            inner: &mut $ty,
            kwargs: Option<&pyo3::Bound<'_, pyo3::types::PyDict>>,
        ) -> pyo3::PyResult<()> {
            use pyo3::types::{PyAnyMethods, PyDictMethods};
            let Some(kwargs) = kwargs else { return Ok(()) };
            let py = kwargs.py();
            'keys: for (key, value) in kwargs.iter() {
                // Keyword names written in the caller's source are interned strings: compare the
                // objects first, which spares reading the name as UTF-8.
                $(
                    if key.is(pyo3::intern!(py, $crate::laml::attrs::keyword!($($kw)? $field))) {
                        inner.$field = $crate::laml::attrs::convert(&value, $crate::laml::attrs::keyword!($($kw)? $field))?;
                        continue 'keys;
                    }
                )*
                let key: pyo3::pybacked::PyBackedStr = key.extract()?;
                match &*key {
                    $( $crate::laml::attrs::keyword!($($kw)? $field) => inner.$field = $crate::laml::attrs::convert(&value, $crate::laml::attrs::keyword!($($kw)? $field))?, )*
                    other => {
                        return Err($crate::laml::attrs::unexpected_keyword(
                            $element,
                            other,
                            &[$($crate::laml::attrs::keyword!($($kw)? $field)),*],
                        ))
                    }
                }
            }
            Ok(())
        }

        /// Reads an attribute by its keyword name; `None` if the element has no such attribute.
        #[allow(unused_variables)]
        pub(crate) fn $fn_read(
            py: pyo3::Python<'_>,
            inner: &$ty,
            name: &str,
        ) -> Option<pyo3::PyResult<pyo3::Py<pyo3::PyAny>>> {
            match name {
                $( $crate::laml::attrs::keyword!($($kw)? $field) => Some($crate::laml::attrs::read(py, inner.$field.as_ref())), )*
                _ => None,
            }
        }
    };
}

/// The Python keyword of an attribute: the one given, else the Rust field's name.
macro_rules! keyword {
    ($kw:literal $field:ident) => {
        $kw
    };
    ($field:ident) => {
        stringify!($field)
    };
}

pub(crate) use attribute_table;
pub(crate) use keyword;
