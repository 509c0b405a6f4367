//! The Transcriptions resource's handlers: the text of recordings made with
//! `<Record transcribe="true">`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use mycpaas_core::Transcription;

use super::list::Days;
use super::resources::{self, Kept, plain_handlers};
use super::{ApiError, Auth, generated, own_account, prefix_of};
use crate::recording::KeptRecording;
use crate::registry::Registry;
use crate::state::SimState;

impl Kept for Transcription {
    type Resource = Transcription;
    const COLLECTION: &'static str = "Transcriptions";
    const NAME: &'static str = "Transcription";

    fn registry(state: &SimState) -> &Registry<Self> {
        &state.transcriptions
    }

    fn resource(&self) -> &Transcription {
        self
    }
}

plain_handlers!(Transcription: fetch fetch_transcription, delete delete_transcription);

pub(crate) async fn list_transcriptions(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path(account): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    let request = generated::read_list_transcriptions(uri.query().unwrap_or_default().as_bytes())?;
    let path = resources::collection_uri::<Transcription>(prefix_of(&uri), auth.0.sid());
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
        |t: &Transcription| created.admit(t.date_created),
    ))
}

pub(crate) async fn list_recording_transcriptions(
    State(state): State<Arc<SimState>>,
    auth: Auth,
    Path((account, recording_sid)): Path<(String, String)>,
    uri: Uri,
) -> Result<Response, ApiError> {
    own_account(&auth, &account, &uri)?;
    state
        .recordings
        .get(auth.0.sid(), &recording_sid)
        .ok_or_else(|| ApiError::not_found(format!("Recording {recording_sid}")))?;
    let request = generated::read_list_recording_transcriptions(
        &recording_sid,
        uri.query().unwrap_or_default().as_bytes(),
    )?;
    let path = format!(
        "{}/Accounts/{}/{}/{recording_sid}/Transcriptions.json",
        prefix_of(&uri),
        auth.0.sid(),
        KeptRecording::COLLECTION
    );
    Ok(resources::page(
        &state,
        &auth,
        &request,
        &path,
        |t: &Transcription| t.recording_sid.as_deref() == Some(recording_sid.as_str()),
    ))
}
