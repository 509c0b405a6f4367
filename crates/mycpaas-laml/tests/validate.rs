//! Validation rules, each with the path and severity a user would look at.

use mycpaas_laml::*;

fn find(doc: &Response) -> Vec<(Severity, String, String)> {
    doc.validate()
        .into_iter()
        .map(|d| (d.severity, d.path, d.message))
        .collect()
}

fn assert_one(doc: &Response, severity: Severity, path: &str, needle: &str) {
    let found = find(doc);
    assert!(
        found
            .iter()
            .any(|(s, p, m)| *s == severity && p == path && m.contains(needle)),
        "expected {severity:?} at {path} containing {needle:?}, found {found:?}"
    );
}

/// [`assert_one`] for an error at `path` (below `Response`) in a document of the one `verb`.
fn assert_error(verb: impl Into<Verb>, path: &str, needle: &str) {
    let doc = Response::new().verb(verb);
    assert_one(&doc, Severity::Error, &format!("Response/{path}"), needle);
}

#[test]
fn a_good_document_has_no_findings() {
    let doc = Response::new()
        .say(Say::new("Hi").voice(Voice::Alice))
        .gather(
            Gather::new()
                .action("https://example.com/menu")
                .finish_on_key("#")
                .say("Press 1"),
        )
        .dial(Dial::new().timeout(30).number("+15550001111"))
        .redirect("/again");
    assert_eq!(find(&doc), []);
}

#[test]
fn paths_index_repeated_siblings() {
    let doc = Response::new()
        .gather(Gather::new().say("ok"))
        .gather(Gather::new().play(Play::new("https://example.com/a.mp3").digits("12")));
    assert_one(
        &doc,
        Severity::Error,
        "Response/Gather[2]/Play",
        "not allowed inside `Gather`",
    );
}

#[test]
fn dial_noun_rules() {
    let eleven = (0..11).fold(Dial::new(), |d, i| d.number(format!("+1555000{i:04}")));
    assert_error(eleven, "Dial", "at most 10");
    let ten = (0..10).fold(Dial::new(), |d, i| d.number(format!("+1555000{i:04}")));
    assert_eq!(find(&Response::new().dial(ten)), []);

    let mixed = Dial::new().conference("room").number("+15550001111");
    assert_error(mixed, "Dial", "alone");
    let two = Dial::new().conference("a").conference("b");
    assert_error(two, "Dial", "one conference");
    assert_error(Dial::new(), "Dial", "needs a number");

    for (timeout, ok) in [(4, false), (5, true), (600, true), (601, false)] {
        let doc = Response::new().dial(Dial::new().timeout(timeout).number("+15550001111"));
        assert_eq!(find(&doc).is_empty(), ok, "timeout {timeout}");
    }
    assert_error(Dial::new().sip("alice@example.com"), "Dial/Sip", "sip:");
    assert_error(
        Dial::new().number(Number::new("+1555").send_digits("12x")),
        "Dial/Number",
        "sendDigits",
    );
}

#[test]
fn unreachable_verbs() {
    for ending in [
        Verb::from(Hangup::new()),
        Redirect::new("/next").into(),
        Reject::new().into(),
        Record::new().into(),
        Dial::new().action("/done").number("+15550001111").into(),
        Enqueue::new("q").action("/done").into(),
        Sms::new("hi").action("/done").into(),
        Gather::new().action_on_empty_result(true).into(),
    ] {
        let name = ending.element_name().to_owned();
        let doc = Response::new()
            .verb(ending)
            .say("never")
            .play("https://example.com/a.mp3");
        let found = find(&doc);
        assert_eq!(found.len(), 2, "{name}: {found:?}");
        assert_one(
            &doc,
            Severity::Warning,
            "Response/Say",
            &format!("`Response/{name}`"),
        );
        assert_one(&doc, Severity::Warning, "Response/Play", "unreachable");
    }
    // These fall through to the next verb.
    let doc = Response::new()
        .gather(Gather::new().say("x"))
        .dial(Dial::new().number("+15550001111"))
        .say("reached");
    assert_eq!(find(&doc), []);
}

#[test]
fn value_ranges_and_keys() {
    assert_error(Say::new("x".repeat(4097)), "Say", "4096");
    assert_eq!(find(&Response::new().say("x".repeat(4096))), []);
    assert_error(Echo::new().timeout(121), "Echo", "5–120");
    assert_error(Echo::new().timeout(4), "Echo", "timeout");
    assert_eq!(find(&Response::new().echo(Echo::new().timeout(120))), []);
    assert_error(Gather::new().finish_on_key("##"), "Gather", "finishOnKey");
    assert_error(Gather::new().finish_on_key("a"), "Gather", "finishOnKey");
    assert_eq!(
        find(&Response::new().gather(Gather::new().finish_on_key(""))),
        []
    );
    assert_error(Record::new().finish_on_key("1x"), "Record", "finishOnKey");
    assert_error(Play::send_digits("12a"), "Play", "digits");
    assert_eq!(find(&Response::new().play(Play::send_digits("w1*#W"))), []);
    assert_error(Sms::new("x".repeat(1600)), "Sms", "1600");
    assert_error(
        Say::new("a").ssml(Break::new().time(BreakTime::Seconds(11))),
        "Say/break",
        "10s",
    );
}

#[test]
fn malformed_absolute_urls() {
    assert_error(
        Redirect::new("htp://example.com/x"),
        "Redirect",
        "scheme `htp`",
    );
    assert_error(
        Gather::new().action("https:/example.com"),
        "Gather",
        "action",
    );
    assert_error(Play::new("https://exa mple.com/a.mp3"), "Play", "spaces");
    assert_error(
        Connect::new().stream(Stream::new("https://example.com/ws")),
        "Connect/Stream",
        "wss://",
    );
    // Relative URLs are resolved against the document's URL.
    assert_eq!(find(&Response::new().redirect("next.xml?a=b:c")), []);
}

#[test]
fn ssml_nesting_and_structure() {
    let mut say = Say::new("x");
    say.content
        .push(SsmlNode::Word(Word::new().child(Lang::new().text("y"))));
    assert_error(say, "Say/w/lang", "may not be nested in `w`");
    assert_error(Refer::default(), "Refer", "Sip");
    assert_error(Start::new(), "Start", "needs a `Stream`");
    assert_error(Stop::new().stream(Stream::default()), "Stop/Stream", "name");
}

#[test]
fn diagnostics_display() {
    let d = Response::new().echo(Echo::new().timeout(1)).validate();
    assert_eq!(
        d[0].to_string(),
        "error: Response/Echo: attribute `timeout` is 1, outside 5–120"
    );
}
