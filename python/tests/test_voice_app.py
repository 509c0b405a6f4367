"""A Python voice app end to end, offline: the simulator calls a local web app that answers with LaML built by
mycpaas.laml, checks every webhook's signature with mycpaas.webhooks, and reads the Gather result."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest

import mycpaas
from mycpaas import laml, webhooks

from helpers import CALLER


class VoiceApp:
    """An IVR: ask for a digit, then say what was pressed. Records every webhook it received."""

    def __init__(self, auth_token: str) -> None:
        self.auth_token = auth_token
        self.received: list[tuple[str, bool, Any]] = []
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                params = parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True)
                url = f"http://{self.headers['Host']}{self.path}"
                signed = webhooks.validate_signature(
                    url, params, self.headers.get(webhooks.SIGNATURE_HEADER, ""), app.auth_token
                )
                body = app.handle(self.path, params, signed)
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, path: str, params: list[tuple[str, str]], signed: bool) -> str:
        if path == "/voice":
            self.received.append((path, signed, webhooks.parse_voice_request(params)))
            resp = laml.Response()
            with resp.gather(num_digits=1, action="/menu", timeout=5) as g:
                g.say("Press 1 for sales, 2 for support")
            resp.say("We did not get your choice").hangup()
            return str(resp)
        if path == "/menu":
            result = webhooks.parse_gather_result(params)
            self.received.append((path, signed, result))
            return str(laml.Response().say(f"You pressed {result.digits}").hangup())
        if path == "/status":
            self.received.append((path, signed, webhooks.parse_status_callback(params)))
            return ""
        return str(laml.Response().hangup())


@pytest.fixture()
def app(sim: mycpaas.Simulator) -> Iterator[VoiceApp]:
    voice_app = VoiceApp(sim.auth_token)
    voice_app.thread.start()
    yield voice_app
    voice_app.server.shutdown()
    voice_app.server.server_close()


def test_ivr_reads_scripted_digits(sim: mycpaas.Simulator, client: mycpaas.Client, app: VoiceApp, number: str) -> None:
    sim.script_input(number, digits="2")
    call = client.calls.create(
        to=number,
        from_=CALLER,
        url=f"{app.url}/voice",
        status_callback=f"{app.url}/status",
        status_callback_event=["initiated", "ringing", "answered", "completed"],
    )
    timeline = sim.wait_for_call(call.sid, timeout=30)
    assert timeline is not None and timeline.settled
    assert timeline.verbs[:2] == ["Gather", "Say"]
    assert "Hangup" in timeline.verbs
    assert any(e["type"] == "input" and e["digits"] == "2" for e in timeline.entries)

    paths = [path for path, _, _ in app.received]
    assert "/voice" in paths and "/menu" in paths
    assert all(signed for _, signed, _ in app.received), "every webhook carries a valid signature"

    gather = next(parsed for path, _, parsed in app.received if path == "/menu")
    assert isinstance(gather, webhooks.GatherResult)
    assert gather.digits == "2" and gather.call_sid == call.sid

    statuses = [p for path, _, p in app.received if path == "/status"]
    assert {s.call_status for s in statuses} >= {"initiated", "ringing", "in-progress", "completed"}
    final = next(s for s in statuses if s.call_status == "completed")
    assert final.call_duration is not None and final.timestamp is not None
    assert sorted(s.sequence_number for s in statuses) == list(range(len(statuses)))


def test_silence_falls_through_to_the_next_verb(sim: mycpaas.Simulator, client: mycpaas.Client, app: VoiceApp, number: str) -> None:
    sim.script_input(number)  # the callee says nothing
    call = client.calls.create(to=number, from_=CALLER, url=f"{app.url}/voice")
    timeline = sim.wait_for_call(call.sid, timeout=30)
    assert timeline is not None
    assert "/menu" not in [path for path, _, _ in app.received]
    assert timeline.verbs.count("Say") >= 2  # the prompt, then "We did not get your choice"
