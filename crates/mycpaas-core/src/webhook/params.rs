//! Typed views of webhook form parameters. Parsing takes the parameters it knows and keeps the
//! rest in `extra`, in order, so nothing is lost; [`to_pairs`](VoiceRequest::to_pairs) writes them
//! back (the simulator uses it to send callbacks).

use time::OffsetDateTime;

use super::signature::FormPair;
use crate::error::{Error, Result};
use crate::model::wire::{format_date, parse_date};
use crate::types::{
    CallStatus, ConferenceCallbackEvent, Direction, QueueResult, RecordingSource, RecordingStatus,
    TranscriptionStatus,
};

/// Collects pairs and hands out the known ones by name.
struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    fn new<I>(pairs: I) -> Self
    where
        I: IntoIterator,
        I::Item: FormPair,
    {
        Form {
            pairs: pairs
                .into_iter()
                .map(|p| (p.name().to_owned(), p.value().to_owned()))
                .collect(),
        }
    }

    /// Removes the first parameter named `name` and returns its value.
    fn take(&mut self, name: &str) -> Option<String> {
        let index = self.pairs.iter().position(|(n, _)| n == name)?;
        Some(self.pairs.remove(index).1)
    }

    fn take_number(&mut self, name: &'static str) -> Result<Option<u64>> {
        match self.take(name) {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Ok(None),
            Some(text) => text.trim().parse().map(Some).map_err(|_| {
                Error::invalid(name, format!("must be a whole number (got {text:?})"))
            }),
        }
    }

    fn take_float(&mut self, name: &'static str) -> Result<Option<f64>> {
        match self.take(name) {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Ok(None),
            Some(text) => match text.trim().parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(Some(value)),
                _ => Err(Error::invalid(
                    name,
                    format!("must be a number (got {text:?})"),
                )),
            },
        }
    }

    fn take_date(&mut self, name: &'static str) -> Result<Option<OffsetDateTime>> {
        match self.take(name) {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Ok(None),
            Some(text) => parse_date(&text).map(Some).ok_or_else(|| {
                Error::invalid(
                    name,
                    format!("must be an RFC 2822 or ISO 8601 date (got {text:?})"),
                )
            }),
        }
    }

    /// A boolean sent as `true` or `false` (any case).
    fn take_flag(&mut self, name: &'static str) -> Result<Option<bool>> {
        match self.take(name) {
            None => Ok(None),
            Some(text) if text.trim().is_empty() => Ok(None),
            Some(text) if text.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(text) if text.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(text) => Err(Error::invalid(
                name,
                format!("must be true or false (got {text:?})"),
            )),
        }
    }

    fn rest(self) -> Vec<(String, String)> {
        self.pairs
    }
}

/// Writes pairs back.
struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn text(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.0.push((name.to_owned(), v.to_owned()));
        }
    }

    fn number(&mut self, name: &str, value: Option<impl ToString>) {
        if let Some(v) = value {
            self.0.push((name.to_owned(), v.to_string()));
        }
    }

    fn flag(&mut self, name: &str, value: Option<bool>) {
        if let Some(v) = value {
            self.0.push((name.to_owned(), v.to_string()));
        }
    }

    fn finish(mut self, extra: &[(String, String)]) -> Vec<(String, String)> {
        self.0.extend(extra.iter().cloned());
        self.0
    }
}

/// The parameters every webhook about a call carries.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CallParams {
    /// `AccountSid`.
    pub account_sid: Option<String>,
    /// `ApiVersion`.
    pub api_version: Option<String>,
    /// `CallSid`.
    pub call_sid: Option<String>,
    /// `CallStatus`.
    pub call_status: Option<CallStatus>,
    /// `Direction`.
    pub direction: Option<Direction>,
    /// `From`.
    pub from: Option<String>,
    /// `To`.
    pub to: Option<String>,
    /// `ParentCallSid` (child legs only).
    pub parent_call_sid: Option<String>,
}

impl CallParams {
    fn take(form: &mut Form) -> CallParams {
        CallParams {
            account_sid: form.take("AccountSid"),
            api_version: form.take("ApiVersion"),
            call_sid: form.take("CallSid"),
            call_status: form.take("CallStatus").map(|s| CallStatus::from_wire(&s)),
            direction: form.take("Direction").map(|s| Direction::from_wire(&s)),
            from: form.take("From"),
            to: form.take("To"),
            parent_call_sid: form.take("ParentCallSid"),
        }
    }

