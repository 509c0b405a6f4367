//! The Recordings resource's handlers: the account's recordings, and the recordings of a live
//! call started, paused, resumed and stopped through the API. A recording's times are its
//! call's simulated times.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use mycpaas_core::{
    HttpMethod, PauseBehavior, Recording, RecordingChannels, RecordingEvent, RecordingSource,
    RecordingStatus, RecordingUpdateStatus, StartCallRecording,
};
use time::OffsetDateTime;

use super::list::Days;
use super::resources::{self, Kept};
use super::{ApiError, Auth, call_of, generated, json, own_account, prefix_of, wire};
use crate::audio;
use crate::recording::{self, KeptRecording, RecordingAsk, RecordingCallback, finish};
use crate::registry::Registry;
use crate::state::SimState;
use crate::store::{Method, Status, Target};

/// A call that is not live cannot be recorded.
const CALL_NOT_LIVE: u32 = 21220;
/// A recording's status cannot change this way (a stopped recording is not resumed).
const STATUS_NOT_ALLOWED: u32 = 21219;

impl Kept for KeptRecording {
    type Resource = Recording;
    const COLLECTION: &'static str = "Recordings";
    const NAME: &'static str = "Recording";

    fn registry(state: &SimState) -> &Registry<Self> {
        &state.recordings
    }

    fn resource(&self) -> &Recording {
        &self.recording
    }
}

pub(crate) async fn start_call_recording(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, call_sid)): Path<(String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let call = call_of(&state, &auth, &call_sid)
        .ok_or_else(|| ApiError::not_found(format!("Call {call_sid}")))?;
    let request = generated::read_start_call_recording(&call_sid, &body)?;
    {
        let inner = call.inner.lock();
        if inner.record.status != Status::InProgress {
            return Err(ApiError::invalid(
                CALL_NOT_LIVE,
                format!(
                    "Call {call_sid} is {}: only a call in progress can be recorded",
                    inner.record.status.as_str()
                ),
            ));
        }
    }
    let ask = RecordingAsk {
        source: RecordingSource::StartCallRecordingApi,
        dual: request.recording_channels == Some(RecordingChannels::Dual),
        trim: request.trim.unwrap_or(StartCallRecording::DEFAULT_TRIM),
        callback: recording_callback(
            request.recording_status_callback.as_deref(),
            request.recording_status_callback_method,
            &request.recording_status_callback_event,
        ),
    };
    let recording = recording::start(&state, &call, ask);
    Ok(json(&state, StatusCode::CREATED, &recording))
}

/// The status callbacks a request's `RecordingStatusCallback`, its method and its events ask
/// for (`completed` alone by default).
pub(crate) fn recording_callback(
    url: Option<&str>,
    method: Option<HttpMethod>,
    events: &[RecordingEvent],
) -> Option<RecordingCallback> {
    let target = Target {
        url: url?.to_owned(),
        method: if method == Some(HttpMethod::Get) {
            Method::Get
        } else {
            Method::Post
        },
    };
    Some(RecordingCallback::asking(
        target,
        events.iter().map(RecordingEvent::as_str),
    ))
}

pub(crate) async fn update_call_recording(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, call_sid, file)): Path<(String, String, String)>,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (sid, kept) = resources::own::<KeptRecording>(&state, &auth, &account, &file, &uri)?;
    if kept.recording.call_sid.as_deref() != Some(call_sid.as_str()) {
        return Err(ApiError::not_found(format!(
            "Recording {sid} of call {call_sid}"
        )));
    }
    let request = generated::read_update_call_recording(&call_sid, &sid, &body)?;
    let call = call_of(&state, &auth, &call_sid)
        .ok_or_else(|| ApiError::not_found(format!("Call {call_sid}")))?;
    let now = wire::whole_seconds(state.now());
    let updated = state
        .recordings
        .update(auth.0.sid(), &sid, |kept| {
            change_status(kept, &request, now)
        })
        .ok_or_else(|| ApiError::not_found(format!("Recording {sid}")))??;
    if updated.recording.status == Some(RecordingStatus::Completed) {
        recording::announce(&state, &call, &updated, "completed");
    }
    Ok(resources::answer(&state, StatusCode::OK, &updated))
}

