"""mycpaas.laml: what a user builds is what the platform gets, and documents read back into the same objects."""

from __future__ import annotations

import pytest

import mycpaas
from mycpaas import laml
from mycpaas.laml import Response

DECL = '<?xml version="1.0" encoding="UTF-8"?>'


def body(resp: Response) -> str:
    """The document without its XML declaration and Response wrapper."""
    xml = str(resp)
    assert xml.startswith(DECL + "<Response>") and xml.endswith("</Response>"), xml
    return xml[len(DECL + "<Response>") : -len("</Response>")]


def test_empty_response_is_a_valid_document() -> None:
    assert str(Response()) == DECL + "<Response/>"
    assert Response().validate() == []


def test_chained_builder_and_nested_gather_from_the_issue() -> None:
    resp = Response().say("Hi", voice="alice").play("https://example.com/a.mp3", loop=2)
    with resp.gather(num_digits=1, action="/menu") as g:
        g.say("Press 1")
    assert body(resp) == (
        '<Say voice="alice">Hi</Say>'
        '<Play loop="2">https://example.com/a.mp3</Play>'
        '<Gather action="/menu" numDigits="1"><Say>Press 1</Say></Gather>'
    )


# Every verb, with the attributes written in alphabetical order as existing generators do.
@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda r: r.say("Hello & bye", language="en-US", loop=0), '<Say language="en-US" loop="0">Hello &amp; bye</Say>'),
        (lambda r: r.play(digits="ww12"), '<Play digits="ww12"/>'),
        (lambda r: r.pause(length=3), '<Pause length="3"/>'),
        (
            lambda r: r.record(action="/rec", max_length=30, play_beep=False, trim="trim-silence"),
            '<Record action="/rec" maxLength="30" playBeep="false" trim="trim-silence"/>',
        ),
        (lambda r: r.hangup(), "<Hangup/>"),
        (lambda r: r.redirect("/next", method="GET"), '<Redirect method="GET">/next</Redirect>'),
        (lambda r: r.reject(reason="busy"), '<Reject reason="busy"/>'),
        (
            lambda r: r.enqueue("support", wait_url="/wait"),
            '<Enqueue waitUrl="/wait">support</Enqueue>',
        ),
        (lambda r: r.leave(), "<Leave/>"),
        (
            lambda r: r.sms("On my way", to="+15551230000", from_="+15559870000"),
            '<Sms from="+15559870000" to="+15551230000">On my way</Sms>',
        ),
        (lambda r: r.refer("sip:alice@example.com", action="/done"), '<Refer action="/done"><Sip>sip:alice@example.com</Sip></Refer>'),
        (lambda r: r.echo(timeout=30), '<Echo timeout="30"/>'),
        (
            lambda r: r.gather(input="dtmf speech", speech_timeout="auto", timeout=5).play("https://e.x/a.mp3").pause(),
            '<Gather input="dtmf speech" speechTimeout="auto" timeout="5"><Play>https://e.x/a.mp3</Play><Pause/></Gather>',
        ),
        (
            lambda r: r.dial(caller_id="+15550000000", record="record-from-answer")
            .number("+15551110000", send_digits="ww1", status_callback_event=["initiated", "answered"])
            .sip("sip:bob@example.com", username="bob"),
            '<Dial callerId="+15550000000" record="record-from-answer">'
            '<Number sendDigits="ww1" statusCallbackEvent="initiated answered">+15551110000</Number>'
            '<Sip username="bob">sip:bob@example.com</Sip></Dial>',
        ),
        (lambda r: r.dial("+15551230000", timeout=20), '<Dial timeout="20">+15551230000</Dial>'),
        (
            lambda r: r.dial().conference("room-1", beep="onEnter", muted=True),
            '<Dial><Conference beep="onEnter" muted="true">room-1</Conference></Dial>',
        ),
        (lambda r: r.dial().queue("support", url="/about"), '<Dial><Queue url="/about">support</Queue></Dial>'),
        (
            lambda r: r.connect(action="/after").stream("wss://media.example.com/s", parameters=[("a", "1")], track="both_tracks"),
            '<Connect action="/after"><Stream track="both_tracks" url="wss://media.example.com/s">'
            '<Parameter name="a" value="1"/></Stream></Connect>',
        ),
        (lambda r: r.connect().room("standup"), "<Connect><Room>standup</Room></Connect>"),
        (lambda r: r.start().stream("wss://m.example.com", name="s1"), '<Start><Stream name="s1" url="wss://m.example.com"/></Start>'),
        (lambda r: r.stop().stream(name="s1"), '<Stop><Stream name="s1"/></Stop>'),
    ],
)
def test_every_verb_writes_its_element(build, expected: str) -> None:  # type: ignore[no-untyped-def]
    resp = Response()
    build(resp)
    assert body(resp) == expected
    # and reads back into an equal document
    assert laml.parse(str(resp)) == resp


def test_pretty_output_indents_but_keeps_say_text() -> None:
    resp = Response().say("Hello  there")
    resp.gather(num_digits=1).say("Press 1")
    assert resp.to_xml(pretty=True) == (
        DECL + "\n<Response>\n"
        "  <Say>Hello  there</Say>\n"
        '  <Gather numDigits="1">\n'
        "    <Say>Press 1</Say>\n"
        "  </Gather>\n"
        "</Response>\n"
    ) or resp.to_xml(pretty=True).rstrip("\n") == (
        DECL + "\n<Response>\n"
        "  <Say>Hello  there</Say>\n"
        '  <Gather numDigits="1">\n'
        "    <Say>Press 1</Say>\n"
        "  </Gather>\n"
        "</Response>"
    )


