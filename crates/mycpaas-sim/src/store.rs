//! The in-memory store of calls: each call's record, its timeline, and what the
//! engine needs to steer it (pending redirect, wake-up signal, callbacks in flight).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use parking_lot::{Condvar, Mutex, RwLock};
use time::OffsetDateTime;
use tokio::sync::Notify;

use crate::clock::Alarm;
use crate::timeline::{Timeline, TimelineEntry};

/// A call's status as the simulator tracks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Queued,
    Initiated,
    Ringing,
    InProgress,
    Completed,
    Busy,
    NoAnswer,
    Failed,
    Canceled,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Initiated => "initiated",
            Status::Ringing => "ringing",
            Status::InProgress => "in-progress",
            Status::Completed => "completed",
            Status::Busy => "busy",
            Status::NoAnswer => "no-answer",
            Status::Failed => "failed",
            Status::Canceled => "canceled",
        }
    }

    pub(crate) fn parse(value: &str) -> Option<Status> {
        Some(match value {
            "queued" => Status::Queued,
            "initiated" => Status::Initiated,
            "ringing" => Status::Ringing,
            "in-progress" => Status::InProgress,
            "completed" => Status::Completed,
            "busy" => Status::Busy,
            "no-answer" => Status::NoAnswer,
            "failed" => Status::Failed,
            "canceled" => Status::Canceled,
            _ => return None,
        })
    }

    pub(crate) fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Completed | Status::Busy | Status::NoAnswer | Status::Failed | Status::Canceled
        )
    }

    /// Not yet answered: `canceled` still applies.
    pub(crate) fn is_pending(self) -> bool {
        matches!(self, Status::Queued | Status::Initiated | Status::Ringing)
    }
}

/// `GET` or `POST`, for every URL the simulator requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
}

impl Method {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// Parses the `method` attribute and parameter values; case-insensitive as servers of this shape are.
    pub(crate) fn parse(value: &str) -> Option<Method> {
        if value.eq_ignore_ascii_case("GET") {
            Some(Method::Get)
        } else if value.eq_ignore_ascii_case("POST") {
            Some(Method::Post)
        } else {
            None
        }
    }
}

/// A URL to request and how. The URL may carry `user:password@`: `Debug` and
/// [`Target::shown_url`] leave the credentials out.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) method: Method,
}

impl Target {
    /// The URL without its credentials: what timelines keep and what the request is signed
    /// over.
    pub(crate) fn shown_url(&self) -> String {
        without_credentials(&self.url)
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("url", &self.shown_url())
            .field("method", &self.method)
            .finish()
    }
}

/// `url` with any `user:password@` removed; text that is not a URL is shown as a placeholder,
/// since it cannot be told apart from credentials.
pub(crate) fn without_credentials(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            // Both fail only for URLs that cannot have credentials, which have none to remove.
            let _ = parsed.set_password(None);
            let _ = parsed.set_username("");
            parsed.into()
        }
        Err(_) => "(not a URL)".to_owned(),
    }
}

/// Where a call's instructions come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DocSource {
    Url(Target),
    Inline(String),
}

/// The status callback events a call asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CallbackEvents {
    pub(crate) initiated: bool,
    pub(crate) ringing: bool,
    pub(crate) answered: bool,
    pub(crate) completed: bool,
}

/// Everything the API knows about a call.
#[derive(Debug, Clone)]
pub(crate) struct CallRecord {
    pub(crate) sid: String,
    pub(crate) account_sid: String,
    pub(crate) to: String,
    pub(crate) from: String,
    /// `true` for a call to one of the account's numbers (`direction: inbound`).
    pub(crate) inbound: bool,
    pub(crate) status: Status,
    pub(crate) created: OffsetDateTime,
    pub(crate) updated: OffsetDateTime,
    pub(crate) start_time: Option<OffsetDateTime>,
    pub(crate) end_time: Option<OffsetDateTime>,
    /// Set when the call is answered, and only with machine detection asked for.
    pub(crate) answered_by: Option<String>,
    /// `MachineDetection` was asked for: the answer is then reported as `human`.
    pub(crate) machine_detection: bool,
    pub(crate) source: DocSource,
    pub(crate) fallback: Option<Target>,
    pub(crate) status_callback: Option<Target>,
    pub(crate) events: CallbackEvents,
    pub(crate) timeout: Duration,
    pub(crate) time_limit: Duration,
    /// The recording a create's `Record=true` asked for, started when the call is answered.
    pub(crate) recording: Option<crate::recording::RecordingAsk>,
    /// The call whose `<Dial>` placed this one (a child leg, `direction: outbound-dial`).
    pub(crate) parent_call_sid: Option<String>,
}

impl CallRecord {
    /// The call's direction on the wire.
    pub(crate) fn direction(&self) -> &'static str {
        if self.inbound {
            "inbound"
        } else if self.parent_call_sid.is_some() {
            "outbound-dial"
        } else {
            "outbound-api"
        }
    }

    /// The simulated person on the other end: the callee of an outbound call, the caller of an
    /// inbound one (whose scripted input a `<Gather>` hears).
    pub(crate) fn party(&self) -> &str {
        if self.inbound { &self.from } else { &self.to }
    }

    /// Whole seconds between answer and end (0 for calls never answered).
    pub(crate) fn duration_secs(&self) -> u64 {
        match (self.start_time, self.end_time) {
            (Some(start), Some(end)) => u64::try_from((end - start).whole_seconds()).unwrap_or(0),
            _ => 0,
        }
    }
}

