//! A process-wide `tracing` subscriber at `TRACE` level whose output is kept in memory, so a
//! test can read back everything the SDK, its HTTP stacks (through the `log` bridge) and the
//! simulator emitted; and a [`Buffer`] a single test's own subscriber writes into.

use std::io;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt as _;

static OUTPUT: LazyLock<Buffer> = LazyLock::new(Buffer::default);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the capturing subscriber (once per process; later calls do nothing). Returns `false`
/// when another global subscriber was installed first, in which case nothing is captured.
pub fn install() -> bool {
    *INSTALLED.get_or_init(|| {
        OUTPUT
            .subscriber()
            // Also bridges the `log` records of ureq and friends into the subscriber.
            .try_init()
            .is_ok()
    })
}

/// Everything captured so far, lossily decoded.
pub fn output() -> String {
    OUTPUT.text()
}

/// Where a subscriber's output is kept: [`install`]'s process-wide one, or one test's own (set
/// with `tracing::subscriber::with_default` or `set_default`) that no other test writes into.
#[derive(Debug, Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    /// A `TRACE`-level subscriber without colours that writes into this buffer.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync + 'static {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(self.clone())
            .finish()
    }

    /// Everything written so far, lossily decoded.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Checks the log of a create followed by a list that met one 503: one `mycpaas request` event
/// per attempt (method, status, attempt number, path without query, latency), a `mycpaas
/// retrying` event, and never the auth token.
pub fn assert_create_then_retried_list(log: &str, account_sid: &str, auth_token: &str) {
    let attempts: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("mycpaas request"))
        .collect();
    assert_eq!(attempts.len(), 3, "{log}");
    let path = format!("/api/laml/2010-04-01/Accounts/{account_sid}/Calls.json");
    assert!(
        attempts[0].contains("method=POST") && attempts[0].contains("status=201"),
        "{log}"
    );
    assert!(
        attempts[1].contains("status=503") && attempts[1].contains("attempt=1"),
        "{log}"
    );
    assert!(
        attempts[2].contains("status=200") && attempts[2].contains("attempt=2"),
        "{log}"
    );
    for line in &attempts {
        assert!(line.contains(&format!("path={path}")), "{line}");
        assert!(line.contains("latency_ms="), "{line}");
        assert!(!line.contains("To="), "no query string: {line}");
    }
    assert!(log.contains("mycpaas retrying"), "{log}");
    assert!(!log.contains(auth_token), "the token never appears: {log}");
}
