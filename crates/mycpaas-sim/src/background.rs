//! A tokio runtime of our own, for callers without one (sync tests, Python, the CLI).
//! Shared by the simulator and the test web app.

use std::future::Future;
use std::io;

use tokio::runtime::Runtime;

/// Owns a small multi-threaded runtime; shuts it down without blocking when dropped,
/// so dropping it is safe from any thread, async contexts included.
#[derive(Debug)]
pub(crate) struct BackgroundRuntime {
    runtime: Option<Runtime>,
}

impl BackgroundRuntime {
    pub(crate) fn new(name: &str) -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(name)
            .enable_all()
            .build()?;
        Ok(Self {
            runtime: Some(runtime),
        })
    }

    /// Runs `future` on this runtime and waits for its output on the current thread.
    /// Works from inside another runtime too (it does not nest `block_on`).
    pub(crate) fn run<F>(&self, future: F) -> io::Result<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let runtime = self
            .runtime
            .as_ref()
            .ok_or_else(|| io::Error::other("runtime already shut down"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        runtime.spawn(async move {
            let _ = tx.send(future.await);
        });
        rx.recv()
            .map_err(|_| io::Error::other("background runtime stopped before starting"))
    }
}

impl Drop for BackgroundRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
