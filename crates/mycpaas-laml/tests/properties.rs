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

fn volume() -> impl Strategy<Value = ProsodyVolume> {
    prop_oneof![
        Just(ProsodyVolume::Default),
        Just(ProsodyVolume::Silent),
        Just(ProsodyVolume::XSoft),
        Just(ProsodyVolume::Soft),
        Just(ProsodyVolume::Medium),
        Just(ProsodyVolume::Loud),
        Just(ProsodyVolume::XLoud),
        (-i32::MAX..=i32::MAX).prop_map(ProsodyVolume::Decibels),
    ]
}

fn rate() -> impl Strategy<Value = ProsodyRate> {
    prop_oneof![
        Just(ProsodyRate::XSlow),
        Just(ProsodyRate::Slow),
        Just(ProsodyRate::Medium),
        Just(ProsodyRate::Fast),
        Just(ProsodyRate::XFast),
        any::<u32>().prop_map(ProsodyRate::Percent),
    ]
}

fn pitch() -> impl Strategy<Value = ProsodyPitch> {
    prop_oneof![
        Just(ProsodyPitch::Default),
        Just(ProsodyPitch::XLow),
        Just(ProsodyPitch::Low),
        Just(ProsodyPitch::Medium),
        Just(ProsodyPitch::High),
        Just(ProsodyPitch::XHigh),
        (-i32::MAX..=i32::MAX).prop_map(ProsodyPitch::Percent),
    ]
}

fn speech_timeout() -> impl Strategy<Value = SpeechTimeout> {
    prop_oneof![
        Just(SpeechTimeout::Auto),
        any::<u32>().prop_map(SpeechTimeout::Seconds)
    ]
}

// ---- SSML -------------------------------------------------------------------------------

/// The SSML table of the specification: what may appear directly inside `parent`.
fn allowed(parent: &str, child: &str) -> bool {
    let inline = [
        "break", "emphasis", "lang", "phoneme", "prosody", "say-as", "sub", "w",
    ];
    match parent {
        "Say" | "lang" | "prosody" => true,
        "p" => child != "p",
        "s" | "emphasis" => inline.contains(&child),
        "w" => inline.contains(&child) && child != "lang" && child != "w",
        _ => false,
    }
}

fn children(parent: &'static str, depth: u32) -> BoxedStrategy<Vec<SsmlNode>> {
    vec(ssml_node(parent, depth), 0..4).boxed()
}

fn ssml_node(parent: &'static str, depth: u32) -> BoxedStrategy<SsmlNode> {
    let mut options: Vec<(u32, BoxedStrategy<SsmlNode>)> =
        vec![(6, text().prop_map(SsmlNode::Text).boxed())];
    let mut add = |name: &str, strategy: BoxedStrategy<SsmlNode>| {
        if allowed(parent, name) {
            options.push((1, strategy));
        }
    };
    add(
        "break",
        (opt(select(BreakStrength::ALL.to_vec())), opt(break_time()))
            .prop_map(|(strength, time)| {
                let mut e = Break::new();
                e.strength = strength;
                e.time = time;
                e.into()
            })
            .boxed(),
    );
    add(
        "phoneme",
        (
            text(),
            opt(select(PhonemeAlphabet::ALL.to_vec())),
            opt(text()),
        )
            .prop_map(|(t, alphabet, ph)| {
                let mut e = Phoneme::new(t);
                e.alphabet = alphabet;
                e.ph = ph;
                e.into()
            })
            .boxed(),
    );
    add(
        "say-as",
        (
            text(),
            opt(select(SayAsFormat::ALL.to_vec())),
            opt(select(InterpretAs::ALL.to_vec())),
        )
            .prop_map(|(t, format, interpret_as)| {
                let mut e = SayAs::new(t);
                e.format = format;
                e.interpret_as = interpret_as;
                e.into()
            })
            .boxed(),
    );
    add(
        "sub",
        (text(), opt(text()))
            .prop_map(|(t, alias)| {
                let mut e = Sub::new(t);
                e.alias = alias;
                e.into()
            })
            .boxed(),
    );
    if depth > 0 {
        let d = depth - 1;
        add(
            "emphasis",
            (
                opt(select(EmphasisLevel::ALL.to_vec())),
                children("emphasis", d),
            )
                .prop_map(|(level, nodes)| {
                    let mut e = Emphasis::new();
                    e.level = level;
                    nodes.into_iter().fold(e, Emphasis::child).into()
                })
                .boxed(),
        );
        add(
            "lang",
            (opt(text()), children("lang", d))
                .prop_map(|(lang, nodes)| {
                    let mut e = Lang::new();
                    e.xml_lang = lang;
                    nodes.into_iter().fold(e, Lang::child).into()
                })
                .boxed(),
        );
        add(
            "p",
            children("p", d)
                .prop_map(|nodes| {
                    nodes
                        .into_iter()
                        .fold(Paragraph::new(), Paragraph::child)
                        .into()
                })
                .boxed(),
        );
        add(
            "prosody",
            (
                opt(pitch()),
                opt(rate()),
                opt(volume()),
                children("prosody", d),
            )
                .prop_map(|(pitch, rate, volume, nodes)| {
                    let mut e = Prosody::new();
                    e.pitch = pitch;
                    e.rate = rate;
                    e.volume = volume;
                    nodes.into_iter().fold(e, Prosody::child).into()
                })
                .boxed(),
        );
        add(
            "s",
            children("s", d)
                .prop_map(|nodes| {
                    nodes
                        .into_iter()
                        .fold(Sentence::new(), Sentence::child)
                        .into()
                })
                .boxed(),
        );
        add(
            "w",
            (opt(text()), children("w", d))
                .prop_map(|(role, nodes)| {
                    let mut e = Word::new();
                    e.role = role;
                    nodes.into_iter().fold(e, Word::child).into()
                })
                .boxed(),
        );
    }
    Union::new_weighted(options).boxed()
}

