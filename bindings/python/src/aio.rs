//! `mycpaas.AsyncClient`: the async client of `mycpaas-async`, awaited from asyncio.
//!
//! How a request runs:
//! 1. The method validates its arguments and returns a coroutine object (`_Request`). When it is first
//!    awaited, in the event loop's thread (GIL held), an `asyncio.Future` is made and the request starts.
//! 2. The Rust future runs on one tokio runtime, started lazily (and again in a forked child, whose copy
//!    of the parent's runtime has no threads). Tokio threads never touch Python: a finished request
//!    only puts its result in a queue and writes one byte to a socket.
//! 3. The event loop watches that socket (`loop.add_reader`); its callback drains the queue and sets
//!    the futures' results, converting them to Python objects in the loop's own thread. One wake-up
//!    serves every request that finished meanwhile, which keeps hundreds of concurrent requests cheap.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use futures::stream::Peekable;
use futures::{FutureExt, StreamExt};
use mycpaas_core::model::Row;
use mycpaas_core::{AuthToken, Config, Settings};
use pyo3::exceptions::{PyRuntimeError, PyStopAsyncIteration};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;
use tokio::runtime::Runtime;

use crate::client::resolve;
use crate::errors;
use crate::output::IntoPython;

/// Turns a finished request's value into its Python object, in the event loop's thread.
type Deliver = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// The tokio runtime of this process, with the process ID it was started in.
static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// The runtime, started on first use and again after a `fork()`.
fn runtime() -> PyResult<Arc<Runtime>> {
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    let pid = std::process::id();
    if let Some((owner, runtime)) = slot.as_ref() {
        if *owner == pid {
            return Ok(Arc::clone(runtime));
        }
    }
    // A runtime inherited through fork() has no threads in this process; dropping it could wait
    // for them forever, so it is left alone and a new one is started.
    if let Some(inherited) = slot.take() {
        std::mem::forget(inherited);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("mycpaas-async")
        .enable_all()
        .build()
        .map(Arc::new)
        .map_err(|e| PyRuntimeError::new_err(format!("could not start the async runtime: {e}")))?;
    *slot = Some((pid, Arc::clone(&runtime)));
    Ok(runtime)
}

/// The part of a completer that tokio threads use: results and the wake-up socket.
struct Shared {
    done: Mutex<Vec<(u64, Deliver)>>,
    wake: UnixStream,
    wake_pending: AtomicBool,
}

impl Shared {
    fn finish(&self, id: u64, deliver: Deliver) {
        self.done
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, deliver));
        if !self.wake_pending.swap(true, Ordering::SeqCst) {
            // WouldBlock means the socket already holds unread bytes: a wake-up is on its way.
            let _ = (&self.wake).write(&[1]);
        }
    }
}

/// Delivers finished requests to the futures of one event loop.
#[pyclass(module = "mycpaas._mycpaas", name = "_Completer", frozen)]
pub(crate) struct Completer {
    shared: Arc<Shared>,
    reader: UnixStream,
    futures: Mutex<HashMap<u64, Py<PyAny>>>,
    next_id: AtomicU64,
}

#[pymethods]
impl Completer {
    /// The event loop's reader callback: resolves every future whose request finished.
    fn _drain(&self, py: Python<'_>) -> PyResult<()> {
        // Order matters: empty the socket, then clear the flag, then take the results. A result that
        // arrives after the flag is cleared writes a new byte (so another drain follows); one that
        // arrives before is in the queue taken below. Clearing the flag first could leave it set with
        // no byte in the socket, and later results would never wake the loop.
        let mut buf = [0u8; 64];
        loop {
            match (&self.reader).read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break, // WouldBlock: drained
            }
        }
        self.shared.wake_pending.store(false, Ordering::SeqCst);
        let done = std::mem::take(
            &mut *self
                .shared
                .done
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for (id, deliver) in done {
            let future = self
                .futures
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&id);
            let Some(future) = future else { continue };
            let future = future.bind(py);
            if future.call_method0("cancelled")?.is_truthy()? {
                continue;
            }
            match deliver(py) {
                Ok(value) => future.call_method1("set_result", (value,))?,
                Err(err) => future.call_method1("set_exception", (err.value(py),))?,
            };
        }
        Ok(())
    }
}