def test_prebuilt_elements_can_be_appended() -> None:
    gather = laml.Gather(num_digits=2).append(laml.Say("Enter your code"))
    resp = Response().append(laml.Say("Welcome")).append(gather).append(laml.Hangup())
    gather.say("now")  # still linked: a later change shows in the document
    assert body(resp) == (
        "<Say>Welcome</Say>"
        '<Gather numDigits="2"><Say>Enter your code</Say><Say>now</Say></Gather>'
        "<Hangup/>"
    )


def test_attributes_read_back_from_a_parsed_document() -> None:
    resp = laml.parse(
        '<Response><Gather input="dtmf speech" numDigits="4" action="/pin" actionOnEmptyResult="true">'
        '<Say voice="Polly.Joanna">PIN?</Say></Gather><Dial timeout="10"><Number>+15551230000</Number></Dial></Response>'
    )
    gather, dial = resp.verbs
    assert isinstance(gather, laml.Gather) and isinstance(dial, laml.Dial)
    assert gather.num_digits == 4
    assert gather.input == ["dtmf", "speech"]
    assert gather.action == "/pin"
    assert gather.action_on_empty_result is True
    assert gather.timeout is None
    (say,) = gather.children
    assert isinstance(say, laml.Say) and say.text == "PIN?" and say.voice == "Polly.Joanna"
    assert dial.timeout == 10
    (number,) = dial.nouns
    assert isinstance(number, laml.Number) and number.number == "+15551230000"


def test_bad_attribute_value_names_the_attribute_and_rule() -> None:
    with pytest.raises(mycpaas.ValidationError) as info:
        Response().gather(num_digits="four")  # type: ignore[arg-type]
    assert info.value.parameter == "num_digits"
    assert "whole number" in info.value.rule
    with pytest.raises(mycpaas.ValidationError) as info:
        Response().redirect("/x", method="PUT")  # type: ignore[arg-type]
    assert info.value.parameter == "method"
    assert "GET" in info.value.rule and "POST" in info.value.rule
    with pytest.raises(mycpaas.ValidationError):
        Response().gather(input=["dtmf", "telepathy"])


def test_unknown_attribute_is_a_type_error_listing_the_known_ones() -> None:
    with pytest.raises(TypeError, match="voice"):
        Response().say("Hi", vioce="alice")  # type: ignore[call-arg]


def test_only_say_play_pause_nest_in_gather() -> None:
    with pytest.raises(mycpaas.ValidationError):
        laml.Gather().append(laml.Hangup())  # type: ignore[arg-type]


def test_parse_error_reports_line_and_column() -> None:
    with pytest.raises(mycpaas.LamlParseError) as info:
        laml.parse("<Response>\n  <Say>Hi</Say>\n  <Play>\n</Response>")
    assert info.value.line >= 3
    assert info.value.column >= 1
    assert isinstance(info.value, ValueError)


def test_parse_refuses_a_lower_case_verb() -> None:
    with pytest.raises(mycpaas.LamlParseError):
        laml.parse("<Response><play>https://x</play></Response>")


def test_repr_shows_the_xml() -> None:
    assert repr(laml.Say("Hi", voice="alice")) == '<Say voice="alice">Hi</Say>'
    assert "<Say>Hi</Say>" in repr(Response().say("Hi"))


def test_validate_returns_diagnostics_for_unreachable_verbs() -> None:
    resp = Response().hangup().say("never spoken")
    diagnostics = resp.validate()
    for d in diagnostics:
        assert d.severity in ("error", "warning")
        assert d.path and d.message


def test_ssml_inside_say() -> None:
    say = (
        laml.Say(voice="Polly.Joanna")
        .add_text("Your code is ")
        .say_as("1234", interpret_as="digits")
        .break_(time="500ms")
        .emphasis("now", level="strong")
        .prosody("slowly", rate="80%")
        .sub("W3C", alias="World Wide Web Consortium")
    )
    resp = Response().append(say)
    assert body(resp) == (
        '<Say voice="Polly.Joanna">Your code is <say-as interpret-as="digits">1234</say-as>'
        '<break time="500ms"/><emphasis level="strong">now</emphasis>'
        '<prosody rate="80%">slowly</prosody><sub alias="World Wide Web Consortium">W3C</sub></Say>'
    )
    assert say.text == "Your code is 1234nowslowlyW3C"
    assert laml.parse(str(resp)) == resp


def test_ssml_markup_is_checked_by_the_parser() -> None:
    say = laml.Say().ssml('Hello <break strength="weak"/> there')
    assert "<break strength=\"weak\"/>" in repr(say)
    with pytest.raises(mycpaas.LamlParseError):
        laml.Say().break_(time="forever")
    with pytest.raises(mycpaas.LamlParseError):
        laml.Say().ssml("<emphasis>unclosed")


FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[2] / "crates" / "mycpaas-laml" / "tests" / "fixtures"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.xml")), ids=lambda p: p.stem)
def test_every_fixture_of_the_rust_crate_reads_and_writes_back(fixture) -> None:  # type: ignore[no-untyped-def]
    doc = laml.parse(fixture.read_text(encoding="utf-8"))
    again = laml.parse(str(doc))
    assert again == doc
    assert again.to_xml(pretty=True) == doc.to_xml(pretty=True)
