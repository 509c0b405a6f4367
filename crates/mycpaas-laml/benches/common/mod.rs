//! What the LaML benches share: the reference IVR's verbs and the bare quick-xml event loop
//! they are measured against. The fixture test `reference_ivr_document` includes this file too,
//! so the document the benches time is the one whose XML the tests pin.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput};
use mycpaas_laml::{Gather, GatherInput, Method, Pause, Play, Redirect, Response, Say, Voice};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Appends the reference IVR's five verbs to `doc`: Say (alice, en-US), Gather (dtmf speech,
/// action, numDigits 1, timeout 5) holding a Say, Play with loop 2, Pause length 1, Redirect
/// with method POST.
pub fn with_reference_verbs(doc: Response) -> Response {
    doc.say(
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
    .redirect(Redirect::new("/start").method(Method::Post))
}

/// Reads every event, as the cheapest possible consumer of the document would.
#[allow(
    dead_code,
    reason = "the fixture test that includes this file does not time anything"
)]
pub fn bare_event_loop(xml: &str) -> usize {
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

/// Opens the bench group `name` over `xml` (throughput in its bytes) with the two timings every
/// LaML bench reports: `build_and_write` (the document `build` makes, written out) and
/// `quick_xml_event_loop` (the yardstick for parsing `xml`). The caller adds its own timings and
/// finishes the group.
#[allow(
    dead_code,
    reason = "the fixture test that includes this file does not time anything"
)]
pub fn document_group<'a>(
    c: &'a mut Criterion,
    name: &str,
    build: fn() -> Response,
    xml: &str,
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("build_and_write", |b| {
        b.iter(|| black_box(build()).to_xml());
    });
    group.bench_function("quick_xml_event_loop", |b| {
        b.iter(|| bare_event_loop(black_box(xml)));
    });
    group
}
