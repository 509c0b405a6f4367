//! Status callbacks, and the other callbacks of a call (a recording's status, a transcription):
//! delivered in their own tasks (never blocking the API or the call), retried up to 3 attempts.

use std::sync::Arc;
use std::time::Duration;

use super::webhook;
use crate::state::SimState;
use crate::store::{CallInner, CallState, Status, Target};
use crate::timeline::TimelineEvent;

/// Attempts per callback, the first included.
const MAX_ATTEMPTS: u32 = 3;

/// The callback event a status reports, if any: initiated, ringing, answered or completed.
fn event_of(status: Status) -> Option<&'static str> {
    match status {
        Status::Queued => None,
        Status::Initiated => Some("initiated"),
        Status::Ringing => Some("ringing"),
        Status::InProgress => Some("answered"),
        Status::Completed | Status::Busy | Status::NoAnswer | Status::Failed | Status::Canceled => {
            Some("completed")
        }
    }
}

/// Schedules the callback for the status the call just entered, if the call asked for it.
/// Called with the call's lock held, so the in-flight count and the status change together.
pub(crate) fn schedule(state: &Arc<SimState>, call: &Arc<CallState>, inner: &mut CallInner) {
    let record = &inner.record;
    let Some(event) = event_of(record.status) else {
        return;
    };
    let wanted = match event {
        "initiated" => record.events.initiated,
        "ringing" => record.events.ringing,
        "answered" => record.events.answered,
        _ => record.events.completed,
    };
    let Some(target) = record.status_callback.clone().filter(|_| wanted) else {
        return;
    };
    let Some(account) = state.accounts.get(&record.account_sid) else {
        return;
    };
    let token = account.auth_token().to_owned();
    let sequence = inner.next_sequence;
    inner.next_sequence += 1;

    let mut params = webhook::base_params(record);
    params.push(("CallbackSource".into(), "call-progress-events".into()));
    params.push(("SequenceNumber".into(), sequence.to_string()));
    params.push(("Timestamp".into(), crate::dates::rfc2822(state.now())));
    if record.status.is_terminal() {
        params.push(("CallDuration".into(), record.duration_secs().to_string()));
    }
    deliver(
        state,
        call,
        inner,
        token,
        target,
        params,
        event.to_owned(),
        sequence,
    );
}

/// Sends a callback that is not a call's status (a recording's status, a transcription) to
/// `target`, signed with the account's token, retried as status callbacks are; `event` names
/// it in the timeline (`recording-completed`, `transcription`).
pub(crate) fn notify(
    state: &Arc<SimState>,
    call: &Arc<CallState>,
    target: Target,
    params: Vec<(String, String)>,
    event: String,
) {
    let mut inner = call.inner.lock();
    let Some(account) = state.accounts.get(&inner.record.account_sid) else {
        return;
    };
    let token = account.auth_token().to_owned();
    deliver(state, call, &mut inner, token, target, params, event, 0);
}

/// Delivers one callback in its own task, counted in flight until it is delivered or given up.
#[allow(clippy::too_many_arguments)] // the one delivery loop of every callback
fn deliver(
    state: &Arc<SimState>,
    call: &Arc<CallState>,
    inner: &mut CallInner,
    token: String,
    target: Target,
    params: Vec<(String, String)>,
    event: String,
    sequence: u32,
) {
    inner.callbacks_in_flight += 1;
    let state = Arc::clone(state);
    let call = Arc::clone(call);
    tokio::spawn(async move {
        for attempt in 1..=MAX_ATTEMPTS {
            if state.is_shutting_down() {
                break;
            }
            let reply =
                webhook::send(&state, &token, &target, &params, webhook::Read::StatusOnly).await;
            // The app received and handled the request; an injected fault replaces its answer
            // (an attempt the app did not answer fails anyway and leaves the faults alone).
            let fault = reply
                .as_ref()
                .ok()
                .and_then(|_| state.faults.next_callback());
            let http_status = match fault {
                Some(fault) => Some(fault.http_status()),
                None => reply.as_ref().ok().map(|r| r.status),
            };
            let delivered = http_status.is_some_and(|s| (200..300).contains(&s));
            state.record(
                &call,
                TimelineEvent::Callback {
                    event: event.clone(),
                    sequence,
                    url: target.shown_url(),
                    attempt,
                    http_status,
                    fault: fault.map(|f| f.name().to_owned()),
                    delivered,
                    given_up: !delivered && attempt == MAX_ATTEMPTS,
                },
            );
            if delivered {
                break;
            }
            if attempt < MAX_ATTEMPTS {
                state
                    .clock
                    .sleep_aside(Duration::from_secs(u64::from(attempt)))
                    .await;
            }
        }
        let settled = {
            let mut inner = call.inner.lock();
            inner.callbacks_in_flight -= 1;
            inner.settled()
        };
        if settled {
            state.calls.announce_settled();
        }
    });
}
