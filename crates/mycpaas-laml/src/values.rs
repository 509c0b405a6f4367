//! Restricted attribute values as enums. Closed sets reject other values when parsing strictly;
//! open sets (voices) keep any other value in `Other(String)`.

use std::fmt;

use crate::attr::{AttrValue, ValueError, parse_u32};
use crate::macros::{keywords, keywords_or_number};

keywords! {
    /// HTTP method used to fetch an `action`, `url` or callback.
    closed enum Method {
        /// `GET`
        Get = "GET",
        /// `POST` (the default everywhere in LaML)
        Post = "POST",
    }
}

keywords! {
    /// A `Say` voice. Provider voices (`Polly.Joanna`, `Polly.Joanna-Neural`, `gcloud.<voice>`)
    /// go in `Other`; see [`Voice::polly`] and [`Voice::polly_neural`].
    open enum Voice {
        /// `man`
        Man = "man",
        /// `woman` (the default)
        Woman = "woman",
        /// `alice`
        Alice = "alice",
    }
}

impl Voice {
    /// A standard Amazon Polly voice: `Polly.<name>`.
    pub fn polly(name: &str) -> Voice {
        Voice::Other(format!("Polly.{name}"))
    }

    /// A neural Amazon Polly voice: `Polly.<name>-Neural`.
    pub fn polly_neural(name: &str) -> Voice {
        Voice::Other(format!("Polly.{name}-Neural"))
    }

    /// A Google Cloud voice: `gcloud.<voice>`.
    pub fn gcloud(voice: &str) -> Voice {
        Voice::Other(format!("gcloud.{voice}"))
    }
}

keywords! {
    /// One kind of input a `Gather` listens for; `input` holds a list of them.
    closed enum GatherInput {
        /// `dtmf`: key presses.
        Dtmf = "dtmf",
        /// `speech`: speech recognition.
        Speech = "speech",
    }
}

/// `speechTimeout`: seconds of silence, or `auto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SpeechTimeout {
    /// `auto`: stop when the speaker pauses.
    Auto,
    /// A number of seconds.
    Seconds(u32),
}

impl AttrValue for SpeechTimeout {
    fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match self {
            SpeechTimeout::Auto => f("auto"),
            SpeechTimeout::Seconds(n) => n.with_str(f),
        }
    }

    fn parse_value(raw: &str) -> Result<Self, ValueError> {
        if raw == "auto" {
            return Ok(SpeechTimeout::Auto);
        }
        parse_u32(raw).map(SpeechTimeout::Seconds).map_err(|_| {
            ValueError::new(format!("expected auto or whole seconds, found \"{raw}\""))
        })
    }
}

keywords! {
    /// `record` of `Dial`: whether and from when the call is recorded.
    closed enum DialRecord {
        /// `do-not-record` (the default)
        DoNotRecord = "do-not-record",
        /// `record-from-answer`
        RecordFromAnswer = "record-from-answer",
        /// `record-from-ringing`
        RecordFromRinging = "record-from-ringing",
        /// `record-from-answer-dual`
        RecordFromAnswerDual = "record-from-answer-dual",
        /// `record-from-ringing-dual`
        RecordFromRingingDual = "record-from-ringing-dual",
    }
}

keywords! {
    /// `record` of `Conference`.
    closed enum ConferenceRecord {
        /// `do-not-record` (the default)
        DoNotRecord = "do-not-record",
        /// `record-from-start`
        RecordFromStart = "record-from-start",
    }
}

keywords! {
    /// `trim`: whether silence is trimmed from recordings.
    closed enum Trim {
        /// `do-not-trim`
        DoNotTrim = "do-not-trim",
        /// `trim-silence`
        TrimSilence = "trim-silence",
    }
}

keywords! {
    /// One event of `recordingStatusCallbackEvent`.
    closed enum RecordingEvent {
        /// `in-progress`
        InProgress = "in-progress",
        /// `completed`
        Completed = "completed",
        /// `absent`
        Absent = "absent",
    }
}

keywords! {
    /// `recordingTrack` of `Dial`.
    closed enum RecordingTrack {
        /// `both` (the default)
        Both = "both",
        /// `inbound`
        Inbound = "inbound",
        /// `outbound`
        Outbound = "outbound",
    }
}

keywords! {
    /// One event of `statusCallbackEvent` on `Number` and `Sip`.
    closed enum CallProgressEvent {
        /// `initiated`
        Initiated = "initiated",
        /// `ringing`
        Ringing = "ringing",
        /// `answered`
        Answered = "answered",
        /// `completed`
        Completed = "completed",
    }
}

keywords! {
    /// One event of `statusCallbackEvent` on `Conference`.
    closed enum ConferenceEvent {
        /// `start`
        Start = "start",
        /// `end`
        End = "end",
        /// `join`
        Join = "join",
        /// `leave`
        Leave = "leave",
        /// `mute`
        Mute = "mute",
        /// `hold`
        Hold = "hold",
        /// `speaker`
        Speaker = "speaker",
    }
}

keywords! {
    /// `beep` of `Conference`: when participants hear a beep.
    closed enum ConferenceBeep {
        /// `true`: on enter and exit (the default).
        True = "true",
        /// `false`: never.
        False = "false",
        /// `onEnter`
        OnEnter = "onEnter",
        /// `onExit`
        OnExit = "onExit",
    }
}

keywords! {
    /// `reason` of `Reject`: the signal the caller hears.
    closed enum RejectReason {
        /// `rejected` (the default)
        Rejected = "rejected",
        /// `busy`
        Busy = "busy",
    }
}

keywords! {
    /// `track` of `Stream`.
    closed enum StreamTrack {
        /// `inbound_track`
        InboundTrack = "inbound_track",
        /// `outbound_track`
        OutboundTrack = "outbound_track",
        /// `both_tracks`
        BothTracks = "both_tracks",
    }
}

