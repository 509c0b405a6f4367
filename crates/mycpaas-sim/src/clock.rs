//! The simulated clock: simulated time runs `speed` times faster than wall time.
//!
//! Every wait in the call engine goes through [`Clock::sleep`], and every date the
//! simulator reports comes from [`Clock::now`], so durations in the Call JSON and in
//! timelines are consistent with each other whatever the speed.

use std::time::{Duration, Instant};

use time::OffsetDateTime;

/// Maps simulated durations to wall durations and tells the simulated time.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    speed: f64,
    wall_start: Instant,
    sim_start: OffsetDateTime,
}

impl Clock {
    /// A clock whose simulated time starts at the current wall time.
    pub(crate) fn new(speed: f64) -> Self {
        Self {
            speed,
            wall_start: Instant::now(),
            sim_start: OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .unwrap_or_else(|_| OffsetDateTime::now_utc()),
        }
    }

    /// Simulated seconds per wall second.
    pub(crate) fn speed(&self) -> f64 {
        self.speed
    }

    /// The current simulated time.
    pub(crate) fn now(&self) -> OffsetDateTime {
        let wall = self.wall_start.elapsed();
        let sim = wall.mul_f64(self.speed);
        self.sim_start + sim
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
    fn wall_durations_are_scaled_by_speed() {
        let clock = Clock::new(100.0);
        assert_eq!(
            clock.to_wall(Duration::from_secs(10)),
            Duration::from_millis(100)
        );
    }
}
