//! `mycpaas.Simulator`: the Rust simulator of `mycpaas-sim`, running in-process on its own threads, so
//! Python apps are tested offline against a real HTTP server.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use mycpaas_sim::{DateFormat, GatherInput, MAX_SPEED, MIN_SPEED, SimHandle, Simulator, Timeline};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

use mycpaas_core::{
    AdvanceClock, AuthToken, Config, ScriptCallee, Settings, SimCalleeAnswer, SimFault,
};

use crate::client::{PyClient, resolve};
use crate::errors;

/// The rule of `inject_fault`'s name: one of the description's `SimFault` values.
fn fault_names() -> String {
    let names: Vec<&str> = SimFault::ALL.iter().map(SimFault::as_str).collect();
    format!("must be one of {}", names.join(", "))
}

/// The rule of `script_callee`'s answer: one of the description's `SimCalleeAnswer` values.
fn callee_answers() -> String {
    let names: Vec<&str> = SimCalleeAnswer::ALL
        .iter()
        .map(SimCalleeAnswer::as_str)
        .collect();
    format!("must be one of {}", names.join(", "))
}

/// A local simulator of the Voice API.
///
/// `with mycpaas.Simulator() as sim: client = sim.client()`.
#[pyclass(module = "mycpaas", name = "Simulator", frozen)]
pub(crate) struct PySimulator {
    handle: Mutex<Option<SimHandle>>,
}

impl PySimulator {
    fn handle(&self) -> PyResult<SimHandle> {
        self.handle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .ok_or_else(|| PyRuntimeError::new_err("the simulator was closed"))
    }

    /// The configuration of a client of this simulator: its account and address, with the
    /// timeouts and retries of `tuning`.
    fn client_config(&self, py: Python<'_>, tuning: &Settings) -> PyResult<Config> {
        let handle = self.handle()?;
        let settings = Settings {
            account_sid: Some(handle.account_sid()),
            auth_token: Some(AuthToken::new(handle.auth_token())),
            base_url: Some(handle.base_url()),
            ..*tuning
        };
        resolve(py, settings)
    }
}

/// 32 hexadecimal digits, different on every call: a first account's SID and token when the
/// simulator is given other accounts (a test credential, not a secret that must resist guessing).
fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let half = || {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(), half())
}

static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

