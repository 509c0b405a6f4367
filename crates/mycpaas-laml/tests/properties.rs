//! Property tests: arbitrary documents survive write → parse unchanged (compact and indented,
//! strict and lenient), and the parser never panics on random or mutated input.

use mycpaas_laml::*;
use proptest::collection::vec;
use proptest::option::of as opt;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Union};

// ---- values ----------------------------------------------------------------------------

/// Characters XML 1.0 allows, biased towards the ones that need escaping.
fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => proptest::char::range('a', 'z'),
        2 => Just(' '),
        2 => select(vec![
            '&', '<', '>', '"', '\'', '\t', '\n', '\r', 'é', '€', '😀', '\u{FFFD}', ';', '#', '/',
            ':', '=', '.', ']', '[', '\u{85}', '\u{2028}',
        ]),
    ]
}

fn text() -> impl Strategy<Value = String> {
    vec(xml_char(), 0..12).prop_map(String::from_iter)
}

/// Text without surrounding whitespace (URLs, numbers and names are trimmed when parsed).
fn trimmed() -> impl Strategy<Value = String> {
    text().prop_map(|s| s.trim().to_owned())
}

fn method() -> impl Strategy<Value = Method> {
    select(Method::ALL.to_vec())
}

fn voice() -> impl Strategy<Value = Voice> {
    prop_oneof![
        Just(Voice::Man),
        Just(Voice::Woman),
        Just(Voice::Alice),
        "[A-Z][a-z]{1,6}".prop_map(|n| Voice::polly(&n)),
        "[A-Z][a-z]{1,6}".prop_map(|n| Voice::polly_neural(&n)),
    ]
}

fn break_time() -> impl Strategy<Value = BreakTime> {
    prop_oneof![
        any::<u32>().prop_map(BreakTime::Seconds),
        any::<u32>().prop_map(BreakTime::Milliseconds),
    ]
}

// The prosody values: each keyword as likely as the numeric form (weights: one per keyword).

fn volume() -> impl Strategy<Value = ProsodyVolume> {
    use ProsodyVolume::*;
    let keywords = [Default, Silent, XSoft, Soft, Medium, Loud, XLoud];
    prop_oneof![
        7 => select(keywords.to_vec()),
        1 => (-i32::MAX..=i32::MAX).prop_map(Decibels),
    ]
}

fn rate() -> impl Strategy<Value = ProsodyRate> {
    use ProsodyRate::*;
    prop_oneof![
        5 => select(vec![XSlow, Slow, Medium, Fast, XFast]),
        1 => any::<u32>().prop_map(Percent),
    ]
}

fn pitch() -> impl Strategy<Value = ProsodyPitch> {
    use ProsodyPitch::*;
    let keywords = [Default, XLow, Low, Medium, High, XHigh];
    prop_oneof![
        6 => select(keywords.to_vec()),
        1 => (-i32::MAX..=i32::MAX).prop_map(Percent),
    ]
}

fn speech_timeout() -> impl Strategy<Value = SpeechTimeout> {
    prop_oneof![
        Just(SpeechTimeout::Auto),
        any::<u32>().prop_map(SpeechTimeout::Seconds)
    ]
}

// ---- SSML -------------------------------------------------------------------------------

/// The SSML table of the specification, as it lists them: the elements allowed directly inside
/// each parent (any SSML inside `Say`, `lang` and `prosody`).
fn allowed(parent: &str, child: &str) -> bool {
    const ANY: &[&str] = &[
        "break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w",
    ];
    const INLINE: &[&str] = &[
        "break", "emphasis", "lang", "phoneme", "prosody", "say-as", "sub", "w",
    ];
    let table: &[(&str, &[&str])] = &[
        ("Say", ANY),
        ("lang", ANY),
        ("prosody", ANY),
        (
            "p",
            &[
                "break", "emphasis", "lang", "phoneme", "prosody", "s", "say-as", "sub", "w",
            ],
        ),
        ("s", INLINE),
        ("emphasis", INLINE),
        (
            "w",
            &["break", "emphasis", "phoneme", "prosody", "say-as", "sub"],
        ),
    ];
    table
        .iter()
        .any(|(p, children)| *p == parent && children.contains(&child))
}

