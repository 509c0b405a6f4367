"""Idempotent status-callback handlers: the simulator retries a callback whose first answer was a 500, and
``mycpaas.webhooks.Repeats`` in the handler sees each retry as a repeat, exactly once per retry."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import mycpaas
from mycpaas import laml, webhooks

from helpers import CALLER


class SharedStore:
    """A store as a fleet would share one (here a set behind a lock)."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.lock = threading.Lock()

    def insert(self, key: str) -> bool:
        with self.lock:
            new = key not in self.keys
            self.keys.add(key)
            return new


def test_every_retry_is_a_repeat_once(sim: mycpaas.Simulator, number: str) -> None:
    for repeats in (webhooks.Repeats(), webhooks.Repeats(store=SharedStore())):
        counts = {"new": 0, "repeat": 0}
        lock = threading.Lock()

        class App(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path == "/voice":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/xml")
                    self.end_headers()
                    self.wfile.write(str(laml.Response().say("Hi").hangup()).encode())
                    return
                callback = webhooks.parse_status_callback(parse_qsl(body.decode()))
                repeat = repeats.is_repeat(callback)
                with lock:
                    counts["repeat" if repeat else "new"] += 1
                # The work of a new callback is done, then its answer fails: the platform sends it again.
                self.send_response(200 if repeat else 500)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), App)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            call = sim.client().calls.create(
                to=number,
                from_=CALLER,
                url=f"{base}/voice",
                status_callback=f"{base}/status",
                status_callback_event=["initiated", "ringing", "answered", "completed"],
            )
            assert sim.wait_for_call(call.sid, timeout=10) is not None
            deadline = time.monotonic() + 10
            while counts["repeat"] < 4 and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            server.shutdown()
        assert counts == {"new": 4, "repeat": 4}


def test_a_callback_is_told_by_call_sid_and_sequence_number() -> None:
    repeats = webhooks.Repeats(capacity=2)
    first = {"CallSid": "CA1", "SequenceNumber": "0"}
    assert not repeats.is_repeat(first)
    assert repeats.is_repeat(webhooks.parse_status_callback(first))
    assert not repeats.is_repeat({"CallSid": "CA1", "SequenceNumber": "1"})
    assert not repeats.is_repeat({"CallSid": "CA2"})  # no SequenceNumber: cannot be told apart
    assert not repeats.is_repeat({"CallSid": "CA2"})
