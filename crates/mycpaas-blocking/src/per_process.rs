//! The transport of the current process, built again in a child after `fork()`.
//!
//! A forked child inherits the parent's pooled connections as copies of the same sockets. If the
//! child sent a request on one, parent and child would read each other's answers: a create in one
//! process would return the call another process placed. So every attempt asks for the transport of
//! the process it runs in: the process ID is compared on each request (one `getpid`), and a child
//! gets a fresh agent with an empty pool the first time it sends anything.

use std::sync::{Arc, Mutex, PoisonError};

use mycpaas_core::{Config, Error, Result};

use crate::transport::UreqTransport;

/// The transport, with the ID of the process that built it; `None` once the client is closed.
#[derive(Debug)]
pub(crate) struct PerProcess {
    slot: Mutex<Option<(u32, Arc<UreqTransport>)>>,
}

impl PerProcess {
    /// A transport for this process.
    pub(crate) fn new(config: &Config) -> Self {
        PerProcess {
            slot: Mutex::new(Some((
                std::process::id(),
                Arc::new(UreqTransport::new(config)),
            ))),
        }
    }

    /// The transport of the calling process, or the error of a closed client.
    pub(crate) fn get(&self, config: &Config) -> Result<Arc<UreqTransport>> {
        self.get_for(std::process::id(), config)
            .ok_or_else(Error::client_closed)
    }

    /// Drops the transport: its idle pooled connections close now, those of requests in flight
    /// when these end. Every later request fails with the error of a closed client.
    pub(crate) fn close(&self) {
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The transport of process `pid`: the one in the slot if `pid` built it, else a new one. The
    /// inherited agent is dropped: its sockets are closed in this process only (nothing is
    /// written on them), and they stay open in the parent.
    fn get_for(&self, pid: u32, config: &Config) -> Option<Arc<UreqTransport>> {
        // Held only to compare and clone: a lock held by a parent's thread at the moment of the
        // fork is the one case this cannot help, as for any lock of a forked program.
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        let (owner, transport) = slot.as_mut()?;
        if *owner != pid {
            *owner = pid;
            *transport = Arc::new(UreqTransport::new(config));
        }
        Some(Arc::clone(transport))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_process_gets_a_transport_of_its_own_and_keeps_it() {
        let config = Config::builder("AC123", "token").build().unwrap();
        let transports = PerProcess::new(&config);
        let own = std::process::id();
        let parent = transports.get_for(own, &config).unwrap();
        assert!(Arc::ptr_eq(&parent, &transports.get(&config).unwrap()));
        let child = transports.get_for(own.wrapping_add(1), &config).unwrap();
        assert!(
            !Arc::ptr_eq(&parent, &child),
            "a child must not reuse the parent's pool"
        );
        assert!(Arc::ptr_eq(
            &child,
            &transports.get_for(own.wrapping_add(1), &config).unwrap()
        ));
        transports.close();
        assert_eq!(
            transports.get(&config).unwrap_err().parameter(),
            Some("client")
        );
    }
}