/// A strategy for an element: `base` draws it without attributes, and each `field: strategy`
/// one attribute field. The fields are drawn as one tuple, which holds at most 12: a longer list
/// is split in two by `;`.
macro_rules! with_fields {
    ($base:expr; $($field:ident: $strategy:expr),+; $($more:ident: $more_strategy:expr),+ $(,)?) => {
        with_fields!(with_fields!($base; $($field: $strategy),+); $($more: $more_strategy),+)
    };
    ($base:expr; $($field:ident: $strategy:expr),+ $(,)?) => {
        ($base, ($($strategy,)+)).prop_map(|(mut element, ($($field,)+))| {
            $(element.$field = $field;)+
            element
        })
    };
}

/// Keyword values of a closed set.
fn one_of<T: Clone + std::fmt::Debug + 'static>(all: &[T]) -> impl Strategy<Value = T> {
    select(all.to_vec())
}

fn children(parent: &'static str, depth: u32) -> BoxedStrategy<Vec<SsmlNode>> {
    vec(ssml_node(parent, depth), 0..4).boxed()
}

/// SSML elements holding text and elements: drawn with `children` of their own.
macro_rules! container {
    ($ty:ident, $name:literal, $depth:expr) => {
        children($name, $depth).prop_map(|nodes| nodes.into_iter().fold($ty::new(), $ty::child))
    };
}

fn ssml_node(parent: &'static str, depth: u32) -> BoxedStrategy<SsmlNode> {
    let mut options: Vec<(u32, BoxedStrategy<SsmlNode>)> =
        vec![(6, text().prop_map(SsmlNode::Text).boxed())];
    let mut add = |name: &str, strategy: BoxedStrategy<SsmlNode>| {
        if allowed(parent, name) {
            options.push((1, strategy));
        }
    };
    let break_ = with_fields!(Just(Break::new());
        strength: opt(one_of(BreakStrength::ALL)),
        time: opt(break_time()),
    );
    add("break", break_.prop_map(SsmlNode::from).boxed());
    let phoneme = with_fields!(text().prop_map(Phoneme::new);
        alphabet: opt(one_of(PhonemeAlphabet::ALL)),
        ph: opt(text()),
    );
    add("phoneme", phoneme.prop_map(SsmlNode::from).boxed());
    let say_as = with_fields!(text().prop_map(SayAs::new);
        format: opt(one_of(SayAsFormat::ALL)),
        interpret_as: opt(one_of(InterpretAs::ALL)),
    );
    add("say-as", say_as.prop_map(SsmlNode::from).boxed());
    let sub = with_fields!(text().prop_map(Sub::new); alias: opt(text()));
    add("sub", sub.prop_map(SsmlNode::from).boxed());
    if depth > 0 {
        let d = depth - 1;
        let emphasis = with_fields!(container!(Emphasis, "emphasis", d);
            level: opt(one_of(EmphasisLevel::ALL)),
        );
        add("emphasis", emphasis.prop_map(SsmlNode::from).boxed());
        let lang = with_fields!(container!(Lang, "lang", d); xml_lang: opt(text()));
        add("lang", lang.prop_map(SsmlNode::from).boxed());
        let p = container!(Paragraph, "p", d);
        add("p", p.prop_map(SsmlNode::from).boxed());
        let prosody = with_fields!(container!(Prosody, "prosody", d);
            pitch: opt(pitch()),
            rate: opt(rate()),
            volume: opt(volume()),
        );
        add("prosody", prosody.prop_map(SsmlNode::from).boxed());
        let s = container!(Sentence, "s", d);
        add("s", s.prop_map(SsmlNode::from).boxed());
        let w = with_fields!(container!(Word, "w", d); role: opt(text()));
        add("w", w.prop_map(SsmlNode::from).boxed());
    }
    Union::new_weighted(options).boxed()
}

// ---- verbs ------------------------------------------------------------------------------

fn say() -> impl Strategy<Value = Say> {
    let content =
        children("Say", 2).prop_map(|nodes| nodes.into_iter().fold(Say::new(""), Say::ssml));
    with_fields!(content;
        language: opt(text()),
        loop_count: opt(any::<u32>()),
        voice: opt(voice()),
    )
}

