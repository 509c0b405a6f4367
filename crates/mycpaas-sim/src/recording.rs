//! A call's recordings: how one starts (`<Record>`, `Record=true` on a create, the start
//! operation), what the simulator keeps of it besides its JSON, its status callbacks, and how it
//! ends (stopped through the API, or with its call). Its audio is `crate::audio`'s.

use std::sync::Arc;
use std::time::Duration;

use mycpaas_core::paths::API_PREFIX;
use mycpaas_core::{PauseBehavior, Recording, RecordingSource, RecordingStatus, Trim};
use time::OffsetDateTime;

use crate::api::wire::{API_VERSION, whole_seconds};
use crate::state::SimState;
use crate::store::{CallState, Target};

/// Where a recording's status callbacks go, and which of its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordingCallback {
    pub(crate) target: Target,
    pub(crate) in_progress: bool,
    pub(crate) completed: bool,
}

impl RecordingCallback {
    /// The callbacks to `target` for the events named by their wire names (`in-progress`,
    /// `completed`, `absent`); `completed` alone when none is named, the default everywhere a
    /// recording can be asked for.
    pub(crate) fn asking<'a>(target: Target, named: impl IntoIterator<Item = &'a str>) -> Self {
        let named: Vec<&str> = named.into_iter().collect();
        let wanted = |event: &str| {
            if named.is_empty() {
                event == "completed"
            } else {
                named.contains(&event)
            }
        };
        RecordingCallback {
            target,
            in_progress: wanted("in-progress"),
            completed: wanted("completed"),
        }
    }
}

/// What a recording started on a call asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordingAsk {
    pub(crate) source: RecordingSource,
    /// Two channels (`RecordingChannels=dual`) rather than one.
    pub(crate) dual: bool,
    pub(crate) trim: Trim,
    pub(crate) callback: Option<RecordingCallback>,
}

/// A recording and what the simulator tracks of it while its call is live.
#[derive(Debug, Clone)]
pub(crate) struct KeptRecording {
    pub(crate) recording: Recording,
    /// When the current pause began, if paused.
    pub(crate) paused_at: Option<OffsetDateTime>,
    /// How a pause is recorded.
    pub(crate) pause_behavior: PauseBehavior,
    /// Paused time left out of the audio (`PauseBehavior=skip`).
    pub(crate) skipped: Duration,
    /// Paused time recorded as silence (`PauseBehavior=silence`).
    pub(crate) silenced: Duration,
    /// Its status callbacks.
    pub(crate) callback: Option<RecordingCallback>,
}

/// Ends a recording at `now`: completed, with its duration.
pub(crate) fn finish(kept: &mut KeptRecording, now: OffsetDateTime) {
    let started = kept.recording.start_time.unwrap_or(now);
    let length = (now - started).unsigned_abs().saturating_sub(kept.skipped);
    kept.recording.end_time = Some(now);
    kept.recording.duration = Some(length.as_secs());
    kept.recording.status = Some(RecordingStatus::Completed);
}

impl KeptRecording {
    /// A recording that is not (or no longer) being paused.
    pub(crate) fn new(recording: Recording) -> KeptRecording {
        KeptRecording {
            recording,
            paused_at: None,
            pause_behavior: PauseBehavior::Silence,
            skipped: Duration::ZERO,
            silenced: Duration::ZERO,
            callback: None,
        }
    }
}

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

/// Starts a recording of `call` now, as `ask` says: kept in progress, its `in-progress`
/// callback sent when asked.
pub(crate) fn start(state: &Arc<SimState>, call: &Arc<CallState>, ask: RecordingAsk) -> Recording {
    let (account, call_sid, now) = {
        let inner = call.inner.lock();
        let record = &inner.record;
        (
            record.account_sid.clone(),
            record.sid.clone(),
            whole_seconds(state.now()),
        )
    };
    let mut recording = new_recording(state, &account, &ask, now);
    recording.call_sid = Some(call_sid);
    keep(state, call, &account, recording, ask.callback)
}

/// Starts the recording of the account's conference `conference_sid` at `now`
/// (`record="record-from-start"`); `carrier`, a participant's call, carries its callbacks in its
/// timeline.
pub(crate) fn start_for_conference(
    state: &Arc<SimState>,
    carrier: &Arc<CallState>,
    account: &str,
    conference_sid: &str,
    ask: &RecordingAsk,
    now: OffsetDateTime,
) -> Recording {
    let mut recording = new_recording(state, account, ask, whole_seconds(now));
    recording.conference_sid = Some(conference_sid.to_owned());
    keep(state, carrier, account, recording, ask.callback.clone())
}

/// Ends the account's conference recording `sid` at `now` (the conference ended): completed, its
/// `completed` callback sent when asked.
pub(crate) fn finish_for_conference(
    state: &Arc<SimState>,
    carrier: &Arc<CallState>,
    account: &str,
    sid: &str,
    now: OffsetDateTime,
) {
    let now = whole_seconds(now);
    let ended = state.recordings.update(account, sid, |kept| {
        finish(kept, now);
        Ok::<_, ()>(())
    });
    if let Some(Ok(kept)) = ended {
        announce(state, carrier, &kept, "completed");
    }
}

