//! The `tracing` events a user would read: one per attempt, with method, path, status, attempt
//! and latency, and never a credential.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use mycpaas_blocking::{CreateCall, ListCalls};
use mycpaas_sim::Fault;

use crate::{FROM, HANGUP, TO, client, sim};

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

#[test]
fn every_attempt_is_traced_without_secrets() {
    let sim = sim();
    let client = client(&sim);
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        client
            .calls()
            .create(CreateCall::new(TO, FROM).twiml(HANGUP))
            .expect("create");
        sim.faults().inject(Fault::Unavailable, 1);
        client
            .calls()
            .list(ListCalls::new().to(TO))
            .expect("list after one 503");
    });
    let log = captured.text();
    let attempts: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("mycpaas request"))
        .collect();
    assert_eq!(attempts.len(), 3, "{log}");
    let path = format!(
        "/api/laml/2010-04-01/Accounts/{}/Calls.json",
        sim.account_sid()
    );
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
    assert!(
        !log.contains(&sim.auth_token()),
        "the token never appears: {log}"
    );
}