fn play() -> impl Strategy<Value = Play> {
    with_fields!(trimmed().prop_map(Play::new);
        digits: opt(text()),
        loop_count: opt(any::<u32>()),
    )
}

fn pause() -> impl Strategy<Value = Pause> {
    with_fields!(Just(Pause::new()); length: opt(any::<u32>()))
}

fn gather() -> impl Strategy<Value = Gather> {
    let child = prop_oneof![
        say().prop_map(GatherChild::Say),
        play().prop_map(GatherChild::Play),
        pause().prop_map(GatherChild::Pause),
    ];
    with_fields!(Just(Gather::new());
        children: vec(child, 0..4),
        action: opt(text()),
        action_on_empty_result: opt(any::<bool>()),
        enhanced: opt(any::<bool>()),
        finish_on_key: opt(text()),
        hints: opt(text()),
        input: opt(vec(one_of(GatherInput::ALL), 0..3)),
        language: opt(text()),
        method: opt(method());
        num_digits: opt(any::<u32>()),
        partial_result_callback: opt(text()),
        partial_result_callback_method: opt(method()),
        profanity_filter: opt(any::<bool>()),
        speech_model: opt(text()),
        speech_timeout: opt(speech_timeout()),
        timeout: opt(any::<u32>()),
    )
}

fn number() -> impl Strategy<Value = Number> {
    with_fields!(trimmed().prop_map(Number::new);
        method: opt(method()),
        send_digits: opt(text()),
        status_callback: opt(text()),
        status_callback_event: opt(vec(one_of(CallProgressEvent::ALL), 0..4)),
        status_callback_method: opt(method()),
        url: opt(text()),
    )
}

fn sip() -> impl Strategy<Value = Sip> {
    with_fields!(trimmed().prop_map(Sip::new);
        method: opt(method()),
        password: opt(text().prop_map(SipPassword::new)),
        status_callback: opt(text()),
        status_callback_event: opt(vec(one_of(CallProgressEvent::ALL), 0..4)),
        status_callback_method: opt(method()),
        url: opt(text()),
        username: opt(text()),
    )
}

fn conference() -> impl Strategy<Value = Conference> {
    with_fields!(trimmed().prop_map(Conference::new);
        beep: opt(one_of(ConferenceBeep::ALL)),
        coach: opt(text()),
        end_conference_on_exit: opt(any::<bool>()),
        max_participants: opt(any::<u32>()),
        muted: opt(any::<bool>()),
        record: opt(one_of(ConferenceRecord::ALL)),
        recording_status_callback: opt(text());
        recording_status_callback_event: opt(vec(one_of(RecordingEvent::ALL), 0..3)),
        recording_status_callback_method: opt(method()),
        start_conference_on_enter: opt(any::<bool>()),
        status_callback: opt(text()),
        status_callback_event: opt(vec(one_of(ConferenceEvent::ALL), 0..7)),
        status_callback_method: opt(method()),
        trim: opt(one_of(Trim::ALL)),
        wait_method: opt(method()),
        wait_url: opt(text()),
    )
}

fn queue() -> impl Strategy<Value = Queue> {
    with_fields!(trimmed().prop_map(Queue::new);
        method: opt(method()),
        url: opt(text()),
    )
}

fn dial() -> impl Strategy<Value = Dial> {
    let noun = prop_oneof![
        number().prop_map(DialNoun::Number),
        sip().prop_map(DialNoun::Sip),
        conference().prop_map(DialNoun::Conference),
        queue().prop_map(DialNoun::Queue),
    ];
    with_fields!(Just(Dial::new());
        action: opt(text()),
        answer_on_bridge: opt(any::<bool>()),
        caller_id: opt(text()),
        hangup_on_star: opt(any::<bool>()),
        method: opt(method()),
        record: opt(one_of(DialRecord::ALL)),
        recording_status_callback: opt(text());
        recording_status_callback_event: opt(vec(one_of(RecordingEvent::ALL), 0..3)),
        recording_status_callback_method: opt(method()),
        recording_track: opt(one_of(RecordingTrack::ALL)),
        ring_tone: opt(text()),
        time_limit: opt(any::<u32>()),
        timeout: opt(any::<u32>()),
        trim: opt(one_of(Trim::ALL)),
        bare_number: opt(trimmed()).prop_map(|n| n.filter(|n| !n.is_empty())),
        nouns: vec(noun, 0..3),
    )
}

