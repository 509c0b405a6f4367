//! `<Dial><Conference>`: the call joins the room (see `crate::conference`), stays until the
//! conference ends, its `timeLimit` passes, it is kicked or hung up, leaves, and goes on to the
//! dial's `action`. While it stays it hears what the API gives it: announcements (played once),
//! on hold its hold document looped, and until the conference starts its `waitUrl` looped.

use std::sync::atomic::Ordering;
use std::time::Duration;

use mycpaas_core::RecordingSource;
use mycpaas_laml::{
    Conference as Room, ConferenceBeep, ConferenceEvent, ConferenceRecord, Dial, Trim as LamlTrim,
};
use time::OffsetDateTime;

use super::exec::{
    DIAL_TIME_LIMIT_SECS, Loaded, Next, dial_action, event_names, fetch, play_sounds, resolve,
    trim_of, verb_done,
};
use super::{CallRun, Interrupt};
use crate::conference::{self, ConferenceCallback, JoinRefused, Joining, Sound};
use crate::recording::{RecordingAsk, RecordingCallback};
use crate::store::Target;

/// `<Conference trim>` when not given (laml.md names no default): silence is cut, as for `<Record>`.
const CONFERENCE_TRIM: LamlTrim = LamlTrim::TrimSilence;
/// Silence a hold or wait document that plays nothing is looped as, so simulated time passes.
const SILENT_HOLD: Duration = Duration::from_secs(5);

/// Runs a call's stay in the conference `room` names.
pub(super) async fn attend(
    run: &CallRun,
    dial: &Dial,
    room: &Room,
    doc: &Loaded,
) -> Result<Option<Next>, Interrupt> {
    let callback = room
        .status_callback
        .as_deref()
        .and_then(|url| resolve(run, doc, url, room.status_callback_method))
        .map(|target| {
            let named = room.status_callback_event.iter().flatten();
            ConferenceCallback::asking(target, named.map(ConferenceEvent::as_str))
        });
    let name = room.name.trim().to_owned();
    let joining = Joining {
        name: name.clone(),
        muted: room.muted.unwrap_or(false),
        wait_target: room
            .wait_url
            .as_deref()
            .and_then(|url| resolve(run, doc, url, room.wait_method)),
        start_conference_on_enter: room.start_conference_on_enter.unwrap_or(true),
        end_conference_on_exit: room.end_conference_on_exit.unwrap_or(false),
        max_participants: room.max_participants,
        beep: room.beep.unwrap_or(ConferenceBeep::True),
        callback,
        record: (room.record == Some(ConferenceRecord::RecordFromStart)).then(|| RecordingAsk {
            source: RecordingSource::Conference,
            dual: false,
            trim: trim_of(room.trim, CONFERENCE_TRIM),
            callback: room
                .recording_status_callback
                .as_deref()
                .and_then(|url| resolve(run, doc, url, room.recording_status_callback_method))
                .map(|target| {
                    RecordingCallback::asking(
                        target,
                        event_names(room.recording_status_callback_event.as_ref()),
                    )
                }),
        }),
    };
    let limit = dial.time_limit.unwrap_or(DIAL_TIME_LIMIT_SECS);
    let seconds = match meet(run, &joining, limit, |_| {}).await? {
        Ok(seconds) => seconds,
        Err(refused) => {
            let why = match refused {
                JoinRefused::Full(max) => format!("is full ({max} participants)"),
                JoinRefused::Ended(sid) => format!("{sid} has ended"),
            };
            verb_done(run, "Dial", format!("conference {name} {why}: not joined"));
            let outcome = vec![
                ("DialCallStatus".to_owned(), "failed".to_owned()),
                ("DialCallDuration".to_owned(), "0".to_owned()),
            ];
            return Ok(dial_action(run, dial, doc, outcome));
        }
    };
    let outcome = vec![
        ("DialCallStatus".to_owned(), "completed".to_owned()),
        ("DialCallDuration".to_owned(), seconds.to_string()),
    ];
    Ok(dial_action(run, dial, doc, outcome))
}

