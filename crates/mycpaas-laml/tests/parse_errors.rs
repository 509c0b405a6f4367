//! What the parser refuses, and how it says so: position, element, attribute and rule.

use mycpaas_laml::*;

fn err(xml: &str) -> ParseError {
    parse(xml).expect_err("the document must be refused")
}

/// Checks that each document is refused with an error of `kind`.
fn refused_as(kind: ParseErrorKind, documents: &[&str]) {
    for xml in documents {
        assert_eq!(err(xml).kind(), kind, "{xml}");
    }
}

/// The error refusing `xml`, checked to be of `kind` with `words` in its rule.
fn refused_with(xml: &str, kind: ParseErrorKind, words: &str) -> ParseError {
    let e = err(xml);
    assert_eq!(e.kind(), kind, "{xml}");
    assert!(e.rule().contains(words), "{e}");
    e
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
    use ParseErrorKind::MisplacedElement;
    let xml = "<Response><Gather><Dial>+1555</Dial></Gather></Response>";
    let e = refused_with(xml, MisplacedElement, "Say, Play, Pause");
    assert_eq!(e.element(), Some("Dial"));
    let xml = "<Response><Say><w><w>x</w></w></Say></Response>";
    refused_with(xml, MisplacedElement, "inside `w`");
    refused_as(
        MisplacedElement,
        &[
            "<Response><Dial><Say>hi</Say></Dial></Response>",
            "<Response><Play>a<b/></Play></Response>",
            "<Response><Hangup><Say>x</Say></Hangup></Response>",
        ],
    );

    let e = err("<Response><Refer><Sip>sip:a@b</Sip><Sip>sip:c@d</Sip></Refer></Response>");
    assert!(e.rule().contains("exactly one"), "{e}");
}

