//! The call engine: one task per call walks it through queued → initiated → ringing →
//! in-progress → completed on the simulated clock, runs its LaML, and schedules its
//! status callbacks. The API steers a running call through [`end_by_request`] and the
//! call's redirect slot; every wait of the engine wakes up for those.

mod callbacks;
mod conference;
pub(crate) use callbacks::notify;
pub(crate) mod client;
mod exec;
mod legs;
mod queue;
mod recordings;
mod webhook;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::clock::{Admitted, Woke};
use crate::magic::{self, Outcome};
use crate::state::SimState;
use crate::store::{CallState, DocSource, Status};
use crate::timeline::TimelineEvent;

/// Simulated time from creation to `initiated`.
const QUEUE_TIME: Duration = Duration::from_millis(200);
/// Simulated time from `initiated` to `ringing`.
const DIAL_TIME: Duration = Duration::from_secs(1);
/// Simulated ringing before a busy signal.
const BUSY_AFTER: Duration = Duration::from_secs(3);

/// Why the engine stopped driving a call before its natural end.
#[derive(Debug)]
pub(crate) enum Interrupt {
    /// The call ended through the API (canceled or hung up).
    Ended,
    /// The API redirected the in-progress call to new instructions.
    Redirect(DocSource),
    /// The conference the call is in ended: the call goes on after its `<Dial>`.
    Leave,
    /// The call was taken out of the queue it waits in.
    Dequeued(crate::queue::Dequeued),
    /// What the call hears in its conference changed (hold, an announcement).
    HearsElse,
    /// The simulator is shutting down.
    Shutdown,
}

/// Starts the engine task of a newly created call.
pub(crate) fn start(state: &Arc<SimState>, call: Arc<CallState>) {
    {
        let mut inner = call.inner.lock();
        state.record_locked(
            &mut inner,
            TimelineEvent::Status {
                status: Status::Queued.as_str().to_owned(),
            },
        );
    }
    let admitted = state.clock.admit(&call.alarm);
    let run = CallRun {
        state: Arc::clone(state),
        call,
    };
    tokio::spawn(run.run(admitted));
}

/// Ends a call as the API asked: `canceled` only while not yet answered (no effect
/// afterwards), `completed` in any state.
pub(crate) fn end_by_request(state: &Arc<SimState>, call: &Arc<CallState>, status: Status) {
    let ended = match status {
        Status::Canceled => finish_if(state, call, Status::Canceled, Status::is_pending),
        _ => finish_if(state, call, status, |_| true),
    };
    if ended {
        legs::ended_by_request(state, call);
    }
}

/// Moves a live call to a terminal status if `allowed(current status)`; schedules the
/// `completed` callback and wakes the engine. `false` if the call had already ended.
fn finish_if(
    state: &Arc<SimState>,
    call: &Arc<CallState>,
    status: Status,
    allowed: impl FnOnce(Status) -> bool,
) -> bool {
    let mut inner = call.inner.lock();
    let now = state.now();
    let current = inner.record.status;
    if current.is_terminal() || !allowed(current) {
        return false;
    }
    inner.record.status = status;
    inner.record.end_time = Some(now);
    inner.record.updated = now;
    state.record_locked(
        &mut inner,
        TimelineEvent::Status {
            status: status.as_str().to_owned(),
        },
    );
    callbacks::schedule(state, call, &mut inner);
    let (account, sid) = (inner.record.account_sid.clone(), inner.record.sid.clone());
    let parent = inner.record.parent_call_sid.clone();
    drop(inner);
    crate::recording::end_with_call(state, call, &account, &sid, now);
    state.wake(call);
    // A leg's end wakes the `<Dial>` waiting on it; a call's end ends its live legs.
    if let Some(parent) = parent.and_then(|sid| state.calls.get(&sid)) {
        state.wake(&parent);
    }
    let legs = std::mem::take(&mut *call.legs.lock());
    for leg in &legs {
        legs::end_leg(state, call, leg);
    }
    true
}

