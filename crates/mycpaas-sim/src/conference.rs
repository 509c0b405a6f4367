//! Conferences: made by the first `<Dial><Conference>` of an account with a room name, joined
//! by the calls that dial that name while it lasts, ended when its last participant leaves, when
//! one with `endConferenceOnExit` leaves, or through the API. Each change sends the conference
//! status callback the first participant asked for. How a participant's call waits in it is
//! `engine::conference`'s.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use mycpaas_core::paths::API_PREFIX;
use mycpaas_core::webhook::ConferenceStatusCallback;
use mycpaas_core::{Conference, ConferenceCallbackEvent, ConferenceStatus};
use time::OffsetDateTime;

use crate::api::wire::{API_VERSION, whole_seconds};
use crate::state::SimState;
use crate::store::{CallState, Target};

/// The conference events of `<Conference statusCallbackEvent>`, by their LaML names.
const EVENTS: [&str; 7] = ["start", "end", "join", "leave", "mute", "hold", "speaker"];

/// Where a conference's status callbacks go, and which of its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConferenceCallback {
    pub(crate) target: Target,
    /// LaML event names (`start`, `join`, ...); every event when the noun names none.
    pub(crate) events: Vec<String>,
}

impl ConferenceCallback {
    /// The callbacks to `target` for the events named; every event when none is named (the
    /// attribute's default in laml.md).
    pub(crate) fn asking<'a>(target: Target, named: impl IntoIterator<Item = &'a str>) -> Self {
        let mut events: Vec<String> = named.into_iter().map(str::to_owned).collect();
        if events.is_empty() {
            events = EVENTS.iter().map(|&event| event.to_owned()).collect();
        }
        ConferenceCallback { target, events }
    }

    fn wants(&self, event: &str) -> bool {
        self.events.iter().any(|wanted| wanted == event)
    }
}

/// How a call joins: the `<Conference>` noun's settings that the simulator keeps.
#[derive(Debug, Clone)]
pub(crate) struct Joining {
    pub(crate) name: String,
    pub(crate) start_conference_on_enter: bool,
    pub(crate) end_conference_on_exit: bool,
    pub(crate) max_participants: Option<u32>,
    pub(crate) callback: Option<ConferenceCallback>,
    /// The room is held once (a `<Dial><Queue>` bridge): once it has ended, a call that comes
    /// to it is refused instead of opening it again.
    pub(crate) once: bool,
}

/// A call in a conference.
#[derive(Debug, Clone)]
pub(crate) struct Participant {
    pub(crate) call: Arc<CallState>,
    pub(crate) call_sid: String,
    pub(crate) end_conference_on_exit: bool,
    pub(crate) start_conference_on_enter: bool,
}

/// A conference and what the simulator tracks of it while it lasts.
#[derive(Debug, Clone)]
pub(crate) struct KeptConference {
    pub(crate) conference: Conference,
    /// The calls in it now, in the order they joined.
    pub(crate) participants: Vec<Participant>,
    /// Its status callbacks: the first participant's.
    pub(crate) callback: Option<ConferenceCallback>,
    /// The `SequenceNumber` of its next status callback.
    next_sequence: u32,
}

/// Why a call could not join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JoinRefused {
    /// The room holds `maxParticipants` already.
    Full(u32),
    /// The room is held once, and has ended.
    Ended,
}

/// A conference callback to send once the registry's lock is released.
struct Announcement {
    target: Target,
    params: Vec<(String, String)>,
    event: String,
    /// The participant whose call carries it in its timeline.
    call: Arc<CallState>,
}

/// The path of the account's conference `sid`.
fn conference_path(account: &str, sid: &str) -> String {
    format!("{API_PREFIX}/Accounts/{account}/Conferences/{sid}")
}

