//! Simulated time: one clock for the whole simulator, run as a discrete-event simulation.
//!
//! Every wait of every call (ringing, speaking, pausing, hold music, a queue's poll) is an
//! alarm on this clock. Calls act one at a time: the clock wakes the call whose alarm is due
//! first (ties in the order the alarms were set), lets it act, and wakes the next only once that
//! call waits again or ends. So the order of events, the random draws and every duration depend
//! only on the scenario and the seed, not on how busy the machine is: a late wall timer delays
//! the simulation, it never reorders it.
//!
//! Webhook requests take no simulated time: while one is in flight ([`Clock::aside`]) time
//! stands still for every call, and the calls due at that same instant act meanwhile, so a slow
//! web app slows the simulation down but its requests overlap.
//!
//! How time moves between alarms is the [`Pace`]:
//! - [`Pace::Speed`]: `speed` simulated seconds pass per wall second while calls wait, never past
//!   the next alarm; with no alarm set, time runs as a wall clock does;
//! - [`Pace::Manual`]: time stands still until [`Clock::advance`] moves it (tests that step a
//!   scenario: "advance 30 seconds, then look").
//!
//! A call woken early (the API redirected it, a conference it waits for started) is due at once,
//! behind the call acting now.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use time::OffsetDateTime;
use tokio::sync::{Notify, oneshot, watch};

/// [`crate::SimHandle::advance`] was asked of a simulator whose time moves by itself (it was
/// not started with [`crate::SimulatorBuilder::manual_clock`]).
///
/// ```
/// let sim = mycpaas_sim::Simulator::builder().speed(50.0).start_in_background()?;
/// let refused = sim.advance(std::time::Duration::from_secs(1)).unwrap_err();
/// assert_eq!(refused.speed, 50.0);
/// assert!(refused.to_string().contains("manual_clock"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error(
    "the simulator's clock runs at speed x{speed} by itself; start it with a manual clock \
     (manual_clock) to advance it"
)]
#[non_exhaustive]
pub struct ClockIsPaced {
    /// The simulator's speed: simulated seconds per wall second.
    pub speed: f64,
}

/// How simulated time moves between alarms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Pace {
    /// Simulated seconds per wall second while calls wait.
    Speed(f64),
    /// Only [`Clock::advance`] moves time.
    Manual,
}

/// Why a [`Clock::sleep`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Woke {
    /// The whole wait passed.
    Due,
    /// Someone woke the call before its alarm (see [`Clock::wake`]).
    Early,
}

/// Where a call keeps the alarm it waits on, so others can wake it early.
#[derive(Debug, Default)]
pub(crate) struct Alarm {
    key: Mutex<Option<Key>>,
}

/// An alarm's place in the schedule: when it is due (simulated time since the clock's origin)
/// and the order it was set in, which breaks ties.
type Key = (Duration, u64);

#[derive(Debug)]
struct Sleeper {
    wake: oneshot::Sender<Woke>,
    woke: Woke,
    /// The sleeper is a call: it acts when woken, and the clock waits for it to wait again.
    acts: bool,
}

/// The simulator's clock. Cheap to clone: clones share one schedule.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    pace: Pace,
    /// The simulated instant the clock started at (the wall time of the simulator's start).
    origin: OffsetDateTime,
    ticks: Mutex<Ticks>,
    /// Wakes the driver: an alarm was set or removed, or a call stopped acting.
    moved: Notify,
    /// Wakes [`Clock::advance`] callers: the driver has nothing left to do for now.
    rested: Notify,
}

#[derive(Debug)]
struct Ticks {
    /// Simulated time since the origin, as of `since`.
    passed: Duration,
    /// The wall instant `passed` was last set; time runs on from it while nobody acts.
    since: Instant,
    /// Calls acting now (woken and not yet waiting again).
    acting: usize,
    /// Webhook requests in flight ([`Clock::aside`]): time stands still until they are done.
    pinned: usize,
    due: BTreeMap<Key, Sleeper>,
    next: u64,
    /// [`Pace::Manual`]: how far [`Clock::advance`] asked time to go.
    target: Duration,
}

impl Ticks {
    /// Simulated time since the origin.
    fn passed(&self, pace: Pace) -> Duration {
        if self.acting > 0 || self.pinned > 0 {
            return self.passed;
        }
        let Pace::Speed(speed) = pace else {
            return self.passed;
        };
        let ran = self.since.elapsed();
        let passed = match self.due.keys().next() {
            Some(&(at, _)) => self
                .passed
                .saturating_add(scale(ran, speed))
                .min(at.max(self.passed)),
            None => self.passed.saturating_add(ran),
        };
        passed.max(self.passed)
    }