/// One completer per event loop, kept as long as the loop lives.
static COMPLETERS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn completer_for<'py>(event_loop: &Bound<'py, PyAny>) -> PyResult<Bound<'py, Completer>> {
    let py = event_loop.py();
    let table = COMPLETERS.get_or_try_init(py, || {
        py.import("weakref")?
            .getattr("WeakKeyDictionary")?
            .call0()
            .map(Bound::unbind)
    })?;
    let table = table.bind(py);
    if let Ok(existing) = table
        .call_method1("get", (event_loop,))?
        .cast_into::<Completer>()
    {
        return Ok(existing);
    }
    let (reader, writer) = UnixStream::pair().map_err(|e| {
        PyRuntimeError::new_err(format!("could not create the wake-up socket: {e}"))
    })?;
    reader
        .set_nonblocking(true)
        .and_then(|()| writer.set_nonblocking(true))
        .map_err(|e| {
            PyRuntimeError::new_err(format!("could not set up the wake-up socket: {e}"))
        })?;
    let fd = reader.as_raw_fd();
    let completer = Bound::new(
        py,
        Completer {
            shared: Arc::new(Shared {
                done: Mutex::new(Vec::new()),
                wake: writer,
                wake_pending: AtomicBool::new(false),
            }),
            reader,
            futures: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
        },
    )?;
    event_loop.call_method1("add_reader", (fd, completer.getattr("_drain")?))?;
    table.set_item(event_loop, &completer)?;
    Ok(completer)
}

/// Runs `work` on the runtime and returns an asyncio future of its result, converted by `convert`.
fn start<T, F, C>(py: Python<'_>, work: F, convert: C) -> PyResult<Bound<'_, PyAny>>
where
    T: Send + 'static,
    F: Future<Output = Result<T, mycpaas_core::Error>> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let completer = completer_for(&event_loop)?;
    let future = event_loop.call_method0("create_future")?;
    let completer = completer.get();
    let id = completer.next_id.fetch_add(1, Ordering::Relaxed);
    completer
        .futures
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, future.clone().unbind());
    let shared = Arc::clone(&completer.shared);
    let task = runtime()?.spawn(async move {
        let result = work.await;
        let deliver: Deliver = Box::new(move |py| match result {
            Ok(value) => convert(py, value),
            Err(error) => Err(errors::from_core(py, &error)),
        });
        shared.finish(id, deliver);
    });
    // A cancelled await drops the Rust request (and closes its connection) at once.
    let abort = AbortOnCancel {
        task: task.abort_handle(),
    };
    future.call_method1("add_done_callback", (abort,))?;
    Ok(future)
}

/// The done callback of a request's asyncio future: aborts the request's task when the future
/// was cancelled.
#[pyclass(module = "mycpaas._mycpaas", name = "_AbortOnCancel", frozen)]
struct AbortOnCancel {
    task: tokio::task::AbortHandle,
}

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.is_truthy()? {
            self.task.abort();
        }
        Ok(())
    }
}

/// Starts a request when first awaited, in the awaiting event loop.
type Starter = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>> + Send>;

/// A request as a coroutine object: `await`-able, and accepted by `asyncio.run`, `create_task` and
/// task groups. Nothing is sent until it is first awaited (as with an `async def`).
#[pyclass(module = "mycpaas._mycpaas", name = "_Request")]
pub(crate) struct PyRequest {
    /// In a mutex only so the class is `Sync`; Python code reaches it through `&mut self`.
    starter: Mutex<Option<Starter>>,
    /// The asyncio future's own `__await__` iterator, once started.
    waiting: Option<Py<PyAny>>,
}

impl PyRequest {
    /// An exception out of the future's iterator (`StopIteration` with the result included) ends the
    /// request: a later await is refused instead of resuming an exhausted iterator.
    fn finish_on_error(&mut self, outcome: PyResult<Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        match outcome {
            Ok(yielded) => Ok(yielded.unbind()),
            Err(err) => {
                self.waiting = None;
                Err(err)
            }
        }
    }

