//! Validation of the create and update parameters, with the error codes of reference.md.

use std::time::Duration;

use mycpaas_core::Endpoint;

use super::error::ApiError;
use super::params::{Params, check_url};
use crate::clock::CallClock;
use crate::magic;
use crate::store::{CallRecord, CallbackEvents, DocSource, Status, Target};

/// Longest inline `Twiml` document accepted, in characters.
pub(crate) const MAX_TWIML_CHARS: usize = 4000;
/// Longest `SendDigits` accepted.
const MAX_SEND_DIGITS: usize = 32;
/// `TimeLimit` default and maximum, in seconds (4 hours).
pub(crate) const MAX_TIME_LIMIT_SECS: u64 = 14_400;

/// Validates a create request and builds the new call's record (status `queued`).
pub(crate) fn new_call(
    params: &Params,
    account_sid: &str,
    sid: String,
    clock: CallClock,
) -> Result<CallRecord, ApiError> {
    let to = endpoint(params, "To", 21201, 21211)?;
    let from = endpoint(params, "From", 21213, 21212)?;
    let source = instructions(params)?;
    let fallback = params.target("FallbackUrl", "FallbackMethod", 21205)?;
    let status_callback = params.target("StatusCallback", "StatusCallbackMethod", 21205)?;
    let events = callback_events(params)?;
    // Validated for the error codes; the simulated callee ignores the tones.
    send_digits(params)?;
    let timeout = params.number("Timeout", 1..=600, 21208)?.unwrap_or(60);
    let time_limit = params
        .number("TimeLimit", 1..=MAX_TIME_LIMIT_SECS, 20001)?
        .unwrap_or(MAX_TIME_LIMIT_SECS);
    params.boolean("Record")?;
    let machine_detection = match params.get("MachineDetection") {
        None | Some("") => false,
        Some("Enable" | "DetectMessageEnd") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                20001,
                format!("MachineDetection must be Enable or DetectMessageEnd, got {other:?}"),
            ));
        }
    };
    Ok(CallRecord {
        sid,
        account_sid: account_sid.to_owned(),
        to,
        from,
        status: Status::Queued,
        created: clock.start(),
        clock,
        updated: clock.start(),
        start_time: None,
        end_time: None,
        answered_by: None,
        machine_detection,
        source,
        fallback,
        status_callback,
        events,
        timeout: Duration::from_secs(timeout),
        time_limit: Duration::from_secs(time_limit),
    })
}

/// `To`/`From`: present (else `missing`), a valid endpoint and not the rejected magic number (else `invalid`).
fn endpoint(params: &Params, name: &str, missing: u32, invalid: u32) -> Result<String, ApiError> {
    let value = match params.get(name) {
        None | Some("") => {
            return Err(ApiError::invalid(missing, format!("{name} is required")));
        }
        Some(value) => value,
    };
    if let Err(error) = Endpoint::parse_for(name, value) {
        return Err(ApiError::invalid(invalid, error.to_string()));
    }
    if value == magic::INVALID {
        return Err(ApiError::invalid(
            invalid,
            format!("{name} {value} is not a valid phone number (magic number)"),
        ));
    }
    Ok(value.to_owned())
}

/// Exactly one of `Url`, `Twiml`, `ApplicationSid` (code 21205).
fn instructions(params: &Params) -> Result<DocSource, ApiError> {
    let url = params.get("Url").filter(|v| !v.is_empty());
    let twiml = params.get("Twiml").filter(|v| !v.is_empty());
    let application = params.get("ApplicationSid").filter(|v| !v.is_empty());
    match (url, twiml, application) {
        (Some(url), None, None) => {
            check_url("Url", url, 21205)?;
            Ok(DocSource::Url(Target {
                url: url.to_owned(),
                method: params.method("Method")?,
            }))
        }
        (None, Some(twiml), None) => inline(twiml),
        (None, None, Some(_)) => Err(ApiError::invalid(
            21205,
            "ApplicationSid is not supported by the simulator (it has no applications): send Url or Twiml",
        )),
        (None, None, None) => Err(ApiError::invalid(
            21205,
            "Url is required (or Twiml, or ApplicationSid)",
        )),
        _ => Err(ApiError::invalid(
            21205,
            "send exactly one of Url, Twiml and ApplicationSid",
        )),
    }
}