    fn write(&self, out: &mut Pairs) {
        out.text("AccountSid", self.account_sid.as_deref());
        out.text("ApiVersion", self.api_version.as_deref());
        out.text("CallSid", self.call_sid.as_deref());
        out.text(
            "CallStatus",
            self.call_status.as_ref().map(CallStatus::as_str),
        );
        out.text("Direction", self.direction.as_ref().map(Direction::as_str));
        out.text("From", self.from.as_deref());
        out.text("To", self.to.as_deref());
        out.text("ParentCallSid", self.parent_call_sid.as_deref());
    }
}

/// Defines `from_pairs` / `to_pairs` for a webhook type with a `call` and an `extra` field.
macro_rules! webhook_form {
    ($name:ident, |$form:ident| $parse:block, |$self_:ident, $out:ident| $write:block) => {
        impl $name {
            /// Parses the form (or query) parameters of the webhook request. Unknown parameters
            /// go to `extra`; a malformed number or date is an [`Error::InvalidInput`] naming it.
            pub fn from_pairs<I>(pairs: I) -> Result<Self>
            where
                I: IntoIterator,
                I::Item: FormPair,
            {
                let mut $form = Form::new(pairs);
                $parse
            }

            /// The parameters, known ones first then `extra`, ready to encode or sign.
            pub fn to_pairs(&$self_) -> Vec<(String, String)> {
                let mut $out = Pairs(Vec::new());
                $self_.call.write(&mut $out);
                $write
                $out.finish(&$self_.extra)
            }
        }
    };
}

/// The request for a voice `Url`: the base call parameters.
///
/// ```
/// use mycpaas_core::{CallStatus, webhook::VoiceRequest};
///
/// let form = [("CallSid", "CA1"), ("CallStatus", "ringing"), ("Caller", "+4912")];
/// let request = VoiceRequest::from_pairs(form).unwrap();
/// assert_eq!(request.call.call_status, Some(CallStatus::Ringing));
/// assert_eq!(request.extra, [("Caller".to_string(), "+4912".to_string())]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct VoiceRequest {
    /// The base call parameters.
    pub call: CallParams,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    VoiceRequest,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(VoiceRequest {
            call,
            extra: form.rest(),
        })
    },
    |self, out| {}
);

/// A status callback: base parameters plus `CallbackSource`, `SequenceNumber` (from 0, may
/// arrive out of order), `Timestamp`, and `CallDuration` on the terminal event.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct StatusCallback {
    /// The base call parameters.
    pub call: CallParams,
    /// `CallbackSource` (`call-progress-events`).
    pub callback_source: Option<String>,
    /// `SequenceNumber`: orders the events of one call.
    pub sequence_number: Option<u64>,
    /// `Timestamp` of the event.
    pub timestamp: Option<OffsetDateTime>,
    /// `CallDuration` in seconds (terminal event only).
    pub call_duration: Option<u64>,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    StatusCallback,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(StatusCallback {
            call,
            callback_source: form.take("CallbackSource"),
            sequence_number: form.take_number("SequenceNumber")?,
            timestamp: form.take_date("Timestamp")?,
            call_duration: form.take_number("CallDuration")?,
            extra: form.rest(),
        })
    },
    |self, out| {
        out.text("CallbackSource", self.callback_source.as_deref());
        out.number("SequenceNumber", self.sequence_number);
        out.text("Timestamp", self.timestamp.map(format_rfc2822).as_deref());
        out.number("CallDuration", self.call_duration);
    }
);

/// Status callback timestamps are written in RFC 2822, as servers of this API shape do.
fn format_rfc2822(date: OffsetDateTime) -> String {
    date.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_else(|_| format_date(date))
}