/// The engine's view of one call.
pub(crate) struct CallRun {
    state: Arc<SimState>,
    call: Arc<CallState>,
}

impl CallRun {
    async fn run(self, admitted: Admitted) {
        // The call acts in its turn, one call at a time (see `crate::clock`); a shutdown
        // lets it end at once.
        let mut shutdown = self.state.shutdown.subscribe();
        let _turn = tokio::select! {
            turn = admitted.turn(&self.call.alarm) => Some(turn),
            _ = shutdown.wait_for(|stopping| *stopping) => None,
        };
        match self.lifecycle().await {
            Ok(status) => {
                self.finish(status);
            }
            Err(Interrupt::Ended | Interrupt::Redirect(_)) => {}
            // A conference's end (or change) or a dequeue reached the call after it left: it has
            // nothing left to do.
            Err(Interrupt::Leave | Interrupt::HearsElse | Interrupt::Dequeued(_)) => {
                self.finish(Status::Completed);
            }
            Err(Interrupt::Shutdown) => {
                self.finish(Status::Failed);
            }
        }
        let settled = {
            let mut inner = self.call.inner.lock();
            inner.engine_done = true;
            inner.settled()
        };
        if settled {
            self.state.calls.announce_settled();
        }
    }

    /// Drives the call to its end and says which terminal status it reached.
    async fn lifecycle(&self) -> Result<Status, Interrupt> {
        let (to, timeout, inbound) = {
            let inner = self.call.inner.lock();
            (
                inner.record.to.clone(),
                inner.record.timeout,
                inner.record.inbound,
            )
        };
        if inbound {
            // It rings while the number's voice URL is asked for its LaML (`CallStatus=ringing`);
            // the first document answers it.
            self.transition(Status::Ringing)?;
            let source = self.call.inner.lock().record.source.clone();
            return exec::converse(self, source).await;
        }
        self.pause(QUEUE_TIME).await?;
        self.transition(Status::Initiated)?;
        let outcome = magic::outcome_for(&to);
        if outcome == Outcome::Fail {
            self.pause(Duration::from_millis(500)).await?;
            return Ok(Status::Failed);
        }
        self.pause(DIAL_TIME).await?;
        self.transition(Status::Ringing)?;
        match outcome {
            Outcome::Busy => {
                self.pause(BUSY_AFTER.min(timeout)).await?;
                return Ok(Status::Busy);
            }
            Outcome::NoAnswer => {
                self.pause(timeout).await?;
                return Ok(Status::NoAnswer);
            }
            Outcome::Answer | Outcome::Fail => {}
        }
        let ring = Duration::from_millis(self.state.randomness.between(1000, 4000));
        if ring >= timeout {
            self.pause(timeout).await?;
            return Ok(Status::NoAnswer);
        }
        self.pause(ring).await?;
        let source = self.answer()?;
        exec::converse(self, source).await
    }

    /// Enters `status` (not terminal) and schedules its callback; `Err(Ended)` if the
    /// API ended the call meanwhile.
    fn transition(&self, status: Status) -> Result<(), Interrupt> {
        let mut inner = self.call.inner.lock();
        let now = self.state.now();
        if inner.record.status.is_terminal() {
            return Err(Interrupt::Ended);
        }
        inner.record.status = status;
        inner.record.updated = now;
        if status == Status::InProgress {
            inner.record.start_time = Some(now);
            // The simulated callee is always a person; a call never answered has no answer.
            if inner.record.machine_detection {
                inner.record.answered_by = Some("human".to_owned());
            }
        }
        self.state.record_locked(
            &mut inner,
            TimelineEvent::Status {
                status: status.as_str().to_owned(),
            },
        );
        callbacks::schedule(&self.state, &self.call, &mut inner);
        Ok(())
    }

