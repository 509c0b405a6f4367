//! The enumerations of the wire. Closed sets (values we send) reject unknown text; open sets
//! (values the server sends: call status and direction) keep unknown text in an `Other` variant,
//! because servers add values over time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// Defines an enum whose values the client sends; parsing unknown text is an error naming `$param`.
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

        impl FromStr for $name {
            type Err = Error;
            fn from_str(text: &str) -> Result<Self, Error> {
                $(
                    if text.eq_ignore_ascii_case($wire) {
                        return Ok($name::$variant);
                    }
                )+
                Err(Error::invalid(
                    $param,
                    format!("must be one of {}", [$($wire),+].join(", ")),
                ))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// Defines an enum whose values the server sends; unknown text is kept in `Other`.
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

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok($name::from_wire(text))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok($name::from_wire(&text))
            }
        }
    };
}

open_enum! {
    /// The status of a call.
    ///
    /// ```
    /// use mycpaas_core::CallStatus;
    /// assert_eq!("in-progress".parse::<CallStatus>().unwrap(), CallStatus::InProgress);
    /// assert_eq!(CallStatus::NoAnswer.as_str(), "no-answer");
    /// assert_eq!(CallStatus::from_wire("on-hold"), CallStatus::Other("on-hold".into()));
    /// ```
    CallStatus {
        /// Waiting to be dialed.
        Queued => "queued",
        /// Dialing has started.
        Initiated => "initiated",
        /// The destination is ringing.
        Ringing => "ringing",
        /// Answered and active.
        InProgress => "in-progress",
        /// Ended normally.
        Completed => "completed",
        /// Could not be completed.
        Failed => "failed",
        /// The destination was busy.
        Busy => "busy",
        /// Not answered before the timeout.
        NoAnswer => "no-answer",
        /// Canceled before it was answered.
        Canceled => "canceled",
    }
}

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

open_enum! {
    /// How a call was started.
    Direction {
        /// A call to one of the account's numbers.
        Inbound => "inbound",
        /// A call created through the REST API.
        OutboundApi => "outbound-api",
        /// A call created by a `<Dial>` verb.
        OutboundDial => "outbound-dial",
    }
}

closed_enum! {
    /// A call progress event a status callback can be requested for (`StatusCallbackEvent`).
    CallEvent, "StatusCallbackEvent" {
        /// Dialing started.
        Initiated => "initiated",
        /// The destination is ringing.
        Ringing => "ringing",
        /// The call was answered.
        Answered => "answered",
        /// The call ended.
        Completed => "completed",
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

closed_enum! {
    /// The HTTP method used for a webhook (`Method`, `StatusCallbackMethod`, ...).
    HttpMethod, "Method" {
        /// `GET`, parameters in the query string.
        Get => "GET",
        /// `POST`, parameters as a form body.
        Post => "POST",
    }
}

closed_enum! {
    /// The `Status` of an update: how to end a call.
    UpdateStatus, "Status" {
        /// Ends a queued or ringing call; no effect on a call in progress.
        Canceled => "canceled",
        /// Hangs up the call in any state.
        Completed => "completed",
    }
}

closed_enum! {
    /// `RecordingChannels`.
    RecordingChannels, "RecordingChannels" {
        /// Both legs mixed into one channel.
        Mono => "mono",
        /// One channel per leg.
        Dual => "dual",
    }
}

closed_enum! {
    /// `RecordingTrack`: which audio to record.
    RecordingTrack, "RecordingTrack" {
        /// Audio received by the platform.
        Inbound => "inbound",
        /// Audio sent by the platform.
        Outbound => "outbound",
        /// Both directions.
        Both => "both",
    }
}

closed_enum! {
    /// `RecordingStatusCallbackEvent`.
    RecordingEvent, "RecordingStatusCallbackEvent" {
        /// Recording started.
        InProgress => "in-progress",
        /// Recording finished.
        Completed => "completed",
        /// Recording was absent (nothing recorded).
        Absent => "absent",
    }
}

closed_enum! {
    /// `Trim`: whether leading and trailing silence is removed from recordings.
    Trim, "Trim" {
        /// Remove silence.
        TrimSilence => "trim-silence",
        /// Keep silence.
        DoNotTrim => "do-not-trim",
    }
}

closed_enum! {
    /// `MachineDetection`: answering machine detection mode.
    AnsweredByDetection, "MachineDetection" {
        /// Detect a machine and return as soon as it is known.
        Enable => "Enable",
        /// Detect a machine and wait for the end of its greeting.
        DetectMessageEnd => "DetectMessageEnd",
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
