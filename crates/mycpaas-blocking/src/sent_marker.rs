//! Knowing whether an attempt's request bytes left this process.
//!
//! ureq reports a failed exchange without saying in which phase it failed. That phase decides
//! everything for a create: a refused connection is safe to retry, while a connection dropped after
//! the request was written may have placed a phone call. This connector wraps the outermost
//! transport (after TLS and proxy set-up), and marks the current thread as soon as ureq hands it
//! request bytes to write. ureq runs every exchange on the calling thread, so the mark belongs to
//! exactly one attempt: the send loop clears it before each attempt and reads it after a failure.

use std::cell::Cell;
use std::fmt;

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

thread_local! {
    static REQUEST_BYTES_WRITTEN: Cell<bool> = const { Cell::new(false) };
}

/// Forgets the mark of a previous attempt on this thread.
pub(crate) fn begin_attempt() {
    REQUEST_BYTES_WRITTEN.with(|mark| mark.set(false));
}

/// Whether the current attempt handed any request bytes to the network.
pub(crate) fn request_bytes_written() -> bool {
    REQUEST_BYTES_WRITTEN.with(Cell::get)
}

/// The last link of the connector chain: wraps whatever transport the chain produced.
#[derive(Debug, Default)]
pub(crate) struct MarkWrites;

impl Connector<Box<dyn Transport>> for MarkWrites {
    type Out = MarkedTransport;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<Box<dyn Transport>>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| MarkedTransport { inner }))
    }
}

/// A transport that marks the thread before writing request bytes.
pub(crate) struct MarkedTransport {
    inner: Box<dyn Transport>,
}

impl fmt::Debug for MarkedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MarkedTransport")
            .field("inner", &self.inner)
            .finish()
    }
}

impl Transport for MarkedTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        // Marked before writing: a write that fails half-way may still have reached the server.
        if amount > 0 {
            REQUEST_BYTES_WRITTEN.with(|mark| mark.set(true));
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
