//! The bad-input corpus of `tests/data/`: every case gives a typed error naming the parameter
//! (or the line and column of a document), before any request is sent, without a panic.

use std::panic::{AssertUnwindSafe, catch_unwind};

use mycpaas_core::{Config, Error, Operation};
use mycpaas_laml::{ParseErrorKind, ParseOptions};
use mycpaas_tests::corpus::{self, Built, Case, LamlCase};
use mycpaas_tests::fixtures::{AnyClient, Settings, simulator};

/// The error core gives for a case, before anything could be sent.
fn core_error(case: &Case, config: &Config) -> Option<Error> {
    match case.build() {
        Built::Create(op) => op.build_request(config).err(),
        Built::Update(op) => op.build_request(config).err(),
        Built::List(op) => op.build_request(config).err(),
        Built::Fetch(op) => op.build_request(config).err(),
        Built::Delete(op) => op.build_request(config).err(),
        Built::Config(settings) => settings.build_core().err(),
    }
}

/// The error a client gives for a case.
fn client_error(case: &Case, client: &AnyClient) -> Option<Error> {
    match case.build() {
        Built::Create(op) => client.create(op).err(),
        Built::Update(op) => client.update(op).err(),
        Built::List(op) => client.list(op).err(),
        Built::Fetch(op) => client.fetch(&op.sid).err(),
        Built::Delete(op) => {
            // `DeleteCall` keeps its SID private; the case holds the same text.
            let sid = case
                .set
                .iter()
                .find(|(k, _)| k == "CallSid")
                .and_then(|(_, v)| v.as_ref())
                .and_then(|v| v.as_str())
                .unwrap_or(corpus::BASE_CALL_SID)
                .to_owned();
            drop(op);
            client.delete(&sid).err()
        }
        Built::Config(settings) => match client {
            AnyClient::Blocking(_) => settings.build_blocking().err(),
            AnyClient::Async(..) => settings.build_async().err(),
        },
    }
}

/// Checks one error: `InvalidInput` naming the expected parameter, in `Display` too.
fn check(case: &Case, via: &str, error: Option<Error>) -> Result<(), String> {
    match error {
        Some(Error::InvalidInput { parameter, rule }) if parameter == case.expect => {
            let shown = Error::InvalidInput {
                parameter: parameter.clone(),
                rule: rule.clone(),
            }
            .to_string();
            if shown.contains(&parameter) && !rule.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "{case} via {via}: message does not name the rule: {shown}"
                ))
            }
        }
        Some(other) => Err(format!(
            "{case} via {via}: expected InvalidInput naming {}, got {other:?}",
            case.expect
        )),
        None => Err(format!(
            "{case} via {via}: accepted, expected an error naming {}",
            case.expect
        )),
    }
}

