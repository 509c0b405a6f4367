//! `mycpaas.Client`: the blocking client of `mycpaas-blocking`.
//!
//! Every request runs with the GIL released (`py.detach`), so other Python threads run meanwhile, and
//! one `Client` can be shared by many threads (the Rust client is `Sync`; its connection pool is shared).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use mycpaas_core::config::{ENV_ACCOUNT_SID, ENV_AUTH_TOKEN, ENV_BASE_URL};
use mycpaas_core::{AuthToken, Config, RetryPolicy};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::call::PyCall;
use crate::errors;
use crate::interrupt::run;

/// The settings shared by `Client` and `AsyncClient`: arguments first, then `MYCPAAS_*` variables.
/// A number of seconds above 0 as a `Duration`, or a `ValidationError` naming `name`.
fn seconds_of(py: Python<'_>, name: &str, seconds: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            let rule = if seconds.is_finite() && seconds > 0.0 {
                "must be at most 18446744073709551615 seconds"
            } else {
                "must be a number of seconds above 0"
            };
            errors::validation(py, name, rule)
        })
}

/// The limits every client constructor takes: `timeout=` per attempt, `total_timeout=` per
/// operation (retries and waits included), `max_retries=`.
#[derive(Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) timeout: Option<f64>,
    pub(crate) total_timeout: Option<f64>,
    pub(crate) max_retries: Option<u32>,
}

pub(crate) fn config(
    py: Python<'_>,
    account_sid: Option<String>,
    auth_token: Option<String>,
    base_url: Option<String>,
    limits: Limits,
) -> PyResult<Config> {
    let Limits {
        timeout,
        total_timeout,
        max_retries,
    } = limits;
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let account_sid = account_sid
        .or_else(|| from_env(ENV_ACCOUNT_SID))
        .ok_or_else(|| {
            errors::validation(
                py,
                "account_sid",
                &format!("pass account_sid= or set {ENV_ACCOUNT_SID}"),
            )
        })?;
    let auth_token = auth_token
        .or_else(|| from_env(ENV_AUTH_TOKEN))
        .ok_or_else(|| {
            errors::validation(
                py,
                "auth_token",
                &format!("pass auth_token= or set {ENV_AUTH_TOKEN}"),
            )
        })?;
    let mut builder = Config::builder(account_sid, AuthToken::new(auth_token));
    if let Some(base_url) = base_url.or_else(|| from_env(ENV_BASE_URL)) {
        builder = builder.base_url(&base_url);
    }
    if let Some(seconds) = timeout {
        builder = builder.request_timeout(seconds_of(py, "timeout", seconds)?);
    }
    if let Some(seconds) = total_timeout {
        builder = builder.total_timeout(seconds_of(py, "total_timeout", seconds)?);
    }
    if let Some(retries) = max_retries {
        let defaults = RetryPolicy::default();
        let attempts = retries.saturating_add(1);
        builder = builder.retry_policy(RetryPolicy::new(
            attempts,
            defaults.base_delay,
            defaults.max_delay,
        ));
    }
    builder.build().map_err(|e| errors::from_core(py, &e))
}

/// A client of the mycpaas Voice API.
///
/// `Client(account_sid=None, auth_token=None, *, base_url=None, timeout=None, total_timeout=None,
/// max_retries=None)`: `timeout` bounds each attempt, `total_timeout` the whole operation with its
/// retries and waits (seconds); missing values come from `MYCPAAS_ACCOUNT_SID`, `MYCPAAS_AUTH_TOKEN`, `MYCPAAS_BASE_URL`.
#[pyclass(module = "mycpaas", name = "Client", frozen)]
pub(crate) struct PyClient {
    calls: Py<PyCalls>,
}

impl PyClient {
    /// A Python client around a Rust one (used by `Simulator.client()`).
    pub(crate) fn wrap(py: Python<'_>, client: mycpaas_blocking::Client) -> PyResult<Self> {
        Ok(PyClient {
            calls: Py::new(py, PyCalls { client })?,
        })
    }
}

#[pymethods]
impl PyClient {
    #[new]
    #[pyo3(signature = (account_sid = None, auth_token = None, *, base_url = None, timeout = None, total_timeout = None, max_retries = None))]
    fn py_new(
        py: Python<'_>,
        account_sid: Option<String>,
        auth_token: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        total_timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<Self> {
        let limits = Limits {
            timeout,
            total_timeout,
            max_retries,
        };
        let config = config(py, account_sid, auth_token, base_url, limits)?;
        let client =
            mycpaas_blocking::Client::from_config(config).map_err(|e| errors::from_core(py, &e))?;
        PyClient::wrap(py, client)
    }

    /// The Calls resource.
    #[getter]
    fn calls(&self, py: Python<'_>) -> Py<PyCalls> {
        self.calls.clone_ref(py)
    }

    /// The account SID requests are made for.
    #[getter]
    fn account_sid(&self) -> String {
        self.calls.get().client.config().account_sid().to_owned()
    }

    /// The API base URL.
    #[getter]
    fn base_url(&self) -> String {
        self.calls.get().client.config().base_url().to_owned()
    }

    /// Closes the client's pooled connections; every later request raises `ValidationError`
    /// naming `client`. `with Client() as client:` closes it on leaving the block.
    fn close(&self) {
        self.calls.get().client.close();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, PyTuple>) -> bool {
        self.close();
        false
    }

    fn __repr__(&self) -> String {
        // The auth token never shows.
        format!(
            "Client(account_sid={:?}, base_url={:?})",
            self.account_sid(),
            self.base_url()
        )
    }
}

/// The Calls resource of a `Client`.
#[pyclass(module = "mycpaas", name = "Calls", frozen)]
pub(crate) struct PyCalls {
    pub(crate) client: mycpaas_blocking::Client,
}

/// The lazy iterator of `calls.stream()`.
#[pyclass(module = "mycpaas", name = "CallStream", frozen)]
pub(crate) struct PyCallStream {
    iter: Arc<Mutex<mycpaas_blocking::Pages>>,
}

impl PyCallStream {
    pub(crate) fn new(iter: mycpaas_blocking::Pages) -> Self {
        PyCallStream {
            iter: Arc::new(Mutex::new(iter)),
        }
    }
}

#[pymethods]
impl PyCallStream {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyCall>> {
        // Most calls come from the page in hand: no request, so no worker thread either.
        let buffered = self
            .iter
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .next_in_page();
        if let Some(call) = buffered {
            return Ok(Some(PyCall::new(call)));
        }
        let iter = Arc::clone(&self.iter);
        // A page fetch comes next: Ctrl-C interrupts it (see `interrupt`).
        let next = run(py, move || {
            iter.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .next()
                .transpose()
        })?;
        Ok(next.map(PyCall::new))
    }
}
