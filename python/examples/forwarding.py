"""Forward a call to two numbers rung in parallel on the local simulator: the first is busy, the second answers
after 3 s and talks 7 s; each number is a child call of the dialing call."""

from __future__ import annotations

import mycpaas

OFFICE = "+15551230001"
MOBILE = "+15551230002"


def main() -> None:
    with mycpaas.Simulator() as sim, sim.client() as client:
        # How each number meets the ring (as `POST /_sim/callees` scripts it).
        sim.script_callee(OFFICE, answer="busy")
        sim.script_callee(MOBILE, ring_for=3, hang_up_after=7)
        forward = f'<Response><Dial timeout="10"><Number>{OFFICE}</Number><Number>{MOBILE}</Number></Dial></Response>'
        call = client.calls.create(to="+15559990000", from_="+15559870000", twiml=forward)
        timeline = sim.wait_for_call(call.sid, timeout=30)
        assert timeline is not None
        for leg in client.calls.list(parent_call_sid=call.sid):
            sim.wait_for_call(leg.sid, timeout=30)
            leg = client.calls.fetch(leg.sid)
            print(f"{leg.to}: {leg.status}, {leg.duration} s ({leg.direction}, parent {leg.parent_call_sid})")
        for entry in timeline.entries:
            if entry["type"] == "leg":
                print(f"{entry['offset_ms']:>6} ms  {entry['to']} {entry['event']}")


if __name__ == "__main__":
    main()
