//! What the simulator keeps of a recording besides its JSON, and how a recording ends: stopped
//! through the API, or with its call.

use std::time::Duration;

use mycpaas_core::{PauseBehavior, Recording, RecordingStatus};
use time::OffsetDateTime;

use crate::state::SimState;

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
        }
    }
}

/// Ends every recording of the account's call `call_sid` still running at `now`: a call that
/// ends ends its recordings.
pub(crate) fn end_with_call(state: &SimState, account: &str, call_sid: &str, now: OffsetDateTime) {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    for kept in state.recordings.list(account) {
        let live = matches!(
            kept.recording.status,
            Some(RecordingStatus::InProgress | RecordingStatus::Paused)
        );
        if live && kept.recording.call_sid.as_deref() == Some(call_sid) {
            state
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
        }
    }
}
