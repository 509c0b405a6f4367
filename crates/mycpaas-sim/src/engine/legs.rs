//! `<Dial>` to numbers and SIP endpoints: each noun (a `<Number>`, a `<Sip>`, a bare number) is a
//! child call of its own (a Call resource with `parent_call_sid`, `direction: outbound-dial`, its
//! own status callbacks), all rung at once. The first to answer runs its noun's `url` (the
//! whisper) and is bridged with the parent; the others are canceled. How each callee meets the
//! ring is its script (`crate::callee`), or the magic numbers' default.
//!
//! The parent's task drives its legs on the simulator's one clock, so the legs' times, durations
//! and `DialCallDuration` are the scripted seconds exactly, whatever the machine's load.

use std::sync::Arc;
use std::time::Duration;

use mycpaas_core::RecordingSource;
use mycpaas_laml::{CallProgressEvent, Dial, DialNoun, DialRecord};
use time::OffsetDateTime;

use super::exec::{
    DIAL_TIME_LIMIT_SECS, DIAL_TIMEOUT_SECS, DIAL_TRIM, Loaded, Next, dial_action,
    dial_recording_callback, fetch, load_inline, resolve, run_document, trim_of, verb_done,
};
use super::{CallRun, Interrupt};
use crate::callee::Behaviour;
use crate::recording::{self, RecordingAsk};
use crate::state::SimState;
use crate::store::{CallRecord, CallState, CallbackEvents, DocSource, Status, Target};
use crate::timeline::TimelineEvent;

/// Documents a whisper may load (its `<Gather>` actions, redirects) before it counts as a loop.
const MAX_WHISPER_DOCUMENTS: usize = 16;
/// The time a `w` of the parent's scripted digits takes: when `*` comes (`hangupOnStar`).
const KEY_PAUSE: Duration = Duration::from_millis(500);

/// One noun to ring, as the document asked.
struct Ask {
    to: String,
    url: Option<Target>,
    status_callback: Option<Target>,
    events: CallbackEvents,
}

/// One child leg while the dial runs.
struct Leg {
    run: CallRun,
    to: String,
    behaviour: Behaviour,
    whisper: Option<Target>,
}

impl Leg {
    fn call(&self) -> &Arc<CallState> {
        &self.run.call
    }

    fn status(&self) -> Status {
        self.call().inner.lock().record.status
    }

    fn sid(&self) -> String {
        self.call().inner.lock().record.sid.clone()
    }

    /// When, from the dial's start, the callee does what it does (`None`: it rings on).
    fn due(&self) -> Option<Duration> {
        match self.behaviour {
            Behaviour::Answers { ring, .. } | Behaviour::Busy { ring } => Some(ring),
            Behaviour::Fails { after } => Some(after),
            Behaviour::RingsOut => None,
        }
    }
}

/// How a dial's bridge ended, for the parent's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BridgeEnd {
    CalleeHungUp,
    TimeLimit,
    HangupOnStar,
    LegEnded,
}

impl BridgeEnd {
    fn describe(self) -> &'static str {
        match self {
            BridgeEnd::CalleeHungUp => "the callee hung up",
            BridgeEnd::TimeLimit => "timeLimit reached",
            BridgeEnd::HangupOnStar => "the caller pressed *",
            BridgeEnd::LegEnded => "the leg was ended",
        }
    }
}

/// `DialCallStatus` of a dial whose legs all ended without one being bridged, from how they
/// ended: `no-answer` if any rang out, else `busy` if any was busy, else `failed` if any failed,
/// else `canceled` (every leg was canceled through the API).
pub(super) fn unanswered_status(ends: &[Status]) -> &'static str {
    if ends.contains(&Status::NoAnswer) {
        "no-answer"
    } else if ends.contains(&Status::Busy) {
        "busy"
    } else if ends.contains(&Status::Failed) || ends.is_empty() {
        "failed"
    } else {
        "canceled"
    }
}

