//! Fixture documents for every verb, noun and SSML element, each with every attribute set.
//! Each fixture is built with the builder, compared with the file (the indented form), parsed
//! back (indented and compact) to an equal value, and checked to validate without errors.
//!
//! To regenerate the files after a deliberate change of the writer:
//! `LAML_BLESS=1 cargo test -p mycpaas-laml --test fixtures`, then review the diff.

use mycpaas_laml::*;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

fn check(name: &str, built: &Response) {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("LAML_BLESS").is_some() {
        std::fs::write(&path, built.to_xml_pretty()).expect("write fixture");
    }
    let text = std::fs::read_to_string(&path).expect("read fixture");
    assert_eq!(built.to_xml_pretty(), text, "{name}: indented output");
    assert_eq!(
        &parse(&text).expect("fixture parses"),
        built,
        "{name}: parsed"
    );
    let compact = built.to_xml();
    assert_eq!(
        &parse(&compact).expect("compact parses"),
        built,
        "{name}: compact"
    );
    assert_eq!(compact, built.to_string());
    assert!(
        !compact.contains(">\n"),
        "compact output has no newlines between elements"
    );
    assert_attributes_sorted(&compact);
    let errors: Vec<_> = built
        .validate()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
}

/// Every start tag lists its attributes in alphabetical order.
fn assert_attributes_sorted(xml: &str) {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(e) | Event::Empty(e) => {
                let names: Vec<String> = e
                    .attributes()
                    .map(|a| String::from(a.expect("attribute").key.as_ref()))
                    .collect();
                let mut sorted = names.clone();
                sorted.sort();
                assert_eq!(names, sorted, "attributes of <{}>", e.name().as_ref());
            }
            Event::Eof => break,
            _ => {}
        }
    }
}

const URL: &str = "https://example.com/laml";

#[test]
fn say_with_every_ssml_element() {
    let say = Say::new("Welcome & <hello> \"friend\". ")
        .voice(Voice::polly_neural("Joanna"))
        .language("en-US")
        .loop_count(2)
        .ssml(
            Break::new()
                .strength(BreakStrength::XStrong)
                .time(BreakTime::Milliseconds(750)),
        )
        .ssml(
            Emphasis::new()
                .level(EmphasisLevel::Moderate)
                .text("very ")
                .child(Word::new().role("amazon:VB").text("read")),
        )
        .ssml(Lang::new().xml_lang("fr-FR").text("bonjour"))
        .ssml(
            Paragraph::new().child(
                Sentence::new()
                    .text("One sentence")
                    .child(Break::new().time(BreakTime::Seconds(1))),
            ),
        )
        .ssml(
            Phoneme::new("tomato")
                .alphabet(PhonemeAlphabet::Ipa)
                .ph("təˈmeɪtoʊ"),
        )
        .ssml(
            Prosody::new()
                .pitch(ProsodyPitch::Percent(-10))
                .rate(ProsodyRate::Percent(90))
                .volume(ProsodyVolume::Decibels(6))
                .text("slow and loud"),
        )
        .ssml(
            SayAs::new("12/25")
                .interpret_as(InterpretAs::Date)
                .format(SayAsFormat::Md),
        )
        .ssml(Sub::new("Al").alias("aluminium"))
        .text(" bye");
    let gather_say = Say::new("Inside").voice(Voice::Man).language("de-DE");
    check(
        "say.xml",
        &Response::new()
            .say(say)
            .say(Say::new("Plain").voice(Voice::Woman))
            .gather(Gather::new().say(gather_say)),
    );
}

#[test]
fn play_pause() {
    check(
        "play_pause.xml",
        &Response::new()
            .play(Play::new(format!("{URL}/music.mp3")).loop_count(0))
            .pause(Pause::seconds(3))
            .play(Play::send_digits("ww1234#")),
    );
}

