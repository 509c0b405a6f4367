//! Benchmarks on the reference IVR document: build + write, parse, and a bare quick-xml event
//! loop over the same bytes (the yardstick for parse speed: reading every event of a general
//! XML reader, building nothing).
//!
//! Run with `cargo bench -p mycpaas-laml --bench laml`; the parse/loop ratio is reported in
//! docs/laml.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mycpaas_laml::Response;

mod common;
use common::{document_group, with_reference_verbs};

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

    let mut group = document_group(c, "reference_ivr", reference_document, &xml);
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
    group.finish();
}

criterion_group!(laml, benches);
criterion_main!(laml);