    fn waiting<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(waiting) = &self.waiting {
            return Ok(waiting.bind(py).clone());
        }
        let starter = self
            .starter
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| PyRuntimeError::new_err("cannot reuse an already awaited request"))?;
        let waiting = starter(py)?.call_method0("__await__")?;
        self.waiting = Some(waiting.clone().unbind());
        Ok(waiting)
    }
}

#[pymethods]
impl PyRequest {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.send(py, py.None().into_bound(py))
    }

    fn send(&mut self, py: Python<'_>, value: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let sent = self.waiting(py)?.call_method1("send", (value,));
        self.finish_on_error(sent)
    }

    #[pyo3(signature = (kind, value = None, traceback = None))]
    fn throw(
        &mut self,
        py: Python<'_>,
        kind: Bound<'_, PyAny>,
        value: Option<Bound<'_, PyAny>>,
        traceback: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if self.waiting.is_none() {
            // Thrown into before it started: nothing to cancel, the exception ends it.
            *self
                .starter
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner) = None;
            let err = match value {
                Some(value) if !value.is_none() => PyErr::from_value(value),
                _ => PyErr::from_value(kind.call0()?),
            };
            return Err(err);
        }
        let waiting = self.waiting(py)?;
        let args = (
            kind,
            value.unwrap_or_else(|| py.None().into_bound(py)),
            traceback.unwrap_or_else(|| py.None().into_bound(py)),
        );
        let thrown = waiting.call_method1("throw", args);
        self.finish_on_error(thrown)
    }

    fn close(&mut self, py: Python<'_>) -> PyResult<()> {
        *self
            .starter
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = None;
        if let Some(waiting) = self.waiting.take() {
            waiting.bind(py).call_method0("close")?;
        }
        Ok(())
    }
}

/// A coroutine object for `work`, started on first await; its result is converted by `convert`.
pub(crate) fn spawn<T, F, C>(py: Python<'_>, work: F, convert: C) -> PyResult<Bound<'_, PyAny>>
where
    T: Send + 'static,
    F: Future<Output = Result<T, mycpaas_core::Error>> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let starter: Starter = Box::new(move |py| start(py, work, convert));
    Ok(Bound::new(
        py,
        PyRequest {
            starter: Mutex::new(Some(starter)),
            waiting: None,
        },
    )?
    .into_any())
}

/// A future that is already done with `value` (for `__aenter__`/`__aexit__`).
fn ready(py: Python<'_>, value: Py<PyAny>) -> PyResult<Bound<'_, PyAny>> {
    let future = py
        .import("asyncio")?
        .call_method0("get_running_loop")?
        .call_method0("create_future")?;
    future.call_method1("set_result", (value,))?;
    Ok(future)
}

/// The Rust client of this process (rebuilt in a forked child: the parent's pooled connections
/// belong to the parent's runtime).
pub(crate) struct ClientSlot {
    config: Config,
    client: Mutex<(u32, mycpaas_async::Client)>,
    /// Set by `close()`: no process builds a client from this slot again.
    closed: AtomicBool,
}

impl ClientSlot {
    fn new(py: Python<'_>, config: Config) -> PyResult<Self> {
        let client = mycpaas_async::Client::from_config(config.clone())
            .map_err(|e| errors::from_core(py, &e))?;
        Ok(ClientSlot {
            config,
            client: Mutex::new((std::process::id(), client)),
            closed: AtomicBool::new(false),
        })
    }

    /// Closes the client: its pooled connections close, and every later request of this slot
    /// (in this process or a forked child) raises the error of a closed client.
    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.client
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .1
            .close();
    }

    pub(crate) fn get(&self, py: Python<'_>) -> PyResult<mycpaas_async::Client> {
        let mut slot = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        let pid = std::process::id();
        if slot.0 != pid && !self.closed.load(Ordering::SeqCst) {
            let client = mycpaas_async::Client::from_config(self.config.clone())
                .map_err(|e| errors::from_core(py, &e))?;
            *slot = (pid, client);
        }
        Ok(slot.1.clone())
    }
}

