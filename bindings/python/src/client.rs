//! `mycpaas.Client`: the blocking client of `mycpaas-blocking`.
//!
//! Every request runs with the GIL released (`py.detach`), so other Python threads run meanwhile, and
//! one `Client` can be shared by many threads (the Rust client is `Sync`; its connection pool is shared).

use mycpaas_core::{AuthToken, Config, Settings};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors;
use crate::generated::Resources;

/// The checked configuration of a constructor's settings (core's rules and words).
pub(crate) fn resolve(py: Python<'_>, settings: Settings) -> PyResult<Config> {
    settings.resolve().map_err(|e| errors::from_core(py, &e))
}

/// A client of the mycpaas Voice API.
///
/// `Client(account_sid=None, auth_token=None, *, base_url=None, timeout=None, total_timeout=None,
/// max_retries=None)`: `timeout` bounds each attempt, `total_timeout` the whole operation with its
/// retries and waits (seconds); missing values come from `MYCPAAS_ACCOUNT_SID`, `MYCPAAS_AUTH_TOKEN`, `MYCPAAS_BASE_URL`.
#[pyclass(module = "mycpaas", name = "Client", frozen)]
pub(crate) struct PyClient {
    client: mycpaas_blocking::Client,
    /// `client.calls`, `client.recordings`, ... (their getters are generated).
    pub(crate) resources: Resources,
}

impl PyClient {
    /// A Python client around a Rust one (used by `Simulator.client()`).
    pub(crate) fn wrap(py: Python<'_>, client: mycpaas_blocking::Client) -> PyResult<Self> {
        Ok(PyClient {
            resources: Resources::new(py, &client)?,
            client,
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
        let config = resolve(
            py,
            Settings {
                account_sid,
                auth_token: auth_token.map(AuthToken::new),
                base_url,
                timeout,
                total_timeout,
                max_retries,
            },
        )?;
        let client =
            mycpaas_blocking::Client::from_config(config).map_err(|e| errors::from_core(py, &e))?;
        PyClient::wrap(py, client)
    }

    /// The account SID requests are made for.
    #[getter]
    fn account_sid(&self) -> String {
        self.client.config().account_sid().to_owned()
    }

    /// The API base URL.
    #[getter]
    fn base_url(&self) -> String {
        self.client.config().base_url().to_owned()
    }

    /// Closes the client's pooled connections; every later request raises `ValidationError`
    /// naming `client`. `with Client() as client:` closes it on leaving the block.
    fn close(&self) {
        self.client.close();
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
