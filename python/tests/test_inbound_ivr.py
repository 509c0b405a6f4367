"""The end-to-end IVR in Python: a Flask app (mycpaas.integrations.flask, on werkzeug's server) owns a number;
an inbound call presses 2 and leaves a 5-second message with <Record transcribe="true">. The test finds the
recording by its call, reads the WAV with the wave module, reads the transcription, and checks that every
webhook reached the app signed (the integration refuses any other) and typed."""

from __future__ import annotations

import io
import wave
from typing import Any

from flask import Flask

import mycpaas
from mycpaas import laml, testing
from mycpaas.integrations.flask import LamlResponse, webhook
from mycpaas.webhooks import (
    GatherResult,
    RecordingStatusCallback,
    RecordResult,
    StatusCallback,
    TranscriptionCallback,
    VoiceRequest,
)

NUMBER = "+14155550100"
CALLER = "+15557770123"


def ivr(token: str, seen: dict[str, list[Any]]) -> Flask:
    app = Flask(__name__)

    @app.post("/voice")
    @webhook(VoiceRequest, auth_token=token)
    def voice(request: VoiceRequest) -> LamlResponse:
        seen["voice"].append(request)
        menu = laml.Response()
        menu.gather(num_digits=1, action="/menu").say("Press 1 for sales, 2 to leave a message.")
        return LamlResponse(menu)

    @app.post("/menu")
    @webhook(GatherResult, auth_token=token)
    def menu(gather: GatherResult) -> LamlResponse:
        seen["menu"].append(gather)
        if gather.digits != "2":
            return LamlResponse(laml.Response().say("Goodbye"))
        message = laml.Response().say("Leave your message after the tone.").record(
            max_length=5,
            action="/recorded",
            recording_status_callback="/recording-status",
            transcribe=True,
            transcribe_callback="/transcribed",
        )
        return LamlResponse(message)

    @app.post("/recorded")
    @webhook(RecordResult, auth_token=token)
    def recorded(result: RecordResult) -> LamlResponse:
        seen["recorded"].append(result)
        return LamlResponse(laml.Response().say("Thanks").hangup())

    @app.post("/recording-status")
    @webhook(RecordingStatusCallback, auth_token=token)
    def recording_status(callback: RecordingStatusCallback) -> tuple[str, int]:
        seen["recording-status"].append(callback)
        return "", 204

    @app.post("/transcribed")
    @webhook(TranscriptionCallback, auth_token=token)
    def transcribed(callback: TranscriptionCallback) -> tuple[str, int]:
        seen["transcribed"].append(callback)
        return "", 204

    @app.post("/status")
    @webhook(StatusCallback, auth_token=token)
    def status(callback: StatusCallback) -> tuple[str, int]:
        seen["status"].append(callback)
        return "", 204

    return app


def test_an_inbound_call_presses_2_and_leaves_a_transcribed_message() -> None:
    seen: dict[str, list[Any]] = {
        name: [] for name in ["voice", "menu", "recorded", "recording-status", "transcribed", "status"]
    }
    with mycpaas.Simulator(seed=33) as sim, sim.client() as client:
        with testing.serve(ivr(sim.auth_token, seen)) as base_url:
            client.incoming_phone_numbers.create(
                phone_number=NUMBER, voice_url=f"{base_url}/voice", status_callback=f"{base_url}/status"
            )
            sim.script_input(CALLER, digits="2")
            sim.script_transcription(CALLER, "Please call me back about my order.")
            sid = sim.call_in(to=NUMBER, from_=CALLER)
            assert sim.wait_for_call(sid, timeout=30) is not None

        call = client.calls.fetch(sid)
        assert (call.direction, call.from_, call.to, call.status) == ("inbound", CALLER, NUMBER, "completed")
        [voice] = seen["voice"]
        assert (voice.direction, voice.call_status, voice.from_) == ("inbound", "ringing", CALLER)
        assert [g.digits for g in seen["menu"]] == ["2"]
        [recorded] = seen["recorded"]
        assert recorded.recording_duration == 5

        [recording] = client.recordings.list(call_sid=sid)
        assert recording.sid == recorded.recording_sid and recording.status == "completed"
        audio = io.BytesIO()
        client.recordings.download(recording.sid, audio)
        with wave.open(io.BytesIO(audio.getvalue())) as wav:
            assert wav.getframerate() == 8000
            assert wav.getnframes() // wav.getframerate() == 5

        [transcription] = client.transcriptions.list_for_recording(recording.sid)
        assert transcription.status == "completed"
        assert transcription.transcription_text == "Please call me back about my order."
        [status] = seen["recording-status"]
        assert (status.recording_status, status.recording_duration) == ("completed", 5)
        [text] = seen["transcribed"]
        assert text.transcription_text == transcription.transcription_text
        [completed] = seen["status"]
        assert (completed.call_status, completed.direction) == ("completed", "inbound")
