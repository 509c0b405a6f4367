//! `<Enqueue>`, `<Leave>` and `<Dial><Queue>`. An enqueued call waits in its queue (see
//! `crate::queue`) hearing its `waitUrl` document in a loop, until it leaves, hangs up, is
//! redirected or is dequeued; then its `<Enqueue action>` is requested with the `QueueResult`. A
//! `<Dial><Queue>` takes the call at the front and meets it in a conference named after the
//! dequeuing call's SID, so that the API can add a third party to it.

use std::sync::atomic::Ordering;
use std::time::Duration;

use mycpaas_core::QueueResult;
use mycpaas_core::paths::API_PREFIX;
use mycpaas_core::webhook::QueueRequest;
use mycpaas_laml::{ConferenceBeep, Dial, Enqueue, Queue as QueueNoun, Verb};
use time::OffsetDateTime;

use super::conference::meet;
use super::exec::{
    DIAL_TIME_LIMIT_SECS, DIAL_TIMEOUT_SECS, Loaded, Next, dial_action, fetch, go_to, play_audio,
    play_sounds, resolve, speak, time_limit_reached, verb_done, wait,
};
use super::{CallRun, Interrupt};
use crate::conference::{self, Invited, Joining};
use crate::queue::{self, Dequeued, Entered, FRONT};
use crate::store::{Status, Target};
use crate::timeline::TimelineEvent;

/// How long the default hold music of an `<Enqueue>` without `waitUrl` plays before the engine
/// looks at the call again.
const HOLD_MUSIC: Duration = Duration::from_secs(60);
/// The shortest pass through a `waitUrl` document: one that takes no time (an empty
/// `<Response/>`) is requested again after this, not at once.
const SHORTEST_WAIT_PASS: Duration = Duration::from_secs(1);
/// How often a `<Dial><Queue>` looks again at a queue nobody waits in, until its `timeout`.
const EMPTY_QUEUE_LOOK: Duration = Duration::from_secs(1);

/// Why a call stopped waiting of its own accord.
enum Left {
    /// A `<Leave>` in its `waitUrl` document.
    Leave,
    /// The call's time limit passed.
    TimeLimit,
}