// ---- verbs ------------------------------------------------------------------------------

fn say() -> impl Strategy<Value = Say> {
    (
        opt(text()),
        opt(any::<u32>()),
        opt(voice()),
        children("Say", 2),
    )
        .prop_map(|(language, loop_count, voice, nodes)| {
            let mut say = nodes.into_iter().fold(Say::new(""), Say::ssml);
            say.language = language;
            say.loop_count = loop_count;
            say.voice = voice;
            say
        })
}

fn play() -> impl Strategy<Value = Play> {
    (trimmed(), opt(text()), opt(any::<u32>())).prop_map(|(url, digits, loop_count)| {
        let mut play = Play::new(url);
        play.digits = digits;
        play.loop_count = loop_count;
        play
    })
}

fn pause() -> impl Strategy<Value = Pause> {
    opt(any::<u32>()).prop_map(|length| {
        let mut pause = Pause::new();
        pause.length = length;
        pause
    })
}

fn gather() -> impl Strategy<Value = Gather> {
    let attributes_a = (
        opt(text()),
        opt(any::<bool>()),
        opt(any::<bool>()),
        opt(text()),
        opt(text()),
        opt(vec(select(GatherInput::ALL.to_vec()), 0..3)),
        opt(text()),
        opt(method()),
    );
    let attributes_b = (
        opt(any::<u32>()),
        opt(text()),
        opt(method()),
        opt(any::<bool>()),
        opt(text()),
        opt(speech_timeout()),
        opt(any::<u32>()),
    );
    let child = prop_oneof![
        say().prop_map(GatherChild::Say),
        play().prop_map(GatherChild::Play),
        pause().prop_map(GatherChild::Pause),
    ];
    (attributes_a, attributes_b, vec(child, 0..4)).prop_map(|(a, b, children)| {
        let mut g = Gather::new();
        (
            g.action,
            g.action_on_empty_result,
            g.enhanced,
            g.finish_on_key,
            g.hints,
            g.input,
            g.language,
            g.method,
        ) = a;
        (
            g.num_digits,
            g.partial_result_callback,
            g.partial_result_callback_method,
            g.profanity_filter,
            g.speech_model,
            g.speech_timeout,
            g.timeout,
        ) = b;
        children.into_iter().fold(g, Gather::child)
    })
}

fn number() -> impl Strategy<Value = Number> {
    (
        trimmed(),
        opt(method()),
        opt(text()),
        opt(text()),
        opt(vec(select(CallProgressEvent::ALL.to_vec()), 0..4)),
        opt(method()),
        opt(text()),
    )
        .prop_map(|(n, method, send_digits, cb, events, cb_method, url)| {
            let mut number = Number::new(n);
            number.method = method;
            number.send_digits = send_digits;
            number.status_callback = cb;
            number.status_callback_event = events;
            number.status_callback_method = cb_method;
            number.url = url;
            number
        })
}

fn sip() -> impl Strategy<Value = Sip> {
    (
        trimmed(),
        opt(method()),
        opt(text()),
        opt(text()),
        opt(vec(select(CallProgressEvent::ALL.to_vec()), 0..4)),
        opt(method()),
        opt(text()),
        opt(text()),
    )
        .prop_map(
            |(uri, method, password, cb, events, cb_method, url, username)| {
                let mut sip = Sip::new(uri);
                sip.method = method;
                sip.password = password.map(SipPassword::new);
                sip.status_callback = cb;
                sip.status_callback_event = events;
                sip.status_callback_method = cb_method;
                sip.url = url;
                sip.username = username;
                sip
            },
        )
}