#[test]
fn root_rules() {
    refused_as(
        ParseErrorKind::Root,
        &["", "<response/>", "<Response/><Response/>"],
    );
    refused_as(
        ParseErrorKind::UnexpectedText,
        &["hello <Response/>", "<Response>stray</Response>"],
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
    refused_as(
        ParseErrorKind::Syntax,
        &[
            "<Response><Say>hi</Say>",
            r#"<Response><Pause length="1" length="2"/></Response>"#,
            r#"<Response/><?xml version="1.0"?>"#,
            r#"<?xml version="1.1"?><Response/>"#,
        ],
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
    refused_as(
        ParseErrorKind::ForbiddenCharacter,
        &[
            "<Response><Say>&#1;</Say></Response>",
            "<Response><Say>a\u{1}b</Say></Response>",
        ],
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
    let xml = "<Response><Say>hi</Play></Response>";
    let e = refused_with(xml, ParseErrorKind::Syntax, "</Play>");
    assert_eq!(e.element(), Some("Say"));
    // A `<` meant as text.
    let xml = "<Response><Say>1 < 2</Say></Response>";
    refused_with(xml, ParseErrorKind::UnknownElement, "&lt;");
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
    refused_as(
        ParseErrorKind::Syntax,
        &[
            "<?>x?><Response/>",
            "<??><Response/>",
            "<Response><!-- open</Response>",
            "<Response><![CDATA[open</Response>",
            "<Response><Say",
            r#"<Response><Say voice="alice>hi</Say></Response>"#,
        ],
    );
    // A byte order mark is skipped; an element may end with whitespace in its end tag.
    assert!(parse("\u{FEFF}<Response><Say>hi</Say ></Response >").is_ok());
}

/// Documents that are not well-formed XML 1.0: refused in both modes, as a syntax error (or
/// the kind given) at the line and column given, naming the element and attribute concerned.
#[test]
fn what_is_not_well_formed_is_refused_in_both_modes() {
    use ParseErrorKind::{Entity, ForbiddenCharacter, Syntax, UnexpectedText};
    struct Case {
        xml: &'static str,
        kind: ParseErrorKind,
        at: (usize, usize),
        element: Option<&'static str>,
        attribute: Option<&'static str>,
    }
    let case = |xml, kind, at, element, attribute| Case {
        xml,
        kind,
        at,
        element,
        attribute,
    };
    let cases = [
        // Names follow the Name production.
        case(
            "<Response><a;b x=\"1\"/></Response>",
            Syntax,
            (1, 11),
            Some("a;b"),
            None,
        ),
        case(
            "<Response>\n  <Say v&l=\"1\">Hi</Say></Response>",
            Syntax,
            (2, 8),
            Some("Say"),
            Some("v&l"),
        ),
        case(
            "<Response><Say 1x=\"1\"/></Response>",
            Syntax,
            (1, 16),
            Some("Say"),
            Some("1x"),
        ),
        case(
            "<Response><-a/></Response>",
            Syntax,
            (1, 11),
            Some("-a"),
            None,
        ),
        case("<a;b/>", Syntax, (1, 1), Some("a;b"), None),
        case(
            "<Response><y\u{D7}/></Response>",
            Syntax,
            (1, 11),
            Some("y\u{D7}"),
            None,
        ),
        // Attributes: separated by whitespace, quoted, no `<` in values, given once.
        case(
            "<Response><Pause length=\"1\"x=\"2\"/></Response>",
            Syntax,
            (1, 18),
            Some("Pause"),
            Some("length"),
        ),
        case(
            "<Response><Pause length=1/></Response>",
            Syntax,
            (1, 25),
            Some("Pause"),
            None,
        ),
        case(
            "<Response><Say voice=\"a<b\">x</Say></Response>",
            Syntax,
            (1, 16),
            Some("Say"),
            Some("voice"),
        ),
        case(
            "<Response><Pause length='1' length='2'/></Response>",
            Syntax,
            (1, 29),
            Some("Pause"),
            Some("length"),
        ),
        // Text: no `]]>`, no forbidden character, no stray `&`.
        case(
            "<Response><Say>a ]]> b</Say></Response>",
            Syntax,
            (1, 18),
            None,
            None,
        ),
        case(
            "<Response><Say>a\u{1}</Say></Response>",
            ForbiddenCharacter,
            (1, 17),
            None,
            None,
        ),
        case(
            "<Response><Say>R&D</Say></Response>",
            Syntax,
            (1, 17),
            None,
            None,
        ),
        case(
            "<Response><Say>&#xD800;</Say></Response>",
            Entity,
            (1, 16),
            None,
            None,
        ),
        case(
            "<Response><Say>&#+65;</Say></Response>",
            Entity,
            (1, 16),
            None,
            None,
        ),
        case(
            "<Response><Say>&#X41;</Say></Response>",
            Entity,
            (1, 16),
            None,
            None,
        ),
        // Comments and processing instructions.
        case(
            "<Response><!-- a -- b --></Response>",
            Syntax,
            (1, 18),
            None,
            None,
        ),
        case(
            "<Response><!-- a ---></Response>",
            Syntax,
            (1, 18),
            None,
            None,
        ),
        case(
            "<Response><!-- \u{1} --></Response>",
            ForbiddenCharacter,
            (1, 16),
            None,
            None,
        ),
        case(
            "<Response><?pi \u{FFFF}?></Response>",
            ForbiddenCharacter,
            (1, 16),
            None,
            None,
        ),
        case("<Response><?a?b?></Response>", Syntax, (1, 11), None, None),
        case(
            "<Response><?XML x?></Response>",
            Syntax,
            (1, 11),
            None,
            None,
        ),
        case(
            "<Response/><?xml version=\"1.0\"?>",
            Syntax,
            (1, 12),
            None,
            None,
        ),
        case(
            " <?xml version=\"1.0\"?><Response/>",
            Syntax,
            (1, 2),
            None,
            None,
        ),
        // The declaration's grammar.
        case(
            "<?xml version=\"1.0\" standalone=\"maybe\"?><Response/>",
            Syntax,
            (1, 1),
            None,
            None,
        ),
        case(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" version=\"1.0\"?><Response/>",
            Syntax,
            (1, 1),
            None,
            None,
        ),
        case(
            "<?xml version=\"1.0\"encoding=\"UTF-8\"?><Response/>",
            Syntax,
            (1, 1),
            None,
            None,
        ),
        // Only whitespace, comments and processing instructions outside the root element.
        case(
            "<![CDATA[ ]]><Response/>",
            UnexpectedText,
            (1, 1),
            None,
            None,
        ),
        case("&#32;<Response/>", UnexpectedText, (1, 1), None, None),
        case("<Response/>\n&amp;", UnexpectedText, (2, 1), None, None),
        // Tags close, and in order.
        case(
            "<Response><Say>hi</say></Response>",
            Syntax,
            (1, 18),
            Some("Say"),
            None,
        ),
        case(
            "<Response></Response></Response>",
            Syntax,
            (1, 22),
            None,
            None,
        ),
        case(
            "<Response><Say voice=\"1\" / ></Say></Response>",
            Syntax,
            (1, 28),
            Some("Say"),
            None,
        ),
        case("<Response><!x></Response>", Syntax, (1, 11), None, None),
        case(
            "<Response><![cdata[x]]></Response>",
            Syntax,
            (1, 11),
            None,
            None,
        ),
    ];
    let lenient = ParseOptions::default().lenient(true);
    for Case {
        xml,
        kind,
        at,
        element,
        attribute,
    } in cases
    {
        for e in [lenient.parse(xml), parse(xml)].map(|r| r.expect_err(xml)) {
            assert_eq!(e.kind(), kind, "{xml:?}: {e}");
            assert_eq!((e.line(), e.column()), at, "{xml:?}: {e}");
            assert_eq!(e.element(), element, "{xml:?}: {e}");
            assert_eq!(e.attribute(), attribute, "{xml:?}: {e}");
        }
    }
    // Inside an element kept by lenient mode too.
    let e = lenient
        .parse("<Response><x><y\u{D7}/></x></Response>")
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.column(), e.element()),
        (Syntax, 14, Some("y\u{D7}"))
    );
    // What XML 1.0 allows, in both modes.
    for xml in [
        "<Response><Beep xml:lang='en' a:b='1' _c=\"2\" d-e.f='3' \u{E9}='4'/></Response>",
        "<Response><x\u{B7}y><\u{65E5}\u{672C}/></x\u{B7}y></Response>",
        "<Response><Say>a > b, ]] >, &#x1F600;</Say><!-- - --><?pi content??></Response>",
        "<?xml version='1.0' encoding='ISO-8859-1' standalone='no' ?><Response/>",
        "<?xml version=\"1.0\"?>\n<!-- c --><?xml-stylesheet href=\"a\"?><Response/>\n<!-- c -->",
        "<Response><Beep a = \"1\"\n\tb='x&lt;&#60;y'/></Response>",
    ] {
        lenient
            .parse(xml)
            .unwrap_or_else(|e| panic!("{xml:?}: {e}"));
    }
}
