"""Idempotent status-callback handlers: the app always answers 200, the simulator's callback fault makes some of
its answers count as 500s (a failing gateway in front of the app), the simulator retries those, and
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
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), App)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            # Two faulted attempts: no callback can fail all three of its attempts.
            sim.inject_fault("callback_server_error", count=2)
            call = sim.client().calls.create(
                to=number,
                from_=CALLER,
                url=f"{base}/voice",
                status_callback=f"{base}/status",
                status_callback_event=["initiated", "ringing", "answered", "completed"],
            )
            assert sim.wait_for_call(call.sid, timeout=10) is not None
            deadline = time.monotonic() + 10
            while not sim.timeline(call.sid).settled and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            server.shutdown()
        attempts = [e for e in sim.timeline(call.sid).entries if e["type"] == "callback"]
        faulted = [a for a in attempts if a.get("fault") == "callback_server_error"]
        assert len(faulted) == 2 and all(a["http_status"] == 500 and not a["delivered"] for a in faulted), attempts
        assert len(attempts) == 6 and sum(a["attempt"] > 1 for a in attempts) == 2, attempts
        assert counts == {"new": 4, "repeat": 2}


def test_a_callback_is_told_by_call_sid_and_sequence_number() -> None:
    repeats = webhooks.Repeats(capacity=2)
    first = {"CallSid": "CA1", "SequenceNumber": "0"}
    assert not repeats.is_repeat(first)
    assert repeats.is_repeat(webhooks.parse_status_callback(first))
    assert not repeats.is_repeat({"CallSid": "CA1", "SequenceNumber": "1"})
    assert not repeats.is_repeat({"CallSid": "CA2"})  # no SequenceNumber: cannot be told apart
    assert not repeats.is_repeat({"CallSid": "CA2"})
