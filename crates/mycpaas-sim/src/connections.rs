//! The connection limit: which connections are open, oldest first, how one is asked to make
//! room, and what each connection is doing (silent so far, answering, idle between requests).

use std::collections::BTreeMap;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// At the connection limit: how long to wait for a slot before asking one more connection
/// to close.
const EVICTION_PAUSE: Duration = Duration::from_millis(1);

/// The longest a connection is left alone at the limit while it sends nothing; see
/// [`OpenConnections::new`].
const MAX_GRACE: Duration = Duration::from_secs(5);

/// How long after the last time a new connection had to wait for a slot the server still
/// counts as at its limit (answers end their connections).
const PRESSURE_LINGER: Duration = Duration::from_secs(1);

/// An open connection as the limit sees it.
#[derive(Debug)]
struct Entry {
    close: Arc<Notify>,
    activity: Arc<Activity>,
}

/// The open connections, oldest first, each with the signal that asks it to close.
#[derive(Debug)]
pub(crate) struct OpenConnections {
    next_id: AtomicU64,
    by_age: Mutex<BTreeMap<u64, Entry>>,
    grace: Duration,
    started: Instant,
    /// Milliseconds from `started` until which the server counts as at its limit.
    pressure_until: AtomicU64,
}

impl OpenConnections {
    /// No connections yet. At the limit, a connection is closed for sending nothing only
    /// after a quarter of the idle timeout (at most 5 s) of silence: a client under load may
    /// take a moment to write its first request, and closing a keep-alive connection races
    /// with a request its client may be sending on it just then (the client cannot tell
    /// whether that request was acted on). A quarter keeps the wait for a new client, behind
    /// a listen queue full of silent sockets, within the idle timeout.
    pub(crate) fn new(idle_timeout: Duration) -> Self {
        OpenConnections {
            next_id: AtomicU64::new(0),
            by_age: Mutex::new(BTreeMap::new()),
            grace: (idle_timeout / 4).min(MAX_GRACE),
            started: Instant::now(),
            pressure_until: AtomicU64::new(0),
        }
    }

    /// Whether a new connection had to wait for a slot within the last [`PRESSURE_LINGER`].
    /// Then every answer ends its connection (`Connection: close`): its client knows not to
    /// send on it again, and the slot passes to a waiting connection without anyone being
    /// cut off mid-request. (Looking only at the free slots at the moment of an answer is not
    /// enough: a slot is free for a moment whenever a connection closes, and a connection
    /// kept alive then holds its slot, idle, while others wait.)
    pub(crate) fn at_limit(&self) -> bool {
        millis_since(self.started) < self.pressure_until.load(Ordering::Relaxed)
    }

    fn mark_pressure(&self) {
        let until = millis_since(self.started)
            .saturating_add(u64::try_from(PRESSURE_LINGER.as_millis()).unwrap_or(u64::MAX));
        self.pressure_until.store(until, Ordering::Relaxed);
    }

    /// Adds a connection; its id and the signal that asks it to close.
    pub(crate) fn register(&self, activity: &Arc<Activity>) -> (u64, Arc<Notify>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        let entry = Entry {
            close: Arc::clone(&close),
            activity: Arc::clone(activity),
        };
        self.by_age.lock().insert(id, entry);
        (id, close)
    }

    pub(crate) fn remove(&self, id: u64) {
        self.by_age.lock().remove(&id);
    }

    /// Asks the oldest connection that may go to close, choosing in this order: one that has
    /// sent nothing since the server first found it silent, for the grace period (dropped);
    /// one answering a request (its answer says `Connection: close`, so its client does not
    /// send on it again); one idle between requests for the grace period (closed at once).
    /// Others are left alone for now.
    fn close_oldest(&self) {
        let grace = self.grace;
        let mut by_age = self.by_age.lock();
        let oldest = |may_go: &dyn Fn(&Activity) -> bool| {
            by_age
                .iter()
                .find(|(_, entry)| may_go(&entry.activity))
                .map(|(id, _)| *id)
        };
        let chosen = oldest(&|activity| activity.silent_for() >= grace)
            .or_else(|| oldest(&Activity::is_answering))
            .or_else(|| oldest(&|activity| activity.spoke() && activity.idle_for() >= grace));
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
        open.mark_pressure();
        open.close_oldest();
        if let Ok(Ok(permit)) =
            tokio::time::timeout(EVICTION_PAUSE, Arc::clone(slots).acquire_owned()).await
        {
            return permit;
        }
    }
}