/// Puts the call in the conference `joining` names (`joined` is told its SID before the stay
/// begins) and keeps it there until the conference ends, `limit` seconds pass, it is kicked or
/// the call is interrupted; answers its whole seconds in the room, or why it could not join.
/// Every way out leaves the room; an interrupt other than the conference's end is passed on.
pub(super) async fn meet(
    run: &CallRun,
    joining: &Joining,
    limit: u32,
    joined: impl FnOnce(&str),
) -> Result<Result<i64, JoinRefused>, Interrupt> {
    let (account, call_sid) = run.account_and_sid();
    let joined_at = run.state.now();
    let name = &joining.name;
    let sid = match conference::join(&run.state, &account, &run.call, joining, joined_at) {
        Ok(sid) => sid,
        Err(refused) => return Ok(Err(refused)),
    };
    verb_done(
        run,
        "Dial",
        format!("joined conference {name} as {sid}{}", beep(joining, true)),
    );
    joined(&sid);
    let until = joined_at + time::Duration::seconds(i64::from(limit));
    let stayed = stay(run, &account, &sid, &call_sid, until).await;
    let left_at = run.state.now();
    conference::leave(&run.state, &account, &sid, &call_sid, left_at);
    // Whatever ended the stay, the call is out of the room now: nothing it hears there changes.
    run.call.leave.store(false, Ordering::SeqCst);
    run.call.hears_else.store(false, Ordering::SeqCst);
    match stayed {
        Ok(()) | Err(Interrupt::Leave) => {}
        Err(other) => return Err(other),
    }
    let seconds = (left_at - joined_at).whole_seconds().max(0);
    verb_done(
        run,
        "Dial",
        format!(
            "left conference {name} after {seconds} s{}",
            beep(joining, false)
        ),
    );
    Ok(Ok(seconds))
}

/// What the timeline adds when the room beeps for the participant entering or leaving.
fn beep(joining: &Joining, entering: bool) -> &'static str {
    if joining.beeps(entering) {
        ", the room beeping"
    } else {
        ""
    }
}

/// The call's time in the conference until `until` (its `timeLimit`): what it hears is decided
/// again each time the API changes it; being taken off hold is noted in its timeline. `Ok` when
/// the time is up.
async fn stay(
    run: &CallRun,
    account: &str,
    sid: &str,
    call_sid: &str,
    until: OffsetDateTime,
) -> Result<(), Interrupt> {
    let mut held = false;
    loop {
        let left = left_until(run, until);
        if left.is_zero() {
            return Ok(());
        }
        let sound = conference::next_sound(&run.state, account, sid, call_sid);
        if held && sound == Sound::Room {
            verb_done(run, "Hold", format!("taken off hold in conference {sid}"));
        }
        held = matches!(sound, Sound::Hold(_)) || (held && matches!(sound, Sound::Announce(_)));
        let heard = match sound {
            Sound::Announce(target) => announce(run, sid, &target).await,
            Sound::Hold(target) => {
                let shown = target
                    .as_ref()
                    .map_or_else(|| "silence".to_owned(), Target::shown_url);
                verb_done(run, "Hold", format!("on hold in conference {sid}: {shown}"));
                looped(run, sid, "hold", target.as_ref(), until).await
            }
            Sound::Wait(target) => {
                let shown = target.shown_url();
                verb_done(
                    run,
                    "Wait",
                    format!("waiting for conference {sid} to start: {shown}"),
                );
                looped(run, sid, "wait", Some(&target), until).await
            }
            Sound::Room => run.pause(left).await,
        };
        match heard {
            Ok(()) | Err(Interrupt::HearsElse) => {}
            Err(other) => return Err(other),
        }
    }
}

/// Plays an announcement's document to the call once.
async fn announce(run: &CallRun, sid: &str, target: &Target) -> Result<(), Interrupt> {
    verb_done(
        run,
        "Announce",
        format!("{} played in conference {sid}", target.shown_url()),
    );
    let extra = vec![("ConferenceSid".to_owned(), sid.to_owned())];
    if let Ok(doc) = run
        .fetch_then_check(fetch(run, target, "announce", extra))
        .await?
    {
        play_sounds(run, &doc).await?;
    }
    Ok(())
}

/// Plays a document again and again (hold or wait music; fetched once for `purpose`), or
/// silence without one, until the API or the conference changes what the call hears (or
/// something else ends the stay).
async fn looped(
    run: &CallRun,
    sid: &str,
    purpose: &'static str,
    target: Option<&Target>,
    until: OffsetDateTime,
) -> Result<(), Interrupt> {
    let doc: Option<Loaded> = match target {
        Some(target) => {
            let extra = vec![("ConferenceSid".to_owned(), sid.to_owned())];
            run.fetch_then_check(fetch(run, target, purpose, extra))
                .await?
                .ok()
        }
        None => None,
    };
    loop {
        let played = match &doc {
            Some(doc) => play_sounds(run, doc).await?,
            None => false,
        };
        let left = left_until(run, until);
        if left.is_zero() {
            return Ok(());
        }
        if !played {
            run.pause(SILENT_HOLD.min(left)).await?;
        }
    }
}

/// The simulated time from now to `until`; zero once it has passed.
fn left_until(run: &CallRun, until: OffsetDateTime) -> Duration {
    let now = run.state.now();
    Duration::try_from(until - now).unwrap_or_default()
}
