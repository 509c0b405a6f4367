//! `mycpaas.webhooks`: request signatures and typed webhook parameters, from `mycpaas_core::webhook`.

use mycpaas_core::webhook;
use pyo3::prelude::*;

use crate::convert::{form_pairs, opt_datetime};
use crate::errors;

/// The `X-Mycpaas-Signature` value the platform sends for `url` and the form `params`.
#[pyfunction]
pub(crate) fn compute_signature(
    py: Python<'_>,
    url: &str,
    params: &Bound<'_, PyAny>,
    auth_token: &str,
) -> PyResult<String> {
    signing_key(py, auth_token)?;
    let pairs = form_pairs(params)?;
    Ok(webhook::compute_signature(url, &pairs, auth_token))
}

/// `True` when `signature` is the platform's signature of `url` and `params` (constant-time compare;
/// the URL is also tried without its port and with the default port).
#[pyfunction]
pub(crate) fn validate_signature(
    py: Python<'_>,
    url: &str,
    params: &Bound<'_, PyAny>,
    signature: &str,
    auth_token: &str,
) -> PyResult<bool> {
    signing_key(py, auth_token)?;
    // A few microseconds of hashing: cheaper done with the GIL held than released and taken back.
    let pairs = form_pairs(params)?;
    Ok(webhook::validate_signature(
        url, &pairs, signature, auth_token,
    ))
}

/// Hex SHA-256 of a raw request body (the `bodySHA256` query parameter of JSON webhooks).
#[pyfunction]
pub(crate) fn body_sha256(body: &[u8]) -> String {
    webhook::body_sha256(body)
}

/// Checks a webhook with a JSON body: the URL's `bodySHA256` must match `body`, and `signature` the URL.
#[pyfunction]
pub(crate) fn validate_body_signature(
    py: Python<'_>,
    url: &str,
    body: &[u8],
    signature: &str,
    auth_token: &str,
) -> PyResult<bool> {
    signing_key(py, auth_token)?;
    Ok(webhook::validate_body_signature(
        url, body, signature, auth_token,
    ))
}

/// Refuses an empty auth token: it is a missing setting (an unset environment variable), and a
/// signature under an empty key proves nothing, since anyone can compute it.
fn signing_key(py: Python<'_>, auth_token: &str) -> PyResult<()> {
    if auth_token.is_empty() {
        return Err(errors::validation(py, "auth_token", "must not be empty"));
    }
    Ok(())
}