    /// Answers the call and returns the instructions to run (read under the same lock
    /// as the status change, so a redirect made just before answering is honoured).
    fn answer(&self) -> Result<DocSource, Interrupt> {
        self.transition(Status::InProgress)?;
        let (source, recording) = {
            let inner = self.call.inner.lock();
            (inner.record.source.clone(), inner.record.recording.clone())
        };
        // `Record=true`: the whole answered call is recorded.
        if let Some(ask) = recording {
            crate::recording::start(&self.state, &self.call, ask);
        }
        Ok(source)
    }

    fn finish(&self, status: Status) -> bool {
        finish_if(&self.state, &self.call, status, |_| true)
    }

    /// Answers a call that is still ringing (an inbound call whose first document came).
    fn answer_if_ringing(&self) -> Result<(), Interrupt> {
        if self.call.inner.lock().record.status == Status::Ringing {
            self.transition(Status::InProgress)?;
        }
        Ok(())
    }

    /// What the API asked for since the last look, if anything.
    fn pending_interrupt(&self) -> Option<Interrupt> {
        if self.state.is_shutting_down() {
            return Some(Interrupt::Shutdown);
        }
        if self.call.inner.lock().record.status.is_terminal() {
            return Some(Interrupt::Ended);
        }
        if self.call.leave.swap(false, Ordering::SeqCst) {
            return Some(Interrupt::Leave);
        }
        if let Some(dequeued) = self.call.dequeued.lock().take() {
            return Some(Interrupt::Dequeued(dequeued));
        }
        if self.call.hears_else.swap(false, Ordering::SeqCst) {
            return Some(Interrupt::HearsElse);
        }
        self.call.redirect.lock().take().map(Interrupt::Redirect)
    }

    /// Waits on the call's alarm for `length` of simulated time, or until it is woken early;
    /// only a shutdown cuts it short.
    async fn sleep(&self, length: Duration) -> Result<Woke, Interrupt> {
        let mut shutdown = self.state.shutdown.subscribe();
        if self.state.is_shutting_down() {
            return Err(Interrupt::Shutdown);
        }
        tokio::select! {
            woke = self.state.clock.sleep(&self.call.alarm, length) => Ok(woke),
            _ = shutdown.changed() => Err(Interrupt::Shutdown),
        }
    }

    /// Lets simulated time pass until `until` (time since the clock started), unless the API
    /// interrupts the call (`Err`) or `stop()` holds once the call is woken (`Ok(false)`).
    async fn wait_until(
        &self,
        until: Duration,
        stop: impl Fn() -> bool,
    ) -> Result<bool, Interrupt> {
        loop {
            if let Some(interrupt) = self.pending_interrupt() {
                return Err(interrupt);
            }
            if stop() {
                return Ok(false);
            }
            let left = until.saturating_sub(self.state.clock.passed());
            if left.is_zero() || self.sleep(left).await? == Woke::Due {
                return Ok(true);
            }
        }
    }

    /// Runs a webhook request to its end (so every document requested appears in the
    /// timeline), then reports what the API asked for meanwhile, if anything. Only a
    /// shutdown cuts the request short.
    async fn fetch_then_check<F: Future>(&self, request: F) -> Result<F::Output, Interrupt> {
        let mut shutdown = self.state.shutdown.subscribe();
        if self.state.is_shutting_down() {
            return Err(Interrupt::Shutdown);
        }
        let output = tokio::select! {
            output = request => output,
            _ = shutdown.changed() => return Err(Interrupt::Shutdown),
        };
        match self.pending_interrupt() {
            Some(interrupt) => Err(interrupt),
            None => Ok(output),
        }
    }

    /// Lets simulated time pass, unless the API interrupts the call.
    async fn pause(&self, simulated: Duration) -> Result<(), Interrupt> {
        let until = self.state.clock.passed().saturating_add(simulated);
        self.wait_until(until, || false).await.map(|_| ())
    }

    /// The call's account and its own SID.
    fn account_and_sid(&self) -> (String, String) {
        let inner = self.call.inner.lock();
        (inner.record.account_sid.clone(), inner.record.sid.clone())
    }

    fn record(&self, event: TimelineEvent) {
        self.state.record(&self.call, event);
    }
}
