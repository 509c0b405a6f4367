//! Waiting for what the simulator's engine does in its own tasks.

use std::time::{Duration, Instant};

/// Polls `ready` every 10 ms until it answers `Some`, and answers that; panics naming `what`
/// after 30 s.
pub fn eventually<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}
