//! Tolerant (de)serializers for the quirks of the wire.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serializer, de};
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

/// Parses a date as RFC 3339 / ISO 8601 (`2026-04-19T10:00:00Z`) or RFC 2822
/// (`Tue, 31 Aug 2010 20:36:28 +0000`).
pub fn parse_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if let Ok(date) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(date);
    }
    if let Ok(date) = OffsetDateTime::parse(text, &Rfc2822) {
        return Some(date);
    }
    // RFC 2822 with a "GMT"/"UTC" zone name, as some servers write it.
    for zone in [" GMT", " UTC", " UT"] {
        if let Some(stripped) = text.strip_suffix(zone) {
            if let Ok(date) = OffsetDateTime::parse(&format!("{stripped} +0000"), &Rfc2822) {
                return Some(date);
            }
        }
    }
    // ISO 8601 without an offset: taken as UTC.
    let with_zone = format!("{text}Z");
    OffsetDateTime::parse(&with_zone, &Rfc3339).ok()
}

/// Formats a date as RFC 3339 in UTC (`2026-04-19T10:00:00Z`).
pub fn format_date(date: OffsetDateTime) -> String {
    date.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| date.unix_timestamp().to_string())
}

/// A loosely typed JSON scalar, for fields whose type varies between servers.
#[derive(Deserialize)]
#[serde(untagged)]
enum Loose<'a> {
    /// Borrowed from the body when it has no escapes (no allocation for a date or a number
    /// sent as text).
    #[serde(borrow)]
    Text(Cow<'a, str>),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Bool(bool),
}

/// The scalar sent; `None` for null and for blank text, the ways servers leave a value out.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Loose<'de>>, D::Error> {
    let value = Option::<Loose>::deserialize(deserializer)?;
    Ok(value.filter(|v| !matches!(v, Loose::Text(text) if text.trim().is_empty())))
}

/// `Some` text written as a string, `None` as null.
fn text_or_null<S: Serializer>(text: Option<String>, serializer: S) -> Result<S::Ok, S::Error> {
    match text {
        Some(text) => serializer.serialize_str(&text),
        None => serializer.serialize_none(),
    }
}

pub mod date {
    //! `Option<OffsetDateTime>` as RFC 3339 out; RFC 3339 / RFC 2822 / unix seconds in; empty or
    //! null as `None`.
    use super::{Deserializer, Loose, OffsetDateTime, Serializer, de};

    #[allow(clippy::ref_option)] // the signature serde's `with` requires
    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::text_or_null(value.map(super::format_date), serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        match super::present(deserializer)? {
            None => Ok(None),
            Some(Loose::Text(text)) => super::parse_date(&text)
                .map(Some)
                .ok_or_else(|| de::Error::custom(format!("unrecognised date {text:?}"))),
            // Unix seconds, as a few servers send.
            Some(Loose::Unsigned(seconds)) => i64::try_from(seconds)
                .ok()
                .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
                .map(Some)
                .ok_or_else(|| de::Error::custom("unix timestamp out of range")),
            Some(Loose::Signed(seconds)) => OffsetDateTime::from_unix_timestamp(seconds)
                .map(Some)
                .map_err(|_| de::Error::custom("unix timestamp out of range")),
            Some(_) => Err(de::Error::custom("expected a date string")),
        }
    }
}

pub mod number_as_string {
    //! `Option<u64>` written as a string (`"15"`), read from a string or an integer.
    use super::{Deserializer, Loose, Serializer, de};

    #[allow(clippy::ref_option)] // the signature serde's `with` requires
    pub fn serialize<S: Serializer>(value: &Option<u64>, serializer: S) -> Result<S::Ok, S::Error> {
        super::text_or_null(value.map(|number| number.to_string()), serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u64>, D::Error> {
        match super::present(deserializer)? {
            None => Ok(None),
            Some(Loose::Unsigned(n)) => Ok(Some(n)),
            Some(Loose::Text(text)) => {
                text.trim().parse().map(Some).map_err(|_| {
                    de::Error::custom(format!("expected a whole number, got {text:?}"))
                })
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(Loose::Float(f)) if f >= 0.0 && f.fract() == 0.0 && f < 1e19 => Ok(Some(f as u64)),
            Some(_) => Err(de::Error::custom("expected a non-negative whole number")),
        }
    }
}

pub mod number {
    //! `Option<u64>` written as a number, read from a string or an integer.
    use super::{Deserializer, Serializer};

    #[allow(clippy::ref_option)] // the signature serde's `with` requires
    pub fn serialize<S: Serializer>(value: &Option<u64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(number) => serializer.serialize_u64(*number),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u64>, D::Error> {
        super::number_as_string::deserialize(deserializer)
    }
}

pub mod decimal_text {
    //! `Option<String>` for decimal amounts (`price`) and other loosely typed scalars (`queue_time`):
    //! read from a string, a number, a bool or null; written as a string or null. Kept as text so
    //! no precision is lost.
    use super::{Deserialize, Deserializer, Loose};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        Ok(match Option::<Loose>::deserialize(deserializer)? {
            None => None,
            Some(Loose::Text(text)) if text.is_empty() => None,
            Some(Loose::Text(text)) => Some(text.into_owned()),
            Some(Loose::Unsigned(n)) => Some(n.to_string()),
            Some(Loose::Signed(n)) => Some(n.to_string()),
            Some(Loose::Float(f)) => Some(f.to_string()),
            Some(Loose::Bool(b)) => Some(b.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_formats() {
        let iso = parse_date("2026-04-19T10:00:00Z").unwrap();
        let rfc2822 = parse_date("Sun, 19 Apr 2026 10:00:00 +0000").unwrap();
        assert_eq!(iso, rfc2822);
        assert_eq!(parse_date("Sun, 19 Apr 2026 10:00:00 GMT").unwrap(), iso);
        assert_eq!(parse_date("2026-04-19T12:00:00+02:00").unwrap(), iso);
        assert_eq!(parse_date("2026-04-19T10:00:00").unwrap(), iso);
        assert_eq!(format_date(iso), "2026-04-19T10:00:00Z");
        assert!(parse_date("yesterday").is_none());
    }
}
