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
        Self::starting_at(OffsetDateTime::now_utc())
    }

    /// A clock starting at the simulated instant `at` (to the millisecond): a `<Dial>`'s child
    /// leg starts at its parent's simulated now, so their times line up exactly.
    pub(crate) fn starting_at(at: OffsetDateTime) -> Self {
        Self {
            start: at.replace_millisecond(at.millisecond()).unwrap_or(at),
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
            scale(since.elapsed(), speed).min(length)
        });
        let simulated = time::Duration::try_from(self.elapsed.saturating_add(partial))
            .unwrap_or(time::Duration::MAX);
        // Dates past year 9999 (a call of millions of simulated years) stop there.
        self.start
            .checked_add(simulated)
            .unwrap_or_else(|| time::PrimitiveDateTime::MAX.assume_utc())
    }

    /// Marks the start of a simulated wait.
    pub(crate) fn begin_wait(&mut self, length: Duration) {
        self.waiting = Some((Instant::now(), length));
    }

    /// Ends the current wait: all of it counts if it `completed`, otherwise the part
    /// that passed before it was interrupted.
    pub(crate) fn end_wait(&mut self, completed: bool, speed: f64) {
        if let Some((since, length)) = self.waiting.take() {
            let waited = if completed {
                length
            } else {
                scale(since.elapsed(), speed).min(length)
            };
            self.elapsed = self.elapsed.saturating_add(waited);
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
        // Saturates rather than panics; the builder's speed range keeps real waits far below.
        Duration::try_from_secs_f64(simulated.as_secs_f64() / self.speed).unwrap_or(Duration::MAX)
    }

    /// Waits for a simulated duration.
    pub(crate) async fn sleep(&self, simulated: Duration) {
        tokio::time::sleep(self.to_wall(simulated)).await;
    }
}

/// `duration * factor`, saturating at [`Duration::MAX`] instead of panicking.
fn scale(duration: Duration, factor: f64) -> Duration {
    Duration::try_from_secs_f64(duration.as_secs_f64() * factor).unwrap_or(Duration::MAX)
}

/// How the Calls API writes the dates of a call (`date_created`, `date_updated`,
/// `start_time`, `end_time`) in its JSON answers.
///
/// ```
/// use mycpaas_sim::DateFormat;
/// assert_eq!("rfc2822".parse::<DateFormat>(), Ok(DateFormat::Rfc2822));
/// assert_eq!(DateFormat::default(), DateFormat::Iso8601);
/// assert!("unix".parse::<DateFormat>().unwrap_err().contains("iso8601 or rfc2822"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DateFormat {
    /// `2026-04-19T10:00:00Z`, as the seed writes dates (the default).
    #[default]
    Iso8601,
    /// `Sun, 19 Apr 2026 10:00:00 +0000`, the form some SDKs of this API shape read only.
    Rfc2822,
}

impl DateFormat {
    /// The name used by `--date-format` and the Python option: `iso8601` or `rfc2822`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateFormat::Iso8601 => "iso8601",
            DateFormat::Rfc2822 => "rfc2822",
        }
    }

    /// A date in this format, UTC, whole seconds.
    pub(crate) fn format(self, at: OffsetDateTime) -> String {
        match self {
            DateFormat::Iso8601 => iso8601(at),
            DateFormat::Rfc2822 => rfc2822(at),
        }
    }
}

impl std::str::FromStr for DateFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "iso8601" => Ok(DateFormat::Iso8601),
            "rfc2822" => Ok(DateFormat::Rfc2822),
            other => Err(format!(
                "the date format must be iso8601 or rfc2822, got {other:?}"
            )),
        }
    }
}

impl std::fmt::Display for DateFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `Tue, 31 Aug 2010 20:36:28 +0000`, UTC, as servers of this API shape write RFC 2822 dates
/// (the status callbacks' `Timestamp` always, call JSON with [`DateFormat::Rfc2822`]).
pub(crate) fn rfc2822(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] +0000"
    );
    at.to_offset(time::UtcOffset::UTC)
        .format(format)
        .unwrap_or_default()
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
    fn rfc2822_is_what_servers_of_this_shape_write() {
        let at = time::macros::datetime!(2010-08-31 20:36:28.900 UTC);
        assert_eq!(rfc2822(at), "Tue, 31 Aug 2010 20:36:28 +0000");
        assert_eq!(
            DateFormat::Rfc2822.format(at),
            "Tue, 31 Aug 2010 20:36:28 +0000"
        );
        assert_eq!(DateFormat::Iso8601.format(at), "2010-08-31T20:36:28Z");
    }

    #[test]
    fn extreme_speeds_saturate_instead_of_panicking() {
        let slow = Clock::new(1e-300);
        assert_eq!(slow.to_wall(Duration::from_secs(1)), Duration::MAX);
        let mut clock = CallClock::starting_now();
        clock.begin_wait(Duration::MAX);
        assert!(clock.now(1e300) > clock.start());
        clock.end_wait(false, 1e300);
        assert_eq!(clock.now(1.0), time::PrimitiveDateTime::MAX.assume_utc());
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
    fn a_clock_can_start_at_another_clock_s_now() {
        let mut parent = CallClock::starting_now();
        parent.begin_wait(Duration::from_millis(2500));
        parent.end_wait(true, 1.0);
        let child = CallClock::starting_at(parent.now(1.0));
        assert_eq!(child.start(), parent.start() + Duration::from_millis(2500));
        assert_eq!(child.now(1.0), parent.now(1.0));
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
