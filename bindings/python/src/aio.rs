//! `mycpaas.AsyncClient`: the async client of `mycpaas-async`, awaited from asyncio.
//!
//! How a request runs:
//! 1. The method validates its arguments and returns a coroutine object (`_Request`). When it is first
//!    awaited, in the event loop's thread (GIL held), an `asyncio.Future` is made and the request starts.
//! 2. The Rust future runs on one tokio runtime, started lazily (and again in a forked child, whose copy
//!    of the parent's runtime has no threads). Tokio's worker threads never touch Python: a finished
//!    request only puts its result in a queue.
//! 3. The first result into an empty queue wakes the event loop to drain it (see [`Wake`]): a byte
//!    into a socket the loop watches, where the loop can watch one (the faster way,
//!    and no GIL needed), else `loop.call_soon_threadsafe` (any asyncio loop, any platform, e.g.
//!    Windows' proactor loop). The drain sets the futures' results, converting them to Python
//!    objects in the loop's own thread. One drain serves every request that finished meanwhile,
//!    which keeps hundreds of concurrent requests cheap.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use mycpaas_core::{AuthToken, Config, Settings};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;
use tokio::runtime::Runtime;

use crate::client::resolve;
use crate::errors;
use crate::generated::AsyncResources;

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

/// The part of a completer that tokio threads use: results, and the loop to wake.
struct Shared {
    done: Mutex<Vec<(u64, Deliver)>>,
    /// A drain is scheduled and has not yet taken the queue.
    drain_pending: AtomicBool,
    /// `weakref.ref(loop)`: a completer must not keep its event loop alive.
    event_loop: Py<PyAny>,
    wake: Wake,
}

/// How the first result into an empty queue gets the event loop to drain it.
enum Wake {
    /// One byte into a socket the loop watches (`loop.add_reader`), which calls the drain: no GIL
    /// is needed. Every selector event loop on Unix can watch a socket.
    #[cfg(unix)]
    Socket {
        writer: std::os::unix::net::UnixStream,
        reader: std::os::unix::net::UnixStream,
    },
    /// `loop.call_soon_threadsafe(drain)`, from tokio's blocking pool (it waits for the GIL, the
    /// workers do not): any asyncio loop on any platform, at the cost of that wait.
    Call,
}

impl Wake {
    /// The fastest way to wake `event_loop` that it supports.
    fn for_loop(event_loop: &Bound<'_, PyAny>) -> Wake {
        #[cfg(unix)]
        if let Some(socket) = Wake::watched_socket(event_loop) {
            return socket;
        }
        let _ = event_loop;
        Wake::Call
    }

    /// A socket pair whose reading end `event_loop` watches with the completer's drain, or `None`
    /// when the loop cannot watch sockets (`add_reader` is not implemented) or no pair is had.
    #[cfg(unix)]
    fn watched_socket(event_loop: &Bound<'_, PyAny>) -> Option<Wake> {
        use std::os::fd::AsRawFd;
        let (reader, writer) = std::os::unix::net::UnixStream::pair().ok()?;
        reader.set_nonblocking(true).ok()?;
        writer.set_nonblocking(true).ok()?;
        // The drain is looked up when the loop calls it, so the loop holds no completer.
        let drain = pyo3::types::PyCFunction::new_closure(event_loop.py(), None, None, {
            let weak_loop = event_loop
                .py()
                .import("weakref")
                .and_then(|m| m.getattr("ref"))
                .and_then(|r| r.call1((event_loop,)))
                .ok()?
                .unbind();
            move |args, _| -> PyResult<()> {
                let py = args.py();
                let event_loop = weak_loop.bind(py).call0()?;
                match existing_completer(&event_loop) {
                    Some(completer) => completer.get().drain(py),
                    None => Ok(()),
                }
            }
        })
        .ok()?;
        event_loop
            .call_method1("add_reader", (reader.as_raw_fd(), drain))
            .ok()?;
        Some(Wake::Socket { writer, reader })
    }

    /// Asks for a drain of `shared`'s queue (called on a tokio worker).
    fn notify(&self, shared: &Arc<Shared>) {
        match self {
            #[cfg(unix)]
            Wake::Socket { writer, .. } => {
                use std::io::Write;
                // WouldBlock means the socket already holds unread bytes: a wake-up is on its way.
                let _ = (&*writer).write(&[1]);
            }
            Wake::Call => {
                let shared = Arc::clone(shared);
                tokio::task::spawn_blocking(move || Python::attach(|py| shared.schedule_drain(py)));
            }
        }
    }