/// Runs an `<Enqueue>`: the call waits in its queue, then goes on to the action (or the next
/// verb when there is none).
pub(super) async fn enqueue(
    run: &CallRun,
    enqueue: &Enqueue,
    doc: &Loaded,
) -> Result<Option<Next>, Interrupt> {
    let name = enqueue.name.trim();
    let (account, call_sid) = run.account_and_sid();
    let enqueued_at = run.state.now();
    let sid = match queue::enter(&run.state, &account, name, &run.call, enqueued_at) {
        Entered::Full { sid } => {
            verb_done(
                run,
                "Enqueue",
                format!("queue {name} ({sid}) is full: not enqueued"),
            );
            return Ok(action(run, enqueue, doc, QueueResult::QueueFull, &sid, 0));
        }
        Entered::Waiting { sid, standing } => {
            verb_done(
                run,
                "Enqueue",
                format!(
                    "waiting in queue {name} ({sid}) at position {} of {}",
                    standing.position, standing.size
                ),
            );
            sid
        }
    };
    let place = Place {
        account: &account,
        sid: &sid,
        call_sid: &call_sid,
        enqueued_at,
    };
    let waited = wait_in_queue(run, enqueue, doc, &place).await;
    // Whatever ended the wait, the call is out of the queue now.
    queue::leave(&run.state, &account, &sid, &call_sid);
    let queue_time = seconds_since(run, enqueued_at);
    match waited {
        Ok(Left::Leave) => {
            verb_done(
                run,
                "Leave",
                format!("left queue {name} after {queue_time} s"),
            );
            Ok(action(
                run,
                enqueue,
                doc,
                QueueResult::Leave,
                &sid,
                queue_time,
            ))
        }
        Ok(Left::TimeLimit) => {
            run.record(TimelineEvent::Error {
                message: "TimeLimit reached: the call is hung up".to_owned(),
            });
            Ok(Some(Next::End(Status::Completed)))
        }
        Err(Interrupt::Dequeued(Dequeued::Redirected(target))) => {
            verb_done(
                run,
                "Enqueue",
                format!("dequeued through the API after {queue_time} s"),
            );
            report(run, enqueue, doc, QueueResult::Redirected, &sid, queue_time).await;
            Ok(Some(Next::Fetch {
                target,
                purpose: "dequeue",
                extra: Vec::new(),
            }))
        }
        Err(Interrupt::Dequeued(Dequeued::Bridged { dequeuer, url })) => {
            verb_done(
                run,
                "Enqueue",
                format!("taken by {dequeuer} after {queue_time} s: bridged in its conference"),
            );
            let bridged = bridge(run, &sid, &dequeuer, url, queue_time).await;
            match bridged {
                Ok(()) => Ok(action(
                    run,
                    enqueue,
                    doc,
                    QueueResult::Bridged,
                    &sid,
                    queue_time,
                )),
                Err(interrupt) => {
                    report(run, enqueue, doc, QueueResult::Bridged, &sid, queue_time).await;
                    Err(interrupt)
                }
            }
        }
        Err(Interrupt::Redirect(source)) => {
            report(run, enqueue, doc, QueueResult::Redirected, &sid, queue_time).await;
            Err(Interrupt::Redirect(source))
        }
        Err(Interrupt::Ended) => {
            // Taken by a `<Dial><Queue>` as it hung up: the dequeuing call waits for nobody.
            if let Some(Dequeued::Bridged { dequeuer, .. }) = run.call.dequeued.lock().take() {
                abandon(run, &dequeuer);
            }
            verb_done(
                run,
                "Enqueue",
                format!("hung up while waiting in queue {name} after {queue_time} s"),
            );
            report(run, enqueue, doc, QueueResult::Hangup, &sid, queue_time).await;
            Err(Interrupt::Ended)
        }
        Err(other) => Err(other),
    }
}

/// Where a call waits: the queue, and since when.
struct Place<'a> {
    account: &'a str,
    sid: &'a str,
    call_sid: &'a str,
    enqueued_at: OffsetDateTime,
}

/// Waits in the queue, playing the `waitUrl` document in a loop (or the default hold music),
/// until the call leaves of its own accord (`Ok`) or something interrupts it.
async fn wait_in_queue(
    run: &CallRun,
    enqueue: &Enqueue,
    doc: &Loaded,
    place: &Place<'_>,
) -> Result<Left, Interrupt> {
    let wait_url = enqueue
        .wait_url
        .as_deref()
        .and_then(|url| resolve(run, doc, url, enqueue.wait_url_method));
    loop {
        if time_limit_reached(run) {
            return Ok(Left::TimeLimit);
        }
        let Some(target) = &wait_url else {
            run.pause(HOLD_MUSIC).await?;
            continue;
        };
        let pass_began = run.state.now();
        // `None` once a dequeue has taken the call: the engine hears of it at its next step.
        let standing = queue::standing_of(&run.state, place.account, place.sid, place.call_sid)
            .unwrap_or_default();
        let mut asked = queue_request(place.sid, seconds_since(run, place.enqueued_at));
        asked.queue_position = Some(standing.position as u64);
        asked.current_queue_size = Some(standing.size as u64);
        asked.avg_queue_time = Some(standing.average_wait);
        let extra = asked.to_pairs();
        match run
            .fetch_then_check(fetch(run, target, "enqueue-wait", extra))
            .await?
        {
            Ok(loaded) => {
                if play_waiting(run, &loaded).await? {
                    return Ok(Left::Leave);
                }
            }
            // An unusable wait document: the call waits in silence, and is asked again later.
            Err(()) => run.pause(HOLD_MUSIC).await?,
        }
        let pass = Duration::try_from(run.state.now() - pass_began).unwrap_or(Duration::ZERO);
        if let Some(rest) = SHORTEST_WAIT_PASS
            .checked_sub(pass)
            .filter(|r| !r.is_zero())
        {
            run.pause(rest).await?;
        }
    }
}

