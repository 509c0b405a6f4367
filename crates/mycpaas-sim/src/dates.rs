//! How the simulator writes dates: the Calls API's two formats, and the forms of the
//! status callbacks' `Timestamp` and the timeline.

use time::OffsetDateTime;

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

/// `2026-04-19T10:00:00.250Z`: a simulated instant to the millisecond, as the timeline and the
/// clock route write it.
pub(crate) fn iso8601_millis(at: OffsetDateTime) -> String {
    format!(
        "{}.{:03}Z",
        iso8601(at).trim_end_matches('Z'),
        at.millisecond()
    )
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
}