    /// Stops time where it is now (a call starts acting, or time is rebased).
    fn settle(&mut self, pace: Pace) {
        self.passed = self.passed(pace);
        self.since = Instant::now();
    }

    fn set(&mut self, at: Duration, sleeper: Sleeper) -> Key {
        let key = (at, self.next);
        self.next += 1;
        self.due.insert(key, sleeper);
        key
    }

    /// Sets `alarm` for `at`.
    fn arm(&mut self, alarm: &Alarm, at: Duration, acts: bool) -> oneshot::Receiver<Woke> {
        let (wake, receiver) = oneshot::channel();
        let key = self.set(
            at,
            Sleeper {
                wake,
                woke: Woke::Due,
                acts,
            },
        );
        *alarm.key.lock() = Some(key);
        receiver
    }

    fn start_acting(&mut self, pace: Pace) {
        self.settle(pace);
        self.acting += 1;
    }

    fn stop_acting(&mut self) {
        self.acting = self.acting.saturating_sub(1);
        if self.acting == 0 {
            self.since = Instant::now();
        }
    }
}

impl Clock {
    /// A clock starting now, on the whole second (so the API's whole-second dates are exact
    /// offsets from the start), at `pace`.
    pub(crate) fn new(pace: Pace) -> Self {
        let now = OffsetDateTime::now_utc();
        Self {
            shared: Arc::new(Shared {
                pace,
                origin: now.replace_millisecond(0).unwrap_or(now),
                ticks: Mutex::new(Ticks {
                    passed: Duration::ZERO,
                    since: Instant::now(),
                    acting: 0,
                    pinned: 0,
                    due: BTreeMap::new(),
                    next: 0,
                    target: Duration::ZERO,
                }),
                moved: Notify::new(),
                rested: Notify::new(),
            }),
        }
    }

    pub(crate) fn pace(&self) -> Pace {
        self.shared.pace
    }