/// Declares a frozen Python class of webhook parameters: the base call parameters every webhook carries,
/// then the given fields.
macro_rules! webhook_class {
    ($(#[$doc:meta])* $py:ident = $name:literal { $($(#[$fdoc:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[pyclass(module = "mycpaas.webhooks", name = $name, frozen, get_all)]
        pub(crate) struct $py {
            /// `AccountSid`.
            account_sid: Option<String>,
            /// `ApiVersion`.
            api_version: Option<String>,
            /// `CallSid`.
            call_sid: Option<String>,
            /// `CallStatus` (`ringing`, `in-progress`, `completed`, ...).
            call_status: Option<String>,
            /// `Direction` (`inbound`, `outbound-api`, `outbound-dial`).
            direction: Option<String>,
            /// `From`.
            #[pyo3(name = "from_")]
            from: Option<String>,
            /// `To`.
            to: Option<String>,
            /// `ParentCallSid` (child legs only).
            parent_call_sid: Option<String>,
            $( $(#[$fdoc])* $field: $ty, )*
            /// Parameters not listed above, in order.
            extra: Vec<(String, String)>,
        }

        #[pymethods]
        impl $py {
            fn __repr__(&self) -> String {
                format!(
                    "{}(call_sid={:?}, call_status={:?}, from_={:?}, to={:?})",
                    $name, self.call_sid, self.call_status, self.from, self.to
                )
            }
        }
    };
}

/// Fills the base call fields of a `webhook_class!` struct from `call`.
macro_rules! with_call {
    ($py:ident, $call:expr, $extra:expr, { $($field:ident : $value:expr),* $(,)? }) => {{
        let call = $call;
        $py {
            account_sid: call.account_sid,
            api_version: call.api_version,
            call_sid: call.call_sid,
            call_status: call.call_status.map(|s| s.as_str().to_owned()),
            direction: call.direction.map(|d| d.as_str().to_owned()),
            from: call.from,
            to: call.to,
            parent_call_sid: call.parent_call_sid,
            $( $field: $value, )*
            extra: $extra,
        }
    }};
}

webhook_class! {
    /// The request for a call's voice URL: what LaML to run.
    VoiceRequest = "VoiceRequest" {}
}

webhook_class! {
    /// A status callback: one call-progress event.
    StatusCallback = "StatusCallback" {
        /// `CallbackSource` (`call-progress-events`).
        callback_source: Option<String>,
        /// `SequenceNumber`: orders the events of one call (they may arrive out of order).
        sequence_number: Option<u64>,
        /// `Timestamp` of the event, an aware `datetime`.
        timestamp: Py<PyAny>,
        /// `CallDuration` in seconds (terminal event only).
        call_duration: Option<u64>,
    }
}

webhook_class! {
    /// The `<Gather>` action request.
    GatherResult = "GatherResult" {
        /// `Digits` pressed.
        digits: Option<String>,
        /// `SpeechResult` recognised.
        speech_result: Option<String>,
        /// `Confidence` of the speech result, 0.0 to 1.0.
        confidence: Option<f64>,
    }
}

webhook_class! {
    /// The `<Record>` action request.
    RecordResult = "RecordResult" {
        /// `RecordingUrl`.
        recording_url: Option<String>,
        /// `RecordingDuration` in seconds.
        recording_duration: Option<u64>,
        /// `RecordingSid`.
        recording_sid: Option<String>,
        /// `Digits` that ended the recording.
        digits: Option<String>,
    }
}

webhook_class! {
    /// The `<Dial>` action request.
    DialResult = "DialResult" {
        /// `DialCallStatus`.
        dial_call_status: Option<String>,
        /// `DialCallSid`.
        dial_call_sid: Option<String>,
        /// `DialCallDuration` in seconds.
        dial_call_duration: Option<u64>,
    }
}

webhook_class! {
    /// A recording status callback: a recording started, completed or recorded nothing.
    RecordingStatusCallback = "RecordingStatusCallback" {
        /// `RecordingSid`.
        recording_sid: Option<String>,
        /// `RecordingUrl`: the audio, without an extension.
        recording_url: Option<String>,
        /// `RecordingStatus` (`in-progress`, `completed`, `absent`).
        recording_status: Option<String>,
        /// `RecordingDuration` in seconds.
        recording_duration: Option<u64>,
        /// `RecordingChannels` (1 or 2).
        recording_channels: Option<u64>,
        /// `RecordingSource` (`RecordVerb`, `StartCallRecordingAPI`, ...).
        recording_source: Option<String>,
        /// `RecordingStartTime`, an aware `datetime`.
        recording_start_time: Py<PyAny>,
        /// `ConferenceSid`, when a conference recorded.
        conference_sid: Option<String>,
        /// `ErrorCode`, when the recording failed.
        error_code: Option<String>,
    }
}

webhook_class! {
    /// A transcription callback: a recording's text, or its failure.
    TranscriptionCallback = "TranscriptionCallback" {
        /// `TranscriptionSid`.
        transcription_sid: Option<String>,
        /// `TranscriptionText`.
        transcription_text: Option<String>,
        /// `TranscriptionStatus` (`completed`, `failed`).
        transcription_status: Option<String>,
        /// `TranscriptionUrl`.
        transcription_url: Option<String>,
        /// `RecordingSid`.
        recording_sid: Option<String>,
        /// `RecordingUrl`.
        recording_url: Option<String>,
    }
}

webhook_class! {
    /// A conference status callback: the conference started or ended, or a participant joined,
    /// left or changed.
    ConferenceStatusCallback = "ConferenceStatusCallback" {
        /// `ConferenceSid`.
        conference_sid: Option<String>,
        /// `FriendlyName`: the room name.
        friendly_name: Option<String>,
        /// `StatusCallbackEvent` (`conference-start`, `participant-join`, ...).
        status_callback_event: Option<String>,
        /// `SequenceNumber`: the order of the conference's callbacks, from 1.
        sequence_number: Option<u64>,
        /// `Timestamp`, an aware `datetime`.
        timestamp: Py<PyAny>,
        /// `Muted`.
        muted: Option<bool>,
        /// `Hold`.
        hold: Option<bool>,
        /// `StartConferenceOnEnter`.
        start_conference_on_enter: Option<bool>,
        /// `EndConferenceOnExit`.
        end_conference_on_exit: Option<bool>,
        /// `ReasonConferenceEnded`, on `conference-end`.
        reason_conference_ended: Option<String>,
        /// `CallSidEndingConference`.
        call_sid_ending_conference: Option<String>,
    }
}

webhook_class! {
    /// A request about a call in a queue: its wait URL's (`queue_position`,
    /// `current_queue_size`, `avg_queue_time`), its `<Enqueue action>` (`queue_result`), or a
    /// dequeue's `url` (`dequeueing_call_sid`); each carries `queue_sid` and `queue_time`.
    QueueRequest = "QueueRequest" {
        /// `QueueSid`.
        queue_sid: Option<String>,
        /// `QueueTime`: how long, in seconds, the call has waited.
        queue_time: Option<u64>,
        /// `QueuePosition`: its place, from 1 at the front.
        queue_position: Option<u64>,
        /// `CurrentQueueSize`: how many calls wait in the queue.
        current_queue_size: Option<u64>,
        /// `AvgQueueTime`: the average wait of the calls in the queue, in seconds.
        avg_queue_time: Option<u64>,
        /// `QueueResult`: how the call left the queue (`bridged`, `hangup`, `leave`, ...).
        queue_result: Option<String>,
        /// `DequeueingCallSid`: the call that took it from the queue.
        dequeueing_call_sid: Option<String>,
    }
}

/// Parses the parameters of a voice URL request.
#[pyfunction]
pub(crate) fn parse_voice_request(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
) -> PyResult<VoiceRequest> {
    let r = webhook::VoiceRequest::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    Ok(with_call!(VoiceRequest, r.call, r.extra, {}))
}

/// Parses the parameters of a status callback.
#[pyfunction]
pub(crate) fn parse_status_callback(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
) -> PyResult<StatusCallback> {
    let r = webhook::StatusCallback::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    let timestamp = opt_datetime(py, r.timestamp)?;
    Ok(with_call!(StatusCallback, r.call, r.extra, {
        callback_source: r.callback_source,
        sequence_number: r.sequence_number,
        timestamp: timestamp,
        call_duration: r.call_duration,
    }))
}

/// Parses the parameters of a `<Gather>` action request.
#[pyfunction]
pub(crate) fn parse_gather_result(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
) -> PyResult<GatherResult> {
    let r = webhook::GatherResult::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    Ok(with_call!(GatherResult, r.call, r.extra, {
        digits: r.digits,
        speech_result: r.speech_result,
        confidence: r.confidence,
    }))
}

/// Parses the parameters of a `<Record>` action request.
#[pyfunction]
pub(crate) fn parse_record_result(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
) -> PyResult<RecordResult> {
    let r = webhook::RecordResult::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    Ok(with_call!(RecordResult, r.call, r.extra, {
        recording_url: r.recording_url,
        recording_duration: r.recording_duration,
        recording_sid: r.recording_sid,
        digits: r.digits,
    }))
}

/// Parses the parameters of a `<Dial>` action request.
#[pyfunction]
pub(crate) fn parse_dial_result(py: Python<'_>, params: &Bound<'_, PyAny>) -> PyResult<DialResult> {
    let r = webhook::DialResult::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    Ok(with_call!(DialResult, r.call, r.extra, {
        dial_call_status: r.dial_call_status.map(|s| s.as_str().to_owned()),
        dial_call_sid: r.dial_call_sid,
        dial_call_duration: r.dial_call_duration,
    }))
}

/// Parses the parameters of a recording status callback.
#[pyfunction]
pub(crate) fn parse_recording_status_callback(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
) -> PyResult<RecordingStatusCallback> {
    let r = webhook::RecordingStatusCallback::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    let started = opt_datetime(py, r.recording_start_time)?;
    Ok(with_call!(RecordingStatusCallback, r.call, r.extra, {
        recording_sid: r.recording_sid,
        recording_url: r.recording_url,
        recording_status: r.recording_status.map(|s| s.as_str().to_owned()),
        recording_duration: r.recording_duration,
        recording_channels: r.recording_channels,
        recording_source: r.recording_source.map(|s| s.as_str().to_owned()),
        recording_start_time: started,
        conference_sid: r.conference_sid,
        error_code: r.error_code,
    }))
}

/// Parses the parameters of a transcription callback.
#[pyfunction]
pub(crate) fn parse_transcription_callback(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
) -> PyResult<TranscriptionCallback> {
    let r = webhook::TranscriptionCallback::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    Ok(with_call!(TranscriptionCallback, r.call, r.extra, {
        transcription_sid: r.transcription_sid,
        transcription_text: r.transcription_text,
        transcription_status: r.transcription_status.map(|s| s.as_str().to_owned()),
        transcription_url: r.transcription_url,
        recording_sid: r.recording_sid,
        recording_url: r.recording_url,
    }))
}

/// Parses the parameters of a conference status callback.
#[pyfunction]
pub(crate) fn parse_conference_status_callback(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
) -> PyResult<ConferenceStatusCallback> {
    let r = webhook::ConferenceStatusCallback::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    let timestamp = opt_datetime(py, r.timestamp)?;
    Ok(with_call!(ConferenceStatusCallback, r.call, r.extra, {
        conference_sid: r.conference_sid,
        friendly_name: r.friendly_name,
        status_callback_event: r.status_callback_event.map(|s| s.as_str().to_owned()),
        sequence_number: r.sequence_number,
        timestamp: timestamp,
        muted: r.muted,
        hold: r.hold,
        start_conference_on_enter: r.start_conference_on_enter,
        end_conference_on_exit: r.end_conference_on_exit,
        reason_conference_ended: r.reason_conference_ended,
        call_sid_ending_conference: r.call_sid_ending_conference,
    }))
}

/// Parses the parameters of a request about a call in a queue (wait URL, enqueue action,
/// dequeue URL).
#[pyfunction]
pub(crate) fn parse_queue_request(
    py: Python<'_>,
    params: &Bound<'_, PyAny>,
) -> PyResult<QueueRequest> {
    let r = webhook::QueueRequest::from_pairs(form_pairs(params)?)
        .map_err(|e| errors::from_core(py, &e))?;
    Ok(with_call!(QueueRequest, r.call, r.extra, {
        queue_sid: r.queue_sid,
        queue_time: r.queue_time,
        queue_position: r.queue_position,
        current_queue_size: r.current_queue_size,
        avg_queue_time: r.avg_queue_time,
        queue_result: r.queue_result.map(|s| s.as_str().to_owned()),
        dequeueing_call_sid: r.dequeueing_call_sid,
    }))
}
