"""A manual clock: simulated time moves only when the test advances it, so a scenario steps
exactly and reads the same times however long the test takes between steps."""

from __future__ import annotations

import mycpaas
import pytest

CALLER = "+15559870000"
FORWARDED = "+15557000400"
FORWARD = f'<Response><Say>One moment.</Say><Dial timeout="10"><Number>{FORWARDED}</Number></Dial></Response>'


def forwarded_call(seed: int) -> list[tuple[int, str, object]]:
    """A call forwarded to a number that answers after 4 s and talks 25 s, stepped by the test:
    its statuses and its leg's, as (milliseconds since the call was created, type, detail)."""
    with mycpaas.Simulator(manual_clock=True, seed=seed) as sim:
        sim.script_callee(FORWARDED, ring_for=4, hang_up_after=25)
        client = sim.client()
        call = client.calls.create(to="+15551230000", from_=CALLER, twiml=FORWARD)
        assert client.calls.fetch(call.sid).status == "queued"
        # 0.2 s to `initiated`: time stood still until now.
        sim.advance(1)
        assert client.calls.fetch(call.sid).status == "initiated"
        for _ in range(60):
            sim.advance(1)
        timeline = sim.wait_for_call(call.sid, timeout=10)
        assert timeline is not None and timeline.settled
        legs = client.calls.list(parent_call_sid=call.sid)
        assert [leg.to for leg in legs] == [FORWARDED]
        assert legs[0].duration == 25
        return [
            (entry["offset_ms"], entry["type"], entry.get("status") or entry.get("event"))
            for entry in timeline.entries
            if entry["type"] in ("status", "leg")
        ]


def test_a_stepped_scenario_reads_the_same_times_every_run() -> None:
    first = forwarded_call(5)
    assert first == forwarded_call(5)
    events = [(kind, detail) for _, kind, detail in first]
    assert ("leg", "answered") in events and events[-1] == ("status", "completed")


def test_a_clock_paced_by_speed_is_not_advanced() -> None:
    with mycpaas.Simulator() as sim:
        with pytest.raises(mycpaas.ValidationError, match="manual"):
            sim.advance(1)
    with mycpaas.Simulator(manual_clock=True) as sim:
        with pytest.raises(mycpaas.ValidationError, match="Seconds"):
            sim.advance(86401)