/// What a connection has been doing: when it opened, when the server first found it
/// silent, when its client last sent something, and how many of its requests are being
/// answered.
#[derive(Debug)]
pub(crate) struct Activity {
    opened: Instant,
    /// Milliseconds from `opened` to the first read that found nothing to read, before the
    /// client sent anything, plus one; 0 until then. (A connection whose request is waiting
    /// in the kernel, not read yet, is not silent.)
    found_silent: AtomicU64,
    /// Milliseconds from `opened` to the last byte received, plus one; 0 while silent.
    last_read: AtomicU64,
    answering: AtomicUsize,
}

impl Activity {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Activity {
            opened: Instant::now(),
            found_silent: AtomicU64::new(0),
            last_read: AtomicU64::new(0),
            answering: AtomicUsize::new(0),
        })
    }

    /// Milliseconds since `opened`, plus one (0 stands for "not yet").
    fn stamp(&self) -> u64 {
        millis_since(self.opened).saturating_add(1)
    }

    /// How long since the server found the connection silent, while its client has sent
    /// nothing; zero if it has sent something or was not found silent yet.
    fn silent_for(&self) -> Duration {
        let found = self.found_silent.load(Ordering::Relaxed);
        if found == 0 || self.spoke() {
            return Duration::ZERO;
        }
        self.opened
            .elapsed()
            .saturating_sub(Duration::from_millis(found - 1))
    }

    fn found_nothing(&self) {
        if self.found_silent.load(Ordering::Relaxed) == 0 && !self.spoke() {
            self.found_silent.store(self.stamp(), Ordering::Relaxed);
        }
    }

    /// Whether the client has sent any byte yet.
    pub(crate) fn spoke(&self) -> bool {
        self.last_read.load(Ordering::Relaxed) != 0
    }

    fn is_answering(&self) -> bool {
        self.answering.load(Ordering::Relaxed) > 0
    }

    /// How long since the client last sent something and nothing was being answered (zero
    /// while a request is being answered).
    fn idle_for(&self) -> Duration {
        if self.is_answering() {
            return Duration::ZERO;
        }
        let last = self.last_read.load(Ordering::Relaxed).saturating_sub(1);
        self.opened
            .elapsed()
            .saturating_sub(Duration::from_millis(last))
    }

    fn heard(&self) {
        self.last_read.store(self.stamp(), Ordering::Relaxed);
    }

    /// Marks a request as being answered until the returned guard is dropped.
    pub(crate) fn answering(self: &Arc<Self>) -> Answering {
        self.answering.fetch_add(1, Ordering::Relaxed);
        Answering(Arc::clone(self))
    }
}

/// A request being answered; see [`Activity::answering`].
#[derive(Debug)]
pub(crate) struct Answering(Arc<Activity>);

impl Drop for Answering {
    fn drop(&mut self) {
        // The answer is done: from now on the connection idles from this moment.
        self.0.heard();
        self.0.answering.fetch_sub(1, Ordering::Relaxed);
    }
}

fn millis_since(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
}

/// A TCP stream that notes when its client sends something.
#[derive(Debug)]
pub(crate) struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    pub(crate) fn new(stream: TcpStream) -> (Self, Arc<Activity>) {
        let activity = Activity::new();
        let watched = Watched {
            stream,
            activity: Arc::clone(&activity),
        };
        (watched, activity)
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
            this.activity.heard();
        } else if polled.is_pending() {
            this.activity.found_nothing();
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
