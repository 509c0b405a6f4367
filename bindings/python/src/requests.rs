//! Keyword arguments of `calls.create/update/list/stream/page` into the request types of core.
//!
//! Both clients (sync and async) use these, so a parameter is read the same way everywhere. Only
//! Python-side shape is handled here (which keyword, which Python type); every API rule (ranges, URL
//! checks, exclusive parameters) is core's, run by `validate()` before anything is sent.

use std::str::FromStr;

use mycpaas_core::types::{
    AnsweredByDetection, CallEvent, HttpMethod, RecordingChannels, RecordingEvent, RecordingTrack,
    Trim,
};
use mycpaas_core::{CallStatus, CreateCall, ListCalls, UpdateCall, UpdateStatus};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyDict, PyString};

use crate::errors;
use crate::laml::response::PyResponse;

/// Reads keyword arguments one by one; every failure names the keyword.
///
/// The keywords given are read out of the dict once, as Rust strings: an operation asks for
/// each of the thirty-odd keywords it knows, and looking each up in the dict would build and
/// hash a Python string per name (most of the binding's own cost of a `calls.create`).
struct Kwargs<'py> {
    py: Python<'py>,
    /// The keywords given, `None` values included (they count as absent).
    given: Vec<(PyBackedStr, Bound<'py, PyAny>)>,
}

impl<'py> Kwargs<'py> {
    fn new(py: Python<'py>, dict: Option<&Bound<'py, PyDict>>) -> PyResult<Self> {
        let mut given = Vec::with_capacity(dict.map_or(0, PyDictMethods::len));
        if let Some(dict) = dict {
            for (key, value) in dict.iter() {
                given.push((key.extract::<PyBackedStr>()?, value));
            }
        }
        Ok(Kwargs { py, given })
    }

    /// The value of `name`, unless absent or `None`.
    fn get(&self, name: &str) -> Option<Bound<'py, PyAny>> {
        self.given
            .iter()
            .find(|(key, _)| &**key == name)
            .map(|(_, value)| value)
            .filter(|value| !value.is_none())
            .cloned()
    }

    fn text(&self, name: &str) -> PyResult<Option<String>> {
        self.get(name)
            .map(|v| {
                v.extract::<String>()
                    .map_err(|_| errors::validation(self.py, name, "must be a string"))
            })
            .transpose()
    }

    fn number(&self, name: &str) -> PyResult<Option<u32>> {
        self.get(name)
            .map(|v| {
                if v.is_instance_of::<PyBool>() {
                    return Err(errors::validation(
                        self.py,
                        name,
                        "must be a whole number, not a bool",
                    ));
                }
                v.extract::<u32>().map_err(|_| {
                    errors::validation(self.py, name, "must be a whole number from 0 to 4294967295")
                })
            })
            .transpose()
    }

    fn flag(&self, name: &str) -> PyResult<Option<bool>> {
        self.get(name)
            .map(|v| match v.cast::<PyBool>() {
                Ok(flag) => Ok(flag.is_true()),
                Err(_) => Err(errors::validation(self.py, name, "must be True or False")),
            })
            .transpose()
    }

    /// A keyword value of core's closed sets (its `FromStr` names the wire parameter and the values).
    fn keyword<T: FromStr<Err = mycpaas_core::Error>>(&self, name: &str) -> PyResult<Option<T>> {
        self.text(name)?
            .map(|text| {
                text.parse::<T>()
                    .map_err(|e| errors::from_core(self.py, &e))
            })
            .transpose()
    }

    /// A list of keyword values: a list/tuple of strings, or one space-separated string.
    fn keywords<T: FromStr<Err = mycpaas_core::Error>>(&self, name: &str) -> PyResult<Vec<T>> {
        let Some(value) = self.get(name) else {
            return Ok(Vec::new());
        };
        let texts: Vec<String> = if value.is_instance_of::<PyString>() {
            let text: PyBackedStr = value.extract()?;
            text.split_ascii_whitespace().map(str::to_owned).collect()
        } else {
            value.extract::<Vec<String>>().map_err(|_| {
                errors::validation(
                    self.py,
                    name,
                    "must be a list of strings or a space-separated string",
                )
            })?
        };
        texts
            .iter()
            .map(|t| t.parse::<T>().map_err(|e| errors::from_core(self.py, &e)))
            .collect()
    }

    /// Inline LaML: a `mycpaas.laml.Response` (written compactly) or a string.
    fn twiml(&self, name: &str) -> PyResult<Option<String>> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        if let Ok(doc) = value.cast::<PyResponse>() {
            return doc
                .borrow()
                .build(self.py)
                .try_to_xml()
                .map(Some)
                .map_err(|e| errors::validation(self.py, name, &e.to_string()));
        }
        value.extract::<String>().map(Some).map_err(|_| {
            errors::validation(self.py, name, "must be a mycpaas.laml.Response or a string")
        })
    }

    /// A `datetime.date` (or `datetime`) as a `time::Date`.
    fn date(&self, name: &str) -> PyResult<Option<time::Date>> {
        let Some(value) = self.get(name) else {
            return Ok(None);
        };
        let part = |attr: &str| -> PyResult<i32> { value.getattr(attr)?.extract() };
        let (Ok(year), Ok(month), Ok(day)) = (part("year"), part("month"), part("day")) else {
            return Err(errors::validation(self.py, name, "must be a datetime.date"));
        };
        let month = u8::try_from(month)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .ok_or_else(|| errors::validation(self.py, name, "must be a datetime.date"))?;
        let day = u8::try_from(day)
            .map_err(|_| errors::validation(self.py, name, "must be a datetime.date"))?;
        time::Date::from_calendar_date(year, month, day)
            .map(Some)
            .map_err(|_| errors::validation(self.py, name, "must be a valid date"))
    }

    /// Refuses keywords the operation does not take (a misspelling must not be silently dropped).
    fn only(&self, operation: &str, known: &[&str]) -> PyResult<()> {
        for (key, _) in &self.given {
            if !known.contains(&&**key) {
                return Err(PyTypeError::new_err(format!(
                    "{operation}() got an unexpected keyword argument {:?}",
                    &**key
                )));
            }
        }
        Ok(())
    }
}