/// Plays a `waitUrl` document: `<Say>`, `<Play>` and `<Pause>`, and `<Leave>`, which answers
/// `true`. Other verbs are not for a caller on hold: each is skipped with a note in the timeline.
async fn play_waiting(run: &CallRun, doc: &Loaded) -> Result<bool, Interrupt> {
    for verb in doc.response.verbs() {
        match verb {
            Verb::Say(say) => speak(run, say).await?,
            Verb::Play(audio) => play_audio(run, audio).await?,
            Verb::Pause(pause) => wait(run, pause).await?,
            Verb::Leave(_) => return Ok(true),
            other => verb_done(
                run,
                other.element_name(),
                "not allowed in a queue's document: skipped".to_owned(),
            ),
        }
    }
    Ok(false)
}

/// The dequeued call's side of a bridge: it hears the `<Queue url>` document, then joins the
/// conference the dequeuing call waits in (named after it), until one of them leaves.
async fn bridge(
    run: &CallRun,
    queue_sid: &str,
    dequeuer: &str,
    url: Option<Target>,
    queue_time: u64,
) -> Result<(), Interrupt> {
    let bridged = async {
        if let Some(target) = url {
            let mut asked = queue_request(queue_sid, queue_time);
            asked.dequeueing_call_sid = Some(dequeuer.to_owned());
            let extra = asked.to_pairs();
            if let Ok(loaded) = run
                .fetch_then_check(fetch(run, &target, "dequeue-url", extra))
                .await?
            {
                play_sounds(run, &loaded).await?;
            }
        }
        // Refused only when the dequeuing call has left the room already: the bridge is over.
        let _seconds_or_over =
            meet(run, &bridge_room(dequeuer), DIAL_TIME_LIMIT_SECS, |_| {}).await?;
        Ok(())
    }
    .await;
    if bridged.is_err() {
        abandon(run, dequeuer);
    }
    bridged
}

/// Tells the dequeuing call, waiting in the bridge's room, that its caller will not come.
fn abandon(run: &CallRun, dequeuer: &str) {
    if let Some(dequeuing) = run.state.calls.get(dequeuer) {
        dequeuing.leave.store(true, Ordering::SeqCst);
        run.state.wake(&dequeuing);
    }
}

/// The conference a `<Dial><Queue>` bridge happens in, named after the dequeuing call: either
/// side leaving ends it.
fn bridge_room(dequeuer: &str) -> Joining {
    Joining {
        name: dequeuer.to_owned(),
        muted: false,
        wait_target: None,
        start_conference_on_enter: true,
        end_conference_on_exit: true,
        max_participants: None,
        callback: None,
        record: None,
        // A bridge is a call between two people, not a room one enters.
        beep: ConferenceBeep::False,
    }
}