/// A new recording's resource, in progress from `now`.
fn new_recording(
    state: &SimState,
    account: &str,
    ask: &RecordingAsk,
    now: OffsetDateTime,
) -> Recording {
    let sid = state.randomness.sid("RE");
    let path = recording_path(account, &sid);
    let mut recording = Recording::default();
    recording.sid.clone_from(&sid);
    recording.account_sid = Some(account.to_owned());
    recording.api_version = Some(API_VERSION.to_owned());
    recording.channels = Some(if ask.dual { 2 } else { 1 });
    recording.date_created = Some(now);
    recording.date_updated = Some(now);
    recording.start_time = Some(now);
    recording.price_unit = Some("USD".to_owned());
    recording.source = Some(ask.source.clone());
    recording.status = Some(RecordingStatus::InProgress);
    recording.trim = Some(ask.trim.as_str().to_owned());
    recording.media_url = Some(format!("{}{path}.wav", state.base_url));
    let mut subresources = serde_json::Map::new();
    subresources.insert(
        "transcriptions".to_owned(),
        serde_json::Value::String(format!("{path}/Transcriptions.json")),
    );
    recording.subresource_uris = Some(subresources);
    recording.uri = Some(format!("{path}.json"));
    recording
}

/// Keeps a new recording and sends its `in-progress` callback if it asked for it.
fn keep(
    state: &Arc<SimState>,
    call: &Arc<CallState>,
    account: &str,
    recording: Recording,
    callback: Option<RecordingCallback>,
) -> Recording {
    let mut kept = KeptRecording::new(recording.clone());
    kept.callback = callback;
    state
        .recordings
        .insert(account, &recording.sid, kept.clone());
    announce(state, call, &kept, "in-progress");
    recording
}

/// Sends `kept`'s status callback for `status` (`in-progress`, `completed`) if it asked for it.
pub(crate) fn announce(
    state: &Arc<SimState>,
    call: &Arc<CallState>,
    kept: &KeptRecording,
    status: &str,
) {
    let Some(callback) = &kept.callback else {
        return;
    };
    let wanted = match status {
        "in-progress" => callback.in_progress,
        _ => callback.completed,
    };
    if !wanted {
        return;
    }
    let recording = &kept.recording;
    let mut params = vec![
        (
            "AccountSid".to_owned(),
            recording.account_sid.clone().unwrap_or_default(),
        ),
        ("RecordingSid".to_owned(), recording.sid.clone()),
        ("RecordingUrl".to_owned(), media_url(state, recording)),
        ("RecordingStatus".to_owned(), status.to_owned()),
        (
            "RecordingDuration".to_owned(),
            recording.duration.unwrap_or(0).to_string(),
        ),
        (
            "RecordingChannels".to_owned(),
            recording.channels.unwrap_or(1).to_string(),
        ),
    ];
    // A call's recording names its call, a conference's its conference.
    if let Some(call_sid) = &recording.call_sid {
        params.insert(1, ("CallSid".to_owned(), call_sid.clone()));
    }
    if let Some(conference_sid) = &recording.conference_sid {
        params.push(("ConferenceSid".to_owned(), conference_sid.clone()));
    }
    if let Some(source) = &recording.source {
        params.push(("RecordingSource".to_owned(), source.as_str().to_owned()));
    }
    if let Some(started) = recording.start_time {
        params.push((
            "RecordingStartTime".to_owned(),
            crate::dates::rfc2822(started),
        ));
    }
    crate::engine::notify(
        state,
        call,
        callback.target.clone(),
        params,
        format!("recording-{status}"),
    );
}

/// Ends every recording of the account's call `call_sid` still running at `now`: a call that
/// ends ends its recordings (and their `completed` callbacks are sent).
pub(crate) fn end_with_call(
    state: &Arc<SimState>,
    call: &Arc<CallState>,
    account: &str,
    call_sid: &str,
    now: OffsetDateTime,
) {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    for kept in state.recordings.list(account) {
        let live = matches!(
            kept.recording.status,
            Some(RecordingStatus::InProgress | RecordingStatus::Paused)
        );
        if live && kept.recording.call_sid.as_deref() == Some(call_sid) {
            let ended = state
                .recordings
                .update(account, &kept.recording.sid, |kept| {
                    if let Some(paused_at) = kept.paused_at.take() {
                        let paused = (now - paused_at).unsigned_abs();
                        if kept.pause_behavior == PauseBehavior::Skip {
                            kept.skipped += paused;
                        } else {
                            kept.silenced += paused;
                        }
                    }
                    finish(kept, now);
                    Ok::<_, ()>(())
                });
            if let Some(Ok(kept)) = ended {
                announce(state, call, &kept, "completed");
            }
        }
    }
}
