//! Python arguments into the values of core's requests, one function per kind of parameter.
//!
//! The generated methods (`generated/`) call these for every argument, so a parameter is read the
//! same way by `Client` and `AsyncClient`. Only the Python side is handled here (which Python
//! type a value may have); every API rule (ranges, URL checks, exclusive parameters) is core's,
//! run by `validate()` before anything is sent. A value of the wrong type is a `ValidationError`
//! naming the argument as the caller wrote it; `None` means absent.

use std::str::FromStr;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyString};

use crate::errors;
use crate::laml::response::PyResponse;

/// A required text argument.
pub(crate) fn required_text(
    py: Python<'_>,
    name: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<String> {
    value
        .extract::<String>()
        .map_err(|_| errors::validation(py, name, "must be a string"))
}

/// An optional text argument.
pub(crate) fn text(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    present(value)
        .map(|v| required_text(py, name, v))
        .transpose()
}

/// A whole number from 0 to `u32::MAX` (a bool is refused: `True` is not a count).
pub(crate) fn count(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<u32>> {
    present(value)
        .map(|v| {
            if v.is_instance_of::<PyBool>() {
                return Err(errors::validation(
                    py,
                    name,
                    "must be a whole number, not a bool",
                ));
            }
            v.extract::<u32>().map_err(|_| {
                errors::validation(py, name, "must be a whole number from 0 to 4294967295")
            })
        })
        .transpose()
}

/// `True` or `False`.
pub(crate) fn flag(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<bool>> {
    present(value)
        .map(|v| match v.cast::<PyBool>() {
            Ok(flag) => Ok(flag.is_true()),
            Err(_) => Err(errors::validation(py, name, "must be True or False")),
        })
        .transpose()
}

/// A value of one of core's enumerations (its `FromStr` names the wire parameter and the values).
pub(crate) fn keyword<T: FromStr<Err = mycpaas_core::Error>>(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<T>> {
    text(py, name, value)?
        .map(|text| text.parse::<T>().map_err(|e| errors::from_core(py, &e)))
        .transpose()
}

/// A required value of one of core's enumerations: its wire text (a `str`, or a `str` enum).
pub(crate) fn required_keyword<T: FromStr<Err = mycpaas_core::Error>>(
    py: Python<'_>,
    name: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<T> {
    required_text(py, name, value)?
        .parse::<T>()
        .map_err(|e| errors::from_core(py, &e))
}

/// A value of one of core's open enumerations (any text: unknown values are kept as sent).
pub(crate) fn open_keyword<T: FromStr<Err = std::convert::Infallible>>(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<T>> {
    Ok(text(py, name, value)?.map(|text| match text.parse::<T>() {
        Ok(value) => value,
        Err(never) => match never {},
    }))
}

/// Several values of an enumeration: a list or tuple of strings, or one space-separated string.
pub(crate) fn keywords<T: FromStr<Err = mycpaas_core::Error>>(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<T>> {
    let Some(value) = present(value) else {
        return Ok(Vec::new());
    };
    let texts: Vec<String> = if value.is_instance_of::<PyString>() {
        let text: PyBackedStr = value.extract()?;
        text.split_ascii_whitespace().map(str::to_owned).collect()
    } else {
        value.extract::<Vec<String>>().map_err(|_| {
            errors::validation(
                py,
                name,
                "must be a list of strings or a space-separated string",
            )
        })?
    };
    texts
        .iter()
        .map(|t| t.parse::<T>().map_err(|e| errors::from_core(py, &e)))
        .collect()
}

/// An inline LaML document: a `mycpaas.laml.Response` (written compactly) or a string.
pub(crate) fn laml(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    let Some(value) = present(value) else {
        return Ok(None);
    };
    if let Ok(doc) = value.cast::<PyResponse>() {
        return doc
            .borrow()
            .build(py)
            .try_to_xml()
            .map(Some)
            .map_err(|e| errors::validation(py, name, &e.to_string()));
    }
    value
        .extract::<String>()
        .map(Some)
        .map_err(|_| errors::validation(py, name, "must be a mycpaas.laml.Response or a string"))
}

/// A `datetime.date` (or `datetime`) as a `time::Date`.
pub(crate) fn day(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<time::Date>> {
    let Some(value) = present(value) else {
        return Ok(None);
    };
    let not_a_date = || errors::validation(py, name, "must be a datetime.date");
    let part = |attr: &str| -> PyResult<i32> { value.getattr(attr)?.extract() };
    let (Ok(year), Ok(month), Ok(day)) = (part("year"), part("month"), part("day")) else {
        return Err(not_a_date());
    };
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(not_a_date)?;
    let day = u8::try_from(day).map_err(|_| not_a_date())?;
    time::Date::from_calendar_date(year, month, day)
        .map(Some)
        .map_err(|_| errors::validation(py, name, "must be a valid date"))
}

/// `limit=` of `list`/`stream`: a whole number from 0, or `None` (no limit).
pub(crate) fn limit(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    present(value)
        .map(|v| {
            if v.is_instance_of::<PyBool>() {
                return Err(errors::validation(
                    py,
                    "limit",
                    "must be a whole number, not a bool",
                ));
            }
            v.extract::<usize>()
                .map_err(|_| errors::validation(py, "limit", "must be a whole number from 0"))
        })
        .transpose()
}

/// The value, unless absent or `None`.
fn present<'a, 'py>(value: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    value.filter(|v| !v.is_none())
}