#[test]
fn gather_with_every_attribute() {
    let gather = Gather::new()
        .action("/menu?step=1&lang=en")
        .action_on_empty_result(true)
        .enhanced(true)
        .finish_on_key("*")
        .hints("sales, support")
        .input([GatherInput::Dtmf, GatherInput::Speech])
        .language("en-GB")
        .method(Method::Get)
        .num_digits(4)
        .partial_result_callback(format!("{URL}/partial"))
        .partial_result_callback_method(Method::Post)
        .profanity_filter(false)
        .speech_model("phone_call")
        .speech_timeout(SpeechTimeout::Auto)
        .timeout(7)
        .say("Enter your PIN")
        .play(format!("{URL}/beep.wav"))
        .pause(Pause::new());
    let second = Gather::new()
        .input([GatherInput::Speech])
        .speech_timeout(SpeechTimeout::Seconds(3))
        .finish_on_key("");
    check("gather.xml", &Response::new().gather(gather).gather(second));
}

#[test]
fn dial_numbers() {
    let dial = Dial::new()
        .action("/after-dial")
        .answer_on_bridge(true)
        .caller_id("+15550001111")
        .hangup_on_star(true)
        .method(Method::Post)
        .record(DialRecord::RecordFromRingingDual)
        .recording_status_callback(format!("{URL}/recording"))
        .recording_status_callback_event([
            RecordingEvent::InProgress,
            RecordingEvent::Completed,
            RecordingEvent::Absent,
        ])
        .recording_status_callback_method(Method::Get)
        .recording_track(RecordingTrack::Inbound)
        .ring_tone("gb")
        .time_limit(600)
        .timeout(25)
        .trim(Trim::TrimSilence)
        .number(
            Number::new("+15551230001")
                .method(Method::Get)
                .send_digits("ww12#")
                .status_callback(format!("{URL}/progress"))
                .status_callback_event([
                    CallProgressEvent::Initiated,
                    CallProgressEvent::Ringing,
                    CallProgressEvent::Answered,
                    CallProgressEvent::Completed,
                ])
                .status_callback_method(Method::Post)
                .url(format!("{URL}/whisper")),
        )
        .number("+15551230002");
    check(
        "dial_number.xml",
        &Response::new()
            .dial(Dial::new().bare_number("+15550009999"))
            .dial(dial),
    );
}

#[test]
fn dial_sip() {
    let sip = Sip::new("sip:alice@example.com;transport=tls")
        .method(Method::Get)
        .password("s3cret")
        .status_callback(format!("{URL}/sip-status"))
        .status_callback_event([CallProgressEvent::Answered])
        .status_callback_method(Method::Get)
        .url(format!("{URL}/sip-whisper"))
        .username("alice");
    check("dial_sip.xml", &Response::new().dial(Dial::new().sip(sip)));
}

#[test]
fn dial_conference() {
    let conference = Conference::new("room-42")
        .beep(ConferenceBeep::OnEnter)
        .coach("CA0123456789abcdef0123456789abcdef")
        .end_conference_on_exit(true)
        .max_participants(10)
        .muted(true)
        .record(ConferenceRecord::RecordFromStart)
        .recording_status_callback(format!("{URL}/conf-recording"))
        .recording_status_callback_event([RecordingEvent::Completed])
        .recording_status_callback_method(Method::Post)
        .start_conference_on_enter(false)
        .status_callback(format!("{URL}/conf-status"))
        .status_callback_event([
            ConferenceEvent::Start,
            ConferenceEvent::End,
            ConferenceEvent::Join,
            ConferenceEvent::Leave,
            ConferenceEvent::Mute,
            ConferenceEvent::Hold,
            ConferenceEvent::Speaker,
        ])
        .status_callback_method(Method::Get)
        .trim(Trim::DoNotTrim)
        .wait_method(Method::Get)
        .wait_url(format!("{URL}/hold-music"));
    check(
        "dial_conference.xml",
        &Response::new().dial(Dial::new().conference(conference)),
    );
}

#[test]
fn dial_queue() {
    check(
        "dial_queue.xml",
        &Response::new().dial(
            Dial::new().queue(
                Queue::new("support")
                    .method(Method::Get)
                    .url(format!("{URL}/about-to-connect")),
            ),
        ),
    );
}

