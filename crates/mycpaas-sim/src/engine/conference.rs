//! `<Dial><Conference>`: the call joins the room (see `crate::conference`), stays until the
//! conference ends, its `timeLimit` passes or it is hung up, leaves, and goes on to the dial's
//! `action`.

use std::sync::atomic::Ordering;
use std::time::Duration;

use mycpaas_laml::{Conference as Room, ConferenceEvent, Dial};

use super::exec::{DIAL_TIME_LIMIT_SECS, Loaded, Next, dial_action, resolve, verb_done};
use super::{CallRun, Interrupt};
use crate::conference::{self, ConferenceCallback, JoinRefused, Joining};

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
        start_conference_on_enter: room.start_conference_on_enter.unwrap_or(true),
        end_conference_on_exit: room.end_conference_on_exit.unwrap_or(false),
        max_participants: room.max_participants,
        callback,
        once: false,
    };
    let limit = dial.time_limit.unwrap_or(DIAL_TIME_LIMIT_SECS);
    let seconds = match stay(run, &joining, limit).await? {
        Ok(seconds) => seconds,
        Err(refused) => {
            let why = match refused {
                JoinRefused::Full(max) => format!("is full ({max} participants)"),
                JoinRefused::Ended => "has ended".to_owned(),
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

/// Puts the call in the conference `joining` names and keeps it there until the conference
/// ends, `limit` seconds pass or the call is interrupted; answers the whole seconds it stayed.
/// Every way out leaves the room; an interrupt other than the conference's end is passed on.
pub(super) async fn stay(
    run: &CallRun,
    joining: &Joining,
    limit: u32,
) -> Result<Result<i64, JoinRefused>, Interrupt> {
    let (account, call_sid, joined_at) = {
        let inner = run.call.inner.lock();
        let now = run.state.now_of(&inner.record);
        (
            inner.record.account_sid.clone(),
            inner.record.sid.clone(),
            now,
        )
    };
    let name = &joining.name;
    let sid = match conference::join(&run.state, &account, &run.call, joining, joined_at) {
        Ok(sid) => sid,
        Err(refused) => return Ok(Err(refused)),
    };
    verb_done(run, "Dial", format!("joined conference {name} as {sid}"));
    let stayed = run.pause(Duration::from_secs(u64::from(limit))).await;
    // Whatever ended the stay, the call is out of the room now.
    run.call.leave.store(false, Ordering::SeqCst);
    let left_at = run.state.now_of(&run.call.inner.lock().record);
    conference::leave(&run.state, &account, &sid, &call_sid, left_at);
    match stayed {
        Ok(()) | Err(Interrupt::Leave) => {}
        Err(other) => return Err(other),
    }
    let seconds = (left_at - joined_at).whole_seconds().max(0);
    verb_done(
        run,
        "Dial",
        format!("left conference {name} after {seconds} s"),
    );
    Ok(Ok(seconds))
}