/// Every keyword `calls.create` takes.
const CREATE_KEYWORDS: &[&str] = &[
    "to",
    "from_",
    "url",
    "twiml",
    "application_sid",
    "method",
    "fallback_url",
    "fallback_method",
    "status_callback",
    "status_callback_event",
    "status_callback_method",
    "send_digits",
    "timeout",
    "record",
    "recording_channels",
    "recording_status_callback",
    "recording_status_callback_method",
    "recording_status_callback_event",
    "recording_track",
    "trim",
    "machine_detection",
    "machine_detection_timeout",
    "machine_detection_speech_threshold",
    "machine_detection_speech_end_threshold",
    "machine_detection_silence_timeout",
    "async_amd",
    "async_amd_status_callback",
    "async_amd_status_callback_method",
    "caller_id",
    "sip_auth_username",
    "sip_auth_password",
    "time_limit",
];

/// Applies `value` to the request `$request` with `$setter` when it is present. A macro, not a
/// function: `set!(r, ..)` moved the whole request in and out for every keyword an operation
/// knows, present or not (a hundred copies of `CreateCall` per `calls.create`).
macro_rules! set {
    ($request:ident, $value:expr, $setter:expr $(,)?) => {
        if let Some(value) = $value {
            $request = $setter($request, value);
        }
    };
}

/// `calls.create(**params)` as a validated `CreateCall`.
pub(crate) fn create_call(
    py: Python<'_>,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<CreateCall> {
    let kw = Kwargs::new(py, params)?;
    kw.only("create", CREATE_KEYWORDS)?;
    let to = kw
        .text("to")?
        .ok_or_else(|| errors::validation(py, "To", "is required (to=...)"))?;
    let from = kw
        .text("from_")?
        .ok_or_else(|| errors::validation(py, "From", "is required (from_=...)"))?;
    let mut r = CreateCall::new(to, from);
    set!(r, kw.text("url")?, CreateCall::url);
    set!(r, kw.twiml("twiml")?, CreateCall::twiml);
    set!(r, kw.text("application_sid")?, CreateCall::application_sid);
    set!(r, kw.keyword::<HttpMethod>("method")?, CreateCall::method);
    set!(r, kw.text("fallback_url")?, CreateCall::fallback_url);
    set!(
        r,
        kw.keyword::<HttpMethod>("fallback_method")?,
        CreateCall::fallback_method
    );
    set!(r, kw.text("status_callback")?, CreateCall::status_callback);
    r = r.status_callback_events(kw.keywords::<CallEvent>("status_callback_event")?);
    set!(
        r,
        kw.keyword::<HttpMethod>("status_callback_method")?,
        CreateCall::status_callback_method
    );
    set!(r, kw.text("send_digits")?, CreateCall::send_digits);
    set!(r, kw.number("timeout")?, CreateCall::timeout);
    set!(r, kw.flag("record")?, CreateCall::record);
    set!(
        r,
        kw.keyword::<RecordingChannels>("recording_channels")?,
        CreateCall::recording_channels
    );
    set!(
        r,
        kw.text("recording_status_callback")?,
        CreateCall::recording_status_callback
    );
    set!(
        r,
        kw.keyword::<HttpMethod>("recording_status_callback_method")?,
        CreateCall::recording_status_callback_method
    );
    r = r.recording_status_callback_events(
        kw.keywords::<RecordingEvent>("recording_status_callback_event")?,
    );
    set!(
        r,
        kw.keyword::<RecordingTrack>("recording_track")?,
        CreateCall::recording_track
    );
    set!(r, kw.keyword::<Trim>("trim")?, CreateCall::trim);
    set!(
        r,
        kw.keyword::<AnsweredByDetection>("machine_detection")?,
        CreateCall::machine_detection
    );
    set!(
        r,
        kw.number("machine_detection_timeout")?,
        CreateCall::machine_detection_timeout
    );
    set!(
        r,
        kw.number("machine_detection_speech_threshold")?,
        CreateCall::machine_detection_speech_threshold
    );
    set!(
        r,
        kw.number("machine_detection_speech_end_threshold")?,
        CreateCall::machine_detection_speech_end_threshold
    );
    set!(
        r,
        kw.number("machine_detection_silence_timeout")?,
        CreateCall::machine_detection_silence_timeout
    );
    set!(r, kw.flag("async_amd")?, CreateCall::async_amd);
    set!(
        r,
        kw.text("async_amd_status_callback")?,
        CreateCall::async_amd_status_callback
    );
    set!(
        r,
        kw.keyword::<HttpMethod>("async_amd_status_callback_method")?,
        CreateCall::async_amd_status_callback_method
    );
    set!(r, kw.text("caller_id")?, CreateCall::caller_id);
    set!(
        r,
        kw.text("sip_auth_username")?,
        CreateCall::sip_auth_username
    );
    set!(
        r,
        kw.text("sip_auth_password")?,
        CreateCall::sip_auth_password
    );
    set!(r, kw.number("time_limit")?, CreateCall::time_limit);
    r.validate().map_err(|e| errors::from_core(py, &e))?;
    Ok(r)
}