    /// The simulated now.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.at(self.passed())
    }

    /// Simulated time since the clock started.
    pub(crate) fn passed(&self) -> Duration {
        self.shared.ticks.lock().passed(self.shared.pace)
    }

    fn at(&self, passed: Duration) -> OffsetDateTime {
        // Dates past year 9999 (millions of simulated years) stop there.
        time::Duration::try_from(passed)
            .ok()
            .and_then(|passed| self.shared.origin.checked_add(passed))
            .unwrap_or_else(|| time::PrimitiveDateTime::MAX.assume_utc())
    }

    /// Puts a new call on the schedule, due now: done when the call is created, before its task
    /// runs, so no time passes before it has acted. See [`Admitted::turn`].
    pub(crate) fn admit(&self, alarm: &Alarm) -> Admitted {
        let receiver = {
            let mut ticks = self.shared.ticks.lock();
            let at = ticks.passed(self.shared.pace);
            ticks.arm(alarm, at, true)
        };
        self.shared.moved.notify_one();
        Admitted {
            acting: Acting {
                clock: self.clone(),
            },
            receiver,
        }
    }

    /// [`Clock::admit`], then [`Admitted::turn`].
    #[cfg(test)]
    async fn enter(&self, alarm: &Alarm) -> Acting {
        self.admit(alarm).turn(alarm).await
    }

    /// The acting call waits `length` of simulated time, or until [`Clock::wake`]. Others act
    /// meanwhile.
    pub(crate) async fn sleep(&self, alarm: &Alarm, length: Duration) -> Woke {
        let receiver = {
            let mut ticks = self.shared.ticks.lock();
            let at = ticks.passed.saturating_add(length);
            let receiver = ticks.arm(alarm, at, true);
            ticks.stop_acting();
            receiver
        };
        self.shared.moved.notify_one();
        self.wait_for(alarm, receiver).await
    }

    /// Runs `work` (a webhook request) without holding the acting call's turn: calls due at the
    /// same instant act meanwhile, so requests to a slow web app overlap, but time does not move
    /// until every such request is done. The call then acts again in its turn, at the same
    /// instant.
    pub(crate) async fn aside<F: std::future::Future>(&self, alarm: &Alarm, work: F) -> F::Output {
        struct Pinned<'a> {
            clock: &'a Clock,
            done: bool,
        }
        impl Drop for Pinned<'_> {
            fn drop(&mut self) {
                if self.done {
                    return;
                }
                // Abandoned (the task was cancelled): the call goes on acting.
                let shared = &self.clock.shared;
                let mut ticks = shared.ticks.lock();
                ticks.pinned = ticks.pinned.saturating_sub(1);
                ticks.start_acting(shared.pace);
                drop(ticks);
                shared.moved.notify_one();
            }
        }
        {
            let mut ticks = self.shared.ticks.lock();
            ticks.pinned += 1;
            ticks.stop_acting();
        }
        self.shared.moved.notify_one();
        let mut pinned = Pinned {
            clock: self,
            done: false,
        };
        let output = work.await;
        let receiver = {
            let mut ticks = self.shared.ticks.lock();
            ticks.pinned = ticks.pinned.saturating_sub(1);
            ticks.since = Instant::now();
            let at = ticks.passed;
            ticks.arm(alarm, at, true)
        };
        pinned.done = true;
        self.shared.moved.notify_one();
        let _ = self.wait_for(alarm, receiver).await;
        output
    }

    /// Waits `length` of simulated time for something that is not a call (a callback's retry):
    /// the clock does not wait for it to act.
    pub(crate) async fn sleep_aside(&self, length: Duration) {
        let alarm = Alarm::default();
        let receiver = {
            let mut ticks = self.shared.ticks.lock();
            let at = ticks.passed(self.shared.pace).saturating_add(length);
            ticks.arm(&alarm, at, false)
        };
        self.shared.moved.notify_one();
        let _ = receiver.await;
    }

    /// Waits for the alarm to go off. If the wait is abandoned (the task was cancelled), the
    /// alarm is taken back and the call is acting again, as it is when the alarm goes off.
    async fn wait_for(&self, alarm: &Alarm, receiver: oneshot::Receiver<Woke>) -> Woke {
        struct TakeBack<'a> {
            clock: &'a Clock,
            alarm: &'a Alarm,
            armed: bool,
        }
        impl Drop for TakeBack<'_> {
            fn drop(&mut self) {
                if !self.armed {
                    return;
                }
                let key = self.alarm.key.lock().take();
                let shared = &self.clock.shared;
                let mut ticks = shared.ticks.lock();
                if let Some(sleeper) = key.and_then(|key| ticks.due.remove(&key)) {
                    if sleeper.acts {
                        ticks.start_acting(shared.pace);
                    }
                }
                drop(ticks);
                shared.moved.notify_one();
            }
        }
        let mut guard = TakeBack {
            clock: self,
            alarm,
            armed: true,
        };
        // A closed channel means the simulator is going away: the caller goes on as if due.
        let woke = receiver.await.unwrap_or(Woke::Due);
        guard.armed = false;
        woke
    }

    /// Wakes a call before its alarm: it becomes due now, behind calls already due now and
    /// the one acting. Nothing happens if the call is not waiting.
    pub(crate) fn wake(&self, alarm: &Alarm) {
        let shared = &self.shared;
        let mut ticks = shared.ticks.lock();
        let Some(key) = *alarm.key.lock() else {
            return;
        };
        let Some(mut sleeper) = ticks.due.remove(&key) else {
            return;
        };
        ticks.settle(shared.pace);
        sleeper.woke = Woke::Early;
        let at = ticks.passed;
        let key = ticks.set(at, sleeper);
        *alarm.key.lock() = Some(key);
        drop(ticks);
        shared.moved.notify_one();
    }

    /// [`Pace::Manual`]: moves time `length` forward, waking every alarm due meanwhile in order,
    /// and returns once the calls are all waiting (or done) at the new now. A clock paced by
    /// speed refuses: its time moves by itself.
    pub(crate) async fn advance(&self, length: Duration) -> Result<(), ClockIsPaced> {
        let shared = &self.shared;
        if let Pace::Speed(speed) = shared.pace {
            return Err(ClockIsPaced { speed });
        }
        let target = {
            let mut ticks = shared.ticks.lock();
            ticks.target = ticks.target.max(ticks.passed).saturating_add(length);
            ticks.target
        };
        shared.moved.notify_one();
        loop {
            let rested = shared.rested.notified();
            tokio::pin!(rested);
            rested.as_mut().enable();
            if self.is_resting_at(target) {
                return Ok(());
            }
            rested.await;
        }
    }

    fn is_resting_at(&self, target: Duration) -> bool {
        let ticks = self.shared.ticks.lock();
        ticks.acting == 0
            && ticks.pinned == 0
            && ticks.passed >= target
            && ticks
                .due
                .keys()
                .next()
                .is_none_or(|&(at, _)| at > ticks.passed)
    }

    /// Runs the schedule until `stop` turns true: wakes each due alarm in turn, once nobody
    /// acts, pacing time in wall time as the [`Pace`] says.
    pub(crate) async fn drive(self, mut stop: watch::Receiver<bool>) {
        let shared = &self.shared;
        while !*stop.borrow_and_update() {
            let moved = shared.moved.notified();
            tokio::pin!(moved);
            moved.as_mut().enable();
            let wall = match self.step() {
                Step::Fired => continue,
                Step::Idle => {
                    shared.rested.notify_waiters();
                    None
                }
                Step::Later(wall) => Some(wall),
            };
            let timer = async {
                match wall {
                    Some(wall) => tokio::time::sleep(wall).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = timer => {}
                () = &mut moved => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// One look at the schedule: wakes the first due alarm if its time has come.
    fn step(&self) -> Step {
        let shared = &self.shared;
        let mut ticks = shared.ticks.lock();
        if ticks.acting > 0 {
            return Step::Idle;
        }
        let Some(&(at, seq)) = ticks.due.keys().next() else {
            if shared.pace == Pace::Manual && ticks.pinned == 0 {
                ticks.passed = ticks.passed.max(ticks.target);
            }
            return Step::Idle;
        };
        // Due now: it acts even while requests are in flight. Later: only once they are done.
        if at > ticks.passed && ticks.pinned > 0 {
            return Step::Idle;
        }
        let now = ticks.passed(shared.pace);
        let reachable = match shared.pace {
            Pace::Speed(_) => now >= at,
            Pace::Manual => at <= ticks.passed.max(ticks.target),
        };
        if !reachable {
            return match shared.pace {
                Pace::Speed(speed) => Step::Later(to_wall(at.saturating_sub(now), speed)),
                Pace::Manual => {
                    ticks.passed = ticks.passed.max(ticks.target);
                    Step::Idle
                }
            };
        }
        let Some(sleeper) = ticks.due.remove(&(at, seq)) else {
            return Step::Idle;
        };
        ticks.passed = ticks.passed.max(at);
        ticks.since = Instant::now();
        if sleeper.acts {
            ticks.acting += 1;
        }
        // A sleeper that is gone (its task ended) just leaves the schedule.
        if sleeper.wake.send(sleeper.woke).is_err() && sleeper.acts {
            ticks.stop_acting();
        }
        Step::Fired
    }
}

enum Step {
    Fired,
    Idle,
    Later(Duration),
}

/// A call on the schedule that has not acted yet.
#[derive(Debug)]
pub(crate) struct Admitted {
    acting: Acting,
    receiver: oneshot::Receiver<Woke>,
}

impl Admitted {
    /// Waits for the call's first turn: it acts right after every call due at the same instant.
    /// Its turn ends when the returned guard is dropped (the call's task ends) or while it sleeps.
    pub(crate) async fn turn(self, alarm: &Alarm) -> Acting {
        let Admitted { acting, receiver } = self;
        let _ = acting.clock.wait_for(alarm, receiver).await;
        acting
    }
}

/// A call's turn on the clock, held by its engine task; dropping it ends the turn for good.
#[derive(Debug)]
pub(crate) struct Acting {
    clock: Clock,
}

impl Drop for Acting {
    fn drop(&mut self) {
        self.clock.shared.ticks.lock().stop_acting();
        self.clock.shared.moved.notify_one();
    }
}

/// The wall duration of `simulated` at `speed`, saturating rather than panicking.
fn to_wall(simulated: Duration, speed: f64) -> Duration {
    Duration::try_from_secs_f64(simulated.as_secs_f64() / speed).unwrap_or(Duration::MAX)
}

/// `duration * factor`, saturating at [`Duration::MAX`] instead of panicking.
fn scale(duration: Duration, factor: f64) -> Duration {
    Duration::try_from_secs_f64(duration.as_secs_f64() * factor).unwrap_or(Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never_stop() -> watch::Receiver<bool> {
        let (stop, stopped) = watch::channel(false);
        std::mem::forget(stop);
        stopped
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime")
    }

    /// Two calls that each wait in steps, as `(call, time since its start)` in the order they
    /// acted.
    fn interleave(pace: Pace) -> Vec<(&'static str, Duration)> {
        runtime().block_on(async move {
            let clock = Clock::new(pace);
            tokio::spawn(clock.clone().drive(never_stop()));
            let seen = Arc::new(Mutex::new(Vec::new()));
            let (entered, mut entering) = tokio::sync::mpsc::unbounded_channel();
            let call = |name: &'static str, steps: Vec<u64>| {
                let (clock, seen, entered) = (clock.clone(), Arc::clone(&seen), entered.clone());
                tokio::spawn(async move {
                    let alarm = Alarm::default();
                    let _acting = clock.enter(&alarm).await;
                    let start = clock.now();
                    let _ = entered.send(());
                    for step in steps {
                        assert_eq!(
                            clock.sleep(&alarm, Duration::from_millis(step)).await,
                            Woke::Due
                        );
                        let at = Duration::try_from(clock.now() - start).unwrap_or_default();
                        seen.lock().push((name, at));
                    }
                })
            };
            let a = call("a", vec![3000, 1000, 500]);
            let b = call("b", vec![1000, 3000]);
            if pace == Pace::Manual {
                // Both start at the same instant: time stands still until it is advanced.
                for _ in 0..2 {
                    entering.recv().await.expect("a call entered");
                }
                clock
                    .advance(Duration::from_secs(10))
                    .await
                    .expect("manual");
            }
            a.await.expect("a");
            b.await.expect("b");
            seen.lock().clone()
        })
    }

    fn of(seen: &[(&'static str, Duration)], call: &str) -> Vec<Duration> {
        seen.iter()
            .filter(|(name, _)| *name == call)
            .map(|(_, at)| *at)
            .collect()
    }

    #[test]
    fn each_call_s_waits_add_up_exactly_at_any_speed() {
        let seen = interleave(Pace::Speed(1000.0));
        let ms = |ms: &[u64]| {
            ms.iter()
                .map(|&ms| Duration::from_millis(ms))
                .collect::<Vec<_>>()
        };
        assert_eq!(of(&seen, "a"), ms(&[3000, 4000, 4500]));
        assert_eq!(of(&seen, "b"), ms(&[1000, 4000]));
    }

    #[test]
    fn calls_act_in_order_of_simulated_time() {
        let secs = |ms| Duration::from_millis(ms);
        let expected = vec![
            ("b", secs(1000)),
            ("a", secs(3000)),
            // Both due at 4 s: b set its alarm first (at 1 s, a at 3 s).
            ("b", secs(4000)),
            ("a", secs(4000)),
            ("a", secs(4500)),
        ];
        assert_eq!(interleave(Pace::Manual), expected);
    }

    #[test]
    fn a_woken_call_acts_at_the_moment_it_was_woken() {
        runtime().block_on(async {
            let clock = Clock::new(Pace::Manual);
            tokio::spawn(clock.clone().drive(never_stop()));
            let alarm = Arc::new(Alarm::default());
            let start = clock.now();
            let (entered, entering) = oneshot::channel();
            let sleeper = {
                let (clock, alarm) = (clock.clone(), Arc::clone(&alarm));
                tokio::spawn(async move {
                    let _acting = clock.enter(&alarm).await;
                    let _ = entered.send(());
                    let woke = clock.sleep(&alarm, Duration::from_secs(60)).await;
                    (woke, clock.now())
                })
            };
            entering.await.expect("the sleeper entered");
            // Returns once the sleeper is asleep.
            clock.advance(Duration::from_secs(5)).await.expect("manual");
            clock.wake(&alarm);
            let (woke, at) = sleeper.await.expect("the sleeper");
            assert_eq!(woke, Woke::Early);
            assert_eq!(at - start, time::Duration::seconds(5));
        });
    }

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        runtime().block_on(async {
            let clock = Clock::new(Pace::Manual);
            tokio::spawn(clock.clone().drive(never_stop()));
            let start = clock.now();
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert_eq!(clock.now(), start);
            clock
                .advance(Duration::from_millis(2500))
                .await
                .expect("manual");
            assert_eq!(clock.now() - start, time::Duration::milliseconds(2500));
        });
    }

    #[test]
    fn extreme_speeds_saturate_instead_of_panicking() {
        assert_eq!(to_wall(Duration::from_secs(1), 1e-300), Duration::MAX);
        assert_eq!(scale(Duration::MAX, 1e300), Duration::MAX);
        let clock = Clock::new(Pace::Manual);
        assert_eq!(
            clock.at(Duration::MAX),
            time::PrimitiveDateTime::MAX.assume_utc()
        );
    }

    #[test]
    fn wall_durations_are_scaled_by_speed() {
        assert_eq!(
            to_wall(Duration::from_secs(10), 100.0),
            Duration::from_millis(100)
        );
    }
}
