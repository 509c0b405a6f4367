//! Lazy auto-pagination over at least three pages, by `next_page_uri` and by `Page + 1`.

use mycpaas_blocking::{Call, Client, CreateCall, Error, ListCalls};
use mycpaas_sim::SimHandle;
use mycpaas_tests::scenarios::{FROM, HANGUP, TO, client, settings, sim};

use crate::seed_proxy::SeedProxy;

fn create_calls(sim: &SimHandle, count: usize) -> Vec<String> {
    let client: Client = client(sim);
    let mut sids: Vec<String> = (0..count)
        .map(|_| {
            client
                .calls()
                .create(CreateCall::new(TO, FROM).twiml(HANGUP))
                .expect("create")
                .sid
        })
        .collect();
    sids.sort();
    sids
}

/// The SIDs of every call `calls` yields, sorted.
fn sorted_sids(calls: impl Iterator<Item = Result<Call, Error>>) -> Vec<String> {
    let mut seen: Vec<String> = calls.map(|call| call.expect("page").sid).collect();
    seen.sort();
    seen
}

#[test]
fn iter_follows_next_page_uri_over_many_pages() {
    let sim = sim();
    let created = create_calls(&sim, 7);
    let client: Client = client(&sim);
    let before = sim.request_count();
    let seen = sorted_sids(client.calls().iter(ListCalls::new().page_size(2), None));
    assert_eq!(seen, created);
    assert_eq!(sim.request_count() - before, 4, "pages of 2, 2, 2, 1");
}

#[test]
fn iter_walks_page_plus_one_without_links() {
    let sim = sim();
    let created = create_calls(&sim, 7);
    let proxy = SeedProxy::start(&sim.base_url());
    let client: Client = settings(&sim, proxy.base_url()).build();
    let first = client
        .calls()
        .list(ListCalls::new().page_size(3))
        .expect("first page");
    assert!(
        first.next_page_uri.is_none() && first.uri.is_none(),
        "seed envelope"
    );
    let seen = sorted_sids(client.calls().iter(ListCalls::new().page_size(3), None));
    assert_eq!(seen, created);
}

#[test]
fn iter_is_lazy_and_honours_the_limit() {
    let sim = sim();
    create_calls(&sim, 9);
    let client: Client = client(&sim);
    let before = sim.request_count();
    let mut calls = client.calls().iter(ListCalls::new().page_size(2), Some(5));
    assert_eq!(
        sim.request_count(),
        before,
        "nothing fetched before the first next()"
    );
    let first = calls.next().expect("one call").expect("page");
    assert!(!first.sid.is_empty());
    assert_eq!(sim.request_count() - before, 1, "one page fetched");
    assert_eq!(calls.count(), 4, "five in total");
    assert_eq!(sim.request_count() - before, 3, "pages of 2, 2, 1");
}

#[test]
fn iter_ends_after_an_error() {
    let sim = sim();
    create_calls(&sim, 3);
    let client: Client = client(&sim);
    sim.faults().inject(mycpaas_sim::Fault::MalformedBody, 1);
    let mut calls = client.calls().iter(ListCalls::new(), None);
    assert!(calls.next().expect("an item").is_err());
    assert!(calls.next().is_none());
}