/// Runs a `<Dial><Queue>`: takes the call at the front of the queue (waiting up to the dial's
/// `timeout` for one), opens a conference named after this call's SID, invites the caller to it
/// and waits there for it, then goes on to the dial's action.
pub(super) async fn dial_queue(
    run: &CallRun,
    dial: &Dial,
    noun: &QueueNoun,
    doc: &Loaded,
) -> Result<Option<Next>, Interrupt> {
    let name = noun.name.trim();
    let (account, own_sid) = run.account_and_sid();
    let url = noun
        .url
        .as_deref()
        .and_then(|url| resolve(run, doc, url, noun.method));
    let timeout = Duration::from_secs(u64::from(dial.timeout.unwrap_or(DIAL_TIMEOUT_SECS)));
    let mut looked = Duration::ZERO;
    let taken = loop {
        let front = queue::find(&run.state, &account, name).and_then(|kept| {
            let sid = kept.queue.sid;
            queue::take(&run.state, &account, &sid, FRONT, API_PREFIX)
                .map(|(waiting, _)| (sid, waiting))
        });
        if front.is_some() || looked >= timeout {
            break front;
        }
        run.pause(EMPTY_QUEUE_LOOK).await?;
        looked += EMPTY_QUEUE_LOOK;
    };
    let Some((queue_sid, member)) = taken else {
        verb_done(
            run,
            "Dial",
            format!(
                "nobody waited in queue {name} within {} s",
                timeout.as_secs()
            ),
        );
        let outcome = vec![
            ("DialCallStatus".to_owned(), "no-answer".to_owned()),
            ("DialCallDuration".to_owned(), "0".to_owned()),
        ];
        return Ok(dial_action(run, dial, doc, outcome));
    };
    let caller = member.call_sid.clone();
    verb_done(
        run,
        "Dial",
        format!("took {caller} from queue {name} ({queue_sid})"),
    );
    let limit = dial.time_limit.unwrap_or(DIAL_TIME_LIMIT_SECS);
    let invite = |conference_sid: &str| {
        let invited = Invited {
            call_sid: caller.clone(),
            label: None,
        };
        let _open = conference::invite(&run.state, &account, conference_sid, invited);
        queue::hand(
            &run.state,
            &member,
            Dequeued::Bridged {
                dequeuer: own_sid.clone(),
                url: url.clone(),
            },
        );
        // A caller that hung up as it was taken never comes: there is nobody to wait for.
        if member.call.inner.lock().record.status.is_terminal() {
            run.call.leave.store(true, Ordering::SeqCst);
        }
    };
    let seconds = meet(run, &bridge_room(&own_sid), limit, invite)
        .await?
        .unwrap_or(0);
    let outcome = vec![
        ("DialCallStatus".to_owned(), "completed".to_owned()),
        ("DialCallSid".to_owned(), caller),
        ("DialCallDuration".to_owned(), seconds.to_string()),
        ("QueueSid".to_owned(), queue_sid),
    ];
    Ok(dial_action(run, dial, doc, outcome))
}

/// `<Leave>` outside a queue's wait document: the call is in no queue, so nothing happens.
pub(super) fn leave_outside_queue(run: &CallRun) {
    verb_done(
        run,
        "Leave",
        "not waiting in a queue: nothing to leave".to_owned(),
    );
}

/// Where the call goes after leaving its queue for `result`: the `<Enqueue action>` with
/// `QueueResult`, `QueueSid` and `QueueTime`, or the next verb when there is none.
fn action(
    run: &CallRun,
    enqueue: &Enqueue,
    doc: &Loaded,
    result: QueueResult,
    queue_sid: &str,
    queue_time: u64,
) -> Option<Next> {
    enqueue.action.as_ref()?;
    Some(go_to(
        run,
        doc,
        enqueue.action.as_deref(),
        enqueue.method,
        "enqueue-action",
        outcome(result, queue_sid, queue_time),
    ))
}

/// The queue members of a request about a call in queue `queue_sid` (the base parameters are
/// the call's, added when it is sent).
fn queue_request(queue_sid: &str, queue_time: u64) -> QueueRequest {
    let mut request = QueueRequest::default();
    request.queue_sid = Some(queue_sid.to_owned());
    request.queue_time = Some(queue_time);
    request
}

/// Requests the `<Enqueue action>` of a call that does not go on with its answer (it hung up, or
/// a redirect or dequeue took it elsewhere): the app hears how the call left the queue.
async fn report(
    run: &CallRun,
    enqueue: &Enqueue,
    doc: &Loaded,
    result: QueueResult,
    queue_sid: &str,
    queue_time: u64,
) {
    if let Some(Next::Fetch {
        target,
        purpose,
        extra,
    }) = action(run, enqueue, doc, result, queue_sid, queue_time)
    {
        let _ignored = fetch(run, &target, purpose, extra).await;
    }
}

fn outcome(result: QueueResult, queue_sid: &str, queue_time: u64) -> Vec<(String, String)> {
    let mut request = queue_request(queue_sid, queue_time);
    request.queue_result = Some(result);
    request.to_pairs()
}

/// The call's account, SID and simulated now.
fn seconds_since(run: &CallRun, since: OffsetDateTime) -> u64 {
    u64::try_from((run.state.now() - since).whole_seconds()).unwrap_or(0)
}
