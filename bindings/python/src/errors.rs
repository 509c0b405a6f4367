//! Turning Rust errors into the exception classes of `mycpaas.exceptions`.
//!
//! The classes are defined in Python (so they pickle, subclass and print like any Python exception);
//! this module imports them and raises them with the fields of the Rust error.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

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

/// Maps an error of the core (shared by both clients) to its Python exception.
pub(crate) fn from_core(py: Python<'_>, err: &mycpaas_core::Error) -> PyErr {
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
            status, timed_out, ..
        } => {
            let class = match (status, timed_out) {
                (Some(_), _) => "MaybeCreatedError",
                (None, false) => "MaybeCreatedTransportError",
                (None, true) => "MaybeCreatedTimeoutError",
            };
            new_error(py, class, (err.to_string(), true, *status))
        }
        _ => new_error(py, "MycpaasError", (err.to_string(),)),
    }
}
