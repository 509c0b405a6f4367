//! Conferences: made by the first `<Dial><Conference>` of an account with a room name, joined
//! by the calls that dial that name while it lasts, ended when its last participant leaves, when
//! one with `endConferenceOnExit` leaves, or through the API. Each change sends the conference
//! status callback the first participant asked for. How a participant's call waits in it is
//! `engine::conference`'s.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use mycpaas_core::paths::API_PREFIX;
use mycpaas_core::webhook::ConferenceStatusCallback;
use mycpaas_core::{Conference, ConferenceCallbackEvent, ConferenceStatus};
use time::OffsetDateTime;

use crate::api::wire::{API_VERSION, whole_seconds};
use crate::recording::RecordingAsk;
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
    pub(crate) muted: bool,
    /// The document played, looped, while the conference has not started (`waitUrl`).
    pub(crate) wait_target: Option<Target>,
    pub(crate) start_conference_on_enter: bool,
    pub(crate) end_conference_on_exit: bool,
    pub(crate) max_participants: Option<u32>,
    pub(crate) callback: Option<ConferenceCallback>,
    /// `record="record-from-start"`: the conference is recorded from its start, as this asks.
    pub(crate) record: Option<RecordingAsk>,
    /// When the room beeps for this participant (`beep`, default on enter and exit).
    pub(crate) beep: mycpaas_laml::ConferenceBeep,
}

impl Joining {
    /// Whether the room beeps as this participant enters (`true`) or leaves (`false`).
    pub(crate) fn beeps(&self, entering: bool) -> bool {
        use mycpaas_laml::ConferenceBeep;
        match self.beep {
            ConferenceBeep::False => false,
            ConferenceBeep::OnEnter => entering,
            ConferenceBeep::OnExit => !entering,
            // `true`, the default: on enter and on exit.
            _ => true,
        }
    }
}

/// A call in a conference, and what the API changed of it.
#[derive(Debug, Clone)]
pub(crate) struct Participant {
    pub(crate) call: Arc<CallState>,
    pub(crate) call_sid: String,
    pub(crate) end_conference_on_exit: bool,
    pub(crate) start_conference_on_enter: bool,
    pub(crate) muted: bool,
    pub(crate) hold: bool,
    /// The document played, looped, while it is on hold (`HoldUrl`); silence without one.
    pub(crate) hold_target: Option<Target>,
    /// The document played, looped, while the conference has not started (`waitUrl`,
    /// `WaitUrl`); silence without one.
    pub(crate) wait_target: Option<Target>,
    pub(crate) coaching: bool,
    pub(crate) call_sid_to_coach: Option<String>,
    /// The name it was added with (`Label`).
    pub(crate) label: Option<String>,
    /// Documents to play to it once each (`AnnounceUrl`), oldest first.
    pub(crate) announcements: VecDeque<Target>,
    pub(crate) joined: OffsetDateTime,
    pub(crate) updated: OffsetDateTime,
}

/// What the call in a conference hears next, as its engine asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sound {
    /// An announcement: played once.
    Announce(Target),
    /// Hold: its document (or silence), looped until the participant is taken off hold.
    Hold(Option<Target>),
    /// Waiting for the conference to start: its wait document, looped until it starts.
    Wait(Target),
    /// The conference.
    Room,
}

/// A participant update that the conference's state refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The account has no such conference.
    NoConference,
    /// The conference has ended.
    Ended,
    /// The call is not in the conference (the SID named, which may be the coached call's).
    NotIn(String),
}

/// A participant update through the API; `None` keeps what the participant has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Change {
    pub(crate) muted: Option<bool>,
    pub(crate) hold: Option<bool>,
    pub(crate) hold_target: Option<Target>,
    pub(crate) wait_target: Option<Target>,
    pub(crate) announce: Option<Target>,
    pub(crate) coaching: Option<bool>,
    pub(crate) call_sid_to_coach: Option<String>,
    pub(crate) end_conference_on_exit: Option<bool>,
}

/// A call dialed into a conference through the API, until it joins.
#[derive(Debug, Clone)]
pub(crate) struct Invited {
    pub(crate) call_sid: String,
    pub(crate) label: Option<String>,
}

