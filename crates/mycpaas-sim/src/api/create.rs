//! What a create or an update does in the simulator, once core has read and checked the request
//! (`super::generated`): the simulator's own refusals (the rejected magic number, an application
//! without a voice URL), the defaults it applies (an application's URLs), and the call record it
//! keeps.

use std::time::Duration;
use time::OffsetDateTime;

use mycpaas_core::error::Error;
use mycpaas_core::types::{CallEvent, HttpMethod, UpdateStatus};
use mycpaas_core::{
    Application, CreateCall, IncomingPhoneNumber, RecordingChannels, RecordingSource,
    StartCallRecording, UpdateCall,
};

use super::error::ApiError;
use super::recordings::recording_callback;
use crate::magic;
use crate::recording::RecordingAsk;
use crate::store::{CallRecord, CallbackEvents, DocSource, Method, Status, Target};

/// `TimeLimit` when it is not sent: 4 hours, as servers of this API shape default it.
const DEFAULT_TIME_LIMIT_SECS: u32 = 14_400;

/// The new call's record (status `queued`) for a create that core's rules accepted;
/// `application` is the account's application its `ApplicationSid` names, found by the caller.
pub(crate) fn new_call(
    request: CreateCall,
    application: Option<&Application>,
    account_sid: &str,
    sid: String,
    now: OffsetDateTime,
) -> Result<CallRecord, ApiError> {
    for (parameter, value) in [("To", &request.to), ("From", &request.from)] {
        if value == magic::INVALID {
            return Err(refused(
                parameter,
                format!("{value} is not a valid phone number (magic number)"),
            ));
        }
    }
    let source = match (request.url, request.twiml) {
        (Some(url), _) => DocSource::Url(Target {
            url,
            method: method(request.method.unwrap_or(CreateCall::DEFAULT_METHOD)),
        }),
        (None, Some(twiml)) => DocSource::Inline(twiml),
        // Core's rules let exactly one of Url, Twiml and ApplicationSid through.
        (None, None) => {
            match application
                .and_then(|app| app_target(app.voice_url.as_deref(), app.voice_method.as_deref()))
            {
                Some(target) => DocSource::Url(target),
                None => {
                    return Err(refused(
                        "ApplicationSid",
                        "names an application without a VoiceUrl: the call would have no LaML",
                    ));
                }
            }
        }
    };
    let from_app = |url: fn(&Application) -> (Option<&str>, Option<&str>)| {
        application.and_then(|app| {
            let (url, method) = url(app);
            app_target(url, method)
        })
    };
    let timeout = request.timeout.unwrap_or(CreateCall::DEFAULT_TIMEOUT);
    let time_limit = request.time_limit.unwrap_or(DEFAULT_TIME_LIMIT_SECS);
    let recording = (request.record == Some(true)).then(|| RecordingAsk {
        source: RecordingSource::OutboundApi,
        dual: request.recording_channels == Some(RecordingChannels::Dual),
        // A create's `Trim` has no documented default: it records as the start operation does.
        trim: request.trim.unwrap_or(StartCallRecording::DEFAULT_TRIM),
        callback: recording_callback(
            request.recording_status_callback.as_deref(),
            request.recording_status_callback_method,
            &request.recording_status_callback_event,
        ),
    });
    Ok(CallRecord {
        sid,
        account_sid: account_sid.to_owned(),
        to: request.to,
        from: request.from,
        inbound: false,
        status: Status::Queued,
        created: now,
        updated: now,
        start_time: None,
        end_time: None,
        answered_by: None,
        machine_detection: request.machine_detection.is_some(),
        source,
        fallback: target(
            request.fallback_url,
            request.fallback_method,
            CreateCall::DEFAULT_FALLBACK_METHOD,
        )
        .or_else(|| {
            from_app(|app| {
                (
                    app.voice_fallback_url.as_deref(),
                    app.voice_fallback_method.as_deref(),
                )
            })
        }),
        status_callback: target(
            request.status_callback,
            request.status_callback_method,
            CreateCall::DEFAULT_STATUS_CALLBACK_METHOD,
        )
        .or_else(|| {
            from_app(|app| {
                (
                    app.status_callback.as_deref(),
                    app.status_callback_method.as_deref(),
                )
            })
        }),
        events: events(&request.status_callback_event),
        timeout: Duration::from_secs(u64::from(timeout)),
        time_limit: Duration::from_secs(u64::from(time_limit)),
        recording,
        parent_call_sid: None,
    })
}

