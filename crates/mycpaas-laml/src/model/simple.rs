//! The verbs without nested verbs: `Play`, `Pause`, `Record`, `Hangup`, `Redirect`, `Reject`,
//! `Enqueue`, `Leave`, `Sms`, `Refer`, `Echo`.

use crate::macros::{element, from_text};
use crate::values::{Method, RecordingEvent, RejectReason, Trim};

element! {
    /// `<Play>`: plays an audio file (MP3/WAV), or sends DTMF `digits`.
    pub struct Play = "Play" {
        /// The audio URL (empty when only `digits` are sent).
        pub url: String,
    }
    /// Plays the audio at `url`.
    new(url)
    attributes {
        /// DTMF digits to send (`0-9*#w`; not inside `Gather`).
        into digits: String = "digits",
        /// Times to play; 0 repeats until the call ends.
        copy loop_count: u32 = "loop",
    }
}

impl Play {
    /// Sends DTMF `digits` (no audio).
    pub fn send_digits(digits: impl Into<String>) -> Self {
        Play::default().digits(digits)
    }
}

from_text!(Play => Play::new);

element! {
    /// `<Pause>`: waits silently.
    pub struct Pause = "Pause" {}
    /// A one-second pause (the default length).
    new()
    attributes {
        /// Seconds to wait (default 1).
        copy length: u32 = "length",
    }
}

impl Pause {
    /// A pause of `seconds`.
    pub fn seconds(seconds: u32) -> Self {
        Pause::new().length(seconds)
    }
}

element! {
    /// `<Record>`: records the caller, then goes to `action`. Verbs after it do not run.
    pub struct Record = "Record" {}
    /// A `Record` with default attributes.
    new()
    attributes {
        /// Where the recording is sent (default: the current document URL).
        into action: String = "action",
        /// Keys that end the recording (`0-9*#`).
        into finish_on_key: String = "finishOnKey",
        /// Maximum length in seconds.
        copy max_length: u32 = "maxLength",
        /// HTTP method for `action`.
        copy method: Method = "method",
        /// Beep before recording.
        copy play_beep: bool = "playBeep",
        /// Where recording status is sent.
        into recording_status_callback: String = "recordingStatusCallback",
        /// Recording events reported, written space-separated.
        into recording_status_callback_event: Vec<RecordingEvent> = "recordingStatusCallbackEvent",
        /// HTTP method for `recordingStatusCallback`.
        copy recording_status_callback_method: Method = "recordingStatusCallbackMethod",
        /// Seconds of silence that end the recording.
        copy timeout: u32 = "timeout",
        /// Transcribe the recording.
        copy transcribe: bool = "transcribe",
        /// Where the transcription is sent.
        into transcribe_callback: String = "transcribeCallback",
        /// Whether silence is trimmed.
        copy trim: Trim = "trim",
    }
}

element! {
    /// `<Hangup>`: ends the call.
    pub struct Hangup = "Hangup" {}
    /// Ends the call.
    new()
    attributes {}
}

element! {
    /// `<Redirect>`: continues with the document at a URL.
    pub struct Redirect = "Redirect" {
        /// The URL of the next document.
        pub url: String,
    }
    /// Continues at `url`.
    new(url)
    attributes {
        /// HTTP method for the URL.
        copy method: Method = "method",
    }
}

impl From<&str> for Redirect {
    fn from(url: &str) -> Self {
        Redirect::new(url)
    }
}

element! {
    /// `<Reject>`: refuses an incoming call without answering it.
    pub struct Reject = "Reject" {}
    /// Rejects with the default reason.
    new()
    attributes {
        /// The signal the caller hears.
        copy reason: RejectReason = "reason",
    }
}

element! {
    /// `<Enqueue>`: puts the caller in a queue.
    pub struct Enqueue = "Enqueue" {
        /// The queue name.
        pub name: String,
    }
    /// Enqueues into `name`.
    new(name)
    attributes {
        /// Where to go when the caller leaves the queue.
        into action: String = "action",
        /// HTTP method for `action`.
        copy method: Method = "method",
        /// Document played while waiting (may not hold Dial, Gather, Hangup or Record).
        into wait_url: String = "waitUrl",
        /// HTTP method for `waitUrl`.
        copy wait_url_method: Method = "waitUrlMethod",
    }
}

element! {
    /// `<Leave>`: takes the caller out of its queue.
    pub struct Leave = "Leave" {}
    /// Leaves the queue.
    new()
    attributes {}
}

element! {
    /// `<Sms>`: sends a text message during the call.
    pub struct Sms = "Sms" {
        /// The message body (fewer than 1600 characters).
        pub body: String,
    }
    /// Sends `body`.
    new(body)
    attributes {
        /// Where to go once the message is sent.
        into action: String = "action",
        /// The sender number.
        into from: String = "from",
        /// HTTP method for `action`.
        copy method: Method = "method",
        /// Where message status is sent.
        into status_callback: String = "statusCallback",
        /// The recipient number.
        into to: String = "to",
    }
}

element! {
    /// `<Refer>`: transfers a SIP call elsewhere with a SIP REFER.
    pub struct Refer = "Refer" {
        /// The one `Sip` child: where the call is transferred.
        pub sip: Option<ReferSip>,
    }
    attributes {
        /// Where to go after the transfer.
        into action: String = "action",
        /// HTTP method for `action`.
        copy method: Method = "method",
    }
}

impl Refer {
    /// Refers the call to SIP `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        Refer {
            sip: Some(ReferSip::new(uri)),
            ..Self::default()
        }
    }
}

element! {
    /// `<Sip>` inside `Refer`: the transfer target.
    pub struct ReferSip = "Sip" {
        /// The SIP URI.
        pub uri: String,
    }
    /// Targets `uri`.
    new(uri)
    attributes {}
}

element! {
    /// `<Echo>`: plays the caller's audio back (a connectivity test).
    pub struct Echo = "Echo" {}
    /// Echoes for the default time.
    new()
    attributes {
        /// Seconds to echo (5–120, default 60).
        copy timeout: u32 = "timeout",
    }
}