/// Ends a leg whose parent ended: a leg still ringing is `canceled`, an answered one
/// `completed` (both timelines say so). Nothing for a leg that has ended already.
pub(super) fn end_leg(state: &Arc<SimState>, parent: &Arc<CallState>, leg: &Arc<CallState>) {
    let (status, to) = {
        let inner = leg.inner.lock();
        (inner.record.status, inner.record.to.clone())
    };
    if status.is_terminal() {
        return;
    }
    let (ending, event) = if status.is_pending() {
        (Status::Canceled, "canceled")
    } else {
        (Status::Completed, "ended")
    };
    if super::finish_if(state, leg, ending, |_| true) {
        let parent_sid = parent.inner.lock().record.sid.clone();
        let leg_sid = leg.inner.lock().record.sid.clone();
        let event = event.to_owned();
        state.record(
            parent,
            TimelineEvent::Leg {
                leg: leg_sid,
                event: event.clone(),
                to: to.clone(),
            },
        );
        state.record(
            leg,
            TimelineEvent::Leg {
                leg: parent_sid,
                event,
                to,
            },
        );
    }
    settle(state, leg);
}

/// Tells both timelines that the API ended a child leg (`canceled` while it rang, `ended` once
/// answered); the `<Dial>` waiting on it wakes and goes on without it. Nothing for a call that is
/// not a leg.
pub(super) fn ended_by_request(state: &Arc<SimState>, leg: &Arc<CallState>) {
    let (parent, sid, to, answered) = {
        let inner = leg.inner.lock();
        let Some(parent) = inner.record.parent_call_sid.clone() else {
            return;
        };
        (
            parent,
            inner.record.sid.clone(),
            inner.record.to.clone(),
            inner.record.start_time.is_some(),
        )
    };
    let event = if answered { "ended" } else { "canceled" }.to_owned();
    if let Some(parent_call) = state.calls.get(&parent) {
        state.record(
            &parent_call,
            TimelineEvent::Leg {
                leg: sid,
                event: event.clone(),
                to: to.clone(),
            },
        );
    }
    state.record(
        leg,
        TimelineEvent::Leg {
            leg: parent,
            event,
            to,
        },
    );
    settle(state, leg);
}

/// Marks the leg's engine part done (its parent drove it), so it settles once its callbacks are
/// delivered.
fn settle(state: &SimState, leg: &Arc<CallState>) {
    let settled = {
        let mut inner = leg.inner.lock();
        if !inner.record.status.is_terminal() {
            return;
        }
        inner.engine_done = true;
        inner.settled()
    };
    if settled {
        state.calls.announce_settled();
    }
}

/// The nouns of a `<Dial>` to ring: its bare number, then its `<Number>`s and `<Sip>`s in order.
fn asks(run: &CallRun, dial: &Dial, doc: &Loaded) -> Vec<Ask> {
    let mut asks: Vec<Ask> = dial
        .bare_number
        .iter()
        .map(|number| Ask {
            to: number.trim().to_owned(),
            url: None,
            status_callback: None,
            events: CallbackEvents::default(),
        })
        .collect();
    for noun in &dial.nouns {
        let (to, url, method, callback, callback_method, events) = match noun {
            DialNoun::Number(n) => (
                n.number.trim(),
                n.url.as_deref(),
                n.method,
                n.status_callback.as_deref(),
                n.status_callback_method,
                n.status_callback_event.as_ref(),
            ),
            DialNoun::Sip(s) => (
                s.uri.trim(),
                s.url.as_deref(),
                s.method,
                s.status_callback.as_deref(),
                s.status_callback_method,
                s.status_callback_event.as_ref(),
            ),
            _ => continue,
        };
        asks.push(Ask {
            to: to.to_owned(),
            url: url.and_then(|url| resolve(run, doc, url, method)),
            status_callback: callback.and_then(|url| resolve(run, doc, url, callback_method)),
            events: events_of(events),
        });
    }
    asks.retain(|ask| !ask.to.is_empty());
    asks
}

