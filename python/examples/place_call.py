"""Place a call against the local simulator and follow it to its end."""

from __future__ import annotations

import mycpaas
from mycpaas import laml


def main() -> None:
    with mycpaas.Simulator() as sim, sim.client() as client:
        greeting = laml.Response().say("Hello from Python", voice="alice").pause(length=1).hangup()
        call = client.calls.create(
            to="+15551230000",
            from_="+15559870000",
            twiml=greeting,
            status_callback_event=["initiated", "completed"],
        )
        print(f"placed {call.sid} ({call.status})")
        timeline = sim.wait_for_call(call.sid)
        if timeline is not None:
            print(" -> ".join(timeline.statuses), "| verbs:", ", ".join(timeline.verbs))
        done = client.calls.fetch(call.sid)
        print(f"{done.sid}: {done.status}, {done.duration} s")
        for recent in client.calls.stream(limit=10, page_size=5):
            print(recent.sid, recent.status, recent.date_created.isoformat() if recent.date_created else "")


if __name__ == "__main__":
    main()
