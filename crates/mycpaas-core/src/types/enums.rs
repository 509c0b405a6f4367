//! The enumerations of the wire: the macros that make them (the generated `crate::generated::enums`
//! invokes them with the values of the description) and the behaviour written by hand on top.
//! Closed sets (values we send) reject unknown text; open sets (values the server sends: call
//! status and direction) keep unknown text in an `Other` variant, because servers add values over
//! time.

/// The impls both kinds of enumeration share, all through `as_str` and `FromStr`: `Display`,
/// serde as the wire string, and `ToWire`. Deserializing goes through `FromStr`, so a closed
/// enumeration refuses unknown text there and an open one keeps it.
macro_rules! wire_text_impls {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let text = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(::serde::de::Error::custom)
            }
        }

        impl $crate::ops::form::ToWire for $name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
}

/// Defines an enum whose values the client sends; parsing unknown text is an error naming `$param`.
/// A closed enumeration: the values a client sends, each with its wire text.
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $param:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in wire order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire string.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( $name::$variant => $wire, )+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(text: &str) -> Result<Self, $crate::error::Error> {
                $(
                    if text.eq_ignore_ascii_case($wire) {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::error::Error::invalid(
                    $param,
                    format!("must be one of {}", [$($wire),+].join(", ")),
                ))
            }
        }

        $crate::types::enums::wire_text_impls!($name);

        impl $crate::ops::form::FromWire for $name {
            fn from_wire(parameter: &str, text: &str) -> $crate::error::Result<Self> {
                [$($name::$variant),+]
                    .into_iter()
                    .find(|value| text.eq_ignore_ascii_case(value.as_str()))
                    .ok_or_else(|| {
                        $crate::error::Error::invalid(
                            parameter,
                            format!("must be one of {} (got {text:?})", [$($wire),+].join(", ")),
                        )
                    })
            }
        }
    };
}

/// Defines an enum whose values the server sends; unknown text is kept in `Other`.
/// An open enumeration: the values servers send, with `Other` for any value not listed.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every known value, in wire order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(text) => text,
                }
            }

            /// Parses wire text; never fails (unknown text becomes `Other`).
            pub fn from_wire(text: &str) -> Self {
                $(
                    if text.eq_ignore_ascii_case($wire) {
                        return $name::$variant;
                    }
                )+
                $name::Other(text.to_owned())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok($name::from_wire(text))
            }
        }

        $crate::types::enums::wire_text_impls!($name);

        impl $crate::ops::form::FromWire for $name {
            fn from_wire(_: &str, text: &str) -> $crate::error::Result<Self> {
                Ok($name::from_wire(text))
            }
        }
    };
}

pub(crate) use {closed_enum, open_enum, wire_text_impls};

pub use crate::generated::enums::*;

/// ```
/// use mycpaas_core::CallStatus;
/// assert_eq!("in-progress".parse::<CallStatus>().unwrap(), CallStatus::InProgress);
/// assert_eq!(CallStatus::NoAnswer.as_str(), "no-answer");
/// assert_eq!(CallStatus::from_wire("on-hold"), CallStatus::Other("on-hold".into()));
/// assert!(CallStatus::Busy.is_terminal());
/// ```
impl CallStatus {
    /// `true` for the statuses a call ends in (completed, failed, busy, no-answer, canceled).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            CallStatus::Completed
                | CallStatus::Failed
                | CallStatus::Busy
                | CallStatus::NoAnswer
                | CallStatus::Canceled
        )
    }
}

impl CallEvent {
    /// The progress event a call reaching `status` reports, if any: `initiated` → `Initiated`,
    /// `ringing` → `Ringing`, `in-progress` → `Answered`, every terminal status (completed,
    /// failed, busy, no-answer, canceled) → `Completed`. `queued` and unknown statuses report
    /// no event.
    ///
    /// ```
    /// use mycpaas_core::{CallEvent, CallStatus};
    ///
    /// assert_eq!(CallEvent::for_status(&CallStatus::InProgress), Some(CallEvent::Answered));
    /// assert_eq!(CallEvent::for_status(&CallStatus::Busy), Some(CallEvent::Completed));
    /// assert_eq!(CallEvent::for_status(&CallStatus::Queued), None);
    /// assert_eq!(CallEvent::for_status(&CallStatus::from_wire("on-hold")), None);
    /// ```
    pub fn for_status(status: &CallStatus) -> Option<CallEvent> {
        match status {
            CallStatus::Initiated => Some(CallEvent::Initiated),
            CallStatus::Ringing => Some(CallEvent::Ringing),
            CallStatus::InProgress => Some(CallEvent::Answered),
            terminal if terminal.is_terminal() => Some(CallEvent::Completed),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enums_keep_unknown_values() {
        for status in CallStatus::KNOWN {
            assert_eq!(&CallStatus::from_wire(status.as_str()), status);
        }
        let other: CallStatus = serde_json::from_str("\"paused\"").unwrap();
        assert_eq!(other, CallStatus::Other("paused".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"paused\"");
        let direction: Direction = serde_json::from_str("\"outbound-dial\"").unwrap();
        assert_eq!(direction, Direction::OutboundDial);
        assert_eq!(
            Direction::from_wire("trunking"),
            Direction::Other("trunking".into())
        );
    }

    #[test]
    fn closed_enums_name_the_parameter() {
        let err = "sometimes".parse::<CallEvent>().unwrap_err();
        assert_eq!(err.parameter(), Some("StatusCallbackEvent"));
        assert!(
            err.to_string()
                .contains("initiated, ringing, answered, completed")
        );
        assert_eq!("post".parse::<HttpMethod>().unwrap(), HttpMethod::Post);
        assert_eq!(
            "PUT".parse::<HttpMethod>().unwrap_err().parameter(),
            Some("Method")
        );
        for event in CallEvent::ALL {
            assert_eq!(event.as_str().parse::<CallEvent>().unwrap(), *event);
        }
    }

    #[test]
    fn every_status_has_its_event() {
        let events: Vec<(&str, Option<CallEvent>)> = CallStatus::KNOWN
            .iter()
            .map(|status| (status.as_str(), CallEvent::for_status(status)))
            .collect();
        assert_eq!(
            events,
            [
                ("queued", None),
                ("initiated", Some(CallEvent::Initiated)),
                ("ringing", Some(CallEvent::Ringing)),
                ("in-progress", Some(CallEvent::Answered)),
                ("completed", Some(CallEvent::Completed)),
                ("failed", Some(CallEvent::Completed)),
                ("busy", Some(CallEvent::Completed)),
                ("no-answer", Some(CallEvent::Completed)),
                ("canceled", Some(CallEvent::Completed)),
            ]
        );
        assert_eq!(
            CallEvent::for_status(&CallStatus::Other("completed-ish".into())),
            None
        );
    }

    #[test]
    fn terminal_statuses() {
        assert!(CallStatus::Busy.is_terminal());
        assert!(!CallStatus::Ringing.is_terminal());
        assert!(!CallStatus::Other("x".into()).is_terminal());
    }
}
