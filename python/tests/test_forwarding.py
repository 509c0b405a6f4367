"""The forwarding line of issue 14's acceptance in Python: a Flask app (mycpaas.integrations.flask, on werkzeug's
server, which refuses any unsigned webhook) dials two numbers in parallel; the callees are scripted with
``Simulator.script_callee``; the child calls are read through ``client.calls.list(parent_call_sid=...)``, their
status callbacks and the dial's action typed, and every duration is the scripted seconds exactly."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

import mycpaas
from mycpaas import laml, testing
from mycpaas.integrations.flask import LamlResponse, webhook
from mycpaas.webhooks import DialResult, StatusCallback

A = "+15551230001"
B = "+15551230002"
CALLER = "+15559870000"
EVENTS = "initiated ringing answered completed"


def forwarding(token: str, seen: dict[str, list[Any]]) -> Flask:
    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> tuple[str, int, dict[str, str]]:
        numbers = "".join(
            f'<Number statusCallback="/leg" statusCallbackEvent="{EVENTS}">{n}</Number>' for n in (A, B)
        )
        document = f'<Response><Dial timeout="10" action="/dialed">{numbers}</Dial></Response>'
        return document, 200, {"Content-Type": "text/xml"}

    @app.post("/dialed")
    @webhook(DialResult, auth_token=token)
    def dialed(result: DialResult) -> LamlResponse:
        seen["dialed"].append(result)
        return LamlResponse(laml.Response().hangup())

    @app.post("/leg")
    @webhook(StatusCallback, auth_token=token)
    def leg(callback: StatusCallback) -> tuple[str, int]:
        seen["leg"].append(callback)
        return "", 204

    return app


def forward(seed: int, scripts: dict[str, dict[str, Any]]) -> tuple[Any, ...]:
    seen: dict[str, list[Any]] = {"dialed": [], "leg": []}
    with mycpaas.Simulator(seed=seed) as sim, sim.client() as client:
        for number, script in scripts.items():
            sim.script_callee(number, **script)
        with testing.serve(forwarding(sim.auth_token, seen)) as base_url:
            parent = client.calls.create(to="+15551239999", from_=CALLER, url=f"{base_url}/voice")
            parent_timeline = sim.wait_for_call(parent.sid, timeout=30)
            assert parent_timeline is not None
            children = client.calls.list(parent_call_sid=parent.sid)
            assert len(children) == 2
            for child in children:
                assert sim.wait_for_call(child.sid, timeout=30) is not None
        by_number = {c.to: client.calls.fetch(c.sid) for c in children}
    assert parent_timeline is not None
    legs = [event for event in parent_timeline.entries if event["type"] == "leg"]
    return parent, by_number[A], by_number[B], seen, legs


def at(legs: list[dict[str, Any]], sid: str, event: str) -> int:
    [offset] = [e["offset_ms"] for e in legs if e["leg"] == sid and e["event"] == event]
    return int(offset)


def callbacks(seen: dict[str, list[Any]], sid: str) -> list[tuple[str | None, int | None]]:
    mine = sorted((c for c in seen["leg"] if c.call_sid == sid), key=lambda c: c.sequence_number)
    for callback in mine:
        assert callback.direction == "outbound-dial" and callback.extra == []
    return [(c.call_status, c.call_duration) for c in mine]


def test_a_busy_number_and_one_that_answers_after_three_seconds() -> None:
    parent, a, b, seen, legs = forward(
        7, {A: {"answer": "busy", "ring_for": 1}, B: {"ring_for": 3, "hang_up_after": 7}}
    )
    assert (a.status, b.status) == ("busy", "completed")
    for child in (a, b):
        assert (child.parent_call_sid, child.direction, child.from_) == (parent.sid, "outbound-dial", CALLER)
    assert (a.duration, b.duration) == (0, 7)
    assert b.end_time is not None and b.start_time is not None
    assert (b.end_time - b.start_time).total_seconds() == 7
    [action] = seen["dialed"]
    assert (action.call_sid, action.dial_call_status) == (parent.sid, "completed")
    assert (action.dial_call_sid, action.dial_call_duration) == (b.sid, 7)
    start = at(legs, a.sid, "rang")
    assert at(legs, b.sid, "rang") == start
    assert at(legs, a.sid, "busy") == start + 1000
    assert at(legs, b.sid, "answered") == start + 3000
    assert at(legs, b.sid, "ended") == start + 10000
    assert {c.parent_call_sid for c in seen["leg"]} == {parent.sid}
    assert callbacks(seen, a.sid) == [("initiated", None), ("ringing", None), ("busy", 0)]
    assert callbacks(seen, b.sid) == [
        ("initiated", None),
        ("ringing", None),
        ("in-progress", None),
        ("completed", 7),
    ]


def test_the_first_to_answer_wins_and_the_other_is_canceled() -> None:
    _, a, b, seen, legs = forward(8, {A: {"ring_for": 5}, B: {"ring_for": 3, "hang_up_after": 4}})
    assert (a.status, b.status) == ("canceled", "completed")
    assert (a.duration, b.duration) == (0, 4)
    [action] = seen["dialed"]
    assert (action.dial_call_status, action.dial_call_sid, action.dial_call_duration) == ("completed", b.sid, 4)
    start = at(legs, a.sid, "rang")
    assert at(legs, a.sid, "canceled") == at(legs, b.sid, "answered") == start + 3000
    assert callbacks(seen, a.sid) == [("initiated", None), ("ringing", None), ("canceled", 0)]


def test_a_script_the_route_refuses_raises_validation_error() -> None:
    with mycpaas.Simulator() as sim:
        with pytest.raises(mycpaas.ValidationError, match="RingFor"):
            sim.script_callee(A, ring_for=601)
        with pytest.raises(mycpaas.ValidationError, match="no-answer"):
            sim.script_callee(A, answer="sometimes")  # type: ignore[arg-type]
