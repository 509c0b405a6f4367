//! A process-wide `tracing` subscriber at `TRACE` level whose output is kept in memory, so a
//! test can read back everything the SDK, its HTTP stacks (through the `log` bridge) and the
//! simulator emitted.

use std::io;
use std::sync::{Mutex, OnceLock, PoisonError};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt as _;

static OUTPUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the capturing subscriber (once per process; later calls do nothing). Returns `false`
/// when another global subscriber was installed first, in which case nothing is captured.
pub fn install() -> bool {
    *INSTALLED.get_or_init(|| {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(Capture)
            .finish()
            // Also bridges the `log` records of ureq and friends into the subscriber.
            .try_init()
            .is_ok()
    })
}

/// Everything captured so far, lossily decoded.
pub fn output() -> String {
    let bytes = OUTPUT.lock().unwrap_or_else(PoisonError::into_inner);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The writer the subscriber formats into.
#[derive(Debug, Clone, Copy)]
struct Capture;

impl io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        OUTPUT
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        *self
    }
}