/// The `<Gather>` action request.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct GatherResult {
    /// The base call parameters.
    pub call: CallParams,
    /// `Digits` pressed.
    pub digits: Option<String>,
    /// `SpeechResult`: the transcribed speech.
    pub speech_result: Option<String>,
    /// `Confidence` of the transcription (0.0–1.0).
    pub confidence: Option<f64>,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    GatherResult,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(GatherResult {
            call,
            digits: form.take("Digits"),
            speech_result: form.take("SpeechResult"),
            confidence: form.take_float("Confidence")?,
            extra: form.rest(),
        })
    },
    |self, out| {
        out.text("Digits", self.digits.as_deref());
        out.text("SpeechResult", self.speech_result.as_deref());
        out.number("Confidence", self.confidence);
    }
);

/// The `<Record>` action request.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RecordResult {
    /// The base call parameters.
    pub call: CallParams,
    /// `RecordingUrl`.
    pub recording_url: Option<String>,
    /// `RecordingDuration` in seconds.
    pub recording_duration: Option<u64>,
    /// `RecordingSid`.
    pub recording_sid: Option<String>,
    /// `Digits`: the key that ended the recording, if any.
    pub digits: Option<String>,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    RecordResult,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(RecordResult {
            call,
            recording_url: form.take("RecordingUrl"),
            recording_duration: form.take_number("RecordingDuration")?,
            recording_sid: form.take("RecordingSid"),
            digits: form.take("Digits"),
            extra: form.rest(),
        })
    },
    |self, out| {
        out.text("RecordingUrl", self.recording_url.as_deref());
        out.number("RecordingDuration", self.recording_duration);
        out.text("RecordingSid", self.recording_sid.as_deref());
        out.text("Digits", self.digits.as_deref());
    }
);

/// The `<Dial>` action request.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct DialResult {
    /// The base call parameters.
    pub call: CallParams,
    /// `DialCallStatus`: how the dialed leg ended.
    pub dial_call_status: Option<CallStatus>,
    /// `DialCallSid`: the dialed leg.
    pub dial_call_sid: Option<String>,
    /// `DialCallDuration` in seconds.
    pub dial_call_duration: Option<u64>,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    DialResult,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(DialResult {
            call,
            dial_call_status: form
                .take("DialCallStatus")
                .map(|s| CallStatus::from_wire(&s)),
            dial_call_sid: form.take("DialCallSid"),
            dial_call_duration: form.take_number("DialCallDuration")?,
            extra: form.rest(),
        })
    },
    |self, out| {
        out.text(
            "DialCallStatus",
            self.dial_call_status.as_ref().map(CallStatus::as_str),
        );
        out.text("DialCallSid", self.dial_call_sid.as_deref());
        out.number("DialCallDuration", self.dial_call_duration);
    }
);

/// A recording status callback (`RecordingStatusCallback`): a recording started, completed, or
/// recorded nothing (`absent`). `call.account_sid` and `call.call_sid` are the base parameters
/// it carries.
///
/// ```
/// use mycpaas_core::webhook::RecordingStatusCallback;
/// use mycpaas_core::RecordingStatus;
///
/// let form = [("CallSid", "CA1"), ("RecordingSid", "RE1"), ("RecordingStatus", "completed"),
///             ("RecordingDuration", "5"), ("RecordingUrl", "https://x/Recordings/RE1")];
/// let callback = RecordingStatusCallback::from_pairs(form).unwrap();
/// assert_eq!(callback.recording_status, Some(RecordingStatus::Completed));
/// assert_eq!(callback.recording_duration, Some(5));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RecordingStatusCallback {
    /// The base call parameters (`AccountSid`, `CallSid`).
    pub call: CallParams,
    /// `RecordingSid`.
    pub recording_sid: Option<String>,
    /// `RecordingUrl`: the audio, without an extension.
    pub recording_url: Option<String>,
    /// `RecordingStatus` (`in-progress`, `completed`, `absent`).
    pub recording_status: Option<RecordingStatus>,
    /// `RecordingDuration` in seconds.
    pub recording_duration: Option<u64>,
    /// `RecordingChannels` (1 or 2).
    pub recording_channels: Option<u64>,
    /// `RecordingSource` (`RecordVerb`, `StartCallRecordingAPI`, ...).
    pub recording_source: Option<RecordingSource>,
    /// `RecordingStartTime`.
    pub recording_start_time: Option<OffsetDateTime>,
    /// `ConferenceSid`, when a conference recorded.
    pub conference_sid: Option<String>,
    /// `ErrorCode`, when the recording failed.
    pub error_code: Option<String>,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    RecordingStatusCallback,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(RecordingStatusCallback {
            call,
            recording_sid: form.take("RecordingSid"),
            recording_url: form.take("RecordingUrl"),
            recording_status: form
                .take("RecordingStatus")
                .map(|s| RecordingStatus::from_wire(&s)),
            recording_duration: form.take_number("RecordingDuration")?,
            recording_channels: form.take_number("RecordingChannels")?,
            recording_source: form
                .take("RecordingSource")
                .map(|s| RecordingSource::from_wire(&s)),
            recording_start_time: form.take_date("RecordingStartTime")?,
            conference_sid: form.take("ConferenceSid"),
            error_code: form.take("ErrorCode"),
            extra: form.rest(),
        })
    },
    |self, out| {
        out.text("RecordingSid", self.recording_sid.as_deref());
        out.text("RecordingUrl", self.recording_url.as_deref());
        out.text(
            "RecordingStatus",
            self.recording_status.as_ref().map(RecordingStatus::as_str),
        );
        out.number("RecordingDuration", self.recording_duration);
        out.number("RecordingChannels", self.recording_channels);
        out.text(
            "RecordingSource",
            self.recording_source.as_ref().map(RecordingSource::as_str),
        );
        out.text(
            "RecordingStartTime",
            self.recording_start_time.map(format_rfc2822).as_deref(),
        );
        out.text("ConferenceSid", self.conference_sid.as_deref());
        out.text("ErrorCode", self.error_code.as_deref());
    }
);

