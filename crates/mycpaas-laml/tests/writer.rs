//! The writer: escaping, forbidden characters, destinations, indentation.

use mycpaas_laml::*;

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

#[test]
fn escapes_markup_characters() {
    let doc =
        Response::new().say(Say::new(r#"Tom & "Jerry" <3 > 2 ]]>"#).language("a\"b&c<d>\n\te\r"));
    assert_eq!(
        doc.to_xml(),
        format!(
            "{DECL}<Response><Say language=\"a&quot;b&amp;c&lt;d&gt;&#10;&#9;e&#13;\">Tom &amp; \"Jerry\" &lt;3 &gt; 2 ]]&gt;</Say></Response>"
        )
    );
    assert_eq!(parse(&doc.to_xml()).unwrap(), doc);
}

#[test]
fn forbidden_characters_are_refused_by_fallible_writers() {
    let doc = Response::new()
        .say("bell\u{7}")
        .play(Play::new("x").digits("1\u{FFFE}"));
    let error = doc.try_to_xml().unwrap_err();
    assert_eq!(
        error,
        WriteError::ForbiddenCharacter {
            element: "Say".into(),
            attribute: None,
            character: '\u{7}'
        }
    );
    assert_eq!(
        error.to_string(),
        "element `Say`, text: character U+0007 is not allowed in XML 1.0"
    );
    let mut sink = Vec::new();
    assert_eq!(doc.write_to(&mut sink), Err(error));
    assert!(sink.is_empty(), "nothing is written when refused");

    let attribute_error = Response::new()
        .play(Play::new("x").digits("1\u{FFFE}"))
        .try_to_xml_pretty()
        .unwrap_err();
    assert!(matches!(
        attribute_error,
        WriteError::ForbiddenCharacter { ref attribute, .. } if attribute.as_deref() == Some("digits")
    ));
}

#[test]
fn infallible_writers_leave_forbidden_characters_out_and_validation_reports_them() {
    let doc = Response::new().say("bell\u{7}!");
    assert_eq!(
        doc.to_xml(),
        format!("{DECL}<Response><Say>bell!</Say></Response>")
    );
    assert_eq!(doc.to_string(), doc.to_xml());
    let found = doc.validate();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Error);
    assert!(found[0].message.contains("U+0007"), "{}", found[0].message);
}

/// A destination that always fails.
struct Broken;
impl std::io::Write for Broken {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "gone"))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn writes_into_any_io_write() {
    let doc = Response::new().say("Hello").hangup();
    let mut out = Vec::new();
    doc.write_to(&mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), doc.to_xml());

    let error = doc.write_to(&mut Broken).unwrap_err();
    assert!(matches!(
        error,
        WriteError::Io {
            kind: std::io::ErrorKind::BrokenPipe,
            ..
        }
    ));
}

#[test]
fn pretty_output_keeps_say_content_on_one_line() {
    let doc = Response::new()
        .say(Say::new("a ").ssml(Emphasis::new().text("b")).text(" c"))
        .dial(
            Dial::new()
                .bare_number("+15550001111")
                .number("+15550002222"),
        );
    assert_eq!(
        doc.to_xml_pretty(),
        format!(
            "{DECL}\n<Response>\n  <Say>a <emphasis>b</emphasis> c</Say>\n  <Dial>+15550001111\n    <Number>+15550002222</Number>\n  </Dial>\n</Response>\n"
        )
    );
    assert_eq!(parse(&doc.to_xml_pretty()).unwrap(), doc);
}

