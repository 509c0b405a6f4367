//! The handle of a running simulator: its address and credentials, scripting,
//! timelines, faults, live events, shutdown.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

use crate::accounts::Account;
use crate::background::BackgroundRuntime;
use crate::clock::Pace;
use crate::faults::FaultInjector;
use crate::input::{GatherInput, InvalidDigits};
use crate::state::SimState;
use crate::timeline::{SimEvent, Timeline};

/// A running simulator. Cheap to clone (clones share it); `Send + Sync`.
/// The simulator shuts down when [`SimHandle::shutdown`] is called or the last clone is dropped.
#[derive(Clone)]
pub struct SimHandle {
    inner: Arc<HandleInner>,
}

struct HandleInner {
    state: Arc<SimState>,
    server: Mutex<Option<JoinHandle<()>>>,
    runtime: Mutex<Option<BackgroundRuntime>>,
}

impl Drop for HandleInner {
    fn drop(&mut self) {
        let _ = self.state.shutdown.send(true);
        // Dropping the runtime (background variant) stops every task without blocking.
        drop(self.runtime.lock().take());
    }
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("base_url", &self.inner.state.base_url)
            .field("accounts", &self.inner.state.accounts.all())
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    pub(crate) fn new(state: Arc<SimState>, server: JoinHandle<()>) -> Self {
        Self {
            inner: Arc::new(HandleInner {
                state,
                server: Mutex::new(Some(server)),
                runtime: Mutex::new(None),
            }),
        }
    }

    pub(crate) fn adopt_runtime(&self, runtime: BackgroundRuntime) {
        *self.inner.runtime.lock() = Some(runtime);
    }

    fn state(&self) -> &SimState {
        &self.inner.state
    }

    /// `http://127.0.0.1:PORT`: the base URL to give an SDK client.
    pub fn base_url(&self) -> String {
        self.state().base_url.clone()
    }

    /// The first account's SID.
    pub fn account_sid(&self) -> String {
        self.first_account().sid().to_owned()
    }

    /// The first account's auth token.
    pub fn auth_token(&self) -> String {
        self.first_account().auth_token().to_owned()
    }

    fn first_account(&self) -> &Account {
        // The builder always leaves at least one account.
        &self.state().accounts.all()[0]
    }

    /// Every account of the simulator.
    pub fn accounts(&self) -> Vec<Account> {
        self.state().accounts.all().to_vec()
    }

    /// Simulated seconds per wall second while calls wait; `None` for a
    /// [manual clock](crate::SimulatorBuilder::manual_clock).
    pub fn speed(&self) -> Option<f64> {
        match self.state().clock.pace() {
            Pace::Speed(speed) => Some(speed),
            Pace::Manual => None,
        }
    }

    /// The simulated now: every call's times, and the dates of what the API creates, are read
    /// from this one clock.
    pub fn now(&self) -> time::OffsetDateTime {
        self.state().clock.now()
    }

    /// Moves a [manual clock](crate::SimulatorBuilder::manual_clock) `by` forward: every wait due
    /// on the way ends, in order, and each call acts in turn (its webhooks answered). Returns once
    /// every call waits again (or has ended) at the new now; blocks the calling thread meanwhile
    /// (in async code, use [`SimHandle::advance_async`]).
    ///
    /// A simulator paced by speed refuses: its time moves by itself.
    pub fn advance(&self, by: Duration) -> Result<(), crate::ClockIsPaced> {
        futures::executor::block_on(self.advance_async(by))
    }

    /// [`SimHandle::advance`], awaited.
    pub async fn advance_async(&self, by: Duration) -> Result<(), crate::ClockIsPaced> {
        self.state().clock.advance(by).await
    }

    /// Places an inbound call from `from` to `to`, one of an account's numbers
    /// (IncomingPhoneNumbers): it runs the number's voice URL (or its application's) with
    /// `Direction=inbound`, and its status callbacks go to the number's `StatusCallback`.
    /// Returns the call's SID; the caller's `<Gather>` input is scripted under `from`.
    ///
    /// ```
    /// use mycpaas_sim::Simulator;
    ///
    /// let sim = Simulator::builder().start_in_background()?;
    /// assert!(sim.call_in("+14155550100", "+15551230000").is_err()); // no account holds it
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn call_in(&self, to: &str, from: &str) -> Result<String, crate::CallInError> {
        let state = Arc::clone(&self.inner.state);
        let (to, from) = (to.to_owned(), from.to_owned());
        // The call runs on the simulator's runtime: its own, or the caller's.
        if tokio::runtime::Handle::try_current().is_ok() {
            return crate::inbound::call_in(&state, &to, &from, None);
        }
        match self.inner.runtime.lock().as_ref() {
            Some(runtime) => runtime
                .run(async move { crate::inbound::call_in(&state, &to, &from, None) })
                .map_err(|e| crate::CallInError::NothingToRun(e.to_string()))?,
            None => Err(crate::CallInError::NothingToRun(
                "this simulator runs on the caller's runtime: call from inside it".to_owned(),
            )),
        }
    }

    /// Queues input for the next `<Gather>` of a call: `key` is a call SID (that call
    /// only) or the other party's number (every call to or from it, in order: the callee of an
    /// outbound call, the caller of an inbound one). A call's own queue is used before its
    /// number's; with nothing queued, the other party stays silent.
    ///
    /// Digits that a phone cannot send are refused ([`GatherInput::check`]) and nothing is
    /// queued.
    pub fn script_input(&self, key: &str, input: GatherInput) -> Result<(), InvalidDigits> {
        input.check()?;
        self.state().inputs.push(key, input);
        Ok(())
    }

