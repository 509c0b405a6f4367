//! What a call's `<Record>` makes besides the recording (`crate::recording`): its end, and with
//! `transcribe="true"` a Transcription and its callback.

use mycpaas_core::paths::API_PREFIX;
use mycpaas_core::{Recording, Transcription, TranscriptionStatus};
use time::OffsetDateTime;

use super::{CallRun, callbacks, webhook};
use crate::api::wire::{API_VERSION, whole_seconds};
use crate::recording::{KeptRecording, finish, media_url};
use crate::state::SimState;
use crate::store::Target;

/// The text of a transcription when none is scripted for its call.
pub(crate) const TRANSCRIPTION_TEXT: &str = "Hello, this is a message recorded on the simulator.";

/// Completes the recording `sid` at `ended`; `None` if it was deleted (or had ended) meanwhile.
pub(crate) fn finished(
    state: &SimState,
    account: &str,
    sid: &str,
    ended: OffsetDateTime,
) -> Option<KeptRecording> {
    let ended = whole_seconds(ended);
    state
        .recordings
        .update(account, sid, |kept| {
            if kept.recording.status == Some(mycpaas_core::RecordingStatus::Completed) {
                return Err(());
            }
            finish(kept, ended);
            kept.recording.date_updated = Some(ended);
            Ok(())
        })
        .and_then(Result::ok)
}

/// Makes the completed transcription of `recording` and sends its callback to `callback`.
pub(crate) fn transcribe(run: &CallRun, recording: &Recording, callback: Option<Target>) {
    let state = &run.state;
    let account = recording.account_sid.clone().unwrap_or_default();
    let sid = state.randomness.sid("TR");
    let path = format!("{API_PREFIX}/Accounts/{account}/Transcriptions/{sid}.json");
    let now = recording.end_time.unwrap_or_else(OffsetDateTime::now_utc);
    let (call_sid, party) = {
        let inner = run.call.inner.lock();
        (inner.record.sid.clone(), inner.record.party().to_owned())
    };
    let text = state
        .transcripts
        .take(&call_sid, &party)
        .unwrap_or_else(|| TRANSCRIPTION_TEXT.to_owned());
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
    transcription.transcription_text = Some(text.clone());
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
        ("TranscriptionText".to_owned(), text),
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
