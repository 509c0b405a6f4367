//! The simulated clock: simulated time runs `speed` times faster than wall time.
//!
//! Each call has its own timeline origin: it is created at the wall time of its
//! creation, and from then on its time runs `speed` times faster. So a call's dates
//! read as if it had run in real time from its creation (its `duration` is
//! `end_time - start_time`), while the dates of different calls stay close to wall
//! time however long the simulator runs. Every wait of the engine goes through
//! [`Clock::sleep`].

use std::time::{Duration, Instant};

use time::OffsetDateTime;

/// Maps simulated durations to wall durations and tells a call's simulated time.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    speed: f64,
}

/// Where a call's simulated time starts: its creation, in wall time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    pub(crate) at: OffsetDateTime,
    pub(crate) instant: Instant,
}

impl Origin {
    /// Now, in wall time, to the millisecond.
    pub(crate) fn now() -> Self {
        let at = OffsetDateTime::now_utc();
        let millis = at.millisecond();
        Self {
            at: at.replace_millisecond(millis).unwrap_or(at),
            instant: Instant::now(),
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

    /// The simulated time of a call created at `origin`.
    pub(crate) fn time_since(&self, origin: Origin) -> OffsetDateTime {
        origin.at + origin.instant.elapsed().mul_f64(self.speed)
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