/// The asyncio client: `AsyncClient(...)` takes the arguments of `Client`.
#[pyclass(module = "mycpaas", name = "AsyncClient", frozen)]
pub(crate) struct PyAsyncClient {
    calls: Py<PyAsyncCalls>,
}

impl PyAsyncClient {
    /// A client for an already built configuration (used by `Simulator.async_client()`).
    pub(crate) fn from_config(py: Python<'_>, config: Config) -> PyResult<Self> {
        Ok(PyAsyncClient {
            calls: Py::new(
                py,
                PyAsyncCalls {
                    slot: Arc::new(ClientSlot::new(py, config)?),
                },
            )?,
        })
    }
}

#[pymethods]
impl PyAsyncClient {
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
        PyAsyncClient::from_config(py, config)
    }

    /// The Calls resource.
    #[getter]
    fn calls(&self, py: Python<'_>) -> Py<PyAsyncCalls> {
        self.calls.clone_ref(py)
    }

    /// The account SID requests are made for.
    #[getter]
    fn account_sid(&self) -> String {
        self.calls.get().slot.config.account_sid().to_owned()
    }

    /// The API base URL.
    #[getter]
    fn base_url(&self) -> String {
        self.calls.get().slot.config.base_url().to_owned()
    }

    /// Closes the client's pooled connections; every later request raises `ValidationError`
    /// naming `client`. Awaitable, as in other asyncio libraries; `async with` closes on exit.
    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.calls.get().slot.close();
        ready(py, py.None())
    }

    fn __aenter__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, PyAny>> {
        let py = slf.py();
        ready(py, slf.into_any().unbind())
    }

    #[pyo3(signature = (*_args))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _args: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.calls.get().slot.close();
        ready(py, false.into_pyobject(py)?.to_owned().into_any().unbind())
    }

    fn __repr__(&self) -> String {
        format!(
            "AsyncClient(account_sid={:?}, base_url={:?})",
            self.account_sid(),
            self.base_url()
        )
    }
}

/// The Calls resource of an `AsyncClient`: the methods of `Client.calls`, awaitable.
#[pyclass(module = "mycpaas", name = "AsyncCalls", frozen)]
pub(crate) struct PyAsyncCalls {
    pub(crate) slot: Arc<ClientSlot>,
}

pub(crate) type CallStream = mycpaas_async::PageStream<Row<mycpaas_core::Call>>;

/// The async iterator of `AsyncClient.calls.stream()`.
#[pyclass(module = "mycpaas", name = "AsyncCallStream", frozen)]
pub(crate) struct PyAsyncCallStream {
    stream: Arc<tokio::sync::Mutex<Peekable<CallStream>>>,
}

impl PyAsyncCallStream {
    pub(crate) fn new(stream: CallStream) -> Self {
        PyAsyncCallStream {
            stream: Arc::new(tokio::sync::Mutex::new(stream.peekable())),
        }
    }
}

#[pymethods]
impl PyAsyncCallStream {
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The next call. The task only loads it (`peek`); it is taken from the stream when handed
    /// to a live awaiter, so a cancelled `__anext__` leaves it for the next one.
    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let loading = Arc::clone(&self.stream);
        let taking = Arc::clone(&self.stream);
        spawn(
            py,
            async move {
                let mut stream = loading.lock().await;
                Ok(Pin::new(&mut *stream).peek().await.is_some())
            },
            move |py, more| {
                let taken = match taking.try_lock() {
                    Ok(mut stream) if more => Pin::new(&mut *stream).next().now_or_never(),
                    Ok(_) => None,
                    Err(_) => {
                        return Err(PyRuntimeError::new_err(
                            "an AsyncCallStream was read by two tasks at once",
                        ));
                    }
                };
                match taken.flatten() {
                    Some(Ok(call)) => call.into_python(py),
                    Some(Err(error)) => Err(errors::from_core(py, &error)),
                    None => Err(PyStopAsyncIteration::new_err(())),
                }
            },
        )
    }
}
