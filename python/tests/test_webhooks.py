"""mycpaas.webhooks: the signature vectors of the reference, and typed parsing of every webhook."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import mycpaas
from mycpaas import webhooks

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
URL_443 = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
SIG = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
SIG_443 = "kvajT1Ptam85bY51eRf/AJRuM3w="
BODY = b'{"property": "value", "boolean": true}'
BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"


def test_reference_vector_for_form_params() -> None:
    assert webhooks.compute_signature(URL, PARAMS, TOKEN) == SIG
    assert webhooks.compute_signature(URL_443, PARAMS, TOKEN) == SIG_443


@pytest.mark.parametrize("url", [URL, URL_443])
@pytest.mark.parametrize("signature", [SIG, SIG_443])
def test_either_signature_validates_for_either_url_form(url: str, signature: str) -> None:
    assert webhooks.validate_signature(url, PARAMS, signature, TOKEN)


def test_params_as_list_of_pairs_in_any_order() -> None:
    pairs = list(reversed(list(PARAMS.items())))
    assert webhooks.validate_signature(URL, pairs, SIG, TOKEN)


def test_tampering_is_refused() -> None:
    assert not webhooks.validate_signature(URL, {**PARAMS, "Digits": "9999"}, SIG, TOKEN)
    assert not webhooks.validate_signature(URL, PARAMS, SIG, "other-token")
    assert not webhooks.validate_signature(URL.replace("foo=1", "foo=2"), PARAMS, SIG, TOKEN)
    assert not webhooks.validate_signature(URL, PARAMS, "", TOKEN)


def test_repeated_names_sign_every_value() -> None:
    as_dict = webhooks.compute_signature(URL, {"Event": ["b", "a"]}, TOKEN)
    as_pairs = webhooks.compute_signature(URL, [("Event", "a"), ("Event", "b")], TOKEN)
    assert as_dict == as_pairs
    assert as_dict != webhooks.compute_signature(URL, {"Event": "a"}, TOKEN)


def test_json_body_vector() -> None:
    assert webhooks.body_sha256(BODY) == BODY_HASH
    url = f"https://mycompany.com/myapp.php?bodySHA256={BODY_HASH}"
    assert webhooks.compute_signature(url, {}, TOKEN) == "y77kIzt2vzLz71DgmJGsen2scGs="
    assert webhooks.validate_body_signature(url, BODY, "y77kIzt2vzLz71DgmJGsen2scGs=", TOKEN)
    assert not webhooks.validate_body_signature(url, BODY + b" ", "y77kIzt2vzLz71DgmJGsen2scGs=", TOKEN)


BASE = {
    "AccountSid": "AC1",
    "ApiVersion": "2010-04-01",
    "CallSid": "CA1",
    "CallStatus": "in-progress",
    "Direction": "outbound-api",
    "From": "+15550001111",
    "To": "+15550002222",
}


def test_voice_request_keeps_unknown_params() -> None:
    req = webhooks.parse_voice_request({**BASE, "Caller": "+15550001111"})
    assert (req.call_sid, req.call_status, req.direction) == ("CA1", "in-progress", "outbound-api")
    assert (req.from_, req.to, req.account_sid) == ("+15550001111", "+15550002222", "AC1")
    assert req.parent_call_sid is None
    assert req.extra == [("Caller", "+15550001111")]


def test_status_callback_is_typed() -> None:
    cb = webhooks.parse_status_callback(
        {
            **BASE,
            "CallStatus": "completed",
            "CallbackSource": "call-progress-events",
            "SequenceNumber": "3",
            "Timestamp": "Tue, 31 Aug 2010 20:36:28 +0000",
            "CallDuration": "15",
        }
    )
    assert cb.call_status == "completed"
    assert cb.sequence_number == 3 and cb.call_duration == 15
    assert cb.callback_source == "call-progress-events"
    assert cb.timestamp == datetime(2010, 8, 31, 20, 36, 28, tzinfo=timezone.utc)


def test_status_callback_with_a_bad_number_names_it() -> None:
    with pytest.raises(mycpaas.ValidationError) as info:
        webhooks.parse_status_callback({**BASE, "SequenceNumber": "three"})
    assert info.value.parameter == "SequenceNumber"


def test_gather_record_and_dial_results() -> None:
    g = webhooks.parse_gather_result({**BASE, "Digits": "42", "SpeechResult": "forty two", "Confidence": "0.87"})
    assert (g.digits, g.speech_result, g.confidence) == ("42", "forty two", 0.87)
    r = webhooks.parse_record_result(
        {**BASE, "RecordingUrl": "https://r/1", "RecordingDuration": "7", "RecordingSid": "RE1", "Digits": "#"}
    )
    assert (r.recording_url, r.recording_duration, r.recording_sid, r.digits) == ("https://r/1", 7, "RE1", "#")
    d = webhooks.parse_dial_result({**BASE, "DialCallStatus": "busy", "DialCallSid": "CA2", "DialCallDuration": "0"})
    assert (d.dial_call_status, d.dial_call_sid, d.dial_call_duration) == ("busy", "CA2", 0)


def test_unknown_status_values_are_kept() -> None:
    req = webhooks.parse_voice_request({**BASE, "CallStatus": "teleporting"})
    assert req.call_status == "teleporting"


def test_an_empty_auth_token_is_refused_not_validated() -> None:
    url = "https://example.com/voice"
    forged = webhooks.compute_signature(url, {"CallSid": "CA1"}, "x")
    for check in (
        lambda: webhooks.validate_signature(url, {"CallSid": "CA1"}, forged, ""),
        lambda: webhooks.validate_body_signature(url + "?bodySHA256=00", b"{}", forged, ""),
        lambda: webhooks.compute_signature(url, {"CallSid": "CA1"}, ""),
    ):
        with pytest.raises(mycpaas.ValidationError) as info:
            check()
        assert info.value.parameter == "auth_token"


def test_recording_status_and_transcription_callbacks_are_typed() -> None:
    from mycpaas.webhooks import parse_recording_status_callback, parse_transcription_callback

    recording = parse_recording_status_callback(
        {
            "AccountSid": "AC1",
            "CallSid": "CA1",
            "RecordingSid": "RE1",
            "RecordingUrl": "https://example.com/Recordings/RE1",
            "RecordingStatus": "completed",
            "RecordingDuration": "5",
            "RecordingChannels": "1",
            "RecordingSource": "RecordVerb",
            "RecordingStartTime": "Tue, 31 Aug 2010 20:36:28 +0000",
            "Custom": "kept",
        }
    )
    assert (recording.call_sid, recording.recording_sid, recording.recording_status) == ("CA1", "RE1", "completed")
    assert (recording.recording_duration, recording.recording_channels) == (5, 1)
    assert recording.recording_source == "RecordVerb"
    assert recording.recording_start_time is not None and recording.recording_start_time.year == 2010
    assert recording.extra == [("Custom", "kept")]
    with pytest.raises(mycpaas.ValidationError, match="RecordingDuration"):
        parse_recording_status_callback({"RecordingDuration": "long"})

    transcription = parse_transcription_callback(
        {"TranscriptionSid": "TR1", "TranscriptionText": "call me back", "TranscriptionStatus": "completed"}
    )
    assert (transcription.transcription_sid, transcription.transcription_text) == ("TR1", "call me back")
    assert transcription.transcription_status == "completed"


def test_conference_status_callbacks_are_typed() -> None:
    from mycpaas.webhooks import parse_conference_status_callback

    callback = parse_conference_status_callback(
        {
            "AccountSid": "AC1",
            "ConferenceSid": "CF1",
            "FriendlyName": "support",
            "CallSid": "CA1",
            "StatusCallbackEvent": "participant-join",
            "SequenceNumber": "2",
            "Timestamp": "Tue, 31 Aug 2010 20:36:28 +0000",
            "Muted": "false",
            "Hold": "true",
            "EndConferenceOnExit": "true",
        }
    )
    assert (callback.conference_sid, callback.friendly_name, callback.call_sid) == ("CF1", "support", "CA1")
    assert (callback.status_callback_event, callback.sequence_number) == ("participant-join", 2)
    assert (callback.muted, callback.hold, callback.end_conference_on_exit) == (False, True, True)
    assert callback.start_conference_on_enter is None
    assert callback.timestamp is not None and callback.timestamp.year == 2010
    with pytest.raises(mycpaas.ValidationError, match="Muted"):
        parse_conference_status_callback({"Muted": "maybe"})


def test_queue_requests_are_typed() -> None:
    from mycpaas.webhooks import parse_queue_request

    waiting = parse_queue_request(
        {
            "CallSid": "CA1",
            "QueueSid": "QU1",
            "QueuePosition": "2",
            "CurrentQueueSize": "3",
            "AvgQueueTime": "40",
            "QueueTime": "12",
        }
    )
    assert (waiting.call_sid, waiting.queue_sid, waiting.queue_position) == ("CA1", "QU1", 2)
    assert (waiting.current_queue_size, waiting.avg_queue_time, waiting.queue_time) == (3, 40, 12)
    assert waiting.queue_result is None and waiting.dequeueing_call_sid is None
    left = parse_queue_request({"QueueSid": "QU1", "QueueResult": "hangup", "QueueTime": "5", "Extra": "x"})
    assert (left.queue_result, left.queue_time, left.extra) == ("hangup", 5, [("Extra", "x")])
    taken = parse_queue_request({"QueueSid": "QU1", "DequeueingCallSid": "CA9"})
    assert taken.dequeueing_call_sid == "CA9"
    with pytest.raises(mycpaas.ValidationError, match="QueuePosition"):
        parse_queue_request({"QueuePosition": "first"})
