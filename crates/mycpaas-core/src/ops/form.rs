//! Typed parameter values to and from their wire text, for the generated operations: a client
//! writes a request's form or query with [`Params`], and a server (the simulator) reads one back
//! with [`FromWire`], so both sides spell every value the same way.

use std::borrow::Cow;
use std::fmt;

use time::Date;
use time::macros::format_description;

use crate::error::{Error, Result};

/// Wire parameters in the order they are sent. Keys are the API's names (`To`, `StatusCallbackEvent`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Params(Vec::new())
    }

    /// Appends `key` with `value`.
    pub fn add(&mut self, key: &'static str, value: &impl ToWire) {
        self.0.push((key, value.to_wire().into_owned()));
    }

    /// Appends `key` when `value` is set.
    pub fn add_opt(&mut self, key: &'static str, value: Option<&impl ToWire>) {
        if let Some(value) = value {
            self.add(key, value);
        }
    }

    /// Appends `key` once per value.
    pub fn add_each<T: ToWire>(&mut self, key: &'static str, values: &[T]) {
        for value in values {
            self.add(key, value);
        }
    }

    /// `true` when no parameter is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.0
    }

    /// Encodes the pairs as `application/x-www-form-urlencoded`.
    pub fn encode(&self) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.0 {
            serializer.append_pair(key, value);
        }
        serializer.finish()
    }
}

/// A value's wire text.
pub trait ToWire {
    /// The text sent for this value.
    fn to_wire(&self) -> Cow<'_, str>;
}

/// A value read back from its wire text; the error names the parameter and the rule.
pub trait FromWire: Sized {
    /// Reads `text`, sent as `parameter`.
    fn from_wire(parameter: &str, text: &str) -> Result<Self>;
}

impl ToWire for String {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl FromWire for String {
    fn from_wire(_: &str, text: &str) -> Result<Self> {
        Ok(text.to_owned())
    }
}

impl ToWire for u32 {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl FromWire for u32 {
    fn from_wire(parameter: &str, text: &str) -> Result<Self> {
        text.trim().parse().map_err(|_| {
            Error::invalid(
                parameter,
                format!(
                    "must be a whole number from 0 to {} (got {text:?})",
                    u32::MAX
                ),
            )
        })
    }
}

impl ToWire for bool {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl FromWire for bool {
    fn from_wire(parameter: &str, text: &str) -> Result<Self> {
        if text.eq_ignore_ascii_case("true") {
            Ok(true)
        } else if text.eq_ignore_ascii_case("false") {
            Ok(false)
        } else {
            Err(Error::invalid(
                parameter,
                format!("must be true or false (got {text:?})"),
            ))
        }
    }
}

/// A day (UTC), sent as `YYYY-MM-DD`.
impl ToWire for Date {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(
            self.format(format_description!("[year]-[month]-[day]"))
                .unwrap_or_else(|_| self.to_string()),
        )
    }
}

impl FromWire for Date {
    fn from_wire(parameter: &str, text: &str) -> Result<Self> {
        let day = text.get(..10).unwrap_or(text);
        Date::parse(day, format_description!("[year]-[month]-[day]")).map_err(|_| {
            Error::invalid(
                parameter,
                format!("must be a day as YYYY-MM-DD (got {text:?})"),
            )
        })
    }
}

/// A credential (`SipAuthPassword`): never shown in `Debug` output, and with no `PartialEq`
/// (compare secrets in constant time, if at all).
#[derive(Clone)]
pub struct SecretText(String);

impl SecretText {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        SecretText(secret.into())
    }

    /// The secret itself, for sending.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T: Into<String>> From<T> for SecretText {
    fn from(secret: T) -> Self {
        SecretText(secret.into())
    }
}

impl ToWire for SecretText {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

impl FromWire for SecretText {
    fn from_wire(_: &str, text: &str) -> Result<Self> {
        Ok(SecretText(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_their_wire_text() {
        let day = time::macros::date!(2026 - 04 - 19);
        assert_eq!(day.to_wire(), "2026-04-19");
        assert_eq!(Date::from_wire("StartTime", "2026-04-19").unwrap(), day);
        assert_eq!(
            Date::from_wire("StartTime", "2026-04-19T10:00:00Z").unwrap(),
            day
        );
        assert!(Date::from_wire("StartTime", "19.04.2026").is_err());
        assert_eq!(u32::from_wire("Timeout", " 30 ").unwrap(), 30);
        assert_eq!(
            u32::from_wire("Timeout", "-1").unwrap_err().parameter(),
            Some("Timeout")
        );
        assert!(bool::from_wire("Record", "TRUE").unwrap());
        assert!(bool::from_wire("Record", "yes").is_err());
        let mut params = Params::new();
        params.add("To", &"+49 1".to_owned());
        params.add_opt("Record", Some(&true));
        params.add_opt("Timeout", None::<&u32>);
        params.add_each("Event", &["a".to_owned(), "b".to_owned()]);
        assert_eq!(params.encode(), "To=%2B49+1&Record=true&Event=a&Event=b");
        assert_eq!(format!("{:?}", SecretText::new("hunter2")), "***");
    }
}