fn record() -> impl Strategy<Value = Record> {
    with_fields!(Just(Record::new());
        action: opt(text()),
        finish_on_key: opt(text()),
        max_length: opt(any::<u32>()),
        method: opt(method()),
        play_beep: opt(any::<bool>()),
        recording_status_callback: opt(text()),
        recording_status_callback_event: opt(vec(one_of(RecordingEvent::ALL), 0..3)),
        recording_status_callback_method: opt(method()),
        timeout: opt(any::<u32>()),
        transcribe: opt(any::<bool>()),
        transcribe_callback: opt(text()),
        trim: opt(one_of(Trim::ALL)),
    )
}

fn stream() -> impl Strategy<Value = Stream> {
    let parameter = with_fields!(Just(Parameter::default());
        name: opt(text()),
        value: opt(text()),
    );
    with_fields!(Just(Stream::default());
        name: opt(text()),
        status_callback: opt(text()),
        status_callback_method: opt(method()),
        track: opt(one_of(StreamTrack::ALL)),
        url: opt(text()),
        parameters: vec(parameter, 0..3),
    )
}

fn verb() -> impl Strategy<Value = Verb> {
    prop_oneof![
        say().prop_map(Verb::Say),
        play().prop_map(Verb::Play),
        pause().prop_map(Verb::Pause),
        gather().prop_map(Verb::Gather),
        dial().prop_map(Verb::Dial),
        record().prop_map(Verb::Record),
        Just(Verb::Hangup(Hangup::new())),
        (trimmed(), opt(method())).prop_map(|(url, method)| {
            let mut r = Redirect::new(url);
            r.method = method;
            Verb::Redirect(r)
        }),
        opt(select(RejectReason::ALL.to_vec())).prop_map(|reason| {
            let mut r = Reject::new();
            r.reason = reason;
            Verb::Reject(r)
        }),
        (
            trimmed(),
            opt(text()),
            opt(method()),
            opt(text()),
            opt(method())
        )
            .prop_map(|(name, action, method, wait_url, wait_url_method)| {
                let mut e = Enqueue::new(name);
                (e.action, e.method, e.wait_url, e.wait_url_method) =
                    (action, method, wait_url, wait_url_method);
                Verb::Enqueue(e)
            }),
        Just(Verb::Leave(Leave::new())),
        (
            text(),
            opt(text()),
            opt(text()),
            opt(method()),
            opt(text()),
            opt(text())
        )
            .prop_map(|(body, action, from, method, cb, to)| {
                let mut s = Sms::new(body);
                (s.action, s.from, s.method, s.status_callback, s.to) =
                    (action, from, method, cb, to);
                Verb::Sms(s)
            }),
        (opt(trimmed()), opt(text()), opt(method())).prop_map(|(uri, action, method)| {
            let mut r = uri.map_or_else(Refer::default, Refer::new);
            r.action = action;
            r.method = method;
            Verb::Refer(r)
        }),
        opt(any::<u32>()).prop_map(|timeout| {
            let mut e = Echo::new();
            e.timeout = timeout;
            Verb::Echo(e)
        }),
        (
            opt(text()),
            opt(method()),
            vec(
                prop_oneof![
                    stream().prop_map(ConnectChild::Stream),
                    trimmed().prop_map(|n| ConnectChild::Room(Room::new(n))),
                ],
                0..3
            )
        )
            .prop_map(|(action, method, children)| {
                let mut c = Connect::new();
                c.action = action;
                c.method = method;
                c.children = children;
                Verb::Connect(c)
            }),
        (
            opt(text()),
            opt(method()),
            vec(stream(), 0..3),
            any::<bool>()
        )
            .prop_map(|(action, method, streams, is_start)| {
                if is_start {
                    let mut s = Start::new();
                    (s.action, s.method, s.streams) = (action, method, streams);
                    Verb::Start(s)
                } else {
                    let mut s = Stop::new();
                    (s.action, s.method, s.streams) = (action, method, streams);
                    Verb::Stop(s)
                }
            }),
    ]
}

fn response() -> impl Strategy<Value = Response> {
    vec(verb(), 0..6).prop_map(|verbs| verbs.into_iter().fold(Response::new(), Response::verb))
}