/// The mutable part of a call, under one lock so status, timeline and the callbacks
/// count always agree (that is what makes "settled" exact).
#[derive(Debug)]
pub(crate) struct CallInner {
    pub(crate) record: CallRecord,
    pub(crate) timeline: Vec<TimelineEntry>,
    pub(crate) callbacks_in_flight: usize,
    pub(crate) next_sequence: u32,
    pub(crate) engine_done: bool,
}

impl CallInner {
    pub(crate) fn settled(&self) -> bool {
        self.record.status.is_terminal() && self.callbacks_in_flight == 0 && self.engine_done
    }

    pub(crate) fn timeline(&self) -> Timeline {
        Timeline {
            call_sid: self.record.sid.clone(),
            account_sid: self.record.account_sid.clone(),
            to: self.record.to.clone(),
            from: self.record.from.clone(),
            status: self.record.status.as_str().to_owned(),
            settled: self.settled(),
            entries: self.timeline.clone(),
        }
    }
}

/// One call: its state and the signal that wakes its engine task.
#[derive(Debug)]
pub(crate) struct CallState {
    pub(crate) inner: Mutex<CallInner>,
    /// The alarm its engine waits on: the API wakes it early to change the call (redirect,
    /// cancel, hang up), as do the calls it meets (see [`crate::state::SimState::wake`]).
    pub(crate) alarm: Alarm,
    /// A redirect asked for through the API, taken by the engine at its next step.
    pub(crate) redirect: Mutex<Option<DocSource>>,
    /// Set when the call must leave the conference it is in (the conference ended), taken by
    /// the engine at its next step.
    pub(crate) leave: AtomicBool,
    /// Set when the call is taken out of the queue it waits in, taken by the engine at its next
    /// step.
    pub(crate) dequeued: Mutex<Option<crate::queue::Dequeued>>,
    /// The child legs its `<Dial>` placed, while it waits on them: they end with it.
    pub(crate) legs: Mutex<Vec<Arc<CallState>>>,
    /// Set when what the call hears in its conference changed (put on or off hold, an
    /// announcement waiting), taken by the engine at its next step.
    pub(crate) hears_else: AtomicBool,
}

/// All calls of all accounts, in creation order, plus the signal for "a call settled".
#[derive(Debug, Default)]
pub(crate) struct CallStore {
    calls: RwLock<Calls>,
    settled_lock: Mutex<()>,
    settled_cv: Condvar,
    settled_notify: Notify,
}

#[derive(Debug, Default)]
struct Calls {
    by_sid: HashMap<String, Arc<CallState>>,
    in_order: Vec<Arc<CallState>>,
}

impl CallStore {
    pub(crate) fn insert(&self, record: CallRecord) -> Arc<CallState> {
        let sid = record.sid.clone();
        let state = Arc::new(CallState {
            inner: Mutex::new(CallInner {
                record,
                timeline: Vec::new(),
                callbacks_in_flight: 0,
                next_sequence: 0,
                engine_done: false,
            }),
            alarm: Alarm::default(),
            redirect: Mutex::new(None),
            leave: AtomicBool::new(false),
            dequeued: Mutex::new(None),
            legs: Mutex::new(Vec::new()),
            hears_else: AtomicBool::new(false),
        });
        let mut calls = self.calls.write();
        calls.by_sid.insert(sid, Arc::clone(&state));
        calls.in_order.push(Arc::clone(&state));
        state
    }

    pub(crate) fn get(&self, sid: &str) -> Option<Arc<CallState>> {
        self.calls.read().by_sid.get(sid).cloned()
    }

    /// One account's calls that `keep` lets through, newest first. The calls are shared, not
    /// copied: a list copies only the page it answers.
    pub(crate) fn matching(
        &self,
        account_sid: &str,
        keep: impl Fn(&CallRecord) -> bool,
    ) -> Vec<Arc<CallState>> {
        let calls = self.calls.read();
        calls
            .in_order
            .iter()
            .rev()
            .filter(|call| {
                let inner = call.inner.lock();
                inner.record.account_sid == account_sid && keep(&inner.record)
            })
            .cloned()
            .collect()
    }

    /// Tells waiters that some call may have settled.
    pub(crate) fn announce_settled(&self) {
        let _guard = self.settled_lock.lock();
        self.settled_cv.notify_all();
        self.settled_notify.notify_waiters();
    }

    /// Blocks the current thread until the call settles or the timeout passes.
    pub(crate) fn wait_settled_blocking(&self, sid: &str, timeout: Duration) -> Option<Timeline> {
        let call = self.get(sid)?;
        let deadline = std::time::Instant::now() + timeout;
        let mut guard = self.settled_lock.lock();
        loop {
            {
                let inner = call.inner.lock();
                if inner.settled() {
                    return Some(inner.timeline());
                }
            }
            if self.settled_cv.wait_until(&mut guard, deadline).timed_out() {
                let inner = call.inner.lock();
                return inner.settled().then(|| inner.timeline());
            }
        }
    }

    /// Waits (async) until the call settles or the timeout passes.
    pub(crate) async fn wait_settled(&self, sid: &str, timeout: Duration) -> Option<Timeline> {
        let call = self.get(sid)?;
        let wait = async {
            loop {
                let notified = self.settled_notify.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                {
                    let inner = call.inner.lock();
                    if inner.settled() {
                        return inner.timeline();
                    }
                }
                notified.await;
            }
        };
        tokio::time::timeout(timeout, wait).await.ok()
    }
}

impl CallStore {
    /// Forgets a call (the API's delete).
    pub(crate) fn remove(&self, sid: &str) {
        let mut calls = self.calls.write();
        if calls.by_sid.remove(sid).is_some() {
            calls
                .in_order
                .retain(|call| call.inner.lock().record.sid != sid);
        }
    }
}
