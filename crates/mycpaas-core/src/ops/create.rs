//! `POST .../Calls.json`: place an outbound call.

use std::fmt;

use http::Method;

use super::request::{self, Params, bool_str, push, push_number, push_text};
use super::{Operation, SendPhase, TransportFailure, response, validate};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Call;
use crate::paths;
use crate::types::{
    AnsweredByDetection, CallEvent, HttpMethod, RecordingChannels, RecordingEvent, RecordingTrack,
    Trim, check_sid,
};

/// A string that never shows in `Debug` output (the SIP password).
#[derive(Clone)]
struct Redacted(String);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Creates (places) an outbound call. `To` and `From` are required, plus exactly one of
/// [`url`](CreateCall::url), [`twiml`](CreateCall::twiml) or
/// [`application_sid`](CreateCall::application_sid). Everything is validated in
/// [`Operation::build_request`] (or [`CreateCall::validate`]) before anything is sent.
///
/// `StatusCallbackEvent` (and `RecordingStatusCallbackEvent`) is sent as one form key per event
/// (`StatusCallbackEvent=initiated&StatusCallbackEvent=answered`), as existing clients of this
/// API shape do; servers accept that and the space-separated form.
///
/// A failure after the request may have reached the server is reported as
/// [`Error::MaybeCreated`]: the call may exist, so it is never retried blindly.
///
/// ```
/// use mycpaas_core::{CallEvent, Config, CreateCall, Operation};
///
/// let config = Config::builder("AC123", "token").build().unwrap();
/// let create = CreateCall::new("+491234567890", "+491098765432")
///     .url("https://example.com/voice.xml")
///     .status_callback("https://example.com/status")
///     .status_callback_events([CallEvent::Initiated, CallEvent::Completed])
///     .timeout(30);
/// let request = create.build_request(&config).unwrap();
/// let body = String::from_utf8(request.body().clone()).unwrap();
/// assert_eq!(
///     body,
///     "To=%2B491234567890&From=%2B491098765432&Url=https%3A%2F%2Fexample.com%2Fvoice.xml\
///      &StatusCallback=https%3A%2F%2Fexample.com%2Fstatus\
///      &StatusCallbackEvent=initiated&StatusCallbackEvent=completed&Timeout=30"
/// );
///
/// let missing = CreateCall::new("+491234567890", "+491098765432").validate().unwrap_err();
/// assert!(missing.to_string().contains("exactly one of Url, Twiml, ApplicationSid"));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CreateCall {
    to: String,
    from: String,
    url: Option<String>,
    twiml: Option<String>,
    application_sid: Option<String>,
    method: Option<HttpMethod>,
    fallback_url: Option<String>,
    fallback_method: Option<HttpMethod>,
    status_callback: Option<String>,
    status_callback_events: Vec<CallEvent>,
    status_callback_method: Option<HttpMethod>,
    send_digits: Option<String>,
    timeout: Option<u32>,
    record: Option<bool>,
    recording_channels: Option<RecordingChannels>,
    recording_status_callback: Option<String>,
    recording_status_callback_method: Option<HttpMethod>,
    recording_status_callback_events: Vec<RecordingEvent>,
    recording_track: Option<RecordingTrack>,
    trim: Option<Trim>,
    machine_detection: Option<AnsweredByDetection>,
    machine_detection_timeout: Option<u32>,
    machine_detection_speech_threshold: Option<u32>,
    machine_detection_speech_end_threshold: Option<u32>,
    machine_detection_silence_timeout: Option<u32>,
    async_amd: Option<bool>,
    async_amd_status_callback: Option<String>,
    async_amd_status_callback_method: Option<HttpMethod>,
    caller_id: Option<String>,
    sip_auth_username: Option<String>,
    sip_auth_password: Option<Redacted>,
    time_limit: Option<u32>,
}

macro_rules! setters {
    ($( $(#[$doc:meta])* $name:ident : $ty:ty => $field:ident ),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: $ty) -> Self {
                self.$field = Some(value.into());
                self
            }
        )*
    };
}

