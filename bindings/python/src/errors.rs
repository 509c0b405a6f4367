//! Turning Rust errors into the exception classes of `mycpaas.exceptions`.
//!
//! The classes are defined in Python (so they pickle, subclass and print like any Python exception);
//! this module imports them and raises them with the fields of the Rust error.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

use crate::reconcile::{ATTEMPT_ATTRIBUTE, PyCreateAttempt};

/// The Python module that defines every exception class the extension raises.
const EXCEPTIONS_MODULE: &str = "mycpaas.exceptions";

/// `mycpaas.exceptions`, imported once per interpreter.
static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Builds `mycpaas.exceptions.<class>(*args)` as a `PyErr`.
///
/// If the module cannot be imported (a broken install), the import error itself is returned, which
/// still says what went wrong.
pub(crate) fn new_error<'py, A>(py: Python<'py>, class: &str, args: A) -> PyErr
where
    A: pyo3::call::PyCallArgs<'py>,
{
    let built = MODULE
        .get_or_try_init(py, || py.import(EXCEPTIONS_MODULE).map(Bound::unbind))
        .and_then(|module| module.bind(py).getattr(class))
        .and_then(|cls| cls.call1(args));
    match built {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

/// `ValidationError(message, parameter, rule)`.
pub(crate) fn validation(py: Python<'_>, parameter: &str, rule: &str) -> PyErr {
    new_error(
        py,
        "ValidationError",
        (format!("invalid {parameter}: {rule}"), parameter, rule),
    )
}

/// The attribute of every SDK exception that holds its `ResponseInfo` (or `None`).
const RESPONSE_ATTRIBUTE: &str = "response";

/// Maps an error of the core (shared by both clients) to its Python exception, with its
/// `response` (what happened to the request) and, for a failure with an underlying cause, its
/// `__cause__`.
pub(crate) fn from_core(py: Python<'_>, err: &mycpaas_core::Error) -> PyErr {
    let error = exception(py, err);
    if let Some(info) = err.response_info() {
        let set = crate::info::PyResponseInfo::object(py, Some(info))
            .and_then(|info| error.value(py).setattr(RESPONSE_ATTRIBUTE, info));
        if let Err(e) = set {
            return e;
        }
    }
    if let Some(source) = std::error::Error::source(err) {
        error.set_cause(py, Some(cause(py, source)));
    }
    error
}

/// The builtin exception that stands for a Rust error's cause: `ConnectionRefusedError`,
/// `ConnectionResetError`, `ConnectionAbortedError`, `TimeoutError` or `OSError` (by the I/O
/// error found in its chain), carrying the whole chain's message.
fn cause(py: Python<'_>, source: &(dyn std::error::Error + 'static)) -> PyErr {
    use pyo3::exceptions::{
        PyConnectionAbortedError, PyConnectionError, PyConnectionRefusedError,
        PyConnectionResetError, PyOSError, PyTimeoutError,
    };
    use std::io::ErrorKind;
    let mut message = source.to_string();
    let mut kind = None;
    let mut next = Some(source);
    while let Some(error) = next {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            kind.get_or_insert(io.kind());
        }
        next = error.source();
        if let Some(inner) = next {
            let text = inner.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
        }
    }
    let _ = py;
    match kind {
        Some(ErrorKind::ConnectionRefused) => PyConnectionRefusedError::new_err(message),
        Some(ErrorKind::ConnectionReset) => PyConnectionResetError::new_err(message),
        Some(ErrorKind::ConnectionAborted) => PyConnectionAbortedError::new_err(message),
        Some(ErrorKind::TimedOut) => PyTimeoutError::new_err(message),
        Some(ErrorKind::NotConnected | ErrorKind::BrokenPipe | ErrorKind::UnexpectedEof) => {
            PyConnectionError::new_err(message)
        }
        _ => PyOSError::new_err(message),
    }
}

/// The exception class and arguments of an error of the core.
fn exception(py: Python<'_>, err: &mycpaas_core::Error) -> PyErr {
    use mycpaas_core::Error;
    match err {
        Error::InvalidInput { parameter, rule } => validation(py, parameter, rule),
        Error::Api(api) => {
            let class = match api.status {
                401 => "AuthenticationError",
                404 => "NotFoundError",
                429 => "RateLimitError",
                _ => "ApiError",
            };
            new_error(
                py,
                class,
                (
                    api.message.as_str(),
                    api.status,
                    api.code,
                    api.more_info.as_deref(),
                ),
            )
        }
        Error::Decode {
            status,
            body_excerpt,
            ..
        } => new_error(
            py,
            "DecodeError",
            (err.to_string(), *status, body_excerpt.as_str()),
        ),
        Error::ResponseTooLarge { .. } => new_error(py, "DecodeError", (err.to_string(), 0u16, "")),
        Error::Transport {
            may_have_been_sent, ..
        } => new_error(py, "TransportError", (err.to_string(), *may_have_been_sent)),
        Error::Timeout {
            may_have_been_sent, ..
        } => new_error(py, "TimeoutError", (err.to_string(), *may_have_been_sent)),
        // A create whose answer was lost is also a transport error (a timeout when none came in
        // time); one whose answer proves nothing (a gateway's 502) is only MaybeCreatedError.
        Error::MaybeCreated {
            status,
            timed_out,
            attempt,
            ..
        } => {
            let class = match (status, timed_out) {
                (Some(_), _) => "MaybeCreatedError",
                (None, false) => "MaybeCreatedTransportError",
                (None, true) => "MaybeCreatedTimeoutError",
            };
            let error = new_error(py, class, (err.to_string(), true, *status));
            if let Some(attempt) = attempt {
                // Read by `calls.find_created(error)`; not pickled (a search belongs to the
                // process that made the attempt).
                let attempt = PyCreateAttempt::new(attempt.as_ref().clone());
                if let Err(e) =
                    Py::new(py, attempt).and_then(|a| error.value(py).setattr(ATTEMPT_ATTRIBUTE, a))
                {
                    return e;
                }
            }
            error
        }
        _ => new_error(py, "MycpaasError", (err.to_string(),)),
    }
}