/// Runs `f` for every case, catching panics, and fails with every problem at once.
fn run_all(cases: &[Case], via: &str, f: impl Fn(&Case) -> Option<Error>) {
    let mut problems = Vec::new();
    for case in cases {
        match catch_unwind(AssertUnwindSafe(|| f(case))) {
            Ok(error) => {
                if let Err(problem) = check(case, via, error) {
                    problems.push(problem);
                }
            }
            Err(_) => problems.push(format!("{case} via {via}: PANICKED")),
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} cases failed:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
}

#[test]
fn the_corpus_is_large_and_names_are_unique() {
    let cases = corpus::load_params();
    let documents = corpus::load_laml();
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate case ids");
    println!(
        "bad-input corpus: {} parameter cases, {} LaML documents",
        cases.len(),
        documents.len()
    );
    assert!(cases.len() + documents.len() >= 100);
}

#[test]
fn core_refuses_every_bad_parameter_by_name() {
    let config = Config::builder("AC0123456789abcdef0123456789abcdef", "corpus-token")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("valid config");
    let cases = corpus::load_params();
    run_all(&cases, "core", |case| core_error(case, &config));
    println!("core: {} bad parameters refused", cases.len());
}

#[test]
fn both_clients_refuse_every_bad_parameter_without_sending_a_request() {
    let sim = simulator(8);
    let settings = Settings::for_sim(&sim);
    let cases = corpus::load_params();
    for client in settings.both() {
        run_all(&cases, client.name(), |case| client_error(case, &client));
        // Invalid input never reaches the server.
        assert_eq!(sim.request_count(), 0, "{} sent a request", client.name());
    }
    assert_eq!(sim.calls_created(), 0);
    println!(
        "clients: {} bad parameters refused by each of 2 clients, 0 requests reached the simulator",
        cases.len()
    );
}

/// The parse error kind a corpus directory stands for.
fn expected_kind(directory: &str) -> ParseErrorKind {
    match directory {
        "doctype" => ParseErrorKind::Doctype,
        "entity" => ParseErrorKind::Entity,
        "syntax" => ParseErrorKind::Syntax,
        "root" => ParseErrorKind::Root,
        "unknown-element" => ParseErrorKind::UnknownElement,
        "misplaced-element" => ParseErrorKind::MisplacedElement,
        "unknown-attribute" => ParseErrorKind::UnknownAttribute,
        "invalid-value" => ParseErrorKind::InvalidValue,
        "unexpected-text" => ParseErrorKind::UnexpectedText,
        "forbidden-character" => ParseErrorKind::ForbiddenCharacter,
        other => panic!("no error kind for corpus directory {other}"),
    }
}

fn check_document(case: &LamlCase) -> Result<(), String> {
    let name = &case.name;
    if case.kind == "invalid-utf8" {
        // The parser takes `&str`: bytes that are not UTF-8 cannot reach it, and the decoding
        // step in front of it is where they are refused.
        if std::str::from_utf8(&case.bytes).is_ok() {
            return Err(format!("{name}: is valid UTF-8, the corpus is wrong"));
        }
        // A caller that decodes lossily hands the parser U+FFFD: that must not panic either.
        let lossy = String::from_utf8_lossy(&case.bytes);
        let _ = catch_unwind(|| mycpaas_laml::parse(&lossy))
            .map_err(|_| format!("{name}: PANICKED on the lossy decoding"))?;
        return Ok(());
    }
    let text = std::str::from_utf8(&case.bytes).map_err(|e| format!("{name}: not UTF-8: {e}"))?;
    let expected = expected_kind(&case.kind);
    let outcome =
        catch_unwind(|| mycpaas_laml::parse(text)).map_err(|_| format!("{name}: PANICKED"))?;
    match outcome {
        Ok(_) => Err(format!("{name}: accepted, expected {expected:?}")),
        Err(error) if error.kind() == expected => {
            let shown = error.to_string();
            if error.line() >= 1 && error.column() >= 1 && shown.starts_with("line ") {
                Ok(())
            } else {
                Err(format!("{name}: error without a position: {shown}"))
            }
        }
        Err(error) => Err(format!(
            "{name}: expected {expected:?}, got {:?}: {error}",
            error.kind()
        )),
    }
}

#[test]
fn the_parser_refuses_every_bad_document_with_a_position() {
    let cases = corpus::load_laml();
    let problems: Vec<String> = cases
        .iter()
        .filter_map(|case| check_document(case).err())
        .collect();
    assert!(
        problems.is_empty(),
        "{} of {} documents failed:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
    println!("laml: {} bad documents refused", cases.len());
}

#[test]
fn positions_point_at_the_problem() {
    let xml = "<Response>\n  <Say>one</Say>\n  <Play loop=\"x\">https://example.com/a.mp3</Play>\n</Response>";
    let error = mycpaas_laml::parse(xml).unwrap_err();
    assert_eq!(error.kind(), ParseErrorKind::InvalidValue);
    assert_eq!(error.line(), 3, "{error}");
    assert_eq!(error.element(), Some("Play"));
    assert_eq!(error.attribute(), Some("loop"));
}

#[test]
fn generated_huge_documents_are_refused_by_the_caps() {
    // 10,000 nested elements: refused at the depth cap, no stack overflow.
    let depth = 10_000;
    let deep = format!(
        "<Response>{}{}</Response>",
        "<Gather>".repeat(depth),
        "</Gather>".repeat(depth)
    );
    // (Gather in Gather is refused as soon as the second one opens.)
    let kind = mycpaas_laml::parse(&deep).unwrap_err().kind();
    assert!(
        matches!(
            kind,
            ParseErrorKind::TooDeep | ParseErrorKind::MisplacedElement
        ),
        "{kind:?}"
    );
    // The same inside SSML, where nesting is allowed, and in lenient mode.
    let ssml = format!(
        "<Response><Say>{}hi{}</Say></Response>",
        "<prosody rate=\"slow\">".repeat(depth),
        "</prosody>".repeat(depth)
    );
    assert_eq!(
        mycpaas_laml::parse(&ssml).unwrap_err().kind(),
        ParseErrorKind::TooDeep
    );
    let unknown = format!(
        "<Response>{}{}</Response>",
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    );
    let lenient = ParseOptions::default().lenient(true).parse(&unknown);
    assert_eq!(lenient.unwrap_err().kind(), ParseErrorKind::TooDeep);

    // 100 MB: refused by size before it is read.
    let mut huge = String::with_capacity(100 * 1024 * 1024 + 64);
    huge.push_str("<Response><Say>");
    while huge.len() < 100 * 1024 * 1024 {
        huge.push_str("Hello hello hello hello hello hello hello hello hello hello hello. ");
    }
    huge.push_str("</Say></Response>");
    let error = mycpaas_laml::parse(&huge).unwrap_err();
    assert_eq!(error.kind(), ParseErrorKind::TooLarge, "{error}");
    drop(huge);

    // Many attributes on one element, in lenient mode where unknown names are kept.
    let attributes: Vec<String> = (0..10_000).map(|i| format!("a{i}=\"x\"")).collect();
    let crowded = format!("<Response><Beep {}/></Response>", attributes.join(" "));
    let error = ParseOptions::default()
        .lenient(true)
        .parse(&crowded)
        .unwrap_err();
    assert_eq!(error.kind(), ParseErrorKind::TooManyAttributes);
    println!("laml: 5 generated documents refused (10,000 deep x3, 100 MB, 10,000 attributes)");
}

#[test]
fn bad_documents_sent_inline_fail_the_call_with_the_parsers_position() {
    use mycpaas_core::CreateCall;
    use mycpaas_sim::TimelineEvent;
    use std::time::Duration;

    let sim = simulator(12);
    let settings = Settings::for_sim(&sim);
    let documents: Vec<LamlCase> = corpus::load_laml()
        .into_iter()
        .filter(|case| case.kind != "invalid-utf8")
        .collect();
    let mut refused_before_sending = 0;
    let mut calls = Vec::new();
    for client in settings.both() {
        for (index, case) in documents.iter().enumerate() {
            let text = String::from_utf8(case.bytes.clone()).expect("UTF-8 corpus document");
            let to = format!("+1555{index:07}");
            match client.create(CreateCall::new(&to, "+15550000000").twiml(text)) {
                Ok(call) => calls.push((client.name(), case.name.clone(), call.sid)),
                // Empty or longer than 4000 characters: core refuses it as `Twiml`.
                Err(Error::InvalidInput { parameter, .. }) if parameter == "Twiml" => {
                    refused_before_sending += 1;
                }
                Err(other) => panic!("{} {}: {other:?}", client.name(), case.name),
            }
        }
    }
    let mut problems = Vec::new();
    for (client, name, sid) in &calls {
        let Some(timeline) = sim.wait_for_call(sid, Duration::from_secs(60)) else {
            problems.push(format!("{client} {name}: the call did not end"));
            continue;
        };
        let refused = timeline.entries.iter().any(|entry| {
            matches!(
                &entry.event,
                TimelineEvent::Document { error: Some(error), .. }
                    if error.contains("invalid LaML: line ")
            )
        });
        if !refused {
            problems.push(format!(
                "{client} {name}: no positioned LaML error in {timeline:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!(
        "laml through the clients: {} documents refused by the simulator at run time with a position, {refused_before_sending} refused by core before sending",
        calls.len()
    );
}