/// A noun's `statusCallbackEvent`; `completed` alone when it names none, as for a create.
fn events_of(named: Option<&Vec<CallProgressEvent>>) -> CallbackEvents {
    let named: Vec<&CallProgressEvent> = named.into_iter().flatten().collect();
    if named.is_empty() {
        return CallbackEvents {
            completed: true,
            ..CallbackEvents::default()
        };
    }
    let has = |event: CallProgressEvent| named.iter().any(|e| **e == event);
    CallbackEvents {
        initiated: has(CallProgressEvent::Initiated),
        ringing: has(CallProgressEvent::Ringing),
        answered: has(CallProgressEvent::Answered),
        completed: has(CallProgressEvent::Completed),
    }
}

/// Places the child call of one noun, at the parent's simulated `now`: `queued`, then
/// `initiated` at once.
fn place(run: &CallRun, dial: &Dial, ask: Ask, now: OffsetDateTime) -> Leg {
    let state = &run.state;
    let (account, parent_sid, parent_from) = {
        let inner = run.call.inner.lock();
        (
            inner.record.account_sid.clone(),
            inner.record.sid.clone(),
            inner.record.from.clone(),
        )
    };
    let timeout = dial.timeout.unwrap_or(DIAL_TIMEOUT_SECS);
    let time_limit = dial.time_limit.unwrap_or(DIAL_TIME_LIMIT_SECS);
    let record = CallRecord {
        sid: state.randomness.sid("CA"),
        account_sid: account,
        to: ask.to.clone(),
        // The caller ID the dial names, or the parent's own caller ID.
        from: dial
            .caller_id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .unwrap_or(parent_from),
        inbound: false,
        status: Status::Queued,
        created: now,
        updated: now,
        start_time: None,
        end_time: None,
        answered_by: None,
        machine_detection: false,
        source: DocSource::Inline("<Response/>".to_owned()),
        fallback: None,
        status_callback: ask.status_callback,
        events: ask.events,
        timeout: Duration::from_secs(u64::from(timeout)),
        time_limit: Duration::from_secs(u64::from(time_limit)),
        recording: None,
        parent_call_sid: Some(parent_sid.clone()),
    };
    let call = state.calls.insert(record);
    {
        let mut inner = call.inner.lock();
        state.record_locked(
            &mut inner,
            TimelineEvent::Status {
                status: Status::Queued.as_str().to_owned(),
            },
        );
    }
    run.call.legs.lock().push(Arc::clone(&call));
    let leg = Leg {
        run: CallRun {
            state: Arc::clone(state),
            call,
        },
        behaviour: state.callees.behaviour_of(&ask.to),
        to: ask.to,
        whisper: ask.url,
    };
    // A parent that ended meanwhile takes its leg with it.
    let _ = leg.run.transition(Status::Initiated);
    leg
}

/// Records a leg event on both timelines: the parent's names the leg, the leg's its parent.
fn tell(run: &CallRun, leg: &Leg, event: &str) {
    let parent = run.call.inner.lock().record.sid.clone();
    run.record(TimelineEvent::Leg {
        leg: leg.sid(),
        event: event.to_owned(),
        to: leg.to.clone(),
    });
    leg.run.record(TimelineEvent::Leg {
        leg: parent,
        event: event.to_owned(),
        to: leg.to.clone(),
    });
}

/// Ends a leg with `status` (its callback says so) and tells both timelines.
fn end_with(run: &CallRun, leg: &Leg, status: Status, event: &str) {
    if super::finish_if(&run.state, leg.call(), status, |_| true) {
        tell(run, leg, event);
    }
    settle(&run.state, leg.call());
}