/// Puts `call` in the account's live conference named `joining.name`, making it if there is
/// none; answers the conference's SID.
pub(crate) fn join(
    state: &Arc<SimState>,
    account: &str,
    call: &Arc<CallState>,
    joining: &Joining,
    now: OffsetDateTime,
) -> Result<String, JoinRefused> {
    let participant = Participant {
        call: Arc::clone(call),
        call_sid: call.inner.lock().record.sid.clone(),
        end_conference_on_exit: joining.end_conference_on_exit,
        start_conference_on_enter: joining.start_conference_on_enter,
    };
    let mut announced = Vec::new();
    let sid = {
        let _rooms = state.conference_rooms.lock();
        let live = state.conferences.find_of(account, |kept| {
            kept.conference.friendly_name.as_deref() == Some(joining.name.as_str())
                && kept.conference.status != Some(ConferenceStatus::Completed)
        });
        let ended_once = || {
            joining.once
                && state
                    .conferences
                    .find_of(account, |kept| {
                        kept.conference.friendly_name.as_deref() == Some(joining.name.as_str())
                    })
                    .is_some()
        };
        if let Some(kept) = live {
            let sid = kept.conference.sid;
            state
                .conferences
                .update(account, &sid, |kept| {
                    add(kept, participant, joining, now, &mut announced)
                })
                .transpose()?;
            sid
        } else if ended_once() {
            return Err(JoinRefused::Ended);
        } else {
            let sid = state.randomness.sid("CF");
            let mut kept = new_conference(account, &sid, joining, now);
            add(&mut kept, participant, joining, now, &mut announced)?;
            state.conferences.insert(account, &sid, kept);
            sid
        }
    };
    send(state, announced);
    Ok(sid)
}

/// Adds a participant to a conference: it starts when one that starts it joins.
fn add(
    kept: &mut KeptConference,
    participant: Participant,
    joining: &Joining,
    now: OffsetDateTime,
    announced: &mut Vec<Announcement>,
) -> Result<(), JoinRefused> {
    if let Some(max) = joining.max_participants {
        if kept.participants.len() >= usize::try_from(max).unwrap_or(usize::MAX) {
            return Err(JoinRefused::Full(max));
        }
    }
    kept.conference.date_updated = Some(whole_seconds(now));
    if participant.start_conference_on_enter
        && kept.conference.status == Some(ConferenceStatus::Init)
    {
        kept.conference.status = Some(ConferenceStatus::InProgress);
        announced.extend(announcement(kept, "start", &participant, false, now));
    }
    announced.extend(announcement(kept, "join", &participant, true, now));
    kept.participants.push(participant);
    Ok(())
}

fn new_conference(
    account: &str,
    sid: &str,
    joining: &Joining,
    now: OffsetDateTime,
) -> KeptConference {
    let mut conference = Conference::default();
    let path = conference_path(account, sid);
    sid.clone_into(&mut conference.sid);
    conference.account_sid = Some(account.to_owned());
    conference.friendly_name = Some(joining.name.clone());
    conference.status = Some(ConferenceStatus::Init);
    conference.region = Some("us1".to_owned());
    conference.api_version = Some(API_VERSION.to_owned());
    conference.date_created = Some(whole_seconds(now));
    conference.date_updated = Some(whole_seconds(now));
    conference.subresource_uris = Some(
        [
            ("participants", "Participants"),
            ("recordings", "Recordings"),
        ]
        .into_iter()
        .map(|(name, segment)| {
            (
                name.to_owned(),
                serde_json::Value::String(format!("{path}/{segment}.json")),
            )
        })
        .collect(),
    );
    conference.uri = Some(format!("{path}.json"));
    KeptConference {
        conference,
        participants: Vec::new(),
        callback: joining.callback.clone(),
        next_sequence: 1,
    }
}

/// Takes `call_sid` out of the conference `sid`. The conference ends when its last
/// participant leaves, or when one with `endConferenceOnExit` does: the others are then told to
/// leave too.
pub(crate) fn leave(
    state: &Arc<SimState>,
    account: &str,
    sid: &str,
    call_sid: &str,
    now: OffsetDateTime,
) {
    let mut announced = Vec::new();
    let mut told_to_leave = Vec::new();
    {
        let _rooms = state.conference_rooms.lock();
        state.conferences.update(account, sid, |kept| {
            let Some(at) = kept
                .participants
                .iter()
                .position(|p| p.call_sid == call_sid)
            else {
                return Ok::<_, ()>(());
            };
            let left = kept.participants.remove(at);
            kept.conference.date_updated = Some(whole_seconds(now));
            announced.extend(announcement(kept, "leave", &left, true, now));
            if kept.conference.status == Some(ConferenceStatus::Completed) {
                return Ok(());
            }
            let reason = if left.end_conference_on_exit && left.start_conference_on_enter {
                Some("participant-with-end-conference-on-exit-left")
            } else if kept.participants.is_empty() {
                Some("last-participant-left")
            } else {
                None
            };
            if let Some(reason) = reason {
                told_to_leave.extend(end(
                    kept,
                    reason,
                    &left,
                    Some(call_sid),
                    now,
                    &mut announced,
                ));
            }
            Ok(())
        });
    }
    tell_to_leave(&told_to_leave);
    send(state, announced);
}