/// The record of an inbound call from `from` to the account's `number`: it runs the number's
/// voice URL (or, when it names one, its application's) with its method and fallback, and sends
/// the `completed` status callback to its `StatusCallback`. `Err` says why the number cannot
/// take a call.
pub(crate) fn inbound_call(
    number: &IncomingPhoneNumber,
    application: Option<&Application>,
    from: &str,
    sid: String,
    now: OffsetDateTime,
) -> Result<CallRecord, String> {
    let phone = number.phone_number.clone().unwrap_or_default();
    // An application the number names decides its URLs, as on the platform.
    let settings = |app: fn(&Application) -> (Option<&str>, Option<&str>),
                    own: (Option<&str>, Option<&str>)| {
        match application {
            Some(application) => {
                let (url, method) = app(application);
                app_target(url, method)
            }
            None => app_target(own.0, own.1),
        }
    };
    let voice = settings(
        |a| (a.voice_url.as_deref(), a.voice_method.as_deref()),
        (number.voice_url.as_deref(), number.voice_method.as_deref()),
    )
    .ok_or_else(|| format!("{phone} has no voice URL (nor an application with one)"))?;
    let fallback = settings(
        |a| {
            (
                a.voice_fallback_url.as_deref(),
                a.voice_fallback_method.as_deref(),
            )
        },
        (
            number.voice_fallback_url.as_deref(),
            number.voice_fallback_method.as_deref(),
        ),
    );
    let status_callback = settings(
        |a| {
            (
                a.status_callback.as_deref(),
                a.status_callback_method.as_deref(),
            )
        },
        (
            number.status_callback.as_deref(),
            number.status_callback_method.as_deref(),
        ),
    );
    Ok(CallRecord {
        sid,
        account_sid: number.account_sid.clone().unwrap_or_default(),
        to: phone,
        from: from.to_owned(),
        inbound: true,
        status: Status::Queued,
        created: now,
        updated: now,
        start_time: None,
        end_time: None,
        answered_by: None,
        machine_detection: false,
        source: DocSource::Url(voice),
        fallback,
        status_callback,
        events: events(&[]),
        timeout: Duration::from_secs(u64::from(CreateCall::DEFAULT_TIMEOUT)),
        time_limit: Duration::from_secs(u64::from(DEFAULT_TIME_LIMIT_SECS)),
        recording: None,
        parent_call_sid: None,
    })
}

/// A refusal of the simulator's own, with the code the description gives the parameter.
pub(crate) fn refused(parameter: &str, rule: impl Into<String>) -> ApiError {
    let error = Error::invalid(parameter, rule);
    ApiError::invalid(CreateCall::error_code(&error), error.to_string())
}

/// The simulator's method for a wire method (`HttpMethod` holds GET and POST; a value the
/// description adds later is requested as a form, like POST, until the simulator learns it).
pub(crate) fn method(method: HttpMethod) -> Method {
    Method::parse(method.as_str()).unwrap_or(Method::Post)
}

/// An application's URL with its method (`POST` unless it says `GET`).
fn app_target(url: Option<&str>, method: Option<&str>) -> Option<Target> {
    let url = url.filter(|url| !url.is_empty())?.to_owned();
    let method = method.and_then(Method::parse).unwrap_or(Method::Post);
    Some(Target { url, method })
}

/// A URL with its method parameter (or its default).
fn target(
    url: Option<String>,
    method_sent: Option<HttpMethod>,
    default: HttpMethod,
) -> Option<Target> {
    url.map(|url| Target {
        url,
        method: method(method_sent.unwrap_or(default)),
    })
}

/// The status callback events asked for; `completed` alone when none is (the server's default).
fn events(asked: &[CallEvent]) -> CallbackEvents {
    if asked.is_empty() {
        return CallbackEvents {
            completed: true,
            ..CallbackEvents::default()
        };
    }
    CallbackEvents {
        initiated: asked.contains(&CallEvent::Initiated),
        ringing: asked.contains(&CallEvent::Ringing),
        answered: asked.contains(&CallEvent::Answered),
        completed: asked.contains(&CallEvent::Completed),
    }
}

/// What an update that core's rules accepted changes.
#[derive(Debug, Default)]
pub(crate) struct Update {
    pub(crate) redirect: Option<DocSource>,
    pub(crate) status: Option<Status>,
    pub(crate) fallback: Option<Target>,
    pub(crate) status_callback: Option<Target>,
    pub(crate) time_limit: Option<Duration>,
}

impl Update {
    /// The changes an update request asks for.
    pub(crate) fn of(request: UpdateCall) -> Update {
        let redirect = match (request.url, request.twiml) {
            (Some(url), _) => Some(DocSource::Url(Target {
                url,
                method: method(request.method.unwrap_or(UpdateCall::DEFAULT_METHOD)),
            })),
            (None, Some(twiml)) => Some(DocSource::Inline(twiml)),
            (None, None) => None,
        };
        Update {
            redirect,
            status: request.status.map(|status| match status {
                UpdateStatus::Canceled => Status::Canceled,
                // `completed`, and any ending the description adds before the simulator
                // learns it: hang up.
                _ => Status::Completed,
            }),
            fallback: target(
                request.fallback_url,
                request.fallback_method,
                UpdateCall::DEFAULT_FALLBACK_METHOD,
            ),
            status_callback: target(
                request.status_callback,
                request.status_callback_method,
                UpdateCall::DEFAULT_STATUS_CALLBACK_METHOD,
            ),
            time_limit: request
                .time_limit
                .map(|secs| Duration::from_secs(u64::from(secs))),
        }
    }
}