impl CreateCall {
    /// Starts a call from `from` to `to` (E.164 numbers, `sip:` URIs or `client:` names).
    pub fn new(to: impl Into<String>, from: impl Into<String>) -> Self {
        CreateCall {
            to: to.into(),
            from: from.into(),
            url: None,
            twiml: None,
            application_sid: None,
            method: None,
            fallback_url: None,
            fallback_method: None,
            status_callback: None,
            status_callback_events: Vec::new(),
            status_callback_method: None,
            send_digits: None,
            timeout: None,
            record: None,
            recording_channels: None,
            recording_status_callback: None,
            recording_status_callback_method: None,
            recording_status_callback_events: Vec::new(),
            recording_track: None,
            trim: None,
            machine_detection: None,
            machine_detection_timeout: None,
            machine_detection_speech_threshold: None,
            machine_detection_speech_end_threshold: None,
            machine_detection_silence_timeout: None,
            async_amd: None,
            async_amd_status_callback: None,
            async_amd_status_callback_method: None,
            caller_id: None,
            sip_auth_username: None,
            sip_auth_password: None,
            time_limit: None,
        }
    }

    setters! {
        /// `Url`: where the platform fetches the LaML document once the call connects.
        url: impl Into<String> => url,
        /// `Twiml`: an inline LaML document (at most 4000 characters) instead of a `Url`.
        twiml: impl Into<String> => twiml,
        /// `ApplicationSid`: an application whose voice URL handles the call, instead of a `Url`.
        application_sid: impl Into<String> => application_sid,
        /// `Method`: how `Url` is requested (default POST).
        method: HttpMethod => method,
        /// `FallbackUrl`: requested when `Url` fails.
        fallback_url: impl Into<String> => fallback_url,
        /// `FallbackMethod`.
        fallback_method: HttpMethod => fallback_method,
        /// `StatusCallback`: receives call progress events.
        status_callback: impl Into<String> => status_callback,
        /// `StatusCallbackMethod`.
        status_callback_method: HttpMethod => status_callback_method,
        /// `SendDigits`: keys to press once answered (up to 32 of `0-9 A-D # * w W`; `w` waits 0.5 s).
        send_digits: impl Into<String> => send_digits,
        /// `Timeout`: seconds to let the call ring (1–600, default 60).
        timeout: u32 => timeout,
        /// `Record`: record the call.
        record: bool => record,
        /// `RecordingChannels`.
        recording_channels: RecordingChannels => recording_channels,
        /// `RecordingStatusCallback`.
        recording_status_callback: impl Into<String> => recording_status_callback,
        /// `RecordingStatusCallbackMethod`.
        recording_status_callback_method: HttpMethod => recording_status_callback_method,
        /// `RecordingTrack`.
        recording_track: RecordingTrack => recording_track,
        /// `Trim`.
        trim: Trim => trim,
        /// `MachineDetection`: answering machine detection mode.
        machine_detection: AnsweredByDetection => machine_detection,
        /// `MachineDetectionTimeout` in seconds.
        machine_detection_timeout: u32 => machine_detection_timeout,
        /// `MachineDetectionSpeechThreshold` in milliseconds.
        machine_detection_speech_threshold: u32 => machine_detection_speech_threshold,
        /// `MachineDetectionSpeechEndThreshold` in milliseconds.
        machine_detection_speech_end_threshold: u32 => machine_detection_speech_end_threshold,
        /// `MachineDetectionSilenceTimeout` in milliseconds.
        machine_detection_silence_timeout: u32 => machine_detection_silence_timeout,
        /// `AsyncAmd`: run machine detection without holding the call.
        async_amd: bool => async_amd,
        /// `AsyncAmdStatusCallback`.
        async_amd_status_callback: impl Into<String> => async_amd_status_callback,
        /// `AsyncAmdStatusCallbackMethod`.
        async_amd_status_callback_method: HttpMethod => async_amd_status_callback_method,
        /// `CallerId`: caller id shown for `sip:`/`client:` destinations.
        caller_id: impl Into<String> => caller_id,
        /// `SipAuthUsername`.
        sip_auth_username: impl Into<String> => sip_auth_username,
        /// `TimeLimit`: longest duration of the call in seconds.
        time_limit: u32 => time_limit,
    }

    /// `SipAuthPassword` (never shown in `Debug` output).
    pub fn sip_auth_password(mut self, password: impl Into<String>) -> Self {
        self.sip_auth_password = Some(Redacted(password.into()));
        self
    }