/// A conference and what the simulator tracks of it while it lasts.
#[derive(Debug, Clone)]
pub(crate) struct KeptConference {
    pub(crate) conference: Conference,
    /// The calls in it now, in the order they joined.
    pub(crate) participants: Vec<Participant>,
    /// Its status callbacks: the first participant's.
    pub(crate) callback: Option<ConferenceCallback>,
    /// The calls added through the API that have not joined yet.
    pub(crate) invited: Vec<Invited>,
    /// The recording asked for by the first participant that asked for one.
    pub(crate) record: Option<RecordingAsk>,
    /// Its recording, once started.
    pub(crate) recording_sid: Option<String>,
    /// The `SequenceNumber` of its next status callback.
    next_sequence: u32,
}

impl KeptConference {
    /// Whether the conference has ended.
    pub(crate) fn ended(&self) -> bool {
        self.conference.status == Some(ConferenceStatus::Completed)
    }

    /// The participant of `call_sid`, if that call is in the conference now.
    pub(crate) fn participant(&self, call_sid: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.call_sid == call_sid)
    }
}

/// Why a call could not join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JoinRefused {
    /// The room holds `maxParticipants` already.
    Full(u32),
    /// The call was dialed into a conference (through the API) that ended before it answered.
    Ended(String),
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
/// none; answers the conference's SID. A call dialed in through the API joins the conference it
/// was added to, or none if that one has ended.
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
        muted: joining.muted,
        hold: false,
        hold_target: None,
        wait_target: joining.wait_target.clone(),
        coaching: false,
        call_sid_to_coach: None,
        label: None,
        announcements: VecDeque::new(),
        joined: whole_seconds(now),
        updated: whole_seconds(now),
    };
    let mut announced = Vec::new();
    let sid = {
        let _rooms = state.conference_rooms.lock();
        let invited_to = state.conferences.find_of(account, |kept| {
            kept.invited
                .iter()
                .any(|invited| invited.call_sid == participant.call_sid)
        });
        if let Some(kept) = invited_to.as_ref().filter(|kept| kept.ended()) {
            return Err(JoinRefused::Ended(kept.conference.sid.clone()));
        }
        let live = invited_to.or_else(|| {
            state.conferences.find_of(account, |kept| {
                kept.conference.friendly_name.as_deref() == Some(joining.name.as_str())
                    && !kept.ended()
            })
        });
        let kept = if let Some(kept) = live {
            state
                .conferences
                .update(account, &kept.conference.sid, |kept| {
                    add(state, kept, participant, joining, now, &mut announced)
                })
                .transpose()?
                .unwrap_or(kept)
        } else {
            let sid = state.randomness.sid("CF");
            let mut kept = new_conference(account, &sid, joining, now);
            add(state, &mut kept, participant, joining, now, &mut announced)?;
            state.conferences.insert(account, &sid, kept.clone());
            kept
        };
        start_recording(state, account, &kept, call, now);
        kept.conference.sid
    };
    send(state, announced);
    Ok(sid)
}

/// Starts the conference's recording once it is in progress, if a participant asked for one
/// (`record="record-from-start"`); `carrier`'s timeline carries its callbacks.
fn start_recording(
    state: &Arc<SimState>,
    account: &str,
    kept: &KeptConference,
    carrier: &Arc<CallState>,
    now: OffsetDateTime,
) {
    let Some(ask) = kept.record.as_ref() else {
        return;
    };
    if kept.recording_sid.is_some() || kept.conference.status != Some(ConferenceStatus::InProgress)
    {
        return;
    }
    let sid = &kept.conference.sid;
    let recording = crate::recording::start_for_conference(state, carrier, account, sid, ask, now);
    state.conferences.update(account, sid, |kept| {
        kept.recording_sid = Some(recording.sid.clone());
        Ok::<_, ()>(())
    });
}

/// Finishes the recording of a conference that ended, if it has one.
fn finish_recording(
    state: &Arc<SimState>,
    account: &str,
    ended: Option<(String, Arc<CallState>)>,
    now: OffsetDateTime,
) {
    if let Some((sid, carrier)) = ended {
        crate::recording::finish_for_conference(state, &carrier, account, &sid, now);
    }
}