#[test]
fn unknown_attributes_are_merged_in_alphabetical_order() {
    let doc = Response::new().play(
        Play::new("a.mp3")
            .loop_count(2)
            .unknown_attribute("zeta", "1")
            .unknown_attribute("beta", "2"),
    );
    assert_eq!(
        doc.to_xml(),
        format!(r#"{DECL}<Response><Play beta="2" loop="2" zeta="1">a.mp3</Play></Response>"#)
    );
}

#[test]
fn sip_password_is_written_but_not_debug_printed() {
    let sip = Sip::new("sip:a@example.com").password("hunter2");
    assert!(!format!("{sip:?}").contains("hunter2"));
    let doc = Response::new().dial(Dial::new().sip(sip));
    assert!(doc.to_xml().contains(r#"password="hunter2""#));
    assert!(!format!("{doc:?}").contains("hunter2"));
}

/// What cannot be written well-formed, wherever it is kept: the fallible writers refuse it
/// with a typed error (and `write_to` writes nothing), the infallible ones leave it out, so
/// their output always parses, and validation reports it.
#[test]
fn names_that_are_not_xml_names_and_repeated_attributes_are_never_written() {
    let bad_element = || UnknownElement::new("a;b").attribute("x", "1");
    let invalid_element = WriteError::InvalidName {
        element: "a;b".into(),
        attribute: None,
    };
    let cases = [
        (Response::new().verb(bad_element()), invalid_element.clone()),
        (
            Response::new().gather(
                Gather::new()
                    .say("x")
                    .child(GatherChild::Unknown(bad_element())),
            ),
            invalid_element.clone(),
        ),
        (
            Response::new().say(Say::new("x").ssml(SsmlNode::Unknown(bad_element()))),
            invalid_element.clone(),
        ),
        (
            Response::new().verb(UnknownElement::new("Beep").child(bad_element())),
            invalid_element.clone(),
        ),
        (
            Response::new().say(Say::new("Hi").unknown_attribute("v&l", "1")),
            WriteError::InvalidName {
                element: "Say".into(),
                attribute: Some("v&l".into()),
            },
        ),
        (
            Response::new().verb(UnknownElement::new("Beep").attribute("", "1")),
            WriteError::InvalidName {
                element: "Beep".into(),
                attribute: Some(String::new()),
            },
        ),
        (
            Response::new().play(
                Play::new("a.mp3")
                    .loop_count(2)
                    .unknown_attribute("loop", "3"),
            ),
            WriteError::DuplicateAttribute {
                element: "Play".into(),
                attribute: "loop".into(),
            },
        ),
        (
            Response::new().verb(
                UnknownElement::new("Beep")
                    .attribute("a", "1")
                    .attribute("a", "2"),
            ),
            WriteError::DuplicateAttribute {
                element: "Beep".into(),
                attribute: "a".into(),
            },
        ),
    ];
    let lenient = ParseOptions::default().lenient(true);
    for (doc, expected) in cases {
        assert_eq!(doc.try_to_xml(), Err(expected.clone()), "{doc:?}");
        assert_eq!(doc.try_to_xml_pretty(), Err(expected.clone()), "{doc:?}");
        let mut sink = Vec::new();
        assert_eq!(doc.write_to(&mut sink), Err(expected.clone()));
        assert!(sink.is_empty(), "nothing is written when refused");
        for xml in [doc.to_xml(), doc.to_xml_pretty(), doc.to_string()] {
            lenient.parse(&xml).unwrap_or_else(|e| panic!("{xml}: {e}"));
        }
        let message = expected.to_string();
        assert!(
            doc.validate()
                .iter()
                .any(|d| d.severity == Severity::Error && d.message == message),
            "{doc:?}: {message}"
        );
    }
    assert_eq!(
        invalid_element.to_string(),
        "element name: `a;b` is not an XML name: `;` cannot appear in a name"
    );
    // What is left out: the element with its content, or the attribute; the rest stays.
    let doc = Response::new().hangup().verb(bad_element()).play(
        Play::new("a.mp3")
            .loop_count(2)
            .unknown_attribute("loop", "3")
            .unknown_attribute("v&l", "1"),
    );
    assert_eq!(
        doc.to_xml(),
        format!(r#"{DECL}<Response><Hangup/><Play loop="2">a.mp3</Play></Response>"#)
    );
}
