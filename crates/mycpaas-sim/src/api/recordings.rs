//! The Recordings resource's handlers: the account's recordings, and the recordings of a live
//! call started, paused, resumed and stopped through the API. A recording's times are its
//! call's simulated times.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use mycpaas_core::{
    PauseBehavior, Recording, RecordingChannels, RecordingSource, RecordingStatus,
    RecordingUpdateStatus,
};
use time::{Date, OffsetDateTime, UtcOffset};

use super::resources::{self, Kept, Stamp, stamp};
use super::{ApiError, Auth, call_of, generated, own_account, prefix_of, wire};
use crate::registry::Registry;
use crate::state::SimState;
use crate::store::Status;

/// A call that is not live cannot be recorded.
const CALL_NOT_LIVE: u32 = 21220;
/// A recording's status cannot change this way (a stopped recording is not resumed).
const STATUS_NOT_ALLOWED: u32 = 21219;

/// A recording and what the simulator tracks of it while its call is live.
#[derive(Debug, Clone)]
pub(crate) struct KeptRecording {
    pub(crate) recording: Recording,
    /// When the current pause began, if paused.
    paused_at: Option<OffsetDateTime>,
    /// How a pause is recorded.
    pause_behavior: PauseBehavior,
    /// Paused time left out of the audio (`PauseBehavior=skip`).
    skipped: Duration,
}

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
    let now = {
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
        wire::whole_seconds(state.now_of(&inner.record))
    };
    let mut recording = Recording::default();
    recording.sid = state.randomness.sid("RE");
    stamp!(
        recording,
        Stamp::of::<KeptRecording>(&auth, &recording.sid, &uri)
    );
    recording.date_created = Some(now);
    recording.date_updated = Some(now);
    recording.call_sid = Some(call_sid);
    recording.channels = Some(match request.recording_channels {
        Some(RecordingChannels::Dual) => 2,
        _ => 1,
    });
    recording.start_time = Some(now);
    recording.price_unit = Some("USD".to_owned());
    recording.source = Some(RecordingSource::StartCallRecordingApi);
    recording.status = Some(RecordingStatus::InProgress);
    recording.trim = Some(
        request
            .trim
            .unwrap_or(mycpaas_core::StartCallRecording::DEFAULT_TRIM)
            .as_str()
            .to_owned(),
    );
    let base =
        resources::resource_uri::<KeptRecording>(prefix_of(&uri), auth.0.sid(), &recording.sid);
    recording.media_url = Some(format!(
        "{}{}",
        state.base_url,
        base.replace(".json", ".wav")
    ));
    let mut subresources = serde_json::Map::new();
    subresources.insert(
        "transcriptions".to_owned(),
        serde_json::Value::String(base.replace(".json", "/Transcriptions.json")),
    );
    recording.subresource_uris = Some(subresources);
    let kept = KeptRecording {
        recording,
        paused_at: None,
        pause_behavior: PauseBehavior::Silence,
        skipped: Duration::ZERO,
    };
    state
        .recordings
        .insert(auth.0.sid(), &kept.recording.sid, kept.clone());
    Ok(resources::answer(&state, StatusCode::CREATED, &kept))
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
    let now = wire::whole_seconds(state.now_of(&call.inner.lock().record));
    let updated = state
        .recordings
        .update(auth.0.sid(), &sid, |kept| {
            change_status(kept, &request, now)
        })
        .ok_or_else(|| ApiError::not_found(format!("Recording {sid}")))??;
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
            if kept.pause_behavior == PauseBehavior::Skip {
                kept.skipped += (now - paused_at).unsigned_abs();
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

/// Ends a recording at `now`: completed, with its duration.
pub(crate) fn finish(kept: &mut KeptRecording, now: OffsetDateTime) {
    let started = kept.recording.start_time.unwrap_or(now);
    let length = (now - started).unsigned_abs().saturating_sub(kept.skipped);
    kept.recording.end_time = Some(now);
    kept.recording.duration = Some(length.as_secs());
    kept.recording.status = Some(RecordingStatus::Completed);
}

pub(crate) async fn fetch_recording(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, file)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    resources::fetch::<KeptRecording>(&state, &auth, &account, &file, &uri)
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
    let created = created_filter(
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
                && created(recording.date_created)
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

/// The `DateCreated`, `DateCreated<` and `DateCreated>` filters of a list, as one test of a
/// resource's `date_created` (UTC days; a resource without one matches no day filter).
pub(crate) fn created_filter(
    on: Option<Date>,
    before: Option<Date>,
    after: Option<Date>,
) -> impl Fn(Option<OffsetDateTime>) -> bool {
    move |created| {
        if on.is_none() && before.is_none() && after.is_none() {
            return true;
        }
        created.is_some_and(|at| {
            let day = at.to_offset(UtcOffset::UTC).date();
            on.is_none_or(|d| day == d)
                && before.is_none_or(|d| day <= d)
                && after.is_none_or(|d| day >= d)
        })
    }
}