// ---- lenient extras ---------------------------------------------------------------------

/// Unknown attributes with distinct names no element defines, sorted as the parser keeps them.
fn unknown_attributes() -> impl Strategy<Value = Vec<UnknownAttribute>> {
    proptest::collection::btree_map("data-[a-z]{1,4}", text(), 0..3).prop_map(|map| {
        map.into_iter()
            .map(|(name, value)| UnknownAttribute::new(name, value))
            .collect()
    })
}

fn unknown_element() -> impl Strategy<Value = UnknownElement> {
    let leaf = ("X[a-z]{0,4}", unknown_attributes()).prop_map(|(name, attributes)| {
        let mut e = UnknownElement::new(name);
        e.attributes = attributes;
        e
    });
    leaf.prop_recursive(3, 12, 4, |inner| {
        (
            "X[a-z]{0,4}",
            unknown_attributes(),
            vec(
                prop_oneof![
                    text().prop_map(UnknownNode::Text),
                    inner.prop_map(UnknownNode::Element)
                ],
                0..4,
            ),
        )
            .prop_map(|(name, attributes, children)| {
                let mut e = UnknownElement::new(name);
                e.attributes = attributes;
                // Adjacent text reads back as one piece, and empty text not at all.
                for child in children {
                    match (child, e.children.last_mut()) {
                        (UnknownNode::Text(t), _) if t.is_empty() => {}
                        (UnknownNode::Text(t), Some(UnknownNode::Text(last))) => last.push_str(&t),
                        (child, _) => e.children.push(child),
                    }
                }
                e
            })
    })
}

/// A document from a "newer provider": extra attributes and unknown verbs.
fn newer_response() -> impl Strategy<Value = Response> {
    (
        response(),
        unknown_attributes(),
        vec(unknown_element(), 0..3),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut doc, attributes, unknown, at)| {
            doc.unknown_attributes = attributes;
            for element in unknown {
                let position = at.index(doc.verbs.len() + 1);
                doc.verbs.insert(position, Verb::Unknown(element));
            }
            doc
        })
}

/// A document holding kept elements and attributes with any names, XML names or not, and
/// kept attributes that may repeat a set one.
fn any_names_response() -> impl Strategy<Value = Response> {
    // Names that LaML does not define, XML names or not (a LaML name would read back as
    // the element or attribute it names).
    let name = || {
        prop_oneof![
            "X[a-z0-9:;&<>\"' =/._-]{0,4}",
            "[0-9;&<>\"' =/.-][a-z0-9:;&<>\"' =/._-]{0,3}",
            Just(String::new()),
        ]
    };
    (
        vec((name(), vec((name(), text()), 0..3)), 0..4),
        vec((select(vec!["loop", "data-x", "data-y"]), text()), 0..3),
    )
        .prop_map(|(elements, play_attributes)| {
            let mut play = Play::new("a.mp3").loop_count(2);
            for (key, value) in play_attributes {
                play = play.unknown_attribute(key, value);
            }
            play.unknown_attributes.sort_by(|a, b| a.name.cmp(&b.name));
            let mut doc = Response::new().play(play);
            for (element, attributes) in elements {
                let mut kept = UnknownElement::new(element);
                kept.attributes = attributes
                    .into_iter()
                    .map(|(key, value)| UnknownAttribute::new(key, value))
                    .collect();
                // As parsing keeps them.
                kept.attributes.sort_by(|a, b| a.name.cmp(&b.name));
                doc = doc.verb(kept);
            }
            doc
        })
}

// ---- properties -------------------------------------------------------------------------

