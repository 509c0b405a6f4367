//! Simulated time.
//!
//! Each call keeps its own [`CallClock`]: it starts at the wall time of the call's
//! creation and advances by exactly the simulated durations the engine waits (ringing,
//! speaking, pausing, ...), while the engine paces those waits in wall time through
//! [`Clock::sleep`] (`speed` simulated seconds per wall second). So a call's times do
//! not depend on how busy the machine is: the same call gives the same `duration` at
//! any speed and load, and dates stay close to wall time however long the simulator
//! runs. Webhook requests take no simulated time.

use std::time::{Duration, Instant};

use time::OffsetDateTime;

/// Paces simulated waits in wall time.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    speed: f64,
}

/// One call's simulated time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallClock {
    /// Wall time of the call's creation, to the millisecond.
    start: OffsetDateTime,
    /// Simulated time waited so far.
    elapsed: Duration,
    /// The wait in progress: when it started (wall) and how long it lasts (simulated).
    waiting: Option<(Instant, Duration)>,
}

impl CallClock {
    /// A clock starting now.
    pub(crate) fn starting_now() -> Self {
        let now = OffsetDateTime::now_utc();
        Self {
            start: now.replace_millisecond(now.millisecond()).unwrap_or(now),
            elapsed: Duration::ZERO,
            waiting: None,
        }
    }

    /// When the call was created.
    pub(crate) fn start(&self) -> OffsetDateTime {
        self.start
    }

    /// The call's current simulated time: waits done, plus the part of the current
    /// wait that has passed (so the API can end a call in the middle of a pause).
    pub(crate) fn now(&self, speed: f64) -> OffsetDateTime {
        let partial = self.waiting.map_or(Duration::ZERO, |(since, length)| {
            since.elapsed().mul_f64(speed).min(length)
        });
        self.start + self.elapsed + partial
    }

    /// Marks the start of a simulated wait.
    pub(crate) fn begin_wait(&mut self, length: Duration) {
        self.waiting = Some((Instant::now(), length));
    }

    /// Ends the current wait: all of it counts if it `completed`, otherwise the part
    /// that passed before it was interrupted.
    pub(crate) fn end_wait(&mut self, completed: bool, speed: f64) {
        if let Some((since, length)) = self.waiting.take() {
            self.elapsed += if completed {
                length
            } else {
                since.elapsed().mul_f64(speed).min(length)
            };
        }
    }
}

impl Clock {
    pub(crate) fn new(speed: f64) -> Self {
        Self { speed }
    }

    /// Simulated seconds per wall second.
    pub(crate) fn speed(&self) -> f64 {
        self.speed
    }

    /// The wall duration that corresponds to a simulated duration.
    pub(crate) fn to_wall(&self, simulated: Duration) -> Duration {
        simulated.div_f64(self.speed)
    }

    /// Waits for a simulated duration.
    pub(crate) async fn sleep(&self, simulated: Duration) {
        tokio::time::sleep(self.to_wall(simulated)).await;
    }
}

/// Formats a date as the seed does: ISO 8601, UTC, whole seconds (`2026-04-19T10:00:00Z`).
pub(crate) fn iso8601(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_matches_the_seed_format() {
        let at = time::macros::datetime!(2026-04-19 10:00:00.123 UTC);
        assert_eq!(iso8601(at), "2026-04-19T10:00:00Z");
    }

    #[test]
    fn a_call_clock_advances_by_completed_waits_only() {
        let mut clock = CallClock::starting_now();
        let start = clock.start();
        clock.begin_wait(Duration::from_secs(5));
        clock.end_wait(true, 1.0);
        assert_eq!(clock.now(1.0), start + Duration::from_secs(5));
        clock.begin_wait(Duration::from_secs(3600));
        clock.end_wait(false, 1.0);
        assert!(clock.now(1.0) < start + Duration::from_secs(60));
    }

    #[test]
    fn wall_durations_are_scaled_by_speed() {
        let clock = Clock::new(100.0);
        assert_eq!(
            clock.to_wall(Duration::from_secs(10)),
            Duration::from_millis(100)
        );
    }
}