#[test]
fn record_with_every_attribute() {
    let record = Record::new()
        .action("/recorded")
        .finish_on_key("#*")
        .max_length(120)
        .method(Method::Get)
        .play_beep(false)
        .recording_status_callback(format!("{URL}/rec"))
        .recording_status_callback_event([RecordingEvent::Completed])
        .recording_status_callback_method(Method::Get)
        .timeout(4)
        .transcribe(true)
        .transcribe_callback(format!("{URL}/transcript"))
        .trim(Trim::TrimSilence);
    check(
        "record.xml",
        &Response::new().say("Speak after the beep").record(record),
    );
}

#[test]
fn hangup() {
    check("hangup.xml", &Response::new().hangup());
}

#[test]
fn redirect() {
    check(
        "redirect.xml",
        &Response::new().redirect(Redirect::new(format!("{URL}/next?a=1&b=2")).method(Method::Get)),
    );
}

#[test]
fn reject() {
    check(
        "reject.xml",
        &Response::new().reject(Reject::new().reason(RejectReason::Busy)),
    );
}

#[test]
fn enqueue_and_leave() {
    check(
        "enqueue_leave.xml",
        &Response::new()
            .enqueue(
                Enqueue::new("support")
                    .action("/dequeued")
                    .method(Method::Get)
                    .wait_url(format!("{URL}/wait"))
                    .wait_url_method(Method::Post),
            )
            .leave(),
    );
}

#[test]
fn sms() {
    check(
        "sms.xml",
        &Response::new().sms(
            Sms::new("Your code is 1234 <keep it secret>")
                .action("/sms-sent")
                .from("+15550001111")
                .method(Method::Post)
                .status_callback(format!("{URL}/sms-status"))
                .to("+15550002222"),
        ),
    );
}

#[test]
fn refer() {
    check(
        "refer.xml",
        &Response::new().refer(
            Refer::new("sip:bob@example.com")
                .action("/referred")
                .method(Method::Get),
        ),
    );
}

#[test]
fn echo() {
    check("echo.xml", &Response::new().echo(Echo::new().timeout(30)));
}

#[test]
fn connect_start_stop() {
    let stream = Stream::new("wss://media.example.com/stream")
        .name("transcriber")
        .status_callback(format!("{URL}/stream-status"))
        .status_callback_method(Method::Get)
        .track(StreamTrack::BothTracks)
        .parameter("customer", "42")
        .parameter("mood", "a \"happy\" one");
    check(
        "connect_start_stop.xml",
        &Response::new()
            .start(
                Start::new()
                    .action("/started")
                    .method(Method::Get)
                    .stream(stream.clone().track(StreamTrack::InboundTrack)),
            )
            .stop(
                Stop::new()
                    .action("/stopped")
                    .method(Method::Post)
                    .stream(Stream::named("transcriber")),
            )
            .connect(
                Connect::new()
                    .action("/connected")
                    .method(Method::Post)
                    .stream(stream)
                    .room("standup"),
            ),
    );
}

/// The benches' document, included rather than written again.
#[path = "../benches/common/mod.rs"]
mod bench_common;

#[test]
fn reference_ivr_document() {
    let doc = bench_common::with_reference_verbs(Response::new());
    assert_eq!(
        doc.to_xml(),
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#,
            r#"<Say language="en-US" voice="alice">Welcome to Example Corp.</Say>"#,
            r#"<Gather action="/menu" input="dtmf speech" numDigits="1" timeout="5">"#,
            r#"<Say>Press 1 for sales, 2 for support.</Say></Gather>"#,
            r#"<Play loop="2">https://example.com/hold.mp3</Play>"#,
            r#"<Pause length="1"/>"#,
            r#"<Redirect method="POST">/start</Redirect></Response>"#,
        )
    );
    check("reference_ivr.xml", &doc);
}

#[test]
fn empty_response_is_valid() {
    let doc = Response::new();
    assert_eq!(
        doc.to_xml(),
        r#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#
    );
    check("empty.xml", &doc);
    assert!(doc.validate().is_empty());
}