/// Adds a participant to a conference: it starts when one that starts it joins.
fn add(
    state: &SimState,
    kept: &mut KeptConference,
    mut participant: Participant,
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
    if kept.record.is_none() {
        kept.record.clone_from(&joining.record);
    }
    if let Some(at) = kept
        .invited
        .iter()
        .position(|invited| invited.call_sid == participant.call_sid)
    {
        participant.label = kept.invited.remove(at).label;
    }
    if participant.start_conference_on_enter
        && kept.conference.status == Some(ConferenceStatus::Init)
    {
        kept.conference.status = Some(ConferenceStatus::InProgress);
        announced.extend(announcement(kept, "start", &participant, false, now));
        // Those who waited stop hearing the wait music.
        for waiting in &kept.participants {
            waiting.call.hears_else.store(true, Ordering::SeqCst);
            state.wake(&waiting.call);
        }
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
        invited: Vec::new(),
        record: None,
        recording_sid: None,
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
    let mut recorded = None;
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
                recorded = kept.recording_sid.clone().map(|sid| (sid, left.call));
            }
            Ok(())
        });
    }
    tell_to_leave(state, &told_to_leave);
    send(state, announced);
    finish_recording(state, account, recorded, now);
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
    let mut recorded = None;
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
                recorded = kept.recording_sid.clone().map(|sid| (sid, first.call));
            } else {
                kept.conference.status = Some(ConferenceStatus::Completed);
                kept.conference.reason_conference_ended =
                    Some("conference-ended-via-api".to_owned());
            }
            Ok(())
        })
    };
    tell_to_leave(state, &told_to_leave);
    send(state, announced);
    finish_recording(state, account, recorded, now);
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
fn tell_to_leave(state: &SimState, calls: &[Arc<CallState>]) {
    for call in calls {
        call.leave.store(true, Ordering::SeqCst);
        state.wake(call);
    }
}

