//! The handlers of the simulator's control routes (the `Simulator` tag of the description, at
//! the simulator's root): calls in, timelines, scripted input and transcriptions, faults. Every
//! route requires HTTP Basic authentication with one of the simulator's accounts; the request is
//! read and checked by the generated readers, as for the API's routes.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mycpaas_core::paths::API_PREFIX;
use mycpaas_core::{AdvanceClock, InjectFault, SimClock, SimFaults};

use super::{ApiError, Auth, call_of, generated, json, wire};
use crate::clock::Pace;
use crate::inbound::CallInError;
use crate::input::GatherInput;
use crate::state::SimState;

/// `POST /_sim/calls-in`: an inbound call to one of the authenticated account's numbers;
/// answers 201 with the call.
pub(crate) async fn call_in(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = generated::read_call_in(&body)?;
    let (to, from) = (&request.to, &request.from);
    let sid = match crate::inbound::call_in(&state, to, from, Some(auth.0.sid())) {
        Ok(sid) => sid,
        Err(CallInError::UnknownNumber(_)) => {
            return Err(ApiError::not_found(format!(
                "the number {to} of this account"
            )));
        }
        Err(error) => return Err(ApiError::invalid(20001, error.to_string())),
    };
    let call = call_of(&state, &auth, &sid).ok_or_else(|| ApiError::not_found(uri.path()))?;
    let record = call.inner.lock().record.clone();
    Ok(json(
        &state,
        StatusCode::CREATED,
        &wire::call(&record, API_PREFIX),
    ))
}

/// `GET /_sim/calls/{CallSid}/timeline`: the timeline of one of the account's calls.
pub(crate) async fn fetch_timeline(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(sid): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let call = call_of(&state, &auth, &sid).ok_or_else(|| ApiError::not_found(uri.path()))?;
    let timeline = call.inner.lock().timeline();
    Ok(json(&state, StatusCode::OK, &timeline))
}

/// `POST /_sim/inputs`: queues input for the next `<Gather>` of a call SID or number.
pub(crate) async fn script_input(
    State(state): State<Arc<SimState>>,
    _auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = generated::read_script_input(&body)?;
    let input = GatherInput {
        digits: request.digits,
        speech: request.speech,
    };
    // The description's pattern is the phone's keys: what it admits, `check` admits.
    input
        .check()
        .map_err(|error| ApiError::invalid(20001, error.to_string()))?;
    state.inputs.push(&request.key, input);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /_sim/callees`: scripts how every later `<Dial>` leg to a number goes.
pub(crate) async fn script_callee(
    State(state): State<Arc<SimState>>,
    _auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = generated::read_script_callee(&body)?;
    state.callees.script(&request);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /_sim/transcriptions`: queues the text of the next transcription of a call SID or
/// number.
pub(crate) async fn script_transcription(
    State(state): State<Arc<SimState>>,
    _auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = generated::read_script_transcription(&body)?;
    state.transcripts.push(&request.key, request.text);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /_sim/faults`: injects a counted fault; answers the faults pending.
pub(crate) async fn inject_fault(
    State(state): State<Arc<SimState>>,
    _auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = generated::read_inject_fault(&body)?;
    // `validate` made sure a fault is named.
    let fault = request
        .fault
        .ok_or_else(|| ApiError::invalid(20001, "invalid Fault: is required".to_owned()))?;
    let count = request.count.unwrap_or(InjectFault::DEFAULT_COUNT);
    let retry_after = request
        .retry_after
        .unwrap_or(InjectFault::DEFAULT_RETRY_AFTER);
    let delay = request.delay_ms.unwrap_or(InjectFault::DEFAULT_DELAY_MS);
    state
        .faults
        .inject_named(
            fault,
            usize::try_from(count).unwrap_or(usize::MAX),
            u64::from(retry_after),
            Duration::from_millis(u64::from(delay)),
        )
        .map_err(|error| ApiError::invalid(20001, error.to_string()))?;
    Ok(pending(&state))
}

/// `GET /_sim/faults`: the faults pending.
pub(crate) async fn fetch_faults(State(state): State<Arc<SimState>>, _auth: Auth) -> Response {
    pending(&state)
}

/// `DELETE /_sim/faults`: removes every fault.
pub(crate) async fn clear_faults(State(state): State<Arc<SimState>>, _auth: Auth) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

/// `GET /_sim/clock`: the simulated now.
pub(crate) async fn fetch_clock(State(state): State<Arc<SimState>>, _auth: Auth) -> Response {
    clock(&state)
}

/// `POST /_sim/clock`: moves a manual clock `Seconds` forward; answers once every call waits
/// again. A clock paced by speed refuses (409).
pub(crate) async fn advance_clock(
    State(state): State<Arc<SimState>>,
    _auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request = generated::read_advance_clock(&body)?;
    let seconds = request.seconds.unwrap_or(AdvanceClock::DEFAULT_SECONDS);
    state
        .clock
        .advance(Duration::from_secs(u64::from(seconds)))
        .await
        .map_err(|paced| ApiError::new(StatusCode::CONFLICT, 20001, paced.to_string()))?;
    Ok(clock(&state))
}

fn clock(state: &SimState) -> Response {
    let mut clock = SimClock::default();
    clock.now = crate::dates::iso8601_millis(state.now());
    clock.manual = Some(state.clock.pace() == Pace::Manual);
    json(state, StatusCode::OK, &clock)
}

fn pending(state: &SimState) -> Response {
    let mut faults = SimFaults::default();
    faults.api_pending = Some(i64::try_from(state.faults.pending()).unwrap_or(i64::MAX));
    faults.callbacks_pending =
        Some(i64::try_from(state.faults.pending_callbacks()).unwrap_or(i64::MAX));
    json(state, StatusCode::OK, &faults)
}
