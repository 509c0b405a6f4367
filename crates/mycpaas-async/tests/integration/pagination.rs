//! Lazy auto-pagination over at least three pages, by `next_page_uri` and by `Page + 1`.

use futures::{StreamExt, TryStreamExt};
use mycpaas_async::{Client, CreateCall, ListCalls};
use mycpaas_sim::SimHandle;

use mycpaas_tests::scenarios::{FROM, HANGUP, TO, client, settings, sim};

use crate::seed_proxy::SeedProxy;

async fn create_calls(client: &Client, count: usize) -> Vec<String> {
    let mut sids = Vec::new();
    for _ in 0..count {
        let call = client
            .calls()
            .create(CreateCall::new(TO, FROM).twiml(HANGUP))
            .await
            .expect("create");
        sids.push(call.sid);
    }
    sids.sort();
    sids
}

async fn all_sids(client: &Client, list: ListCalls, limit: Option<usize>) -> Vec<String> {
    let mut sids: Vec<String> = client
        .calls()
        .stream(list, limit)
        .map_ok(|call| call.sid)
        .try_collect()
        .await
        .expect("every page");
    sids.sort();
    sids
}

fn requests(sim: &SimHandle) -> usize {
    sim.request_count()
}

#[tokio::test]
async fn stream_follows_next_page_uri_over_many_pages() {
    let sim = sim();
    let client: Client = client(&sim);
    let created = create_calls(&client, 7).await;
    let before = requests(&sim);
    assert_eq!(
        all_sids(&client, ListCalls::new().page_size(2), None).await,
        created
    );
    assert_eq!(requests(&sim) - before, 4, "pages of 2, 2, 2, 1");
}

#[tokio::test]
async fn stream_walks_page_plus_one_without_links() {
    let sim = sim();
    let created = create_calls(&client::<Client>(&sim), 7).await;
    let proxy = SeedProxy::start(&sim.base_url());
    let client = settings(&sim, proxy.base_url()).build::<Client>();
    assert_eq!(
        all_sids(&client, ListCalls::new().page_size(3), None).await,
        created
    );
}

#[tokio::test]
async fn stream_is_lazy_and_honours_the_limit() {
    let sim = sim();
    let client: Client = client(&sim);
    create_calls(&client, 9).await;
    let before = requests(&sim);
    let calls = client
        .calls()
        .stream(ListCalls::new().page_size(2), Some(5));
    let mut calls = std::pin::pin!(calls);
    assert_eq!(requests(&sim), before, "nothing fetched before polling");
    calls.next().await.expect("one call").expect("page");
    assert_eq!(requests(&sim) - before, 1);
    let rest: Vec<_> = calls.collect().await;
    assert_eq!(rest.len(), 4, "five in total");
    assert_eq!(requests(&sim) - before, 3, "pages of 2, 2, 1");
}

#[tokio::test]
async fn stream_ends_after_an_error() {
    let sim = sim();
    let client: Client = client(&sim);
    create_calls(&client, 3).await;
    sim.faults().inject(mycpaas_sim::Fault::MalformedBody, 1);
    let items: Vec<_> = client
        .calls()
        .stream(ListCalls::new(), None)
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert!(items[0].is_err());
}