#[pymethods]
impl PySimulator {
    /// Starts a simulator on `127.0.0.1` (a free port). `speed` is simulated seconds per wall second
    /// (default 1000: a 30-second call takes 30 ms; from 0.000001 to 1000000000); `seed` makes SIDs
    /// and random faults repeatable. `date_format` is how call JSON writes dates: `"iso8601"`
    /// (`2026-04-19T10:00:00Z`, the default) or `"rfc2822"` (`Sun, 19 Apr 2026 10:00:00 +0000`).
    #[new]
    ///
    /// `other_accounts` are further accounts `(sid, auth_token)` the simulator serves after the
    /// first (`account_sid` or a random one): a client of one
    /// (`Client(sid, token, base_url=sim.base_url)`) sees none of the first account's resources.
    ///
    /// `manual_clock=True` stops simulated time: it moves only through `advance`.
    #[pyo3(signature = (*, speed = None, seed = None, account_sid = None, auth_token = None, date_format = "iso8601", other_accounts = None, manual_clock = false))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        py: Python<'_>,
        speed: Option<f64>,
        seed: Option<u64>,
        account_sid: Option<String>,
        auth_token: Option<String>,
        date_format: &str,
        other_accounts: Option<Vec<(String, String)>>,
        manual_clock: bool,
    ) -> PyResult<Self> {
        let date_format = date_format.parse::<DateFormat>().map_err(|_| {
            errors::validation(py, "date_format", "must be \"iso8601\" or \"rfc2822\"")
        })?;
        let mut builder = Simulator::builder().date_format(date_format);
        if let Some(speed) = speed {
            if !(MIN_SPEED..=MAX_SPEED).contains(&speed) {
                return Err(errors::validation(
                    py,
                    "speed",
                    &format!("must be a number from {MIN_SPEED} to {MAX_SPEED}"),
                ));
            }
            builder = builder.speed(speed);
        }
        if let Some(seed) = seed {
            builder = builder.seed(seed);
        }
        if manual_clock {
            builder = builder.manual_clock();
        }
        let other_accounts = other_accounts.unwrap_or_default();
        match (account_sid, auth_token) {
            (Some(sid), Some(token)) => builder = builder.account(sid, token),
            // The builder makes a random first account only when given none.
            (None, None) if !other_accounts.is_empty() => {
                builder = builder.account(format!("AC{}", random_hex()), random_hex());
            }
            (None, None) => {}
            _ => {
                return Err(errors::validation(
                    py,
                    "account_sid",
                    "account_sid and auth_token go together",
                ));
            }
        }
        for (sid, token) in other_accounts {
            builder = builder.account(sid, token);
        }
        let handle = py
            .detach(|| builder.start_in_background())
            .map_err(|e| PyRuntimeError::new_err(format!("could not start the simulator: {e}")))?;
        Ok(PySimulator {
            handle: Mutex::new(Some(handle)),
        })
    }

    /// `http://127.0.0.1:PORT`.
    #[getter]
    fn base_url(&self) -> PyResult<String> {
        Ok(self.handle()?.base_url())
    }

    /// The simulator's account SID.
    #[getter]
    fn account_sid(&self) -> PyResult<String> {
        Ok(self.handle()?.account_sid())
    }

    /// The simulator's auth token (also the key its webhooks are signed with).
    #[getter]
    fn auth_token(&self) -> PyResult<String> {
        Ok(self.handle()?.auth_token())
    }

    /// A `Client` of this simulator's account.
    #[pyo3(signature = (*, timeout = None, total_timeout = None, max_retries = None))]
    fn client(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        total_timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<PyClient> {
        let config = self.client_config(
            py,
            &Settings {
                timeout,
                total_timeout,
                max_retries,
                ..Settings::default()
            },
        )?;
        let client =
            mycpaas_blocking::Client::from_config(config).map_err(|e| errors::from_core(py, &e))?;
        PyClient::wrap(py, client)
    }

    /// An `AsyncClient` of this simulator's account.
    #[pyo3(signature = (*, timeout = None, total_timeout = None, max_retries = None))]
    fn async_client(
        &self,
        py: Python<'_>,
        timeout: Option<f64>,
        total_timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<crate::aio::PyAsyncClient> {
        let config = self.client_config(
            py,
            &Settings {
                timeout,
                total_timeout,
                max_retries,
                ..Settings::default()
            },
        )?;
        crate::aio::PyAsyncClient::from_config(py, config)
    }

    /// Queues what the callee enters at the next `<Gather>`: `key` is a call SID or a `To` number.
    /// `digits` are keys a phone can send (`0-9 * # A-D`, `w` for a half-second pause); anything
    /// else raises `ValidationError`. With neither `digits` nor `speech`, the callee stays silent.
    #[pyo3(signature = (key, *, digits = None, speech = None))]
    fn script_input(
        &self,
        py: Python<'_>,
        key: &str,
        digits: Option<String>,
        speech: Option<String>,
    ) -> PyResult<()> {
        let mut input = GatherInput::silence();
        input.digits = digits;
        input.speech = speech;
        self.handle()?
            .script_input(key, input)
            .map_err(|error| errors::validation(py, "digits", &error.to_string()))
    }

    /// Scripts how every later `<Dial>` leg to `number` (a `<Number>`, a `<Sip>` URI or a bare
    /// number, as the dial writes it) goes, until the number is scripted again: `"answer"` after
    /// `ring_for` simulated seconds, hanging up `hang_up_after` seconds later; `"busy"` or `"fail"`
    /// after `ring_for` seconds; `"no-answer"` rings until the dial's `timeout`. Unscripted numbers
    /// go as the magic numbers say; any other answers after 2 s and talks 10 s. Raises
    /// `ValidationError` for a value the `/_sim/callees` route refuses.
    #[pyo3(signature = (number, *, answer = None, ring_for = None, hang_up_after = None))]
    fn script_callee(
        &self,
        py: Python<'_>,
        number: &str,
        answer: Option<&str>,
        ring_for: Option<u32>,
        hang_up_after: Option<u32>,
    ) -> PyResult<()> {
        let mut script = ScriptCallee::new(number);
        if let Some(answer) = answer {
            // The answers are the description's `SimCalleeAnswer`, as the route and the CLI take them.
            let answer: SimCalleeAnswer = answer
                .parse()
                .map_err(|_| errors::validation(py, "answer", &callee_answers()))?;
            script = script.answer(answer);
        }
        script.ring_for = ring_for;
        script.hang_up_after = hang_up_after;
        self.handle()?
            .script_callee(&script)
            .map_err(|error| errors::from_core(py, &error))
    }

    /// Places an inbound call from `from_` to `to`, one of an account's numbers
    /// (`client.incoming_phone_numbers`): it runs the number's voice URL (or its application's)
    /// with `Direction=inbound`. Returns the call's SID; script the caller's keys under `from_`.
    /// Raises `ValidationError` when no account holds `to` or it has no voice URL.
    #[pyo3(signature = (*, to, from_))]
    fn call_in(&self, py: Python<'_>, to: &str, from_: &str) -> PyResult<String> {
        self.handle()?
            .call_in(to, from_)
            .map_err(|error| errors::validation(py, "to", &error.to_string()))
    }

    /// Queues the text of the next transcription of a `<Record transcribe="true">`: `key` is a call
    /// SID or the other party's number, as for `script_input`.
    fn script_transcription(&self, key: &str, text: String) -> PyResult<()> {
        self.handle()?.script_transcription(key, text);
        Ok(())
    }

    /// Moves a manual clock (`Simulator(manual_clock=True)`) `seconds` forward (GIL released):
    /// every wait due on the way ends in order, each call acting in turn; returns once every call
    /// waits again. Raises `ValidationError` for seconds outside 0-86400, or on a clock paced by
    /// speed.
    #[pyo3(signature = (seconds = 0))]
    fn advance(&self, py: Python<'_>, seconds: u32) -> PyResult<()> {
        AdvanceClock::new()
            .seconds(seconds)
            .validate()
            .map_err(|error| errors::from_core(py, &error))?;
        let handle = self.handle()?;
        py.detach(|| handle.advance(Duration::from_secs(u64::from(seconds))))
            .map_err(|paced| errors::validation(py, "manual_clock", &paced.to_string()))
    }

    /// What happened during a call so far; `None` for an unknown call.
    fn timeline(&self, py: Python<'_>, call_sid: &str) -> PyResult<Option<PyTimeline>> {
        let timeline = self.handle()?.timeline(call_sid);
        timeline.map(|t| PyTimeline::new(py, &t)).transpose()
    }

    /// Waits (GIL released) until the call has ended and its status callbacks were delivered, then
    /// returns its timeline; `None` on timeout or for an unknown call.
    #[pyo3(signature = (call_sid, timeout = 10.0))]
    fn wait_for_call(
        &self,
        py: Python<'_>,
        call_sid: &str,
        timeout: f64,
    ) -> PyResult<Option<PyTimeline>> {
        let handle = self.handle()?;
        let timeout = Duration::try_from_secs_f64(timeout).map_err(|_| {
            errors::validation(py, "timeout", "must be a number of seconds, 0 or more")
        })?;
        let timeline = py.detach(|| handle.wait_for_call(call_sid, timeout));
        timeline.map(|t| PyTimeline::new(py, &t)).transpose()
    }

    /// Makes the next `count` API requests misbehave: `"rate_limited"` (429 with `retry_after`
    /// seconds), `"unavailable"` (503), `"drop_before_handling"`, `"drop_after_handling"` (the request is
    /// acted on, the answer lost), `"delay"` (`delay` seconds), `"malformed_body"`, `"truncated_body"`,
    /// ... (the names are the description's `SimFault`, listed in docs/reference.md, as the
    /// `/_sim/faults` route and `mycpaas sim inject` take them).
    /// `"callback_server_error"` applies to the next `count` callback attempts instead (status,
    /// recording and transcription callbacks): the web app receives each, and its answer counts as
    /// a 500, so the simulator retries it.
    #[pyo3(signature = (fault, *, count = 1, retry_after = 0, delay = 0.0))]
    fn inject_fault(
        &self,
        py: Python<'_>,
        fault: &str,
        count: usize,
        retry_after: u64,
        delay: f64,
    ) -> PyResult<()> {
        // The names are the description's `SimFault`, as the control route and the CLI take them.
        let fault: SimFault = fault
            .parse()
            .map_err(|_| errors::validation(py, "fault", &fault_names()))?;
        let delay = Duration::try_from_secs_f64(delay).map_err(|_| {
            errors::validation(py, "delay", "must be a number of seconds, 0 or more")
        })?;
        self.handle()?
            .faults()
            .inject_named(fault, count, retry_after, delay)
            .map_err(|error| errors::validation(py, "fault", &error.to_string()))
    }

    /// How many calls were created through the API.
    #[getter]
    fn calls_created(&self) -> PyResult<usize> {
        Ok(self.handle()?.calls_created())
    }

    /// How many requests reached the Calls API.
    #[getter]
    fn request_count(&self) -> PyResult<usize> {
        Ok(self.handle()?.request_count())
    }

    /// The most recent API requests, oldest first, as dicts with `method`, `path`, `request_id`
    /// (the `X-Request-Id` the simulator answered with) and `client_request_id` (the client's
    /// `X-Client-Request-Id`, or `None`).
    #[getter]
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, pyo3::types::PyDict>>> {
        self.handle()?
            .requests()
            .into_iter()
            .map(|seen| {
                let dict = pyo3::types::PyDict::new(py);
                dict.set_item("method", seen.method)?;
                dict.set_item("path", seen.path)?;
                dict.set_item("request_id", seen.request_id)?;
                dict.set_item("client_request_id", seen.client_request_id)?;
                Ok(dict)
            })
            .collect()
    }

    /// Stops the simulator (idempotent).
    fn close(&self, py: Python<'_>) {
        let handle = self
            .handle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(handle) = handle {
            py.detach(move || {
                handle.shutdown();
                drop(handle);
            });
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        match self.handle() {
            Ok(handle) => format!("Simulator(base_url={:?})", handle.base_url()),
            Err(_) => "Simulator(closed)".to_owned(),
        }
    }
}

/// The history of one simulated call.
#[pyclass(module = "mycpaas", name = "Timeline", frozen, get_all)]
pub(crate) struct PyTimeline {
    /// The call's SID.
    call_sid: String,
    /// The number called.
    to: String,
    /// The caller ID.
    #[pyo3(name = "from_")]
    from: String,
    /// The status when the timeline was taken.
    status: String,
    /// `True` once the call ended and its status callbacks were delivered or given up.
    settled: bool,
    /// Everything that happened, oldest first: dicts with `type` (`status`, `document`, `verb`,
    /// `input`, `callback`, `error`), `at`, `offset_ms` and the event's fields.
    entries: Py<PyAny>,
    /// The verbs executed, in order.
    verbs: Vec<String>,
    /// The statuses the call went through, in order.
    statuses: Vec<String>,
}

impl PyTimeline {
    fn new(py: Python<'_>, timeline: &Timeline) -> PyResult<Self> {
        let loads = JSON_LOADS.get_or_try_init(py, || {
            py.import("json")?.getattr("loads").map(Bound::unbind)
        })?;
        let json = serde_json::to_string(&timeline.entries)
            .map_err(|e| PyRuntimeError::new_err(format!("timeline could not be encoded: {e}")))?;
        Ok(PyTimeline {
            call_sid: timeline.call_sid.clone(),
            to: timeline.to.clone(),
            from: timeline.from.clone(),
            status: timeline.status.clone(),
            settled: timeline.settled,
            entries: loads.bind(py).call1((json,))?.unbind(),
            verbs: timeline.verbs().into_iter().map(str::to_owned).collect(),
            statuses: timeline.statuses().into_iter().map(str::to_owned).collect(),
        })
    }
}

#[pymethods]
impl PyTimeline {
    fn __repr__(&self) -> String {
        format!(
            "Timeline(call_sid={:?}, status={:?}, verbs={:?})",
            self.call_sid, self.status, self.verbs
        )
    }
}