/// Ends every leg still live after an interruption of the parent (a redirect, the parent's end,
/// a shutdown): ringing ones canceled, a bridged one completed.
fn drop_legs(run: &CallRun, legs: &[Leg]) {
    for leg in legs {
        let status = leg.status();
        if status.is_terminal() {
            settle(&run.state, leg.call());
            continue;
        }
        if status.is_pending() {
            end_with(run, leg, Status::Canceled, "canceled");
        } else {
            end_with(run, leg, Status::Completed, "ended");
        }
    }
    run.call.legs.lock().clear();
}

/// Lets `simulated` time pass, unless the API interrupts the parent (`Err`) or ends one of the
/// legs (`Ok(false)`, at that moment).
async fn wait(run: &CallRun, legs: &[&Leg], simulated: Duration) -> Result<bool, Interrupt> {
    let until = run.state.clock.passed().saturating_add(simulated);
    run.wait_until(until, || legs.iter().any(|leg| leg.status().is_terminal()))
        .await
}

/// Simulated time since `since`.
fn since(run: &CallRun, since: OffsetDateTime) -> Duration {
    let now = run.state.now();
    Duration::try_from(now - since).unwrap_or(Duration::ZERO)
}

/// `<Dial>` with `<Number>`s, `<Sip>`s or a bare number: rings a child leg per noun, bridges the
/// first to answer, then goes to the dial's `action` (or the next verb).
pub(super) async fn ring(
    run: &CallRun,
    dial: &Dial,
    doc: &Loaded,
) -> Result<Option<Next>, Interrupt> {
    let asks = asks(run, dial, doc);
    if asks.is_empty() {
        verb_done(run, "Dial", "nothing to dial: skipped".to_owned());
        return Ok(None);
    }
    let started = run.state.now();
    let legs: Vec<Leg> = asks
        .into_iter()
        .map(|ask| place(run, dial, ask, started))
        .collect();
    let shown: Vec<String> = legs
        .iter()
        .map(|leg| format!("{} as {}", leg.to, leg.sid()))
        .collect();
    verb_done(run, "Dial", format!("ringing {}", shown.join(", ")));
    match connect(run, dial, doc, &legs, started).await {
        Ok(next) => {
            run.call.legs.lock().clear();
            Ok(next)
        }
        Err(interrupt) => {
            drop_legs(run, &legs);
            Err(interrupt)
        }
    }
}