    /// Empties the socket before a drain takes the queue (see `Completer::drain`).
    fn clear(&self) {
        #[cfg(unix)]
        if let Wake::Socket { reader, .. } = self {
            use std::io::{ErrorKind, Read};
            let mut buf = [0u8; 64];
            loop {
                match (&*reader).read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(_) => break, // WouldBlock: drained
                }
            }
        }
    }
}

impl Shared {
    /// Queues a finished request; the first one into an empty queue schedules a drain. Called on
    /// a tokio worker.
    fn finish(self: &Arc<Self>, id: u64, deliver: Deliver) {
        self.done
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, deliver));
        if !self.drain_pending.swap(true, Ordering::SeqCst) {
            self.wake.notify(self);
        }
    }

    /// Asks the event loop to run its completer's drain (`Wake::Call`). A loop that is gone or
    /// closed has no futures left to resolve, so there is nothing to report.
    fn schedule_drain(&self, py: Python<'_>) {
        let Ok(event_loop) = self.event_loop.bind(py).call0() else {
            return;
        };
        if event_loop.is_none() {
            return;
        }
        if let Some(completer) = existing_completer(&event_loop) {
            let _ = completer
                .getattr("_drain")
                .and_then(|drain| event_loop.call_method1("call_soon_threadsafe", (drain,)));
        }
    }
}

/// Delivers finished requests to the futures of one event loop.
#[pyclass(module = "mycpaas._mycpaas", name = "_Completer", frozen)]
pub(crate) struct Completer {
    shared: Arc<Shared>,
    futures: Mutex<HashMap<u64, Py<PyAny>>>,
    next_id: AtomicU64,
}

#[pymethods]
impl Completer {
    /// Called by the event loop: resolves every future whose request finished.
    #[pyo3(name = "_drain")]
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
        // Empty the socket, clear the flag, then take the results: a result queued after the take
        // wakes the loop again; one queued before it is taken here. (Taking first could leave a
        // result queued with the flag still set, and no wake-up would ever come for it.)
        self.shared.wake.clear();
        self.shared.drain_pending.store(false, Ordering::SeqCst);
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

/// The table of completers, by event loop (weakly: a loop that goes takes its completer along).
fn completers(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    COMPLETERS
        .get_or_try_init(py, || {
            py.import("weakref")?
                .getattr("WeakKeyDictionary")?
                .call0()
                .map(Bound::unbind)
        })
        .map(|table| table.bind(py))
}

/// The completer of `event_loop`, if it has one.
fn existing_completer<'py>(event_loop: &Bound<'py, PyAny>) -> Option<Bound<'py, Completer>> {
    completers(event_loop.py())
        .and_then(|table| table.call_method1("get", (event_loop,)))
        .ok()?
        .cast_into::<Completer>()
        .ok()
}

/// The completer of `event_loop`, made on its first request.
fn completer_for<'py>(event_loop: &Bound<'py, PyAny>) -> PyResult<Bound<'py, Completer>> {
    if let Some(existing) = existing_completer(event_loop) {
        return Ok(existing);
    }
    let py = event_loop.py();
    let table = completers(py)?;
    let weak_loop = py
        .import("weakref")?
        .getattr("ref")?
        .call1((event_loop,))?
        .unbind();
    let completer = Bound::new(
        py,
        Completer {
            shared: Arc::new(Shared {
                done: Mutex::new(Vec::new()),
                drain_pending: AtomicBool::new(false),
                event_loop: weak_loop,
                wake: Wake::for_loop(event_loop),
            }),
            futures: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
        },
    )?;
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
    slot: Arc<ClientSlot>,
    /// `client.calls`, `client.recordings`, ... (their getters are generated).
    pub(crate) resources: AsyncResources,
}

impl PyAsyncClient {
    /// A client for an already built configuration (used by `Simulator.async_client()`).
    pub(crate) fn from_config(py: Python<'_>, config: Config) -> PyResult<Self> {
        let slot = Arc::new(ClientSlot::new(py, config)?);
        Ok(PyAsyncClient {
            resources: AsyncResources::new(py, &slot)?,
            slot,
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

    /// The account SID requests are made for.
    #[getter]
    fn account_sid(&self) -> String {
        self.slot.config.account_sid().to_owned()
    }

    /// The API base URL.
    #[getter]
    fn base_url(&self) -> String {
        self.slot.config.base_url().to_owned()
    }

    /// Closes the client's pooled connections; every later request raises `ValidationError`
    /// naming `client`. Awaitable, as in other asyncio libraries; `async with` closes on exit.
    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.slot.close();
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
        self.slot.close();
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
