//! Benchmarks on a 1,000-verb document (the reference IVR's five verbs, 200 times over): build +
//! write, parse, and the bare quick-xml event loop over the same bytes.
//!
//! Run with `cargo bench -p mycpaas-laml --bench thousand_verbs`; `scripts/bench` runs it and
//! puts its figures in the table of docs/performance.md. The Python benchmark builds the same
//! document with the `twilio` package's generator, so the two rows compare like with like.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mycpaas_laml::{Gather, GatherInput, Method, Pause, Play, Redirect, Response, Say, Voice};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// How many times the reference IVR's five verbs are repeated.
const ROUNDS: usize = 200;

/// Say, Gather holding a Say, Play, Pause, Redirect: repeated [`ROUNDS`] times.
fn thousand_verb_document() -> Response {
    let mut doc = Response::new();
    for _ in 0..ROUNDS {
        doc = doc
            .say(
                Say::new("Welcome to Example Corp.")
                    .voice(Voice::Alice)
                    .language("en-US"),
            )
            .gather(
                Gather::new()
                    .input([GatherInput::Dtmf, GatherInput::Speech])
                    .action("/menu")
                    .num_digits(1)
                    .timeout(5)
                    .say("Press 1 for sales, 2 for support."),
            )
            .play(Play::new("https://example.com/hold.mp3").loop_count(2))
            .pause(Pause::new().length(1))
            .redirect(Redirect::new("/start").method(Method::Post));
    }
    doc
}

/// Reads every event, as the cheapest possible consumer of the document would.
fn bare_event_loop(xml: &str) -> usize {
    let mut reader = Reader::from_str(xml);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => return events,
            Ok(event) => {
                black_box(&event);
                events += 1;
            }
        }
    }
}

fn benches(c: &mut Criterion) {
    let built = thousand_verb_document();
    assert_eq!(built.verbs().len(), ROUNDS * 5);
    let xml = built.to_xml();
    assert_eq!(
        mycpaas_laml::parse(&xml).expect("the document parses"),
        built
    );

    let mut group = c.benchmark_group("thousand_verbs");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("build_and_write", |b| {
        b.iter(|| black_box(thousand_verb_document()).to_xml());
    });
    group.bench_function("parse", |b| {
        b.iter(|| mycpaas_laml::parse(black_box(&xml)));
    });
    group.bench_function("quick_xml_event_loop", |b| {
        b.iter(|| bare_event_loop(black_box(&xml)));
    });
    group.finish();
}

criterion_group!(thousand, benches);
criterion_main!(thousand);