/// `calls.update(sid, **params)` as a validated `UpdateCall`.
pub(crate) fn update_call(
    py: Python<'_>,
    sid: &str,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<UpdateCall> {
    let kw = Kwargs::new(py, params)?;
    kw.only(
        "update",
        &[
            "url",
            "method",
            "twiml",
            "status",
            "fallback_url",
            "fallback_method",
            "status_callback",
            "status_callback_method",
            "time_limit",
        ],
    )?;
    let mut r = UpdateCall::new(sid);
    set!(r, kw.text("url")?, UpdateCall::url);
    set!(r, kw.keyword::<HttpMethod>("method")?, UpdateCall::method);
    set!(r, kw.twiml("twiml")?, UpdateCall::twiml);
    set!(r, kw.keyword::<UpdateStatus>("status")?, UpdateCall::status);
    set!(r, kw.text("fallback_url")?, UpdateCall::fallback_url);
    set!(
        r,
        kw.keyword::<HttpMethod>("fallback_method")?,
        UpdateCall::fallback_method
    );
    set!(r, kw.text("status_callback")?, UpdateCall::status_callback);
    set!(
        r,
        kw.keyword::<HttpMethod>("status_callback_method")?,
        UpdateCall::status_callback_method
    );
    set!(r, kw.number("time_limit")?, UpdateCall::time_limit);
    r.validate().map_err(|e| errors::from_core(py, &e))?;
    Ok(r)
}

/// The filters of `list`/`stream`/`page` as a validated `ListCalls`; `paging` allows `page` and
/// `page_token` (only `page()` takes them: the other two walk every page themselves).
pub(crate) fn list_calls(
    py: Python<'_>,
    operation: &str,
    params: Option<&Bound<'_, PyDict>>,
    paging: bool,
) -> PyResult<ListCalls> {
    let kw = Kwargs::new(py, params)?;
    let filters: &[&str] = &[
        "to",
        "from_",
        "status",
        "parent_call_sid",
        "start_time",
        "start_time_before",
        "start_time_after",
        "end_time",
        "end_time_before",
        "end_time_after",
        "page_size",
        "page",
        "page_token",
    ];
    kw.only(
        operation,
        if paging {
            filters
        } else {
            &filters[..filters.len() - 2]
        },
    )?;
    let mut r = ListCalls::new();
    set!(r, kw.text("to")?, ListCalls::to);
    set!(r, kw.text("from_")?, ListCalls::from);
    set!(
        r,
        kw.text("status")?.map(|s| CallStatus::from_wire(&s)),
        ListCalls::status
    );
    set!(r, kw.text("parent_call_sid")?, ListCalls::parent_call_sid);
    set!(r, kw.date("start_time")?, ListCalls::start_time);
    set!(
        r,
        kw.date("start_time_before")?,
        ListCalls::start_time_before
    );
    set!(r, kw.date("start_time_after")?, ListCalls::start_time_after);
    set!(r, kw.date("end_time")?, ListCalls::end_time);
    set!(r, kw.date("end_time_before")?, ListCalls::end_time_before);
    set!(r, kw.date("end_time_after")?, ListCalls::end_time_after);
    set!(r, kw.number("page_size")?, ListCalls::page_size);
    set!(r, kw.number("page")?, ListCalls::page);
    set!(r, kw.text("page_token")?, ListCalls::page_token);
    r.validate().map_err(|e| errors::from_core(py, &e))?;
    Ok(r)
}

/// `limit=` of `list`/`stream`: a non-negative whole number or `None` (no limit).
pub(crate) fn limit(py: Python<'_>, limit: Option<i64>) -> PyResult<Option<usize>> {
    limit
        .map(|n| {
            usize::try_from(n).map_err(|_| errors::validation(py, "limit", "must be 0 or more"))
        })
        .transpose()
}