/// Rings the legs until one answers, every one has ended or the dial's `timeout` passes; bridges
/// the one that answered; says where the parent goes.
async fn connect(
    run: &CallRun,
    dial: &Dial,
    doc: &Loaded,
    legs: &[Leg],
    started: OffsetDateTime,
) -> Result<Option<Next>, Interrupt> {
    for leg in legs {
        if !matches!(leg.behaviour, Behaviour::Fails { .. })
            && leg.run.transition(Status::Ringing).is_ok()
        {
            tell(run, leg, "rang");
        }
    }
    let timeout = Duration::from_secs(u64::from(dial.timeout.unwrap_or(DIAL_TIMEOUT_SECS)));
    let winner = loop {
        let live: Vec<&Leg> = legs
            .iter()
            .filter(|leg| !leg.status().is_terminal())
            .collect();
        if live.is_empty() {
            break None;
        }
        let elapsed = since(run, started);
        // The next callee to act, in noun order among equals; the timeout if none acts before it.
        let next = live
            .iter()
            .filter_map(|leg| {
                leg.due()
                    .filter(|due| *due < timeout)
                    .map(|due| (due, *leg))
            })
            .min_by_key(|(due, _)| *due);
        let until = next.map_or(timeout, |(due, _)| due);
        if !wait(run, &live, until.saturating_sub(elapsed)).await? {
            continue;
        }
        let Some((_, leg)) = next else {
            for leg in &live {
                end_with(run, leg, Status::NoAnswer, "no-answer");
            }
            break None;
        };
        match leg.behaviour {
            Behaviour::Busy { .. } => end_with(run, leg, Status::Busy, "busy"),
            Behaviour::Fails { .. } => end_with(run, leg, Status::Failed, "failed"),
            Behaviour::Answers { .. } => break Some(leg),
            Behaviour::RingsOut => {}
        }
    };
    let Some(winner) = winner else {
        let ends: Vec<Status> = legs.iter().map(Leg::status).collect();
        let status = unanswered_status(&ends);
        verb_done(run, "Dial", format!("no leg answered: {status}"));
        let sid = legs.first().map(Leg::sid).unwrap_or_default();
        return Ok(dial_action(run, dial, doc, outcome(status, sid, 0)));
    };
    if winner.run.transition(Status::InProgress).is_err() {
        return Ok(dial_action(
            run,
            dial,
            doc,
            outcome("canceled", winner.sid(), 0),
        ));
    }
    tell(run, winner, "answered");
    for leg in legs.iter().filter(|leg| !std::ptr::eq(*leg, winner)) {
        if !leg.status().is_terminal() {
            end_with(run, leg, Status::Canceled, "canceled");
        }
    }
    if let Some(target) = winner.whisper.clone() {
        // The parent waits while the callee hears the whisper.
        let bridged = whisper(&winner.run, target).await;
        if let Some(interrupt) = run.pending_interrupt() {
            return Err(interrupt);
        }
        if !matches!(bridged, Ok(true)) {
            end_with(run, winner, Status::Completed, "ended");
            verb_done(run, "Dial", "the whisper hung up: not bridged".to_owned());
            return Ok(dial_action(
                run,
                dial,
                doc,
                outcome("completed", winner.sid(), 0),
            ));
        }
    }
    let seconds = bridge(run, dial, doc, winner).await?;
    Ok(dial_action(
        run,
        dial,
        doc,
        outcome("completed", winner.sid(), seconds),
    ))
}

/// The parameters of the dial's `action`.
fn outcome(status: &str, sid: String, seconds: u64) -> Vec<(String, String)> {
    vec![
        ("DialCallStatus".to_owned(), status.to_owned()),
        ("DialCallSid".to_owned(), sid),
        ("DialCallDuration".to_owned(), seconds.to_string()),
    ]
}

/// The parent and the leg talk until the callee hangs up, the dial's `timeLimit` passes, the
/// caller presses `*` (`hangupOnStar`) or the leg is ended; returns the bridge's seconds.
async fn bridge(run: &CallRun, dial: &Dial, doc: &Loaded, leg: &Leg) -> Result<u64, Interrupt> {
    let talk = match leg.behaviour {
        Behaviour::Answers { talk, .. } => talk,
        _ => Duration::ZERO,
    };
    let limit = Duration::from_secs(u64::from(dial.time_limit.unwrap_or(DIAL_TIME_LIMIT_SECS)));
    let (mut length, mut end) = if talk <= limit {
        (talk, BridgeEnd::CalleeHungUp)
    } else {
        (limit, BridgeEnd::TimeLimit)
    };
    if dial.hangup_on_star == Some(true) {
        if let Some(star) = star_after(run) {
            if star < length {
                (length, end) = (star, BridgeEnd::HangupOnStar);
            }
        }
    }
    tell(run, leg, "bridged");
    // `record`: the bridged conversation is recorded (ringing is not heard).
    let recording = match dial.record {
        Some(DialRecord::DoNotRecord) | None => None,
        Some(how) => {
            let dual = matches!(
                how,
                DialRecord::RecordFromAnswerDual | DialRecord::RecordFromRingingDual
            );
            let ask = RecordingAsk {
                source: RecordingSource::DialVerb,
                dual,
                trim: trim_of(dial.trim, DIAL_TRIM),
                callback: dial_recording_callback(run, dial, doc),
            };
            Some(recording::start(&run.state, &run.call, ask))
        }
    };
    let bridged_at = run.state.now();
    if !wait(run, &[leg], length).await? {
        end = BridgeEnd::LegEnded;
    }
    let seconds = since(run, bridged_at).as_secs();
    if let Some(started) = recording {
        let ended = run.state.now();
        let account = started.account_sid.clone().unwrap_or_default();
        if let Some(kept) = super::recordings::finished(&run.state, &account, &started.sid, ended) {
            recording::announce(&run.state, &run.call, &kept, "completed");
        }
    }
    end_with(run, leg, Status::Completed, "ended");
    verb_done(
        run,
        "Dial",
        format!(
            "bridge with {} ended after {seconds} s: {}",
            leg.sid(),
            end.describe()
        ),
    );
    Ok(seconds)
}