/// A transcription callback (`transcribeCallback` of `<Record>`): the text of a recording, or
/// its failure.
///
/// ```
/// use mycpaas_core::webhook::TranscriptionCallback;
/// use mycpaas_core::TranscriptionStatus;
///
/// let form = [("TranscriptionSid", "TR1"), ("TranscriptionText", "call me back"),
///             ("TranscriptionStatus", "completed"), ("RecordingSid", "RE1")];
/// let callback = TranscriptionCallback::from_pairs(form).unwrap();
/// assert_eq!(callback.transcription_status, Some(TranscriptionStatus::Completed));
/// assert_eq!(callback.transcription_text.as_deref(), Some("call me back"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct TranscriptionCallback {
    /// The base call parameters.
    pub call: CallParams,
    /// `TranscriptionSid`.
    pub transcription_sid: Option<String>,
    /// `TranscriptionText`.
    pub transcription_text: Option<String>,
    /// `TranscriptionStatus` (`completed`, `failed`).
    pub transcription_status: Option<TranscriptionStatus>,
    /// `TranscriptionUrl`: the transcription resource.
    pub transcription_url: Option<String>,
    /// `RecordingSid`.
    pub recording_sid: Option<String>,
    /// `RecordingUrl`.
    pub recording_url: Option<String>,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    TranscriptionCallback,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(TranscriptionCallback {
            call,
            transcription_sid: form.take("TranscriptionSid"),
            transcription_text: form.take("TranscriptionText"),
            transcription_status: form
                .take("TranscriptionStatus")
                .map(|s| TranscriptionStatus::from_wire(&s)),
            transcription_url: form.take("TranscriptionUrl"),
            recording_sid: form.take("RecordingSid"),
            recording_url: form.take("RecordingUrl"),
            extra: form.rest(),
        })
    },
    |self, out| {
        out.text("TranscriptionSid", self.transcription_sid.as_deref());
        out.text("TranscriptionText", self.transcription_text.as_deref());
        out.text(
            "TranscriptionStatus",
            self.transcription_status
                .as_ref()
                .map(TranscriptionStatus::as_str),
        );
        out.text("TranscriptionUrl", self.transcription_url.as_deref());
        out.text("RecordingSid", self.recording_sid.as_deref());
        out.text("RecordingUrl", self.recording_url.as_deref());
    }
);

