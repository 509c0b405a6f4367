//! The parse of a 50-call list page, shaped like the simulator's answer to
//! `GET .../Calls.json?PageSize=50` (every field of every call set, about 59 KB): the typed parse
//! (`CallPage`), the page of rows (`CallPage<Row<Call>>`: each call's JSON kept and its `sid`
//! read), and a parse into `serde_json::Value` for scale.
//!
//! Run with `cargo bench -p mycpaas-core --bench page`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mycpaas_core::model::Row;
use mycpaas_core::{Call, CallPage, CallStatus, Direction};
use time::macros::datetime;

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";

/// One call with every field set, as the simulator writes a finished call.
fn call(n: usize) -> Call {
    let sid = format!("CA{n:032x}");
    let base = format!("/2010-04-01/Accounts/{ACCOUNT}/Calls/{sid}");
    let mut call = Call::default();
    call.sid.clone_from(&sid);
    call.account_sid = Some(ACCOUNT.to_owned());
    call.parent_call_sid = Some(format!("CA{:032x}", n + 1000));
    call.to = Some(format!("+1555{n:07}"));
    call.to_formatted = call.to.clone();
    call.from = Some("+15559870000".to_owned());
    call.from_formatted = call.from.clone();
    call.phone_number_sid = Some(format!("PN{n:032x}"));
    call.status = Some(CallStatus::Completed);
    call.direction = Some(Direction::OutboundApi);
    call.date_created = Some(datetime!(2026-04-19 10:00:00 UTC));
    call.date_updated = Some(datetime!(2026-04-19 10:00:44 UTC));
    call.start_time = Some(datetime!(2026-04-19 10:00:01 UTC));
    call.end_time = Some(datetime!(2026-04-19 10:00:44 UTC));
    call.duration = Some(43);
    call.price = Some("-0.03000".to_owned());
    call.price_unit = Some("USD".to_owned());
    call.answered_by = Some("human".to_owned());
    call.api_version = Some("2010-04-01".to_owned());
    call.forwarded_from = Some("+15550001111".to_owned());
    call.caller_name = Some("Example Corp".to_owned());
    call.group_sid = Some(format!("GP{n:032x}"));
    call.queue_time = Some("0".to_owned());
    call.annotation = Some("billing".to_owned());
    let mut links = serde_json::Map::new();
    for name in ["Notifications", "Recordings", "Events"] {
        links.insert(
            name.to_ascii_lowercase(),
            serde_json::Value::String(format!("{base}/{name}.json")),
        );
    }
    call.subresource_uris = Some(links);
    call.uri = Some(format!("{base}.json"));
    call
}

/// The page body, written by core's own serializer.
fn page_body() -> Vec<u8> {
    let path = format!("/2010-04-01/Accounts/{ACCOUNT}/Calls.json");
    let mut page = CallPage::default();
    page.calls = (0..50).map(call).collect();
    page.page = Some(0);
    page.page_size = Some(50);
    page.uri = Some(format!("{path}?PageSize=50&Page=0"));
    page.first_page_uri = page.uri.clone();
    page.next_page_uri = Some(format!("{path}?PageSize=50&Page=1&PageToken=PA{:032x}", 49));
    page.start = Some(0);
    page.end = Some(49);
    serde_json::to_vec(&page).expect("a page serializes")
}

fn benches(c: &mut Criterion) {
    let body = page_body();
    let typed: CallPage = serde_json::from_slice(&body).expect("parses");
    assert_eq!(typed.calls.len(), 50);
    let mut group = c.benchmark_group("page50");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("typed_parse", |b| {
        b.iter(|| {
            let page: CallPage = serde_json::from_slice(black_box(&body)).expect("parses");
            page
        });
    });
    group.bench_function("rows", |b| {
        b.iter(|| {
            let page: CallPage<Row<Call>> =
                serde_json::from_slice(black_box(&body)).expect("parses");
            page
        });
    });
    group.bench_function("json_value", |b| {
        b.iter(|| {
            let value: serde_json::Value =
                serde_json::from_slice(black_box(&body)).expect("parses");
            value
        });
    });
    group.finish();
}

criterion_group!(benches_group, benches);
criterion_main!(benches_group);