/// The status callback of `event` (a LaML name, or `unmute`/`unhold`), if the conference asked for it, carried by
/// `participant`'s timeline and naming it when `about_participant`; its `SequenceNumber` is
/// taken now, so callbacks are numbered in the order of the events.
fn announcement(
    kept: &mut KeptConference,
    event: &str,
    participant: &Participant,
    about_participant: bool,
    now: OffsetDateTime,
) -> Option<Announcement> {
    // `unmute` and `unhold` are sent for the LaML events `mute` and `hold`.
    let asked = event.strip_prefix("un").unwrap_or(event);
    let callback = kept.callback.as_ref().filter(|c| c.wants(asked))?;
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
        form.muted = Some(participant.muted);
        form.hold = Some(participant.hold);
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

/// Changes the participant `call_sid` of the account's conference `sid` as the API asked, and
/// answers it changed. A change of `Muted` or `Hold` sends `participant-mute`/`-unmute` or
/// `participant-hold`/`-unhold`; a change of what the call hears (hold, an announcement) wakes
/// its engine to play it.
pub(crate) fn update_participant(
    state: &Arc<SimState>,
    account: &str,
    sid: &str,
    call_sid: &str,
    change: Change,
    now: OffsetDateTime,
) -> Result<Participant, Refused> {
    let mut announced = Vec::new();
    let mut updated = None;
    {
        let _rooms = state.conference_rooms.lock();
        state
            .conferences
            .update(account, sid, |kept| {
                updated = Some(change_participant(
                    state,
                    kept,
                    call_sid,
                    change,
                    now,
                    &mut announced,
                )?);
                Ok(())
            })
            .ok_or(Refused::NoConference)??;
    }
    send(state, announced);
    updated.ok_or(Refused::NoConference)
}

fn change_participant(
    state: &SimState,
    kept: &mut KeptConference,
    call_sid: &str,
    change: Change,
    now: OffsetDateTime,
    announced: &mut Vec<Announcement>,
) -> Result<Participant, Refused> {
    if kept.ended() {
        return Err(Refused::Ended);
    }
    if let Some(coached) = &change.call_sid_to_coach {
        if kept.participant(coached).is_none() {
            return Err(Refused::NotIn(coached.clone()));
        }
    }
    let at = kept
        .participants
        .iter()
        .position(|p| p.call_sid == call_sid)
        .ok_or_else(|| Refused::NotIn(call_sid.to_owned()))?;
    let mut events = Vec::new();
    let waiting = kept.conference.status == Some(ConferenceStatus::Init);
    let participant = &mut kept.participants[at];
    let mut hears_else = false;
    if let Some(muted) = change.muted.filter(|&m| m != participant.muted) {
        participant.muted = muted;
        events.push(if muted { "mute" } else { "unmute" });
    }
    if change.wait_target.is_some() {
        hears_else |= waiting;
        participant.wait_target = change.wait_target;
    }
    if change.hold_target.is_some() {
        hears_else |= participant.hold;
        participant.hold_target = change.hold_target;
    }
    if let Some(hold) = change.hold.filter(|&h| h != participant.hold) {
        participant.hold = hold;
        hears_else = true;
        events.push(if hold { "hold" } else { "unhold" });
    }
    if let Some(target) = change.announce {
        participant.announcements.push_back(target);
        hears_else = true;
    }
    if let Some(coaching) = change.coaching {
        participant.coaching = coaching;
        if !coaching {
            participant.call_sid_to_coach = None;
        }
    }
    if let Some(coached) = change.call_sid_to_coach {
        participant.call_sid_to_coach = Some(coached);
    }
    if let Some(end) = change.end_conference_on_exit {
        participant.end_conference_on_exit = end;
    }
    participant.updated = whole_seconds(now);
    let participant = participant.clone();
    kept.conference.date_updated = Some(whole_seconds(now));
    for event in events {
        announced.extend(announcement(kept, event, &participant, true, now));
    }
    if hears_else {
        participant.call.hears_else.store(true, Ordering::SeqCst);
        state.wake(&participant.call);
    }
    Ok(participant)
}

/// Plays `target` once to every participant of the account's conference `sid`.
pub(crate) fn announce_to_all(
    state: &Arc<SimState>,
    account: &str,
    sid: &str,
    target: &Target,
) -> Result<(), Refused> {
    let _rooms = state.conference_rooms.lock();
    state
        .conferences
        .update(account, sid, |kept| {
            if kept.ended() {
                return Err(Refused::Ended);
            }
            for participant in &mut kept.participants {
                participant.announcements.push_back(target.clone());
                participant.call.hears_else.store(true, Ordering::SeqCst);
                state.wake(&participant.call);
            }
            Ok(())
        })
        .ok_or(Refused::NoConference)?
        .map(|_| ())
}

/// Takes `call_sid` out of the account's conference `sid` through the API: it leaves as when its
/// stay ends (`participant-leave`, and the conference's end if it was the last or ends it), and
/// its engine goes on after its `<Dial>`.
pub(crate) fn kick(
    state: &Arc<SimState>,
    account: &str,
    sid: &str,
    call_sid: &str,
    now: OffsetDateTime,
) -> Result<(), Refused> {
    let call = {
        let kept = state
            .conferences
            .get(account, sid)
            .ok_or(Refused::NoConference)?;
        if kept.ended() {
            return Err(Refused::Ended);
        }
        let participant = kept
            .participant(call_sid)
            .ok_or_else(|| Refused::NotIn(call_sid.to_owned()))?;
        Arc::clone(&participant.call)
    };
    leave(state, account, sid, call_sid, now);
    tell_to_leave(state, &[call]);
    Ok(())
}

/// Notes that `call_sid`, placed through the API, joins the account's conference `sid` when it
/// answers (with `label`); refused when the conference is gone or has ended.
pub(crate) fn invite(
    state: &Arc<SimState>,
    account: &str,
    sid: &str,
    invited: Invited,
) -> Result<KeptConference, Refused> {
    let _rooms = state.conference_rooms.lock();
    state
        .conferences
        .update(account, sid, |kept| {
            if kept.ended() {
                return Err(Refused::Ended);
            }
            kept.invited.push(invited);
            Ok(())
        })
        .ok_or(Refused::NoConference)?
}

/// What `call_sid`, in the account's conference `sid`, hears next: an announcement waiting
/// (taken), its hold, or the room.
pub(crate) fn next_sound(state: &SimState, account: &str, sid: &str, call_sid: &str) -> Sound {
    let _rooms = state.conference_rooms.lock();
    let mut sound = Sound::Room;
    state.conferences.update(account, sid, |kept| {
        let Some(participant) = kept
            .participants
            .iter_mut()
            .find(|p| p.call_sid == call_sid)
        else {
            return Ok::<_, ()>(());
        };
        if let Some(target) = participant.announcements.pop_front() {
            sound = Sound::Announce(target);
        } else if participant.hold {
            sound = Sound::Hold(participant.hold_target.clone());
        } else if let Some(target) = participant
            .wait_target
            .clone()
            .filter(|_| kept.conference.status == Some(ConferenceStatus::Init))
        {
            sound = Sound::Wait(target);
        }
        Ok(())
    });
    sound
}