fn conference() -> impl Strategy<Value = Conference> {
    let a = (
        trimmed(),
        opt(select(ConferenceBeep::ALL.to_vec())),
        opt(text()),
        opt(any::<bool>()),
        opt(any::<u32>()),
        opt(any::<bool>()),
        opt(select(ConferenceRecord::ALL.to_vec())),
        opt(text()),
    );
    let b = (
        opt(vec(select(RecordingEvent::ALL.to_vec()), 0..3)),
        opt(method()),
        opt(any::<bool>()),
        opt(text()),
        opt(vec(select(ConferenceEvent::ALL.to_vec()), 0..7)),
        opt(method()),
        opt(select(Trim::ALL.to_vec())),
        opt(method()),
        opt(text()),
    );
    (a, b).prop_map(|(a, b)| {
        let mut c = Conference::new(a.0);
        (
            c.beep,
            c.coach,
            c.end_conference_on_exit,
            c.max_participants,
            c.muted,
            c.record,
            c.recording_status_callback,
        ) = (a.1, a.2, a.3, a.4, a.5, a.6, a.7);
        (
            c.recording_status_callback_event,
            c.recording_status_callback_method,
            c.start_conference_on_enter,
            c.status_callback,
            c.status_callback_event,
            c.status_callback_method,
            c.trim,
            c.wait_method,
            c.wait_url,
        ) = b;
        c
    })
}

fn queue() -> impl Strategy<Value = Queue> {
    (trimmed(), opt(method()), opt(text())).prop_map(|(name, method, url)| {
        let mut queue = Queue::new(name);
        queue.method = method;
        queue.url = url;
        queue
    })
}

fn dial() -> impl Strategy<Value = Dial> {
    let a = (
        opt(text()),
        opt(any::<bool>()),
        opt(text()),
        opt(any::<bool>()),
        opt(method()),
        opt(select(DialRecord::ALL.to_vec())),
        opt(text()),
    );
    let b = (
        opt(vec(select(RecordingEvent::ALL.to_vec()), 0..3)),
        opt(method()),
        opt(select(RecordingTrack::ALL.to_vec())),
        opt(text()),
        opt(any::<u32>()),
        opt(any::<u32>()),
        opt(select(Trim::ALL.to_vec())),
    );
    let noun = prop_oneof![
        number().prop_map(DialNoun::Number),
        sip().prop_map(DialNoun::Sip),
        conference().prop_map(DialNoun::Conference),
        queue().prop_map(DialNoun::Queue),
    ];
    let bare = opt(trimmed()).prop_map(|n| n.filter(|n| !n.is_empty()));
    (a, b, bare, vec(noun, 0..3)).prop_map(|(a, b, bare, nouns)| {
        let mut d = Dial::new();
        (
            d.action,
            d.answer_on_bridge,
            d.caller_id,
            d.hangup_on_star,
            d.method,
            d.record,
            d.recording_status_callback,
        ) = a;
        (
            d.recording_status_callback_event,
            d.recording_status_callback_method,
            d.recording_track,
            d.ring_tone,
            d.time_limit,
            d.timeout,
            d.trim,
        ) = b;
        d.bare_number = bare;
        nouns.into_iter().fold(d, Dial::noun)
    })
}

fn record() -> impl Strategy<Value = Record> {
    (
        (
            opt(text()),
            opt(text()),
            opt(any::<u32>()),
            opt(method()),
            opt(any::<bool>()),
            opt(text()),
        ),
        (
            opt(vec(select(RecordingEvent::ALL.to_vec()), 0..3)),
            opt(method()),
            opt(any::<u32>()),
            opt(any::<bool>()),
            opt(text()),
            opt(select(Trim::ALL.to_vec())),
        ),
    )
        .prop_map(|(a, b)| {
            let mut r = Record::new();
            (
                r.action,
                r.finish_on_key,
                r.max_length,
                r.method,
                r.play_beep,
                r.recording_status_callback,
            ) = a;
            (
                r.recording_status_callback_event,
                r.recording_status_callback_method,
                r.timeout,
                r.transcribe,
                r.transcribe_callback,
                r.trim,
            ) = b;
            r
        })
}

fn stream() -> impl Strategy<Value = Stream> {
    (
        opt(text()),
        opt(text()),
        opt(method()),
        opt(select(StreamTrack::ALL.to_vec())),
        opt(text()),
        vec((opt(text()), opt(text())), 0..3),
    )
        .prop_map(|(name, cb, cb_method, track, url, parameters)| {
            let mut s = Stream::default();
            s.name = name;
            s.status_callback = cb;
            s.status_callback_method = cb_method;
            s.track = track;
            s.url = url;
            s.parameters = parameters
                .into_iter()
                .map(|(name, value)| {
                    let mut p = Parameter::default();
                    p.name = name;
                    p.value = value;
                    p
                })
                .collect();
            s
        })
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
