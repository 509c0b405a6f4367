//! Queues: made through the API or by the first `<Enqueue>` that names them, each holding the
//! calls that wait in it, front first, until a dequeue (`<Dial><Queue>` or the API) takes one, the
//! call leaves or hangs up. A queue's size, average wait and its members' positions are read at
//! the moment they are answered. How a call waits is `engine::queue`'s.

use std::sync::Arc;

use mycpaas_core::paths::API_PREFIX;
use mycpaas_core::{CreateQueue, Member, Queue};
use time::OffsetDateTime;

use crate::api::wire::{API_VERSION, whole_seconds};
use crate::state::SimState;
use crate::store::{CallState, Target};

/// The path segment that stands for the call at the head of a queue.
pub(crate) const FRONT: &str = "Front";

/// A call waiting in a queue.
#[derive(Debug, Clone)]
pub(crate) struct Waiting {
    pub(crate) call: Arc<CallState>,
    pub(crate) call_sid: String,
    /// When it joined the queue (simulated time).
    pub(crate) enqueued_at: OffsetDateTime,
}

impl Waiting {
    /// Whole simulated seconds it has waited so far.
    pub(crate) fn waited(&self, state: &SimState) -> u64 {
        let now = state.now();
        u64::try_from((now - self.enqueued_at).whole_seconds()).unwrap_or(0)
    }
}

/// A queue and the calls waiting in it.
#[derive(Debug, Clone)]
pub(crate) struct KeptQueue {
    /// The queue's stored members; `current_size` and `average_wait_time` are filled in when it is
    /// answered ([`KeptQueue::shown`]).
    pub(crate) queue: Queue,
    /// Front first.
    pub(crate) waiting: Vec<Waiting>,
}

impl KeptQueue {
    /// A queue with nobody in it.
    pub(crate) fn empty(queue: Queue) -> Self {
        KeptQueue {
            queue,
            waiting: Vec::new(),
        }
    }

    /// The queue as it is now: its size and the average wait of the calls in it.
    pub(crate) fn shown(&self, state: &SimState) -> Queue {
        let mut queue = self.queue.clone();
        let waits: Vec<u64> = self.waiting.iter().map(|w| w.waited(state)).collect();
        queue.current_size = Some(waits.len() as u64);
        queue.average_wait_time = Some(average(&waits));
        queue
    }

    /// The member at `index` (from 0 at the front) as it is now, its path under `prefix`.
    pub(crate) fn member(&self, state: &SimState, index: usize, prefix: &str) -> Member {
        let waiting = &self.waiting[index];
        let mut member = Member::default();
        waiting.call_sid.clone_into(&mut member.call_sid);
        member.queue_sid = Some(self.queue.sid.clone());
        member.account_sid.clone_from(&self.queue.account_sid);
        member.date_enqueued = Some(whole_seconds(waiting.enqueued_at));
        member.position = Some(index as u64 + 1);
        member.wait_time = Some(waiting.waited(state));
        member.uri = Some(format!(
            "{prefix}/Accounts/{}/Queues/{}/Members/{}.json",
            self.queue.account_sid.as_deref().unwrap_or_default(),
            self.queue.sid,
            waiting.call_sid
        ));
        member
    }

    /// Where `which` (a call SID, or [`FRONT`]) stands in the queue.
    pub(crate) fn index_of(&self, which: &str) -> Option<usize> {
        if which == FRONT {
            return (!self.waiting.is_empty()).then_some(0);
        }
        self.waiting.iter().position(|w| w.call_sid == which)
    }

    fn max_size(&self) -> usize {
        let max = self
            .queue
            .max_size
            .unwrap_or(CreateQueue::DEFAULT_MAX_SIZE.into());
        usize::try_from(max).unwrap_or(usize::MAX)
    }
}

/// The average of whole seconds, rounded down; 0 for none.
fn average(seconds: &[u64]) -> u64 {
    let count = seconds.len() as u64;
    seconds.iter().sum::<u64>().checked_div(count).unwrap_or(0)
}

/// Where a call stands in its queue, as the `waitUrl` request tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Standing {
    /// From 1 at the front.
    pub(crate) position: usize,
    pub(crate) size: usize,
    /// The average wait of the calls in the queue, in seconds.
    pub(crate) average_wait: u64,
}

/// What an `<Enqueue>` got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entered {
    /// The call waits in queue `sid`.
    Waiting { sid: String, standing: Standing },
    /// Queue `sid` holds its `MaxSize` already.
    Full { sid: String },
}

/// How a call was taken out of its queue, for its engine to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dequeued {
    /// `<Dial><Queue>`: it is bridged to the dequeuing call in the conference named after that
    /// call's SID, after hearing `url` (the `<Queue url>`) when there is one.
    Bridged {
        dequeuer: String,
        url: Option<Target>,
    },
    /// The API's dequeue: it runs the document at the target.
    Redirected(Target),
}

