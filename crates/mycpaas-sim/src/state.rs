//! The state shared by the API handlers, the call engine and the handle.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use time::OffsetDateTime;
use tokio::sync::{Semaphore, broadcast, watch};

use mycpaas_core::{Application, IncomingPhoneNumber, LamlBin, Transcription};
use parking_lot::Mutex;

use crate::accounts::Accounts;
use crate::callee::CalleeScripts;
use crate::clock::{Clock, Pace};
use crate::conference::KeptConference;
use crate::dates::DateFormat;
use crate::faults::FaultInjector;
use crate::ids::Randomness;
use crate::input::InputScript;
use crate::recording::KeptRecording;
use crate::registry::Registry;
use crate::requests::RequestLog;
use crate::store::{CallInner, CallState, CallStore};
use crate::timeline::{SimEvent, TimelineEntry, TimelineEvent};

/// How many webhook requests (documents, actions, callbacks) may be in flight at once.
/// Bounds sockets and memory when thousands of calls run concurrently; requests
/// beyond it wait their turn, they are not dropped.
const WEBHOOK_CONCURRENCY: usize = 512;

/// Everything a running simulator shares between its tasks.
#[derive(Debug)]
pub(crate) struct SimState {
    pub(crate) clock: Clock,
    pub(crate) randomness: Arc<Randomness>,
    pub(crate) accounts: Accounts,
    pub(crate) calls: CallStore,
    pub(crate) applications: Registry<Application>,
    pub(crate) numbers: Registry<IncomingPhoneNumber>,
    /// Held while a number is checked and provisioned: a number goes to one account only.
    pub(crate) provisioning: Mutex<()>,
    pub(crate) laml_bins: Registry<LamlBin>,
    pub(crate) conferences: Registry<KeptConference>,
    /// Held while a call joins or leaves a conference, or one ends: each of those is one
    /// decision over the room (which conference a name means, who is in it, whether it ends).
    pub(crate) conference_rooms: Mutex<()>,
    pub(crate) queues: Registry<crate::queue::KeptQueue>,
    /// Held while a queue's name is checked and taken: a name is used by one queue of an account.
    pub(crate) queue_names: Mutex<()>,
    pub(crate) recordings: Registry<KeptRecording>,
    pub(crate) transcriptions: Registry<Transcription>,
    pub(crate) inputs: InputScript,
    /// How dialed numbers meet a `<Dial>`'s ring.
    pub(crate) callees: CalleeScripts,
    /// The texts scripted for the transcriptions of `<Record transcribe="true">`.
    pub(crate) transcripts: InputScript<String>,
    pub(crate) faults: FaultInjector,
    pub(crate) events: broadcast::Sender<SimEvent>,
    pub(crate) http: reqwest::Client,
    pub(crate) webhook_slots: Semaphore,
    pub(crate) base_url: String,
    pub(crate) max_body_bytes: usize,
    pub(crate) date_format: DateFormat,
    pub(crate) api_requests: AtomicUsize,
    pub(crate) requests: RequestLog,
    pub(crate) calls_created: AtomicUsize,
    pub(crate) shutdown: watch::Sender<bool>,
}

impl SimState {
    pub(crate) fn new(parts: StateParts) -> Self {
        let (events, _) = broadcast::channel(4096);
        let (shutdown, _) = watch::channel(false);
        Self {
            clock: Clock::new(parts.pace),
            faults: FaultInjector::new(Arc::clone(&parts.randomness)),
            randomness: parts.randomness,
            accounts: parts.accounts,
            calls: CallStore::default(),
            applications: Registry::default(),
            numbers: Registry::default(),
            provisioning: Mutex::new(()),
            laml_bins: Registry::default(),
            conferences: Registry::default(),
            conference_rooms: Mutex::new(()),
            queues: Registry::default(),
            queue_names: Mutex::new(()),
            recordings: Registry::default(),
            transcriptions: Registry::default(),
            inputs: InputScript::default(),
            callees: CalleeScripts::default(),
            transcripts: InputScript::default(),
            events,
            http: parts.http,
            webhook_slots: Semaphore::new(WEBHOOK_CONCURRENCY),
            base_url: parts.base_url,
            max_body_bytes: parts.max_body_bytes,
            date_format: parts.date_format,
            api_requests: AtomicUsize::new(0),
            requests: RequestLog::default(),
            calls_created: AtomicUsize::new(0),
            shutdown,
        }
    }

    pub(crate) fn count_api_request(&self) {
        self.api_requests.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn is_shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// The simulated now, shared by every call.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Wakes a call's engine early: it acts next (after the call acting now) and finds what
    /// changed (a redirect, its end, a conference that started, a dequeue).
    pub(crate) fn wake(&self, call: &CallState) {
        self.clock.wake(&call.alarm);
    }

    /// Appends an event to the call's timeline and broadcasts it live.
    pub(crate) fn record(&self, call: &CallState, event: TimelineEvent) {
        let mut inner = call.inner.lock();
        self.record_locked(&mut inner, event);
    }

    /// [`SimState::record`] for a caller that already holds the call's lock.
    pub(crate) fn record_locked(&self, inner: &mut CallInner, event: TimelineEvent) {
        let entry = entry_at(self.now(), inner.record.created, event);
        inner.timeline.push(entry.clone());
        let call_sid = inner.record.sid.clone();
        // No subscriber is fine: the event is in the timeline either way.
        let _ = self.events.send(SimEvent { call_sid, entry });
    }
}

/// Builds a timeline entry stamped with simulated time.
pub(crate) fn entry_at(
    now: OffsetDateTime,
    created: OffsetDateTime,
    event: TimelineEvent,
) -> TimelineEntry {
    let offset_ms = u64::try_from((now - created).whole_milliseconds()).unwrap_or(0);
    TimelineEntry {
        at: crate::dates::iso8601_millis(now),
        offset_ms,
        event,
    }
}

/// The client that fetches documents and posts callbacks to the application's webhooks.
pub(crate) fn webhook_client() -> std::io::Result<reqwest::Client> {
    crate::engine::client::build(WEBHOOK_CONCURRENCY)
}

/// What [`SimState::new`] needs from the builder.
#[derive(Debug)]
pub(crate) struct StateParts {
    pub(crate) http: reqwest::Client,
    pub(crate) pace: Pace,
    pub(crate) randomness: Arc<Randomness>,
    pub(crate) accounts: Accounts,
    pub(crate) base_url: String,
    pub(crate) max_body_bytes: usize,
    pub(crate) date_format: DateFormat,
}