keywords! {
    /// `strength` of SSML `break`.
    closed enum BreakStrength {
        /// `none`
        None = "none",
        /// `x-weak`
        XWeak = "x-weak",
        /// `weak`
        Weak = "weak",
        /// `medium`
        Medium = "medium",
        /// `strong`
        Strong = "strong",
        /// `x-strong`
        XStrong = "x-strong",
    }
}

keywords! {
    /// `level` of SSML `emphasis`.
    closed enum EmphasisLevel {
        /// `strong`
        Strong = "strong",
        /// `moderate`
        Moderate = "moderate",
        /// `reduced`
        Reduced = "reduced",
    }
}

keywords! {
    /// `alphabet` of SSML `phoneme`.
    closed enum PhonemeAlphabet {
        /// `ipa`
        Ipa = "ipa",
        /// `x-sampa`
        XSampa = "x-sampa",
    }
}

keywords! {
    /// `interpret-as` of SSML `say-as`.
    closed enum InterpretAs {
        /// `characters`
        Characters = "characters",
        /// `spell-out`
        SpellOut = "spell-out",
        /// `cardinal`
        Cardinal = "cardinal",
        /// `number`
        Number = "number",
        /// `ordinal`
        Ordinal = "ordinal",
        /// `digits`
        Digits = "digits",
        /// `fraction`
        Fraction = "fraction",
        /// `unit`
        Unit = "unit",
        /// `date`
        Date = "date",
        /// `time`
        Time = "time",
        /// `telephone`
        Telephone = "telephone",
        /// `address`
        Address = "address",
        /// `interjection`
        Interjection = "interjection",
        /// `expletive`
        Expletive = "expletive",
    }
}

keywords! {
    /// `format` of SSML `say-as` (date order).
    closed enum SayAsFormat {
        /// `mdy`
        Mdy = "mdy",
        /// `dmy`
        Dmy = "dmy",
        /// `ymd`
        Ymd = "ymd",
        /// `md`
        Md = "md",
        /// `dm`
        Dm = "dm",
        /// `ym`
        Ym = "ym",
        /// `my`
        My = "my",
        /// `d`
        D = "d",
        /// `m`
        M = "m",
        /// `y`
        Y = "y",
    }
}

/// `time` of SSML `break`: `Ns` or `Nms` (at most 10 seconds, checked by validation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BreakTime {
    /// Whole seconds, written `Ns`.
    Seconds(u32),
    /// Milliseconds, written `Nms`.
    Milliseconds(u32),
}

impl BreakTime {
    /// The duration in milliseconds (saturating).
    pub fn as_millis(&self) -> u64 {
        match self {
            BreakTime::Seconds(s) => u64::from(*s) * 1000,
            BreakTime::Milliseconds(ms) => u64::from(*ms),
        }
    }
}

impl fmt::Display for BreakTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BreakTime::Seconds(s) => write!(f, "{s}s"),
            BreakTime::Milliseconds(ms) => write!(f, "{ms}ms"),
        }
    }
}

impl AttrValue for BreakTime {
    fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(&self.to_string())
    }

    fn parse_value(raw: &str) -> Result<Self, ValueError> {
        let rule = || ValueError::new(format!("expected a time like 500ms or 2s, found \"{raw}\""));
        if let Some(ms) = raw.strip_suffix("ms") {
            parse_u32(ms)
                .map(BreakTime::Milliseconds)
                .map_err(|_| rule())
        } else if let Some(s) = raw.strip_suffix('s') {
            parse_u32(s).map(BreakTime::Seconds).map_err(|_| rule())
        } else {
            Err(rule())
        }
    }
}

/// Reads `+N`/`-N`/`N` followed by `suffix` as a signed number.
fn parse_signed(raw: &str, suffix: &str) -> Option<i32> {
    let number = raw.strip_suffix(suffix)?;
    let (negative, digits) = match number.as_bytes().first()? {
        b'+' => (false, &number[1..]),
        b'-' => (true, &number[1..]),
        _ => (false, number),
    };
    let magnitude = i32::try_from(parse_u32(digits).ok()?).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// Writes a signed number with an explicit sign, as SSML relative values are written.
fn signed(n: i32, suffix: &str) -> String {
    if n < 0 {
        format!("{n}{suffix}")
    } else {
        format!("+{n}{suffix}")
    }
}

keywords_or_number! {
    /// `volume` of SSML `prosody`.
    enum ProsodyVolume {
        Default = "default", Silent = "silent", XSoft = "x-soft", Soft = "soft",
        Medium = "medium", Loud = "loud", XLoud = "x-loud",
    } or {
        /// A change in decibels, written `+NdB` or `-NdB`.
        Decibels(i32) = "±NdB", |db| signed(*db, "dB"), |raw| parse_signed(raw, "dB"),
    }
}

keywords_or_number! {
    /// `rate` of SSML `prosody`.
    enum ProsodyRate {
        XSlow = "x-slow", Slow = "slow", Medium = "medium", Fast = "fast", XFast = "x-fast",
    } or {
        /// A percentage of the normal rate, written `N%`.
        Percent(u32) = "N%",
        |p| format!("{p}%"),
        |raw| raw.strip_suffix('%').and_then(|n| parse_u32(n).ok()),
    }
}

keywords_or_number! {
    /// `pitch` of SSML `prosody`.
    enum ProsodyPitch {
        Default = "default", XLow = "x-low", Low = "low", Medium = "medium", High = "high",
        XHigh = "x-high",
    } or {
        /// A relative change, written `+N%` or `-N%`.
        Percent(i32) = "±N%", |p| signed(*p, "%"), |raw| parse_signed(raw, "%"),
    }
}
