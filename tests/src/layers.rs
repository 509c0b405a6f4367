//! The two Rust clients behind one interface, so a scenario runs unchanged in both: each
//! operation through `execute`, each list walked lazily page by page.

use futures::TryStreamExt;
use mycpaas_core::Result;
use mycpaas_core::ops::{ListOperation, Operation};
use mycpaas_sim::SimHandle;

/// One of the two clients, as the scenarios drive it.
pub trait Layer {
    /// `blocking` or `async`.
    fn name(&self) -> &'static str;
    /// Sends one operation.
    fn run<O>(&self, operation: O) -> Result<O::Output>
    where
        O: Operation + Send + Sync + 'static,
        O::Output: Send;
    /// Every item of `list`, walked lazily page by page.
    fn walk<L>(&self, list: L) -> Result<Vec<L::Item>>
    where
        L: ListOperation + Send + Sync + 'static,
        L::Item: Send + 'static;
}

/// The blocking client.
pub struct Blocking(pub mycpaas_blocking::Client);

impl Layer for Blocking {
    fn name(&self) -> &'static str {
        "blocking"
    }

    fn run<O>(&self, operation: O) -> Result<O::Output>
    where
        O: Operation + Send + Sync + 'static,
        O::Output: Send,
    {
        self.0.execute(&operation)
    }

    fn walk<L>(&self, list: L) -> Result<Vec<L::Item>>
    where
        L: ListOperation + Send + Sync + 'static,
        L::Item: Send + 'static,
    {
        mycpaas_blocking::Pages::<L>::of(self.0.clone(), list, None).collect()
    }
}

/// The async client, on a runtime of its own.
pub struct Async(pub mycpaas_async::Client, pub tokio::runtime::Runtime);

impl Layer for Async {
    fn name(&self) -> &'static str {
        "async"
    }

    fn run<O>(&self, operation: O) -> Result<O::Output>
    where
        O: Operation + Send + Sync + 'static,
        O::Output: Send,
    {
        self.1.block_on(self.0.execute(&operation))
    }

    fn walk<L>(&self, list: L) -> Result<Vec<L::Item>>
    where
        L: ListOperation + Send + Sync + 'static,
        L::Item: Send + 'static,
    {
        let stream = mycpaas_async::stream_of::<L, L::Item>(self.0.clone(), list, None);
        self.1.block_on(stream.try_collect())
    }
}

/// A blocking client of the simulator's account number `account`.
pub fn blocking(sim: &SimHandle, account: usize) -> Blocking {
    let account = &sim.accounts()[account];
    Blocking(
        mycpaas_blocking::Client::builder(account.sid(), account.auth_token())
            .base_url(&sim.base_url())
            .build()
            .expect("a blocking client"),
    )
}

/// An async client of the simulator's account number `account`.
pub fn asynchronous(sim: &SimHandle, account: usize) -> Async {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let account = &sim.accounts()[account];
    let client = mycpaas_async::Client::builder(account.sid(), account.auth_token())
        .base_url(&sim.base_url())
        .build()
        .expect("an async client");
    Async(client, runtime)
}
