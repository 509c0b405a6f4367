//! What the parser refuses, and how it says so: position, element, attribute and rule.

use mycpaas_laml::*;

fn err(xml: &str) -> ParseError {
    parse(xml).expect_err("the document must be refused")
}

#[test]
fn unknown_element_is_named_with_its_position() {
    let e = err("<Response>\n  <Say>Hi</Say>\n  <play>x.mp3</play>\n</Response>");
    assert_eq!(e.kind(), ParseErrorKind::UnknownElement);
    assert_eq!((e.line(), e.column()), (3, 3));
    assert_eq!(e.element(), Some("play"));
    let message = e.to_string();
    assert!(
        message.starts_with("line 3, column 3: element `play`"),
        "{message}"
    );
    assert!(message.contains("case-sensitive"), "{message}");
}

#[test]
fn unknown_attribute_names_element_attribute_and_allowed_ones() {
    let e = err(r#"<Response><Pause length="1" volume="3"/></Response>"#);
    assert_eq!(e.kind(), ParseErrorKind::UnknownAttribute);
    assert_eq!(e.element(), Some("Pause"));
    assert_eq!(e.attribute(), Some("volume"));
    assert_eq!(e.column(), 29);
    assert!(e.rule().contains("allowed: length"), "{e}");
}

#[test]
fn invalid_values_name_the_rule() {
    let cases = [
        (r#"<Gather numDigits="-1"/>"#, "numDigits", "whole number"),
        (
            r#"<Gather numDigits="99999999999"/>"#,
            "numDigits",
            "too large",
        ),
        (
            r#"<Gather method="PUT"/>"#,
            "method",
            "expected one of: GET POST",
        ),
        (r#"<Gather input="dtmf touch"/>"#, "input", "dtmf speech"),
        (
            r#"<Gather profanityFilter="yes"/>"#,
            "profanityFilter",
            "true or false",
        ),
        (r#"<Gather speechTimeout="soon"/>"#, "speechTimeout", "auto"),
        (r#"<Reject reason="nope"/>"#, "reason", "rejected busy"),
        (r#"<Say><break time="2 s"/></Say>"#, "time", "500ms"),
        (r#"<Say><prosody volume="+x"/></Say>"#, "volume", "dB"),
    ];
    for (verb, attribute, rule) in cases {
        let e = err(&format!("<Response>{verb}</Response>"));
        assert_eq!(e.kind(), ParseErrorKind::InvalidValue, "{verb}");
        assert_eq!(e.attribute(), Some(attribute), "{verb}");
        assert!(e.rule().contains(rule), "{verb}: {e}");
    }
}

#[test]
fn forbidden_nesting_is_refused() {
    let e = err("<Response><Gather><Dial>+1555</Dial></Gather></Response>");
    assert_eq!(e.kind(), ParseErrorKind::MisplacedElement);
    assert_eq!(e.element(), Some("Dial"));
    assert!(e.rule().contains("Say, Play, Pause"), "{e}");

    let e = err("<Response><Dial><Say>hi</Say></Dial></Response>");
    assert_eq!(e.kind(), ParseErrorKind::MisplacedElement);

    let e = err("<Response><Say><w><w>x</w></w></Say></Response>");
    assert_eq!(e.kind(), ParseErrorKind::MisplacedElement);
    assert!(e.rule().contains("inside `w`"), "{e}");

    let e = err("<Response><Play>a<b/></Play></Response>");
    assert_eq!(e.kind(), ParseErrorKind::MisplacedElement);

    let e = err("<Response><Hangup><Say>x</Say></Hangup></Response>");
    assert_eq!(e.kind(), ParseErrorKind::MisplacedElement);

    let e = err("<Response><Refer><Sip>sip:a@b</Sip><Sip>sip:c@d</Sip></Refer></Response>");
    assert!(e.rule().contains("exactly one"), "{e}");
}

#[test]
fn root_rules() {
    assert_eq!(err("").kind(), ParseErrorKind::Root);
    assert_eq!(err("<response/>").kind(), ParseErrorKind::Root);
    assert_eq!(err("<Response/><Response/>").kind(), ParseErrorKind::Root);
    assert_eq!(
        err("hello <Response/>").kind(),
        ParseErrorKind::UnexpectedText
    );
    assert_eq!(
        err("<Response>stray</Response>").kind(),
        ParseErrorKind::UnexpectedText
    );
    assert!(parse("\n <!-- a comment --> <Response/>\n<?pi x?>\n").is_ok());
    assert!(parse("<?xml version='1.0' encoding='UTF-8'?><Response/>").is_ok());
    for declaration in [
        r#"<?xml encoding="UTF-8"?>"#,
        "<?xml?>",
        r#"<?xml version="2"?>"#,
    ] {
        let e = err(&format!("{declaration}<Response/>"));
        assert!(e.rule().contains("version 1.0"), "{declaration}: {e}");
    }
}

#[test]
fn malformed_xml_is_a_syntax_error_with_position() {
    let e = err("<Response>\n<Say>hi</Play></Response>");
    assert_eq!(e.kind(), ParseErrorKind::Syntax);
    assert_eq!(e.line(), 2);
    assert_eq!(
        err("<Response><Say>hi</Say>").kind(),
        ParseErrorKind::Syntax
    );
    assert_eq!(
        err(r#"<Response><Pause length="1" length="2"/></Response>"#).kind(),
        ParseErrorKind::Syntax
    );
    assert_eq!(
        err(r#"<Response/><?xml version="1.0"?>"#).kind(),
        ParseErrorKind::Syntax
    );
    assert_eq!(
        err(r#"<?xml version="1.1"?><Response/>"#).kind(),
        ParseErrorKind::Syntax
    );
}

#[test]
fn duplicate_attributes_are_refused_in_both_modes() {
    for xml in [
        r#"<Response><Gather numDigits="1" numDigits="2"/></Response>"#,
        r#"<Response><Gather numDigits="x" numDigits="1"/></Response>"#,
        r#"<Response><Gather data-a="1" data-a="2"/></Response>"#,
        r#"<Response><Beep a="1" a="2"/></Response>"#,
    ] {
        let e = ParseOptions::default()
            .lenient(true)
            .parse(xml)
            .unwrap_err();
        assert_eq!(e.kind(), ParseErrorKind::Syntax, "{xml}");
        assert!(e.rule().contains("more than once"), "{xml}: {e}");
        assert!(parse(xml).is_err());
    }
    // With a raised cap, duplicates among many attributes are still found.
    let many = (0..200)
        .map(|i| format!(r#" data-{i}="v""#))
        .collect::<Vec<_>>()
        .concat();
    let xml = format!(r#"<Response><Beep{many} data-7="again"/></Response>"#);
    let options = ParseOptions::default().lenient(true).max_attributes(1000);
    let e = options.parse(&xml).unwrap_err();
    assert_eq!(e.attribute(), Some("data-7"));
    let xml = format!("<Response><Beep{many}/></Response>");
    assert!(options.parse(&xml).is_ok());
}

#[test]
fn doctype_and_custom_entities_are_refused() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<Response><Say>&lol2;</Say></Response>"#;
    let e = err(bomb);
    assert_eq!(e.kind(), ParseErrorKind::Doctype);
    assert_eq!(e.line(), 2);

    let e = err("<Response><Say>&lol;</Say></Response>");
    assert_eq!(e.kind(), ParseErrorKind::Entity);
    assert!(e.rule().contains("&lol;"), "{e}");

    let e = err(r#"<Response><Say voice="&nbsp;">x</Say></Response>"#);
    assert_eq!(e.kind(), ParseErrorKind::Entity);
    assert_eq!(e.attribute(), Some("voice"));
}

#[test]
fn predefined_entities_and_character_references_are_resolved() {
    let doc = parse(
        r#"<Response><Say voice="a&amp;b&#10;c">&lt;&gt;&amp;&apos;&quot;&#65;&#x1F600;<![CDATA[<raw>]]></Say></Response>"#,
    )
    .unwrap();
    let Verb::Say(say) = &doc.verbs()[0] else {
        panic!("a Say")
    };
    assert_eq!(say.plain_text(), "<>&'\"A😀<raw>");
    assert_eq!(say.voice, Some(Voice::Other("a&b\nc".into())));
}

#[test]
fn forbidden_characters_are_refused() {
    assert_eq!(
        err("<Response><Say>&#1;</Say></Response>").kind(),
        ParseErrorKind::ForbiddenCharacter
    );
    assert_eq!(
        err("<Response><Say>a\u{1}b</Say></Response>").kind(),
        ParseErrorKind::ForbiddenCharacter
    );
    let e = err("<Response><Say language=\"&#xFFFF;\">x</Say></Response>");
    assert_eq!(e.kind(), ParseErrorKind::ForbiddenCharacter);
    assert_eq!(e.attribute(), Some("language"));
}

#[test]
fn limits_are_enforced_and_configurable() {
    let deep = format!(
        "<Response><Say>{}x{}</Say></Response>",
        "<prosody>".repeat(40),
        "</prosody>".repeat(40)
    );
    assert_eq!(err(&deep).kind(), ParseErrorKind::TooDeep);
    assert!(ParseOptions::default().max_depth(50).parse(&deep).is_ok());

    let big = format!("<Response><Say>{}</Say></Response>", "a".repeat(2 << 20));
    assert_eq!(err(&big).kind(), ParseErrorKind::TooLarge);
    assert!(
        ParseOptions::default()
            .max_size(4 << 20)
            .parse(&big)
            .is_ok()
    );

    let many =
        r#"<Response><Gather action="/a" method="GET" timeout="3" numDigits="2"/></Response>"#;
    let e = ParseOptions::default()
        .max_attributes(3)
        .parse(many)
        .unwrap_err();
    assert_eq!(e.kind(), ParseErrorKind::TooManyAttributes);
    assert_eq!(e.attribute(), Some("numDigits"));
    assert!(parse(many).is_ok());
}

#[test]
fn from_str_is_strict_parse() {
    let doc: Response = "<Response><Hangup/></Response>".parse().unwrap();
    assert_eq!(doc, Response::new().hangup());
    assert!(
        "<Response><Hangup x=\"1\"/></Response>"
            .parse::<Response>()
            .is_err()
    );
}

#[test]
fn lenient_mode_keeps_a_newer_providers_document() {
    let xml = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#,
        r#"<Say emotion="happy" voice="alice">Hi<whisper level="2">there</whisper></Say>"#,
        r#"<Gather numDigits="one"><Hologram/></Gather>"#,
        r#"<Dial><Teams user="x">a</Teams></Dial>"#,
        r#"<Summon what="cat">now<b/>!</Summon>"#,
        r#"</Response>"#
    );
    assert!(parse(xml).is_err());
    let doc = ParseOptions::default().lenient(true).parse(xml).unwrap();
    assert_eq!(doc.to_xml(), xml, "written back unchanged");
    let Verb::Say(say) = &doc.verbs()[0] else {
        panic!("a Say")
    };
    assert_eq!(
        say.unknown_attributes,
        [UnknownAttribute::new("emotion", "happy")]
    );
    let Verb::Gather(gather) = &doc.verbs()[1] else {
        panic!("a Gather")
    };
    assert_eq!(gather.num_digits, None, "an unreadable value is kept raw");
    assert_eq!(
        gather.unknown_attributes,
        [UnknownAttribute::new("numDigits", "one")]
    );
    assert!(matches!(&doc.verbs()[3], Verb::Unknown(e) if e.name == "Summon"));
    let warnings = doc.validate();
    assert!(warnings.iter().all(|d| d.severity == Severity::Warning));
    assert!(
        warnings
            .iter()
            .any(|d| d.path == "Response/Gather" && d.message.contains("numDigits"))
    );
}

#[test]
fn whitespace_and_text_rules() {
    let doc = parse(
        "<Response>\n  <Play>\n    https://example.com/a.mp3\n  </Play>\n  <Say>  spaced  </Say>\n</Response>",
    )
    .unwrap();
    assert_eq!(
        doc,
        Response::new()
            .play("https://example.com/a.mp3")
            .say("  spaced  ")
    );
    // Line ends are normalized as XML requires; an escaped CR survives.
    let doc = parse("<Response><Say>a\r\nb&#13;</Say></Response>").unwrap();
    assert_eq!(doc, Response::new().say("a\nb\r"));
}

#[test]
fn markup_errors_name_the_tag_and_the_rule() {
    let lenient = ParseOptions::default().lenient(true);
    // An end tag that closes another element names both.
    let e = err("<Response><Say>hi</Play></Response>");
    assert_eq!(e.kind(), ParseErrorKind::Syntax);
    assert_eq!(e.element(), Some("Say"));
    assert!(e.rule().contains("</Play>"), "{e}");
    // A `<` meant as text.
    let e = err("<Response><Say>1 < 2</Say></Response>");
    assert_eq!(e.kind(), ParseErrorKind::UnknownElement);
    assert!(e.rule().contains("&lt;"), "{e}");
    // Names stop at whitespace, `/` or `>`: what follows must be an attribute, in both modes.
    for xml in [
        "<Response><P<ause/></Response>",
        "<Response><P=ause/></Response>",
        "<Response><P/ause/></Response>",
        r#"<Response><Pause length="1"x="2"/></Response>"#,
    ] {
        let e = lenient.parse(xml).expect_err(xml);
        assert_eq!(e.kind(), ParseErrorKind::Syntax, "{xml}");
        assert!(e.element().is_some(), "{xml}: {e}");
    }
    // A `>` inside a quoted value does not end the tag.
    let doc = lenient
        .parse(r#"<Response><Beep note="a>b" /></Response>"#)
        .unwrap();
    assert!(
        doc.to_xml().contains(r#"note="a&gt;b""#),
        "{}",
        doc.to_xml()
    );
    // Processing instructions need a target; unclosed markup is named.
    for xml in [
        "<?>x?><Response/>",
        "<??><Response/>",
        "<Response><!-- open</Response>",
        "<Response><![CDATA[open</Response>",
        "<Response><Say",
        r#"<Response><Say voice="alice>hi</Say></Response>"#,
    ] {
        assert_eq!(err(xml).kind(), ParseErrorKind::Syntax, "{xml}");
    }
    // A byte order mark is skipped; an element may end with whitespace in its end tag.
    assert!(parse("\u{FEFF}<Response><Say>hi</Say ></Response >").is_ok());
}