/// A conference status callback (`<Conference statusCallback>`): the conference started or
/// ended, or a participant joined, left or changed. `call.call_sid` is the participant of a
/// participant's event; `call.account_sid` the account.
///
/// ```
/// use mycpaas_core::webhook::ConferenceStatusCallback;
/// use mycpaas_core::ConferenceCallbackEvent;
///
/// let form = [("ConferenceSid", "CF1"), ("FriendlyName", "support"), ("CallSid", "CA1"),
///             ("StatusCallbackEvent", "participant-join"), ("SequenceNumber", "2"),
///             ("Muted", "false"), ("EndConferenceOnExit", "true")];
/// let callback = ConferenceStatusCallback::from_pairs(form).unwrap();
/// assert_eq!(callback.status_callback_event, Some(ConferenceCallbackEvent::ParticipantJoin));
/// assert_eq!((callback.sequence_number, callback.muted), (Some(2), Some(false)));
/// assert_eq!(callback.call.call_sid.as_deref(), Some("CA1"));
/// assert!(ConferenceStatusCallback::from_pairs([("Hold", "maybe")]).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ConferenceStatusCallback {
    /// The base parameters (`AccountSid`; `CallSid` for a participant's event).
    pub call: CallParams,
    /// `ConferenceSid`.
    pub conference_sid: Option<String>,
    /// `FriendlyName`: the room name.
    pub friendly_name: Option<String>,
    /// `StatusCallbackEvent` (`conference-start`, `participant-join`, ...).
    pub status_callback_event: Option<ConferenceCallbackEvent>,
    /// `SequenceNumber`: the order of the conference's callbacks, from 1.
    pub sequence_number: Option<u64>,
    /// `Timestamp`.
    pub timestamp: Option<OffsetDateTime>,
    /// `Muted`.
    pub muted: Option<bool>,
    /// `Hold`.
    pub hold: Option<bool>,
    /// `StartConferenceOnEnter`.
    pub start_conference_on_enter: Option<bool>,
    /// `EndConferenceOnExit`.
    pub end_conference_on_exit: Option<bool>,
    /// `ReasonConferenceEnded`, on `conference-end`.
    pub reason_conference_ended: Option<String>,
    /// `CallSidEndingConference`.
    pub call_sid_ending_conference: Option<String>,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    ConferenceStatusCallback,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(ConferenceStatusCallback {
            call,
            conference_sid: form.take("ConferenceSid"),
            friendly_name: form.take("FriendlyName"),
            status_callback_event: form
                .take("StatusCallbackEvent")
                .map(|s| ConferenceCallbackEvent::from_wire(&s)),
            sequence_number: form.take_number("SequenceNumber")?,
            timestamp: form.take_date("Timestamp")?,
            muted: form.take_flag("Muted")?,
            hold: form.take_flag("Hold")?,
            start_conference_on_enter: form.take_flag("StartConferenceOnEnter")?,
            end_conference_on_exit: form.take_flag("EndConferenceOnExit")?,
            reason_conference_ended: form.take("ReasonConferenceEnded"),
            call_sid_ending_conference: form.take("CallSidEndingConference"),
            extra: form.rest(),
        })
    },
    |self, out| {
        out.text("ConferenceSid", self.conference_sid.as_deref());
        out.text("FriendlyName", self.friendly_name.as_deref());
        out.text(
            "StatusCallbackEvent",
            self.status_callback_event
                .as_ref()
                .map(ConferenceCallbackEvent::as_str),
        );
        out.number("SequenceNumber", self.sequence_number);
        out.text("Timestamp", self.timestamp.map(format_rfc2822).as_deref());
        out.flag("Muted", self.muted);
        out.flag("Hold", self.hold);
        out.flag("StartConferenceOnEnter", self.start_conference_on_enter);
        out.flag("EndConferenceOnExit", self.end_conference_on_exit);
        out.text(
            "ReasonConferenceEnded",
            self.reason_conference_ended.as_deref(),
        );
        out.text(
            "CallSidEndingConference",
            self.call_sid_ending_conference.as_deref(),
        );
    }
);