    /// Adds one `StatusCallbackEvent` (default on the server: completed). Duplicates are ignored.
    pub fn status_callback_event(mut self, event: CallEvent) -> Self {
        if !self.status_callback_events.contains(&event) {
            self.status_callback_events.push(event);
        }
        self
    }

    /// Adds several `StatusCallbackEvent`s.
    pub fn status_callback_events(self, events: impl IntoIterator<Item = CallEvent>) -> Self {
        events
            .into_iter()
            .fold(self, CreateCall::status_callback_event)
    }

    /// Adds one `RecordingStatusCallbackEvent`. Duplicates are ignored.
    pub fn recording_status_callback_event(mut self, event: RecordingEvent) -> Self {
        if !self.recording_status_callback_events.contains(&event) {
            self.recording_status_callback_events.push(event);
        }
        self
    }

    /// Adds several `RecordingStatusCallbackEvent`s.
    pub fn recording_status_callback_events(
        self,
        events: impl IntoIterator<Item = RecordingEvent>,
    ) -> Self {
        events
            .into_iter()
            .fold(self, CreateCall::recording_status_callback_event)
    }

    /// Checks every parameter; an error names the parameter and the rule.
    pub fn validate(&self) -> Result<()> {
        if self.to.is_empty() {
            return Err(Error::invalid("To", "is required"));
        }
        validate::endpoint("To", &self.to)?;
        if self.from.is_empty() {
            return Err(Error::invalid("From", "is required"));
        }
        validate::endpoint("From", &self.from)?;
        let targets = [
            self.url.is_some(),
            self.twiml.is_some(),
            self.application_sid.is_some(),
        ];
        match targets.iter().filter(|set| **set).count() {
            1 => {}
            0 => {
                return Err(Error::invalid(
                    "Url",
                    "exactly one of Url, Twiml, ApplicationSid is required (none was set)",
                ));
            }
            _ => {
                let parameter = if self.url.is_some() { "Url" } else { "Twiml" };
                return Err(Error::invalid(
                    parameter,
                    "exactly one of Url, Twiml, ApplicationSid is allowed (several were set)",
                ));
            }
        }
        validate::optional_url("Url", self.url.as_ref())?;
        if let Some(twiml) = &self.twiml {
            validate::twiml(twiml)?;
        }
        if let Some(sid) = &self.application_sid {
            check_sid("ApplicationSid", sid)?;
        }
        validate::optional_url("FallbackUrl", self.fallback_url.as_ref())?;
        validate::optional_url("StatusCallback", self.status_callback.as_ref())?;
        validate::optional_url(
            "RecordingStatusCallback",
            self.recording_status_callback.as_ref(),
        )?;
        validate::optional_url(
            "AsyncAmdStatusCallback",
            self.async_amd_status_callback.as_ref(),
        )?;
        if let Some(digits) = &self.send_digits {
            validate::send_digits(digits)?;
        }
        if let Some(timeout) = self.timeout {
            validate::in_range("Timeout", timeout, &validate::TIMEOUT_RANGE)?;
        }
        validate::positive("TimeLimit", self.time_limit)?;
        validate::positive("MachineDetectionTimeout", self.machine_detection_timeout)?;
        validate::single_line_text("CallerId", self.caller_id.as_ref())?;
        validate::single_line_text("SipAuthUsername", self.sip_auth_username.as_ref())?;
        validate::single_line_text(
            "SipAuthPassword",
            self.sip_auth_password.as_ref().map(|p| &p.0),
        )?;
        Ok(())
    }

