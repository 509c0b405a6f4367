//! `Dial` and its nouns: `Number`, `Sip`, `Conference`, `Queue`.

use std::fmt;

use crate::UnknownElement;
use crate::attr::{AttrValue, ValueError};
use crate::macros::{element, from_text};
use crate::values::{
    CallProgressEvent, ConferenceBeep, ConferenceEvent, ConferenceRecord, DialRecord, Method,
    RecordingEvent, RecordingTrack, Trim,
};

element! {
    /// `<Dial>`: connects the call to numbers, SIP endpoints, a conference or a queue.
    ///
    /// Only nouns can be nested, so other nesting cannot be built. A bare number may be given
    /// as text instead of (or, unusually, besides) nouns.
    ///
    /// ```
    /// use mycpaas_laml::{Dial, Number};
    /// let dial = Dial::new()
    ///     .timeout(20)
    ///     .number("+15551230001")
    ///     .number(Number::new("+15551230002").send_digits("ww1"));
    /// assert_eq!(dial.nouns.len(), 2);
    /// ```
    pub struct Dial = "Dial" {
        /// A number written as the element's text (`<Dial>+15551230000</Dial>`).
        pub bare_number: Option<String>,
        /// The nouns, rung in order (Numbers in parallel).
        pub nouns: Vec<DialNoun>,
    }
    /// A `Dial` without nouns.
    new()
    attributes {
        /// Where to go when the dialed party hangs up.
        into action: String = "action",
        /// Answer the caller only when the dialed party answers.
        copy answer_on_bridge: bool = "answerOnBridge",
        /// Caller ID shown to the dialed party.
        into caller_id: String = "callerId",
        /// The caller can press `*` to hang up the dialed party.
        copy hangup_on_star: bool = "hangupOnStar",
        /// HTTP method for `action`.
        copy method: Method = "method",
        /// Whether and from when the call is recorded.
        copy record: DialRecord = "record",
        /// Where recording status is sent.
        into recording_status_callback: String = "recordingStatusCallback",
        /// Recording events reported, written space-separated.
        into recording_status_callback_event: Vec<RecordingEvent> = "recordingStatusCallbackEvent",
        /// HTTP method for `recordingStatusCallback`.
        copy recording_status_callback_method: Method = "recordingStatusCallbackMethod",
        /// Which audio track is recorded.
        copy recording_track: RecordingTrack = "recordingTrack",
        /// Ring tone country code, e.g. `us`.
        into ring_tone: String = "ringTone",
        /// Maximum call length in seconds.
        copy time_limit: u32 = "timeLimit",
        /// Seconds to ring (5–600).
        copy timeout: u32 = "timeout",
        /// Whether silence is trimmed from the recording.
        copy trim: Trim = "trim",
    }
}

impl Dial {
    /// Sets the bare number text.
    pub fn bare_number(mut self, number: impl Into<String>) -> Self {
        self.bare_number = Some(number.into());
        self
    }

    /// Adds a `Number`.
    pub fn number(self, number: impl Into<Number>) -> Self {
        self.noun(DialNoun::Number(number.into()))
    }

    /// Adds a `Sip` endpoint.
    pub fn sip(self, sip: impl Into<Sip>) -> Self {
        self.noun(DialNoun::Sip(sip.into()))
    }

    /// Adds a `Conference`.
    pub fn conference(self, conference: impl Into<Conference>) -> Self {
        self.noun(DialNoun::Conference(conference.into()))
    }

    /// Adds a `Queue`.
    pub fn queue(self, queue: impl Into<Queue>) -> Self {
        self.noun(DialNoun::Queue(queue.into()))
    }

    /// Adds any noun.
    pub fn noun(mut self, noun: impl Into<DialNoun>) -> Self {
        self.nouns.push(noun.into());
        self
    }
}

/// A noun nested in `Dial`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DialNoun {
    /// `<Number>`
    Number(Number),
    /// `<Sip>`
    Sip(Sip),
    /// `<Conference>`
    Conference(Conference),
    /// `<Queue>`
    Queue(Queue),
    /// An element this crate does not know (lenient parsing only).
    Unknown(UnknownElement),
}

impl DialNoun {
    /// The element name.
    pub fn element_name(&self) -> &str {
        match self {
            DialNoun::Number(_) => Number::ELEMENT_NAME,
            DialNoun::Sip(_) => Sip::ELEMENT_NAME,
            DialNoun::Conference(_) => Conference::ELEMENT_NAME,
            DialNoun::Queue(_) => Queue::ELEMENT_NAME,
            DialNoun::Unknown(e) => &e.name,
        }
    }
}

macro_rules! noun_from {
    ($($variant:ident),*) => {
        $(impl From<$variant> for DialNoun {
            fn from(noun: $variant) -> Self {
                DialNoun::$variant(noun)
            }
        })*
    };
}

