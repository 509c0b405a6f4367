//! Blocking requests that Ctrl-C interrupts.
//!
//! Python runs signal handlers in its main thread only, and only while it runs Python code: a
//! request that waited inside Rust with the GIL released would hold Ctrl-C back until every
//! attempt and retry wait was over. So a request made from the main thread runs on a worker
//! thread while the main thread waits with the GIL released, waking every [`TICK`] to let Python
//! run its signal handlers: Ctrl-C raises `KeyboardInterrupt` at the next tick. The abandoned
//! request ends on its worker (within its timeouts) and its result is dropped. Requests from
//! other threads, where no signal arrives, run in place.

use std::collections::VecDeque;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Condvar, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::errors;

/// How often a waiting main thread lets Python check for signals.
const TICK: Duration = Duration::from_millis(50);
/// How long an idle worker waits for the next request before it ends.
const IDLE: Duration = Duration::from_secs(30);

/// `threading.main_thread().ident`, read once per interpreter.
static MAIN_THREAD: PyOnceLock<u64> = PyOnceLock::new();

type Job = Box<dyn FnOnce() + Send>;

/// The workers of this process: jobs waiting, and how many workers wait for one.
struct Pool {
    pid: u32,
    jobs: VecDeque<Job>,
    idle: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    pid: 0,
    jobs: VecDeque::new(),
    idle: 0,
});
static JOB_READY: Condvar = Condvar::new();

/// Runs `work` (a request) with the GIL released; from the main thread, so that Ctrl-C
/// interrupts it (see the module).
pub(crate) fn run<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> mycpaas_core::Result<T> + Send + 'static,
{
    if !on_main_thread(py)? {
        return py.detach(work).map_err(|e| errors::from_core(py, &e));
    }
    let (answer, answered) = mpsc::sync_channel(1);
    submit(Box::new(move || {
        let _ = answer.send(work());
    }));
    let mut answered = answered;
    loop {
        // The receiver moves into the GIL-free closure and back (it is not `Sync`).
        let (received, receiver) = py.detach(move || (answered.recv_timeout(TICK), answered));
        answered = receiver;
        match received {
            Ok(result) => return result.map_err(|e| errors::from_core(py, &e)),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "the request's worker thread ended without an answer",
                ));
            }
        }
    }
}

fn on_main_thread(py: Python<'_>) -> PyResult<bool> {
    let main = MAIN_THREAD.get_or_try_init(py, || {
        py.import("threading")?
            .call_method0("main_thread")?
            .getattr("ident")?
            .extract::<u64>()
    })?;
    let current: u64 = py
        .import("threading")?
        .call_method0("get_ident")?
        .extract()?;
    Ok(current == *main)
}

/// Queues `job` for an idle worker, starting one when none waits.
fn submit(job: Job) {
    let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    // A forked child has none of its parent's threads: start afresh.
    let pid = std::process::id();
    if pool.pid != pid {
        *pool = Pool {
            pid,
            jobs: VecDeque::new(),
            idle: 0,
        };
    }
    pool.jobs.push_back(job);
    if pool.idle == 0 {
        drop(pool);
        let started = thread::Builder::new()
            .name("mycpaas-request".to_owned())
            .spawn(work_loop);
        if started.is_err() {
            // No thread to be had: run the job here rather than never.
            let job = POOL
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .jobs
                .pop_back();
            if let Some(job) = job {
                job();
            }
        }
    } else {
        JOB_READY.notify_one();
    }
}

/// A worker: runs jobs until none comes for [`IDLE`].
fn work_loop() {
    loop {
        let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
        let job = loop {
            if let Some(job) = pool.jobs.pop_front() {
                break job;
            }
            pool.idle += 1;
            let (woken, waited) = JOB_READY
                .wait_timeout(pool, IDLE)
                .unwrap_or_else(PoisonError::into_inner);
            pool = woken;
            pool.idle -= 1;
            if waited.timed_out() && pool.jobs.is_empty() {
                return;
            }
        };
        drop(pool);
        job();
    }
}
