//! Benchmarks on the reference IVR document: build + write, parse, and a bare quick-xml event
//! loop over the same bytes (the yardstick for parse speed: reading every event of a general
//! XML reader, building nothing).
//!
//! Run with `cargo bench -p mycpaas-laml --bench laml`; the parse/loop ratio is reported in
//! docs/laml.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mycpaas_laml::Response;

mod common;
use common::{bare_event_loop, with_reference_verbs};

/// Say (alice, en-US), Gather (dtmf speech, action, numDigits 1, timeout 5) holding a Say,
/// Play with loop 2, Pause length 1, Redirect with method POST.
fn reference_document() -> Response {
    with_reference_verbs(Response::new())
}

fn benches(c: &mut Criterion) {
    let xml = reference_document().to_xml();
    assert_eq!(
        mycpaas_laml::parse(&xml).expect("reference parses"),
        reference_document()
    );

    let mut group = c.benchmark_group("reference_ivr");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("build_and_write", |b| {
        b.iter(|| black_box(reference_document()).to_xml());
    });
    let built = reference_document();
    group.bench_function("build_only", |b| {
        b.iter(reference_document);
    });
    group.bench_function("write_only", |b| {
        b.iter(|| black_box(&built).to_xml());
    });
    // The event loop builds nothing, so it frees nothing: the parsed document is dropped
    // outside the timing, as a caller keeps it. `parse_and_drop` times both together.
    group.bench_function("parse", |b| {
        b.iter_with_large_drop(|| mycpaas_laml::parse(black_box(&xml)));
    });
    group.bench_function("parse_and_drop", |b| {
        b.iter(|| mycpaas_laml::parse(black_box(&xml)));
    });
    group.bench_function("quick_xml_event_loop", |b| {
        b.iter(|| bare_event_loop(black_box(&xml)));
    });
    group.finish();
}

criterion_group!(laml, benches);
criterion_main!(laml);