noun_from!(Number, Sip, Conference, Queue);
from_text!(
    Number => Number::new,
    Sip => Sip::new,
    Conference => Conference::new,
    Queue => Queue::new,
    SipPassword => SipPassword::new,
);

element! {
    /// `<Number>`: a phone number to ring.
    pub struct Number = "Number" {
        /// The E.164 number, e.g. `+15551230000`.
        pub number: String,
    }
    /// Rings `number`.
    new(number)
    attributes {
        /// HTTP method for `url`.
        copy method: Method = "method",
        /// DTMF digits sent when the call is answered (`0-9*#w`).
        into send_digits: String = "sendDigits",
        /// Where call progress is sent.
        into status_callback: String = "statusCallback",
        /// Call progress events reported, written space-separated.
        into status_callback_event: Vec<CallProgressEvent> = "statusCallbackEvent",
        /// HTTP method for `statusCallback`.
        copy status_callback_method: Method = "statusCallbackMethod",
        /// A document run for the called party before connecting.
        into url: String = "url",
    }
}

/// A SIP password: written into the document, but never shown by `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SipPassword(String);

impl SipPassword {
    /// Wraps a password.
    pub fn new(password: impl Into<String>) -> Self {
        SipPassword(password.into())
    }

    /// The password itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SipPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SipPassword(<redacted>)")
    }
}

impl AttrValue for SipPassword {
    fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(&self.0)
    }

    fn parse_value(raw: &str) -> Result<Self, ValueError> {
        Ok(SipPassword::new(raw))
    }
}

element! {
    /// `<Sip>`: a SIP endpoint to ring.
    pub struct Sip = "Sip" {
        /// The SIP URI, e.g. `sip:alice@example.com`.
        pub uri: String,
    }
    /// Rings `uri`.
    new(uri)
    attributes {
        /// HTTP method for `url`.
        copy method: Method = "method",
        /// Password for SIP authentication (redacted in `Debug`).
        into password: SipPassword = "password",
        /// Where call progress is sent.
        into status_callback: String = "statusCallback",
        /// Call progress events reported, written space-separated.
        into status_callback_event: Vec<CallProgressEvent> = "statusCallbackEvent",
        /// HTTP method for `statusCallback`.
        copy status_callback_method: Method = "statusCallbackMethod",
        /// A document run for the called party before connecting.
        into url: String = "url",
        /// User name for SIP authentication.
        into username: String = "username",
    }
}

element! {
    /// `<Conference>`: joins a conference room. Must be the only noun of its `Dial`.
    pub struct Conference = "Conference" {
        /// The room name.
        pub name: String,
    }
    /// Joins room `name`.
    new(name)
    attributes {
        /// When participants hear a beep.
        copy beep: ConferenceBeep = "beep",
        /// Call SID of a participant this one coaches.
        into coach: String = "coach",
        /// End the conference when this participant leaves.
        copy end_conference_on_exit: bool = "endConferenceOnExit",
        /// Maximum number of participants.
        copy max_participants: u32 = "maxParticipants",
        /// Join muted.
        copy muted: bool = "muted",
        /// Whether the conference is recorded.
        copy record: ConferenceRecord = "record",
        /// Where recording status is sent.
        into recording_status_callback: String = "recordingStatusCallback",
        /// Recording events reported, written space-separated.
        into recording_status_callback_event: Vec<RecordingEvent> = "recordingStatusCallbackEvent",
        /// HTTP method for `recordingStatusCallback`.
        copy recording_status_callback_method: Method = "recordingStatusCallbackMethod",
        /// Start the conference when this participant joins.
        copy start_conference_on_enter: bool = "startConferenceOnEnter",
        /// Where conference events are sent.
        into status_callback: String = "statusCallback",
        /// Conference events reported, written space-separated.
        into status_callback_event: Vec<ConferenceEvent> = "statusCallbackEvent",
        /// HTTP method for `statusCallback`.
        copy status_callback_method: Method = "statusCallbackMethod",
        /// Whether silence is trimmed from the recording.
        copy trim: Trim = "trim",
        /// HTTP method for `waitUrl`.
        copy wait_method: Method = "waitMethod",
        /// Document played while waiting for the conference to start.
        into wait_url: String = "waitUrl",
    }
}

element! {
    /// `<Queue>`: connects to the first caller waiting in a queue.
    pub struct Queue = "Queue" {
        /// The queue name.
        pub name: String,
    }
    /// Connects to queue `name`.
    new(name)
    attributes {
        /// HTTP method for `url`.
        copy method: Method = "method",
        /// A document run for the dequeued caller before connecting.
        into url: String = "url",
    }
}
