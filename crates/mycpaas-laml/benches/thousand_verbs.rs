//! Benchmarks on a 1,000-verb document (the reference IVR's five verbs, 200 times over): build +
//! write, parse, and the bare quick-xml event loop over the same bytes.
//!
//! Run with `cargo bench -p mycpaas-laml --bench thousand_verbs`; `scripts/bench` runs it and
//! puts its figures in the table of docs/performance.md. The Python benchmark builds the same
//! document with the `twilio` package's generator, so the two rows compare like with like.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mycpaas_laml::Response;

mod common;
use common::{document_group, with_reference_verbs};

/// How many times the reference IVR's five verbs are repeated.
const ROUNDS: usize = 200;

/// Say, Gather holding a Say, Play, Pause, Redirect: repeated [`ROUNDS`] times.
fn thousand_verb_document() -> Response {
    let mut doc = Response::new();
    for _ in 0..ROUNDS {
        doc = with_reference_verbs(doc);
    }
    doc
}

fn benches(c: &mut Criterion) {
    let built = thousand_verb_document();
    assert_eq!(built.verbs().len(), ROUNDS * 5);
    let xml = built.to_xml();
    assert_eq!(
        mycpaas_laml::parse(&xml).expect("the document parses"),
        built
    );

    let mut group = document_group(c, "thousand_verbs", thousand_verb_document, &xml);
    group.bench_function("parse", |b| {
        b.iter(|| mycpaas_laml::parse(black_box(&xml)));
    });
    group.finish();
}

criterion_group!(thousand, benches);
criterion_main!(thousand);
