//! The connection limit: which connections are open, oldest first, how one is asked to make
//! room, and whether a client has said anything yet.

use std::collections::BTreeMap;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// At the connection limit: how long to wait for a slot before asking one more connection
/// to close.
const EVICTION_PAUSE: Duration = Duration::from_millis(1);

/// How long a connection that has sent nothing is left alone at the connection limit: a
/// client that connected under load may take a moment to write its request.
const SILENT_GRACE: Duration = Duration::from_millis(500);

/// An open connection as the limit sees it.
#[derive(Debug)]
struct Entry {
    close: Arc<Notify>,
    spoke: Spoke,
    opened: Instant,
}

/// The open connections, oldest first, each with the signal that asks it to close.
#[derive(Debug, Default)]
pub(crate) struct OpenConnections {
    next_id: AtomicU64,
    by_age: Mutex<BTreeMap<u64, Entry>>,
}

impl OpenConnections {
    /// Adds a connection; its id and the signal that asks it to close.
    pub(crate) fn register(&self, spoke: &Spoke) -> (u64, Arc<Notify>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        let entry = Entry {
            close: Arc::clone(&close),
            spoke: spoke.clone(),
            opened: Instant::now(),
        };
        self.by_age.lock().insert(id, entry);
        (id, close)
    }

    pub(crate) fn remove(&self, id: u64) {
        self.by_age.lock().remove(&id);
    }

    /// Asks the oldest connection that may go to close: one that has sent a request (idle
    /// between requests it closes at once, busy after its answer), or one silent for
    /// [`SILENT_GRACE`] (dropped). Connections younger and silent are left to speak.
    fn close_oldest(&self) {
        let mut by_age = self.by_age.lock();
        let chosen = by_age
            .iter()
            .find(|(_, entry)| entry.spoke.get() || entry.opened.elapsed() >= SILENT_GRACE)
            .map(|(id, _)| *id);
        if let Some(entry) = chosen.and_then(|id| by_age.remove(&id)) {
            // `notify_one` keeps the request for a task that is not waiting yet.
            entry.close.notify_one();
        }
    }
}

/// A connection slot: at once when one is free, otherwise after asking the oldest
/// connections that may go, one by one, to close.
pub(crate) async fn slot(slots: &Arc<Semaphore>, open: &OpenConnections) -> OwnedSemaphorePermit {
    loop {
        if let Ok(permit) = Arc::clone(slots).try_acquire_owned() {
            return permit;
        }
        open.close_oldest();
        if let Ok(Ok(permit)) =
            tokio::time::timeout(EVICTION_PAUSE, Arc::clone(slots).acquire_owned()).await
        {
            return permit;
        }
    }
}

/// Whether a client has sent any byte yet.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spoke(Arc<AtomicBool>);

impl Spoke {
    pub(crate) fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// A TCP stream that notes when the client first sends something.
#[derive(Debug)]
pub(crate) struct Watched {
    stream: TcpStream,
    spoke: Spoke,
}

impl Watched {
    pub(crate) fn new(stream: TcpStream) -> (Self, Spoke) {
        let spoke = Spoke::default();
        let watched = Watched {
            stream,
            spoke: spoke.clone(),
        };
        (watched, spoke)
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.spoke.0.store(true, Ordering::Relaxed);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