/// Puts `call` at the back of the account's queue `name`, making the queue if there is none.
pub(crate) fn enter(
    state: &SimState,
    account: &str,
    name: &str,
    call: &Arc<CallState>,
    now: OffsetDateTime,
) -> Entered {
    let waiting = Waiting {
        call: Arc::clone(call),
        call_sid: call.inner.lock().record.sid.clone(),
        enqueued_at: now,
    };
    let _names = state.queue_names.lock();
    let sid = if let Some(kept) = state.queues.find_of(account, |kept| named(kept, name)) {
        kept.queue.sid
    } else {
        let sid = state.randomness.sid("QU");
        let queue = new_queue(account, &sid, name, now);
        state.queues.insert(account, &sid, KeptQueue::empty(queue));
        sid
    };
    let mut entered = None;
    state.queues.update(account, &sid, |kept| {
        if kept.waiting.len() >= kept.max_size() {
            return Err(());
        }
        kept.waiting.push(waiting);
        kept.queue.date_updated = Some(whole_seconds(now));
        entered = Some(standing(state, kept, kept.waiting.len() - 1));
        Ok(())
    });
    match entered {
        Some(standing) => Entered::Waiting { sid, standing },
        None => Entered::Full { sid },
    }
}

fn named(kept: &KeptQueue, name: &str) -> bool {
    kept.queue.friendly_name.as_deref() == Some(name)
}

fn standing(state: &SimState, kept: &KeptQueue, index: usize) -> Standing {
    let shown = kept.shown(state);
    Standing {
        position: index + 1,
        size: kept.waiting.len(),
        average_wait: shown.average_wait_time.unwrap_or(0),
    }
}

/// Where `call_sid` stands in queue `sid` now; `None` once it is out.
pub(crate) fn standing_of(
    state: &SimState,
    account: &str,
    sid: &str,
    call_sid: &str,
) -> Option<Standing> {
    let kept = state.queues.get(account, sid)?;
    let index = kept.index_of(call_sid)?;
    Some(standing(state, &kept, index))
}

/// The account's queue named `name`, if there is one.
pub(crate) fn find(state: &SimState, account: &str, name: &str) -> Option<KeptQueue> {
    state.queues.find_of(account, |kept| named(kept, name))
}

/// Takes `call_sid` out of queue `sid`; `false` if it was not in it (a dequeue took it).
pub(crate) fn leave(state: &SimState, account: &str, sid: &str, call_sid: &str) -> bool {
    let changed = state.queues.update(account, sid, |kept| {
        let index = kept.waiting.iter().position(|w| w.call_sid == call_sid);
        kept.waiting.remove(index.ok_or(())?);
        Ok::<_, ()>(())
    });
    matches!(changed, Some(Ok(_)))
}

/// Takes `which` (a call SID or [`FRONT`]) out of queue `sid`; answers it and the member as it
/// was when taken (its path under `prefix`), or `None` when no such call waits there. Once taken,
/// no other dequeue can have it: the taker then [`hand`]s it where it goes.
pub(crate) fn take(
    state: &SimState,
    account: &str,
    sid: &str,
    which: &str,
    prefix: &str,
) -> Option<(Waiting, Member)> {
    let mut taken = None;
    state.queues.update(account, sid, |kept| {
        let index = kept.index_of(which).ok_or(())?;
        let member = kept.member(state, index, prefix);
        taken = Some((kept.waiting.remove(index), member));
        Ok::<_, ()>(())
    });
    taken
}

/// Tells a call [`take`]n from its queue how it was dequeued; its engine acts on it at its next
/// step.
pub(crate) fn hand(state: &SimState, waiting: &Waiting, dequeued: Dequeued) {
    *waiting.call.dequeued.lock() = Some(dequeued);
    state.wake(&waiting.call);
}

fn new_queue(account: &str, sid: &str, name: &str, now: OffsetDateTime) -> Queue {
    let mut queue = Queue::default();
    sid.clone_into(&mut queue.sid);
    queue.account_sid = Some(account.to_owned());
    queue.friendly_name = Some(name.to_owned());
    queue.max_size = Some(u64::from(CreateQueue::DEFAULT_MAX_SIZE));
    queue.api_version = Some(API_VERSION.to_owned());
    queue.date_created = Some(whole_seconds(now));
    queue.date_updated = Some(whole_seconds(now));
    queue.uri = Some(format!("{API_PREFIX}/Accounts/{account}/Queues/{sid}.json"));
    queue
}

#[cfg(test)]
mod tests {
    use super::average;

    #[test]
    fn the_average_wait_is_whole_seconds_rounded_down() {
        assert_eq!(average(&[]), 0);
        assert_eq!(average(&[3]), 3);
        assert_eq!(average(&[3, 4]), 3);
        assert_eq!(average(&[10, 20, 30]), 20);
    }
}