/// An inline document, at most 4000 characters (code 21205).
pub(crate) fn inline(twiml: &str) -> Result<DocSource, ApiError> {
    if twiml.chars().count() > MAX_TWIML_CHARS {
        return Err(ApiError::invalid(
            21205,
            format!("Twiml must be at most {MAX_TWIML_CHARS} characters"),
        ));
    }
    Ok(DocSource::Inline(twiml.to_owned()))
}

/// `StatusCallbackEvent`, as one space-separated value or as repeated keys (or both).
fn callback_events(params: &Params) -> Result<CallbackEvents, ApiError> {
    let mut events = CallbackEvents::default();
    let mut any = false;
    for value in params.all("StatusCallbackEvent") {
        for word in value.split_whitespace() {
            any = true;
            match word {
                "initiated" => events.initiated = true,
                "ringing" => events.ringing = true,
                "answered" => events.answered = true,
                "completed" => events.completed = true,
                other => {
                    return Err(ApiError::invalid(
                        21626,
                        format!(
                            "StatusCallbackEvent must be among initiated, ringing, answered, completed; got {other:?}"
                        ),
                    ));
                }
            }
        }
    }
    if !any {
        events.completed = true;
    }
    Ok(events)
}

/// `SendDigits`: at most 32 of `0-9 A-D # * w W` (code 13222).
fn send_digits(params: &Params) -> Result<(), ApiError> {
    let Some(digits) = params.get("SendDigits").filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    if let Some(bad) = digits
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, 'A'..='D' | '#' | '*' | 'w' | 'W')))
    {
        return Err(ApiError::invalid(
            13222,
            format!("SendDigits may only hold 0-9, A-D, #, *, w and W; found {bad:?}"),
        ));
    }
    if digits.chars().count() > MAX_SEND_DIGITS {
        return Err(ApiError::invalid(
            13222,
            format!("SendDigits must be at most {MAX_SEND_DIGITS} characters"),
        ));
    }
    Ok(())
}

/// A validated update request.
#[derive(Debug, Default)]
pub(crate) struct Update {
    pub(crate) redirect: Option<DocSource>,
    pub(crate) status: Option<Status>,
    pub(crate) fallback: Option<Target>,
    pub(crate) status_callback: Option<Target>,
    pub(crate) time_limit: Option<Duration>,
}

/// Validates an update request.
pub(crate) fn update(params: &Params) -> Result<Update, ApiError> {
    let url = params.get("Url").filter(|v| !v.is_empty());
    let twiml = params.get("Twiml").filter(|v| !v.is_empty());
    let redirect = match (url, twiml) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                21205,
                "send either Url or Twiml, not both",
            ));
        }
        (Some(url), None) => {
            check_url("Url", url, 21205)?;
            Some(DocSource::Url(Target {
                url: url.to_owned(),
                method: params.method("Method")?,
            }))
        }
        (None, Some(twiml)) => Some(inline(twiml)?),
        (None, None) => {
            params.method("Method")?;
            None
        }
    };
    let status = match params.get("Status").filter(|v| !v.is_empty()) {
        None => None,
        Some("canceled") => Some(Status::Canceled),
        Some("completed") => Some(Status::Completed),
        Some(other) => {
            return Err(ApiError::invalid(
                20001,
                format!("Status must be canceled or completed, got {other:?}"),
            ));
        }
    };
    Ok(Update {
        redirect,
        status,
        fallback: params.target("FallbackUrl", "FallbackMethod", 21205)?,
        status_callback: params.target("StatusCallback", "StatusCallbackMethod", 21205)?,
        time_limit: params
            .number("TimeLimit", 1..=MAX_TIME_LIMIT_SECS, 20001)?
            .map(Duration::from_secs),
    })
}