/// Pauses, resumes or stops a live recording at `now`.
fn change_status(
    kept: &mut KeptRecording,
    request: &mycpaas_core::UpdateCallRecording,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let Some(wanted) = request.status else {
        // The reader refuses a request without it.
        return Err(ApiError::invalid(20001, "Status is required"));
    };
    let current = kept.recording.status.clone();
    let live = matches!(
        current,
        Some(RecordingStatus::InProgress | RecordingStatus::Paused)
    );
    if !live {
        return Err(ApiError::invalid(
            STATUS_NOT_ALLOWED,
            format!(
                "Recording is {}: only a recording in progress or paused can be changed",
                current.as_ref().map_or("unknown", RecordingStatus::as_str)
            ),
        ));
    }
    let resumed = |kept: &mut KeptRecording| {
        if let Some(paused_at) = kept.paused_at.take() {
            let paused = (now - paused_at).unsigned_abs();
            if kept.pause_behavior == PauseBehavior::Skip {
                kept.skipped += paused;
            } else {
                kept.silenced += paused;
            }
        }
    };
    match wanted {
        RecordingUpdateStatus::Paused => {
            if kept.paused_at.is_none() {
                kept.paused_at = Some(now);
            }
            kept.pause_behavior = request.pause_behavior.unwrap_or(PauseBehavior::Silence);
            kept.recording.status = Some(RecordingStatus::Paused);
        }
        RecordingUpdateStatus::InProgress => {
            resumed(kept);
            kept.recording.status = Some(RecordingStatus::InProgress);
        }
        RecordingUpdateStatus::Stopped => {
            resumed(kept);
            finish(kept, now);
        }
        other => {
            return Err(ApiError::invalid(
                STATUS_NOT_ALLOWED,
                format!("Status {other} is not a change this simulator knows"),
            ));
        }
    }
    kept.recording.date_updated = Some(now);
    Ok(())
}

/// `GET .../Recordings/{sid}.json` (the metadata, authenticated) or `{sid}.wav`, `{sid}` and
/// `{sid}.mp3` (the audio, served without authentication as providers do: the URL is long and
/// random). The audio exists once the recording is completed.
pub(crate) async fn fetch_recording(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let (sid, extension) = file.rsplit_once('.').unwrap_or((file.as_str(), "wav"));
    if extension == "json" {
        let auth = Auth::of(&state, &headers)?;
        return resources::fetch::<KeptRecording>(&state, &auth, &account, &file, &uri);
    }
    let kept = state
        .recordings
        .get(&account, sid)
        .filter(|kept| kept.recording.status == Some(RecordingStatus::Completed))
        .ok_or_else(|| ApiError::not_found(format!("the audio of Recording {sid}")))?;
    match extension {
        "wav" => {
            let recorded = Duration::from_secs(kept.recording.duration.unwrap_or(0));
            let silent = kept.silenced.min(recorded);
            let channels = u16::try_from(kept.recording.channels.unwrap_or(1)).unwrap_or(1);
            let toned = recorded.saturating_sub(silent);
            let audio =
                audio::wav(toned.as_secs(), silent.as_secs(), channels).map_err(|error| {
                    ApiError::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        20500,
                        format!("could not write the audio: {error}"),
                    )
                })?;
            Ok(([(header::CONTENT_TYPE, "audio/wav")], audio).into_response())
        }
        "mp3" => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            20415,
            "The simulator serves recordings as WAV only: ask for .wav",
        )),
        _ => Err(ApiError::not_found(uri.path())),
    }
}

pub(crate) async fn delete_recording(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    resources::delete::<KeptRecording>(&state, &auth, &account, &file, &uri)
}

pub(crate) async fn list_recordings(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_list_recordings(uri.query().unwrap_or_default().as_bytes())?;
    let path = resources::collection_uri::<KeptRecording>(prefix_of(&uri), auth.0.sid());
    let created = Days::of(
        request.date_created,
        request.date_created_before,
        request.date_created_after,
    );
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |kept: &KeptRecording| {
            let recording = &kept.recording;
            let is = |wanted: &Option<String>, held: &Option<String>| {
                wanted.as_ref().is_none_or(|sid| held.as_ref() == Some(sid))
            };
            is(&request.call_sid, &recording.call_sid)
                && is(&request.conference_sid, &recording.conference_sid)
                && created.admit(recording.date_created)
        },
    ))
}

pub(crate) async fn list_call_recordings(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, call_sid)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    call_of(&state, &auth, &call_sid)
        .ok_or_else(|| ApiError::not_found(format!("Call {call_sid}")))?;
    let request = generated::read_list_call_recordings(
        &call_sid,
        uri.query().unwrap_or_default().as_bytes(),
    )?;
    let path = format!(
        "{}/Accounts/{}/Calls/{call_sid}/Recordings.json",
        prefix_of(&uri),
        auth.0.sid()
    );
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |kept: &KeptRecording| kept.recording.call_sid.as_deref() == Some(call_sid.as_str()),
    ))
}

pub(crate) async fn list_conference_recordings(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, conference_sid)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    state
        .conferences
        .get(auth.0.sid(), &conference_sid)
        .ok_or_else(|| ApiError::not_found(format!("Conference {conference_sid}")))?;
    let request = generated::read_list_conference_recordings(
        &conference_sid,
        uri.query().unwrap_or_default().as_bytes(),
    )?;
    let path = format!(
        "{}/Accounts/{}/Conferences/{conference_sid}/Recordings.json",
        prefix_of(&uri),
        auth.0.sid()
    );
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |kept: &KeptRecording| {
            kept.recording.conference_sid.as_deref() == Some(conference_sid.as_str())
        },
    ))
}