/// A request about a call in a queue: the `waitUrl` request while it waits (`QueuePosition`,
/// `CurrentQueueSize`, `AvgQueueTime`), the `<Enqueue action>` when it left (`QueueResult`), or
/// the `<Dial><Queue url>` request when a dequeue took it (`DequeueingCallSid`). Each carries
/// `QueueSid` and `QueueTime`, and the members its moment has; the others are `None`.
///
/// ```
/// use mycpaas_core::webhook::QueueRequest;
/// use mycpaas_core::QueueResult;
///
/// let form = [("CallSid", "CA1"), ("QueueSid", "QU1"), ("QueueResult", "hangup"),
///             ("QueueTime", "42")];
/// let left = QueueRequest::from_pairs(form).unwrap();
/// assert_eq!(left.queue_result, Some(QueueResult::Hangup));
/// assert_eq!((left.queue_time, left.queue_position), (Some(42), None));
/// assert!(QueueRequest::from_pairs([("QueuePosition", "first")]).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct QueueRequest {
    /// The base call parameters: the call in the queue.
    pub call: CallParams,
    /// `QueueSid`.
    pub queue_sid: Option<String>,
    /// `QueueTime`: how long, in seconds, the call has waited.
    pub queue_time: Option<u64>,
    /// `QueuePosition`: its place, from 1 at the front (wait URL).
    pub queue_position: Option<u64>,
    /// `CurrentQueueSize`: how many calls wait in the queue (wait URL).
    pub current_queue_size: Option<u64>,
    /// `AvgQueueTime`: the average wait of the calls in the queue, in seconds (wait URL).
    pub avg_queue_time: Option<u64>,
    /// `QueueResult`: how the call left the queue (`<Enqueue action>`).
    pub queue_result: Option<QueueResult>,
    /// `DequeueingCallSid`: the call that took it (a dequeue's `url`).
    pub dequeueing_call_sid: Option<String>,
    /// Parameters not listed above, in order.
    pub extra: Vec<(String, String)>,
}