fn lenient() -> ParseOptions {
    ParseOptions::default().lenient(true)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn write_then_parse_is_identity(doc in response()) {
        let compact = doc.try_to_xml().expect("generated values are writable");
        prop_assert_eq!(&parse(&compact).expect("compact parses"), &doc);
        let pretty = doc.to_xml_pretty();
        prop_assert_eq!(&parse(&pretty).expect("indented parses"), &doc);
        // Writing is deterministic.
        prop_assert_eq!(compact, doc.to_xml());
    }

    /// Nothing written is malformed: what the writer cannot write well-formed, the fallible
    /// writer refuses and the infallible one leaves out.
    #[test]
    fn what_is_written_is_well_formed(doc in any_names_response()) {
        let written = doc.to_xml();
        let parsed = lenient().parse(&written);
        prop_assert!(parsed.is_ok(), "{written}: {parsed:?}");
        match doc.try_to_xml() {
            Ok(xml) => {
                prop_assert_eq!(&xml, &written);
                prop_assert_eq!(&parsed.unwrap(), &doc);
            }
            Err(error) => prop_assert!(
                doc.validate().iter().any(|d| d.message == error.to_string()),
                "{error}"
            ),
        }
    }

    #[test]
    fn lenient_keeps_what_it_does_not_know(doc in newer_response()) {
        let xml = doc.to_xml();
        prop_assert_eq!(&lenient().parse(&xml).expect("lenient parses"), &doc);
        if doc.unknown_attributes.is_empty() && !doc.verbs.iter().any(|v| matches!(v, Verb::Unknown(_))) {
            prop_assert_eq!(&parse(&xml).expect("strict parses"), &doc);
        } else {
            prop_assert!(parse(&xml).is_err(), "strict mode refuses unknown names");
        }
    }
}

/// Snippets that stress the parser when spliced into a document.
const SNIPPETS: &[&str] = &[
    "<",
    ">",
    "/>",
    "</",
    "&",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "&#xD800;",
    "&bogus;",
    "\"",
    "'",
    "=",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x>",
    "<Say>",
    "</Say>",
    "<Gather>",
    "</Response>",
    "<Response>",
    "<Dial><Conference>",
    "<break time=\"",
    "\u{0}",
    "\u{1}",
    "\u{FFFF}",
    "xml:lang=\"x\"",
    " a=\"1\" a=\"2\"",
    "<p><s><w>",
    "\r\n",
    "\t",
];

#[derive(Clone, Debug)]
enum Mutation {
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, &'static str),
    Truncate(prop::sample::Index),
    Duplicate(prop::sample::Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1usize..20).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<prop::sample::Index>(), select(SNIPPETS)).prop_map(|(i, s)| Mutation::Insert(i, s)),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (any::<prop::sample::Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

/// The nearest char boundary at or below `at`.
fn boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(mut xml: String, mutations: &[Mutation]) -> String {
    for m in mutations {
        let len = xml.len() + 1;
        match m {
            Mutation::Delete(i, n) => {
                let start = boundary(&xml, i.index(len));
                let end = boundary(&xml, start + n);
                xml.replace_range(start..end, "");
            }
            Mutation::Insert(i, snippet) => {
                let at = boundary(&xml, i.index(len));
                xml.insert_str(at, snippet);
            }
            Mutation::Truncate(i) => {
                let at = boundary(&xml, i.index(len));
                xml.truncate(at);
            }
            Mutation::Duplicate(i, n) => {
                let start = boundary(&xml, i.index(len));
                let end = boundary(&xml, start + n);
                let copy = xml[start..end].to_owned();
                xml.insert_str(end, &copy);
            }
        }
    }
    xml
}

/// Parses in both modes; whatever is accepted validates and writes back to the same value.
fn exercise(xml: &str) -> Result<(), TestCaseError> {
    if let Ok(doc) = parse(xml) {
        let _ = doc.validate();
        prop_assert_eq!(&parse(&doc.to_xml()).expect("strict output reparses"), &doc);
    }
    if let Ok(doc) = lenient().parse(xml) {
        let _ = doc.validate();
        prop_assert_eq!(
            &lenient()
                .parse(&doc.to_xml())
                .expect("lenient output reparses"),
            &doc
        );
    }
    let _ = ParseOptions::default()
        .max_depth(3)
        .max_attributes(2)
        .max_size(200)
        .parse(xml);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parser_survives_random_text(input in any::<String>()) {
        exercise(&input)?;
    }

    #[test]
    fn parser_survives_markup_soup(input in "[<>/=\"'&;#a-zA-Z0-9 \\n!?\\[\\]:.-]{0,200}") {
        exercise(&input)?;
    }

    #[test]
    fn parser_survives_mutated_documents(
        doc in newer_response(),
        mutations in vec(mutation(), 1..4),
    ) {
        exercise(&mutate(doc.to_xml(), &mutations))?;
    }
}