/// When the caller's scripted keys press `*` during a bridge with `hangupOnStar` (each `w` before
/// it half a second), taking the parent's next scripted input; `None` without a `*`.
fn star_after(run: &CallRun) -> Option<Duration> {
    let (sid, party) = {
        let inner = run.call.inner.lock();
        (inner.record.sid.clone(), inner.record.party().to_owned())
    };
    let digits = run.state.inputs.take(&sid, &party)?.digits?;
    run.record(TimelineEvent::Input {
        digits: Some(digits.clone()),
        speech: None,
    });
    let before = digits.split('*').next()?;
    if before.len() == digits.len() {
        return None;
    }
    let pauses = u32::try_from(before.matches('w').count()).unwrap_or(u32::MAX);
    Some(KEY_PAUSE * pauses)
}

/// Runs a leg's whisper (its noun's `url`) on the leg; `Ok(true)` when it ran to its end and the
/// leg is to be bridged, `Ok(false)` when the whisper hung up, rejected or could not be used.
async fn whisper(leg: &CallRun, target: Target) -> Result<bool, Interrupt> {
    let mut next = Next::Fetch {
        target,
        purpose: "whisper",
        extra: Vec::new(),
    };
    for _ in 0..MAX_WHISPER_DOCUMENTS {
        let doc = match next {
            Next::Fetch {
                target,
                purpose,
                extra,
            } => match leg
                .fetch_then_check(fetch(leg, &target, purpose, extra))
                .await?
            {
                Ok(doc) => doc,
                Err(()) => return Ok(false),
            },
            Next::Inline { twiml, purpose } => match load_inline(leg, &twiml, purpose) {
                Some(doc) => doc,
                None => return Ok(false),
            },
            Next::End(_) => return Ok(false),
        };
        let mark = leg.call.inner.lock().timeline.len();
        next = Box::pin(run_document(leg, &doc)).await?;
        if let Next::End(status) = next {
            // Running off the end of the document bridges; `<Hangup>` and `<Reject>` do not.
            let inner = leg.call.inner.lock();
            let hung_up = inner.timeline[mark..].iter().any(|entry| {
                matches!(&entry.event, TimelineEvent::Verb { verb, .. }
                    if verb == "Hangup" || verb == "Reject")
            });
            return Ok(status == Status::Completed && !hung_up);
        }
    }
    leg.record(TimelineEvent::Error {
        message: format!("more than {MAX_WHISPER_DOCUMENTS} documents in one whisper"),
    });
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unanswered_dial_reports_the_most_hopeful_end() {
        use Status::{Busy, Canceled, Failed, NoAnswer};
        let cases: [(&[Status], &str); 7] = [
            (&[Busy, Busy], "busy"),
            (&[Busy, NoAnswer], "no-answer"),
            (&[Failed, Busy], "busy"),
            (&[Failed, Failed], "failed"),
            (&[NoAnswer], "no-answer"),
            (&[Canceled, Failed], "failed"),
            (&[Canceled], "canceled"),
        ];
        for (ends, status) in cases {
            assert_eq!(unanswered_status(ends), status, "{ends:?}");
        }
    }
}