    /// Scripts how every later `<Dial>` leg to `script.number` (a `<Number>`, a `<Sip>` URI or a
    /// bare number, as the dial writes it) goes, until the number is scripted again: it answers
    /// after `RingFor` simulated seconds and hangs up `HangUpAfter` seconds later, or is busy or
    /// fails after `RingFor` seconds, or rings until the dial's `timeout`. A number with no script
    /// goes as the magic numbers say ([`crate::magic`]); any other answers after 2 s and talks
    /// 10 s. What the callee presses at a whisper's `<Gather>` is the number's scripted input
    /// ([`SimHandle::script_input`]). The request is checked by its `validate()` first.
    ///
    /// ```
    /// use mycpaas_core::{ScriptCallee, SimCalleeAnswer};
    /// use mycpaas_sim::Simulator;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = Simulator::builder().start_in_background()?;
    /// sim.script_callee(&ScriptCallee::new("+15551230001").answer(SimCalleeAnswer::Busy))?;
    /// sim.script_callee(&ScriptCallee::new("+15551230002").ring_for(3).hang_up_after(20))?;
    /// assert!(sim.script_callee(&ScriptCallee::new("+15551230003").ring_for(601)).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn script_callee(
        &self,
        script: &mycpaas_core::ScriptCallee,
    ) -> Result<(), mycpaas_core::Error> {
        script.validate()?;
        self.state().callees.script(script);
        Ok(())
    }

    /// Queues the text of the next transcription of a `<Record transcribe="true">`: `key` is a
    /// call SID or the other party's number, as for [`SimHandle::script_input`]. Without one, a
    /// transcription says "Hello, this is a message recorded on the simulator."
    pub fn script_transcription(&self, key: &str, text: impl Into<String>) {
        self.state().transcripts.push(key, text.into());
    }

    /// The call's timeline so far, or `None` for an unknown (or deleted) call.
    pub fn timeline(&self, call_sid: &str) -> Option<Timeline> {
        let call = self.state().calls.get(call_sid)?;
        let timeline = call.inner.lock().timeline();
        Some(timeline)
    }

    /// Blocks until the call has ended and each of its status callbacks was delivered
    /// or given up, then returns its timeline; `None` on timeout or for an unknown call.
    ///
    /// Blocks the current thread: from async code use [`SimHandle::wait_for_call_async`].
    pub fn wait_for_call(&self, call_sid: &str, timeout: Duration) -> Option<Timeline> {
        self.state().calls.wait_settled_blocking(call_sid, timeout)
    }

    /// [`SimHandle::wait_for_call`] for async code.
    pub async fn wait_for_call_async(&self, call_sid: &str, timeout: Duration) -> Option<Timeline> {
        self.state().calls.wait_settled(call_sid, timeout).await
    }

    /// How many calls were created through the API (deleted ones included).
    pub fn calls_created(&self) -> usize {
        self.state().calls_created.load(Ordering::Relaxed)
    }

    /// The most recent API requests (up to [`crate::REQUEST_LOG_LIMIT`]), oldest first: each
    /// with the `X-Request-Id` it was answered with and the client's `X-Client-Request-Id`.
    pub fn requests(&self) -> Vec<crate::SeenRequest> {
        self.state().requests.all()
    }

    /// How many requests reached the Calls API (any outcome, authenticated or not).
    pub fn request_count(&self) -> usize {
        self.state().api_requests.load(Ordering::Relaxed)
    }

    /// The fault injector of this simulator.
    pub fn faults(&self) -> FaultInjector {
        self.state().faults.clone()
    }

    /// Subscribes to live call events (status changes, documents, verbs, callbacks).
    /// A subscriber that falls far behind misses events (`RecvError::Lagged`); the
    /// timelines keep everything.
    pub fn events(&self) -> broadcast::Receiver<SimEvent> {
        self.state().events.subscribe()
    }

    /// What `mycpaas-sim` prints at start: the base URL and the credentials.
    pub fn banner(&self) -> String {
        let pace = match self.speed() {
            Some(speed) => format!("speed x{speed}"),
            None => "manual clock".to_owned(),
        };
        let mut text = format!(
            "mycpaas simulator listening on {} ({pace})\n",
            self.base_url()
        );
        for account in self.state().accounts.all() {
            let _ = writeln!(
                text,
                "  account sid: {}\n  auth token:  {}",
                account.sid(),
                account.auth_token()
            );
        }
        let _ = writeln!(
            text,
            "  export MYCPAAS_BASE_URL={} MYCPAAS_ACCOUNT_SID={} MYCPAAS_AUTH_TOKEN={}",
            self.base_url(),
            self.account_sid(),
            self.auth_token()
        );
        text
    }

    /// Becomes `true` when the simulator shuts down.
    pub(crate) fn shutdown_signal(&self) -> tokio::sync::watch::Receiver<bool> {
        self.state().shutdown.subscribe()
    }

    /// Runs `future` on the simulator's own runtime (one started in the background) and waits
    /// for it.
    pub(crate) fn run_in_background<F>(&self, future: F) -> std::io::Result<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self.inner.runtime.lock().as_ref() {
            Some(runtime) => runtime.run(future),
            None => Err(std::io::Error::other(
                "this simulator runs on the caller's runtime: use serve_async",
            )),
        }
    }

    /// Stops accepting connections, lets open requests finish, and stops running calls.
    pub fn shutdown(&self) {
        let _ = self.state().shutdown.send(true);
    }

    /// [`SimHandle::shutdown`], then waits until the server loop has exited (async).
    pub async fn shutdown_and_wait(&self) {
        self.shutdown();
        let task = self.inner.server.lock().take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}
