//! What happened during a call, in order: the record the simulator keeps per call,
//! serves as JSON at `/_sim/calls/{sid}/timeline`, and streams live as [`SimEvent`]s.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The history of one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The call's SID.
    pub call_sid: String,
    /// The account that owns the call.
    pub account_sid: String,
    /// The number called.
    pub to: String,
    /// The caller ID.
    pub from: String,
    /// The call's status when the timeline was taken.
    pub status: String,
    /// `true` once the call has ended and every status callback was delivered or given up.
    pub settled: bool,
    /// Everything that happened, oldest first.
    pub entries: Vec<TimelineEntry>,
}

impl Timeline {
    /// The names of the verbs executed, in order (`["Say", "Gather", ...]`).
    pub fn verbs(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter_map(|e| match &e.event {
                TimelineEvent::Verb { verb, .. } => Some(verb.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The statuses the call went through, in order.
    pub fn statuses(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter_map(|e| match &e.event {
                TimelineEvent::Status { status } => Some(status.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Every document request (voice URL, redirects, actions), in order.
    pub fn documents(&self) -> Vec<&TimelineEvent> {
        self.events_where(|e| matches!(e, TimelineEvent::Document { .. }))
    }

    /// Every status callback attempt, in order of completion.
    pub fn callbacks(&self) -> Vec<&TimelineEvent> {
        self.events_where(|e| matches!(e, TimelineEvent::Callback { .. }))
    }

    /// The events `keep` picks, in order.
    fn events_where(&self, keep: impl Fn(&TimelineEvent) -> bool) -> Vec<&TimelineEvent> {
        self.entries
            .iter()
            .map(|e| &e.event)
            .filter(|e| keep(e))
            .collect()
    }
}

/// One moment of a call's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Simulated time, ISO 8601 with milliseconds (`2026-04-19T10:00:03.250Z`).
    pub at: String,
    /// Simulated milliseconds since the call was created.
    pub offset_ms: u64,
    /// What happened.
    #[serde(flatten)]
    pub event: TimelineEvent,
}

/// What happened at one moment of a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimelineEvent {
    /// The call's status changed.
    Status {
        /// The new status (`queued`, `ringing`, `in-progress`, `completed`, ...).
        status: String,
    },
    /// A LaML document was requested from the customer's web app, or taken inline.
    Document {
        /// Why: `voice`, `fallback`, `redirect`, `gather-action`, `record-action`,
        /// `dial-action`, `inline`, `api-redirect`, `whisper` (a leg's `url`), `hold`, `wait`,
        /// `announce` (in a conference), `enqueue-wait`, `enqueue-action`, `dequeue-url` (a
        /// `<Queue url>`) or `dequeue` (the API's).
        purpose: String,
        /// The URL requested (empty for inline documents).
        url: String,
        /// `GET` or `POST` (empty for inline documents).
        method: String,
        /// The HTTP status the web app answered, when it answered.
        http_status: Option<u16>,
        /// Why the document could not be used, when it could not.
        error: Option<String>,
    },
    /// A verb was executed.
    Verb {
        /// The verb's element name (`Say`, `Gather`, ...).
        verb: String,
        /// A short description of what the simulator did.
        detail: String,
    },
    /// Scripted input was consumed by a `<Gather>`.
    Input {
        /// The digits entered, if any.
        digits: Option<String>,
        /// The speech recognised, if any.
        speech: Option<String>,
    },
    /// A status callback attempt finished.
    Callback {
        /// The event reported (`initiated`, `ringing`, `answered`, `completed`).
        event: String,
        /// The `SequenceNumber` sent.
        sequence: u32,
        /// The callback URL.
        url: String,
        /// 1-based attempt number (at most 3).
        attempt: u32,
        /// The HTTP status the web app answered, when it answered; with `fault`, the status
        /// the fault made its answer count as.
        http_status: Option<u16>,
        /// The injected callback fault that replaced the web app's answer
        /// (`callback_server_error`), if one did: the app still received the request.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fault: Option<String>,
        /// `true` when the web app answered 2xx.
        delivered: bool,
        /// `true` when this was the last attempt and it failed.
        given_up: bool,
    },
    /// A child leg of the call's `<Dial>`, or the parent of a child leg, did something.
    Leg {
        /// The other call: the leg (on the parent's timeline) or the parent (on the leg's).
        leg: String,
        /// What happened: `rang`, `answered`, `bridged`, `ended`, `canceled`, `busy`, `failed`
        /// or `no-answer`.
        event: String,
        /// The number or SIP URI the leg rang.
        to: String,
    },
    /// Something went wrong that ended or degraded the call.
    Error {
        /// What went wrong.
        message: String,
    },
}

/// A live event from the simulator, as printed by `mycpaas-sim` and `mycpaas sim`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimEvent {
    /// The call it concerns.
    pub call_sid: String,
    /// When and what.
    #[serde(flatten)]
    pub entry: TimelineEntry,
}

impl fmt::Display for SimEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `2026-04-19T10:00:03.250Z` -> `10:00:03.250`
        let clock = self.entry.at.get(11..23).unwrap_or(&self.entry.at);
        write!(f, "{clock} {} ", self.call_sid)?;
        match &self.entry.event {
            TimelineEvent::Status { status } => write!(f, "status {status}"),
            TimelineEvent::Document {
                purpose,
                url,
                method,
                http_status,
                error,
            } => {
                if url.is_empty() {
                    write!(f, "document ({purpose}) inline")?;
                } else {
                    write!(f, "document ({purpose}) {method} {url}")?;
                }
                if let Some(code) = http_status {
                    write!(f, " -> {code}")?;
                }
                if let Some(error) = error {
                    write!(f, " error: {error}")?;
                }
                Ok(())
            }
            TimelineEvent::Verb { verb, detail } => write!(f, "<{verb}> {detail}"),
            TimelineEvent::Input { digits, speech } => write!(
                f,
                "input digits={} speech={}",
                digits.as_deref().unwrap_or("-"),
                speech.as_deref().unwrap_or("-")
            ),
            TimelineEvent::Callback {
                event,
                sequence,
                url,
                attempt,
                http_status,
                fault,
                delivered,
                given_up,
            } => {
                let outcome = if *delivered {
                    "delivered"
                } else if *given_up {
                    "given up"
                } else {
                    "failed, will retry"
                };
                write!(f, "callback {event} #{sequence} -> {url} attempt {attempt}")?;
                if let Some(code) = http_status {
                    write!(f, " ({code})")?;
                }
                if let Some(fault) = fault {
                    write!(f, " [{fault}]")?;
                }
                write!(f, " {outcome}")
            }
            TimelineEvent::Leg { leg, event, to } => write!(f, "leg {leg} ({to}) {event}"),
            TimelineEvent::Error { message } => write!(f, "error: {message}"),
        }
    }
}
