//! One cloned client shared by many tasks.

use futures::TryStreamExt;
use mycpaas_async::{Client, CreateCall, ListCalls};
use mycpaas_tests::scenarios::{FROM, HANGUP, TO, client, sim};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_creates_are_all_accounted_for() {
    const CALLS: usize = 1000;
    let sim = sim();
    let client: Client = client(&sim);
    let tasks: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .calls()
                    .create(CreateCall::new(TO, FROM).twiml(HANGUP))
                    .await
            })
        })
        .collect();
    let mut created = Vec::with_capacity(CALLS);
    for task in tasks {
        created.push(task.await.expect("task").expect("create").sid);
    }
    created.sort();
    created.dedup();
    assert_eq!(created.len(), CALLS, "every create returned its own call");
    assert_eq!(sim.calls_created(), CALLS);

    let mut listed: Vec<String> = client
        .calls()
        .stream(ListCalls::new().page_size(1000), None)
        .map_ok(|call| call.sid)
        .try_collect()
        .await
        .expect("list");
    listed.sort();
    assert_eq!(listed, created, "every call is listed once");
}