    /// The wire parameters in the order they are sent (not validated; see [`CreateCall::validate`]).
    pub fn form_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out: Params = vec![("To", self.to.clone()), ("From", self.from.clone())];
        push_text(&mut out, "Url", self.url.as_ref());
        push_text(&mut out, "Twiml", self.twiml.as_ref());
        push_text(&mut out, "ApplicationSid", self.application_sid.as_ref());
        push(&mut out, "Method", self.method.map(|m| m.as_str()));
        push_text(&mut out, "FallbackUrl", self.fallback_url.as_ref());
        push(
            &mut out,
            "FallbackMethod",
            self.fallback_method.map(|m| m.as_str()),
        );
        push_text(&mut out, "StatusCallback", self.status_callback.as_ref());
        for event in &self.status_callback_events {
            out.push(("StatusCallbackEvent", event.as_str().to_owned()));
        }
        push(
            &mut out,
            "StatusCallbackMethod",
            self.status_callback_method.map(|m| m.as_str()),
        );
        push_text(&mut out, "SendDigits", self.send_digits.as_ref());
        push_number(&mut out, "Timeout", self.timeout);
        push(&mut out, "Record", self.record.map(bool_str));
        push(
            &mut out,
            "RecordingChannels",
            self.recording_channels.map(|v| v.as_str()),
        );
        push_text(
            &mut out,
            "RecordingStatusCallback",
            self.recording_status_callback.as_ref(),
        );
        push(
            &mut out,
            "RecordingStatusCallbackMethod",
            self.recording_status_callback_method.map(|m| m.as_str()),
        );
        for event in &self.recording_status_callback_events {
            out.push(("RecordingStatusCallbackEvent", event.as_str().to_owned()));
        }
        push(
            &mut out,
            "RecordingTrack",
            self.recording_track.map(|v| v.as_str()),
        );
        push(&mut out, "Trim", self.trim.map(|v| v.as_str()));
        push(
            &mut out,
            "MachineDetection",
            self.machine_detection.map(|v| v.as_str()),
        );
        push_number(
            &mut out,
            "MachineDetectionTimeout",
            self.machine_detection_timeout,
        );
        push_number(
            &mut out,
            "MachineDetectionSpeechThreshold",
            self.machine_detection_speech_threshold,
        );
        push_number(
            &mut out,
            "MachineDetectionSpeechEndThreshold",
            self.machine_detection_speech_end_threshold,
        );
        push_number(
            &mut out,
            "MachineDetectionSilenceTimeout",
            self.machine_detection_silence_timeout,
        );
        push(&mut out, "AsyncAmd", self.async_amd.map(bool_str));
        push_text(
            &mut out,
            "AsyncAmdStatusCallback",
            self.async_amd_status_callback.as_ref(),
        );
        push(
            &mut out,
            "AsyncAmdStatusCallbackMethod",
            self.async_amd_status_callback_method.map(|m| m.as_str()),
        );
        push_text(&mut out, "CallerId", self.caller_id.as_ref());
        push_text(&mut out, "SipAuthUsername", self.sip_auth_username.as_ref());
        push_text(
            &mut out,
            "SipAuthPassword",
            self.sip_auth_password.as_ref().map(|p| &p.0),
        );
        push_number(&mut out, "TimeLimit", self.time_limit);
        out
    }
}

impl Operation for CreateCall {
    type Output = Call;

    fn build_request(&self, config: &Config) -> Result<http::Request<Vec<u8>>> {
        self.validate()?;
        request::build(
            config,
            Method::POST,
            &paths::calls_path(config.account_sid()),
            &Vec::new(),
            Some(&self.form_pairs()),
        )
    }

    /// A 2xx answer whose body cannot be decoded becomes [`Error::MaybeCreated`]: the server
    /// accepted the create, so the call exists even though its answer could not be read.
    fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<Call> {
        response::json(&response).map_err(unreadable_answer_may_have_created)
    }

    /// A failure after the request may have been sent becomes [`Error::MaybeCreated`].
    fn transport_error(&self, failure: TransportFailure) -> Error {
        match failure.phase {
            SendPhase::MaybeSent => Error::MaybeCreated {
                message: failure.message,
            },
            SendPhase::NotSent => failure.into_error(),
        }
    }

    fn method(&self) -> Method {
        Method::POST
    }
}

/// Turns an [`Error::Decode`] of a create's success answer into [`Error::MaybeCreated`].
///
/// `Decode` says nothing was sent (`may_have_been_sent()` is false), and a caller who creates
/// again on that would place a second call. Every other error passes through unchanged.
fn unreadable_answer_may_have_created(error: Error) -> Error {
    match error {
        Error::Decode {
            status,
            message,
            body_excerpt,
        } => Error::MaybeCreated {
            message: format!(
                "the server accepted the create (HTTP {status}) but its answer could not be read \
                 ({message}); body starts with: {body_excerpt:?}"
            ),
        },
        other => other,
    }
}