/// A conference that has ended already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ended;

/// Ends the account's conference `sid` through the API and answers it ended; `None` when
/// there is no such conference.
pub(crate) fn end_by_request(
    state: &Arc<SimState>,
    account: &str,
    sid: &str,
    now: OffsetDateTime,
) -> Option<Result<Conference, Ended>> {
    let mut announced = Vec::new();
    let mut told_to_leave = Vec::new();
    let outcome = {
        let _rooms = state.conference_rooms.lock();
        state.conferences.update(account, sid, |kept| {
            if kept.conference.status == Some(ConferenceStatus::Completed) {
                return Err(Ended);
            }
            if let Some(first) = kept.participants.first().cloned() {
                told_to_leave.extend(end(
                    kept,
                    "conference-ended-via-api",
                    &first,
                    None,
                    now,
                    &mut announced,
                ));
            } else {
                kept.conference.status = Some(ConferenceStatus::Completed);
                kept.conference.reason_conference_ended =
                    Some("conference-ended-via-api".to_owned());
            }
            Ok(())
        })
    };
    tell_to_leave(&told_to_leave);
    send(state, announced);
    outcome.map(|result| result.map(|kept| kept.conference))
}

/// Marks a conference completed for `reason`, announces its end (carried by `carrier`'s
/// timeline) and answers the calls that must leave it.
fn end(
    kept: &mut KeptConference,
    reason: &str,
    carrier: &Participant,
    ending_call: Option<&str>,
    now: OffsetDateTime,
    announced: &mut Vec<Announcement>,
) -> Vec<Arc<CallState>> {
    kept.conference.status = Some(ConferenceStatus::Completed);
    kept.conference.reason_conference_ended = Some(reason.to_owned());
    kept.conference.call_sid_ending_conference = ending_call.map(str::to_owned);
    kept.conference.date_updated = Some(whole_seconds(now));
    announced.extend(announcement(kept, "end", carrier, false, now));
    kept.participants
        .iter()
        .map(|participant| Arc::clone(&participant.call))
        .collect()
}

/// Wakes each call so that its engine takes it out of the conference.
fn tell_to_leave(calls: &[Arc<CallState>]) {
    for call in calls {
        call.leave.store(true, Ordering::SeqCst);
        call.wake.notify_one();
    }
}

/// The status callback of `event` (a LaML name), if the conference asked for it, carried by
/// `participant`'s timeline and naming it when `about_participant`; its `SequenceNumber` is
/// taken now, so callbacks are numbered in the order of the events.
fn announcement(
    kept: &mut KeptConference,
    event: &str,
    participant: &Participant,
    about_participant: bool,
    now: OffsetDateTime,
) -> Option<Announcement> {
    let callback = kept.callback.as_ref().filter(|c| c.wants(event))?;
    let conference = &kept.conference;
    let wire_event = match event {
        "start" | "end" => format!("conference-{event}"),
        other => format!("participant-{other}"),
    };
    let mut form = ConferenceStatusCallback::default();
    form.call.account_sid.clone_from(&conference.account_sid);
    form.conference_sid = Some(conference.sid.clone());
    form.friendly_name.clone_from(&conference.friendly_name);
    form.status_callback_event = Some(ConferenceCallbackEvent::from_wire(&wire_event));
    form.sequence_number = Some(u64::from(kept.next_sequence));
    form.timestamp = Some(now);
    if about_participant {
        form.call.call_sid = Some(participant.call_sid.clone());
        // The simulated participants are never muted or held.
        form.muted = Some(false);
        form.hold = Some(false);
        form.start_conference_on_enter = Some(participant.start_conference_on_enter);
        form.end_conference_on_exit = Some(participant.end_conference_on_exit);
    }
    if event == "end" {
        form.reason_conference_ended
            .clone_from(&conference.reason_conference_ended);
        form.call_sid_ending_conference
            .clone_from(&conference.call_sid_ending_conference);
    }
    kept.next_sequence += 1;
    Some(Announcement {
        target: callback.target.clone(),
        params: form.to_pairs(),
        event: wire_event,
        call: Arc::clone(&participant.call),
    })
}

fn send(state: &Arc<SimState>, announced: Vec<Announcement>) {
    for announcement in announced {
        crate::engine::notify(
            state,
            &announcement.call,
            announcement.target,
            announcement.params,
            announcement.event,
        );
    }
}