webhook_form!(
    QueueRequest,
    |form| {
        let call = CallParams::take(&mut form);
        Ok(QueueRequest {
            call,
            queue_sid: form.take("QueueSid"),
            queue_time: form.take_number("QueueTime")?,
            queue_position: form.take_number("QueuePosition")?,
            current_queue_size: form.take_number("CurrentQueueSize")?,
            avg_queue_time: form.take_number("AvgQueueTime")?,
            queue_result: form.take("QueueResult").map(|s| QueueResult::from_wire(&s)),
            dequeueing_call_sid: form.take("DequeueingCallSid"),
            extra: form.rest(),
        })
    },
    |self, out| {
        out.text("QueueSid", self.queue_sid.as_deref());
        out.number("QueueTime", self.queue_time);
        out.number("QueuePosition", self.queue_position);
        out.number("CurrentQueueSize", self.current_queue_size);
        out.number("AvgQueueTime", self.avg_queue_time);
        out.text(
            "QueueResult",
            self.queue_result.as_ref().map(QueueResult::as_str),
        );
        out.text("DequeueingCallSid", self.dequeueing_call_sid.as_deref());
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn base() -> Vec<(String, String)> {
        [
            ("AccountSid", "AC1"),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", "CA1"),
            ("CallStatus", "completed"),
            ("Direction", "outbound-api"),
            ("From", "+4911"),
            ("To", "+4922"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
    }

    fn with(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut pairs = base();
        pairs.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string())),
        );
        pairs
    }

    #[test]
    fn status_callback() {
        let pairs = with(&[
            ("CallbackSource", "call-progress-events"),
            ("SequenceNumber", "3"),
            ("Timestamp", "Tue, 31 Aug 2010 20:36:28 +0000"),
            ("CallDuration", "42"),
            ("Custom", "kept"),
        ]);
        let cb = StatusCallback::from_pairs(&pairs).unwrap();
        assert_eq!(cb.call.call_sid.as_deref(), Some("CA1"));
        assert_eq!(cb.call.call_status, Some(CallStatus::Completed));
        assert_eq!(cb.call.direction, Some(Direction::OutboundApi));
        assert_eq!(cb.sequence_number, Some(3));
        assert_eq!(cb.timestamp, Some(datetime!(2010-08-31 20:36:28 UTC)));
        assert_eq!(cb.call_duration, Some(42));
        assert_eq!(cb.extra, [("Custom".to_string(), "kept".to_string())]);
        assert_eq!(cb.to_pairs(), pairs);
        assert_eq!(StatusCallback::from_pairs(cb.to_pairs()).unwrap(), cb);
    }

    #[test]
    fn bad_numbers_name_the_parameter() {
        let err = StatusCallback::from_pairs(with(&[("SequenceNumber", "x")])).unwrap_err();
        assert_eq!(err.parameter(), Some("SequenceNumber"));
        let err = GatherResult::from_pairs(with(&[("Confidence", "high")])).unwrap_err();
        assert_eq!(err.parameter(), Some("Confidence"));
        let err = StatusCallback::from_pairs(with(&[("Timestamp", "later")])).unwrap_err();
        assert_eq!(err.parameter(), Some("Timestamp"));
    }

    #[test]
    fn gather_record_dial() {
        let g = GatherResult::from_pairs(with(&[
            ("Digits", "12#"),
            ("SpeechResult", "sales please"),
            ("Confidence", "0.87"),
        ]))
        .unwrap();
        assert_eq!(g.digits.as_deref(), Some("12#"));
        assert_eq!(g.speech_result.as_deref(), Some("sales please"));
        assert_eq!(g.confidence, Some(0.87));
        assert_eq!(GatherResult::from_pairs(g.to_pairs()).unwrap(), g);

        let r = RecordResult::from_pairs(with(&[
            ("RecordingUrl", "https://x/RE1"),
            ("RecordingDuration", "7"),
            ("RecordingSid", "RE1"),
            ("Digits", "#"),
        ]))
        .unwrap();
        assert_eq!(r.recording_duration, Some(7));
        assert_eq!(r.recording_sid.as_deref(), Some("RE1"));
        assert_eq!(RecordResult::from_pairs(r.to_pairs()).unwrap(), r);

        let d = DialResult::from_pairs(with(&[
            ("DialCallStatus", "no-answer"),
            ("DialCallSid", "CA2"),
            ("DialCallDuration", "0"),
            ("ParentCallSid", "CA0"),
        ]))
        .unwrap();
        assert_eq!(d.dial_call_status, Some(CallStatus::NoAnswer));
        assert_eq!(d.call.parent_call_sid.as_deref(), Some("CA0"));
        assert_eq!(DialResult::from_pairs(d.to_pairs()).unwrap(), d);
    }

    #[test]
    fn recording_and_transcription_callbacks_round_trip() {
        let r = RecordingStatusCallback::from_pairs(with(&[
            ("RecordingSid", "RE1"),
            ("RecordingUrl", "https://x/RE1"),
            ("RecordingStatus", "absent"),
            ("RecordingDuration", "0"),
            ("RecordingChannels", "2"),
            ("RecordingSource", "RecordVerb"),
            ("RecordingStartTime", "Tue, 31 Aug 2010 20:36:28 +0000"),
        ]))
        .unwrap();
        assert_eq!(r.recording_status, Some(RecordingStatus::Absent));
        assert_eq!(r.recording_source, Some(RecordingSource::RecordVerb));
        assert_eq!(r.recording_channels, Some(2));
        assert_eq!(
            RecordingStatusCallback::from_pairs(r.to_pairs()).unwrap(),
            r
        );
        let err = RecordingStatusCallback::from_pairs(with(&[("RecordingDuration", "long")]))
            .unwrap_err();
        assert_eq!(err.parameter(), Some("RecordingDuration"));

        let t = TranscriptionCallback::from_pairs(with(&[
            ("TranscriptionSid", "TR1"),
            ("TranscriptionStatus", "failed"),
            ("RecordingSid", "RE1"),
        ]))
        .unwrap();
        assert_eq!(t.transcription_status, Some(TranscriptionStatus::Failed));
        assert_eq!(TranscriptionCallback::from_pairs(t.to_pairs()).unwrap(), t);
    }

    #[test]
    fn voice_request_keeps_repeated_and_unknown() {
        let v = VoiceRequest::from_pairs([
            ("CallSid", "CA1"),
            ("X", "1"),
            ("CallSid", "CA-dup"),
            ("CallStatus", "wandering"),
        ])
        .unwrap();
        assert_eq!(v.call.call_sid.as_deref(), Some("CA1"));
        assert_eq!(
            v.call.call_status,
            Some(CallStatus::Other("wandering".into()))
        );
        assert_eq!(
            v.extra,
            [
                ("X".to_string(), "1".to_string()),
                ("CallSid".to_string(), "CA-dup".to_string())
            ]
        );
    }
}
