//! What a call's `<Record>` makes: a Recording resource of the account (its audio served at its
//! media URL, see `crate::audio`), the recording status callbacks it asks for, and, with
//! `transcribe="true"`, a Transcription and its callback.

use mycpaas_core::paths::API_PREFIX;
use mycpaas_core::{
    Recording, RecordingSource, RecordingStatus, Transcription, TranscriptionStatus,
};
use time::OffsetDateTime;

use super::{CallRun, callbacks, webhook};
use crate::api::wire::{API_VERSION, whole_seconds};
use crate::recording::{KeptRecording, finish};
use crate::state::SimState;
use crate::store::Target;

/// The text of every transcription the simulator makes.
pub(crate) const TRANSCRIPTION_TEXT: &str = "Hello, this is a message recorded on the simulator.";

/// The path of the account's recording `sid` (its JSON with `.json`, its audio without).
fn recording_path(account: &str, sid: &str) -> String {
    format!("{API_PREFIX}/Accounts/{account}/Recordings/{sid}")
}

/// The audio URL a webhook names: the media URL without an extension.
pub(crate) fn media_url(state: &SimState, recording: &Recording) -> String {
    let account = recording.account_sid.as_deref().unwrap_or_default();
    format!(
        "{}{}",
        state.base_url,
        recording_path(account, &recording.sid)
    )
}

/// Keeps the recording `sid` a `<Record>` of the call starts at `started`, in progress.
pub(crate) fn made_by_record(
    state: &SimState,
    account: &str,
    call_sid: &str,
    sid: &str,
    started: OffsetDateTime,
) -> Recording {
    let now = whole_seconds(started);
    let path = recording_path(account, sid);
    let mut recording = Recording::default();
    sid.clone_into(&mut recording.sid);
    recording.account_sid = Some(account.to_owned());
    recording.api_version = Some(API_VERSION.to_owned());
    recording.call_sid = Some(call_sid.to_owned());
    recording.channels = Some(1);
    recording.date_created = Some(now);
    recording.date_updated = Some(now);
    recording.start_time = Some(now);
    recording.price_unit = Some("USD".to_owned());
    recording.source = Some(RecordingSource::RecordVerb);
    recording.status = Some(RecordingStatus::InProgress);
    recording.trim = Some("do-not-trim".to_owned());
    recording.media_url = Some(format!("{}{path}.wav", state.base_url));
    let mut subresources = serde_json::Map::new();
    subresources.insert(
        "transcriptions".to_owned(),
        serde_json::Value::String(format!("{path}/Transcriptions.json")),
    );
    recording.subresource_uris = Some(subresources);
    recording.uri = Some(format!("{path}.json"));
    state
        .recordings
        .insert(account, sid, KeptRecording::new(recording.clone()));
    recording
}

/// Completes the recording `sid` at `ended`; `None` if it was deleted meanwhile.
pub(crate) fn finished(
    state: &SimState,
    account: &str,
    sid: &str,
    ended: OffsetDateTime,
) -> Option<Recording> {
    let ended = whole_seconds(ended);
    state
        .recordings
        .update(account, sid, |kept| {
            finish(kept, ended);
            kept.recording.date_updated = Some(ended);
            Ok::<_, ()>(())
        })
        .and_then(Result::ok)
        .map(|kept| kept.recording)
}

/// Sends the recording status callback of `recording` for `status` (`in-progress`,
/// `completed`) to `target`.
pub(crate) fn send_status(run: &CallRun, target: Target, recording: &Recording, status: &str) {
    let record = run.call.inner.lock().record.clone();
    let mut params = vec![
        ("AccountSid".to_owned(), record.account_sid.clone()),
        ("CallSid".to_owned(), record.sid.clone()),
        ("RecordingSid".to_owned(), recording.sid.clone()),
        ("RecordingUrl".to_owned(), media_url(&run.state, recording)),
        ("RecordingStatus".to_owned(), status.to_owned()),
        (
            "RecordingDuration".to_owned(),
            recording.duration.unwrap_or(0).to_string(),
        ),
        (
            "RecordingChannels".to_owned(),
            recording.channels.unwrap_or(1).to_string(),
        ),
        ("RecordingSource".to_owned(), "RecordVerb".to_owned()),
    ];
    if let Some(started) = recording.start_time {
        params.push((
            "RecordingStartTime".to_owned(),
            crate::clock::rfc2822(started),
        ));
    }
    callbacks::notify(
        &run.state,
        &run.call,
        target,
        params,
        format!("recording-{status}"),
    );
}

/// Makes the completed transcription of `recording` and sends its callback to `callback`.
pub(crate) fn transcribe(run: &CallRun, recording: &Recording, callback: Option<Target>) {
    let state = &run.state;
    let account = recording.account_sid.clone().unwrap_or_default();
    let sid = state.randomness.sid("TR");
    let path = format!("{API_PREFIX}/Accounts/{account}/Transcriptions/{sid}.json");
    let now = recording.end_time.unwrap_or_else(OffsetDateTime::now_utc);
    let mut transcription = Transcription::default();
    transcription.sid.clone_from(&sid);
    transcription.account_sid = Some(account.clone());
    transcription.api_version = Some(API_VERSION.to_owned());
    transcription.recording_sid = Some(recording.sid.clone());
    transcription.date_created = Some(now);
    transcription.date_updated = Some(now);
    transcription.duration = recording.duration;
    transcription.price_unit = Some("USD".to_owned());
    transcription.status = Some(TranscriptionStatus::Completed);
    transcription.transcription_text = Some(TRANSCRIPTION_TEXT.to_owned());
    transcription.r#type = Some("fast".to_owned());
    transcription.uri = Some(path.clone());
    state.transcriptions.insert(&account, &sid, transcription);
    let Some(target) = callback else {
        return;
    };
    let record = run.call.inner.lock().record.clone();
    let mut params = webhook::base_params(&record);
    params.extend([
        ("TranscriptionSid".to_owned(), sid),
        (
            "TranscriptionText".to_owned(),
            TRANSCRIPTION_TEXT.to_owned(),
        ),
        ("TranscriptionStatus".to_owned(), "completed".to_owned()),
        (
            "TranscriptionUrl".to_owned(),
            format!("{}{path}", state.base_url),
        ),
        ("RecordingSid".to_owned(), recording.sid.clone()),
        ("RecordingUrl".to_owned(), media_url(state, recording)),
    ]);
    callbacks::notify(state, &run.call, target, params, "transcription".to_owned());
}
