"""A conference on the local simulator: a guest dialed in muted, unmuted, held with hold music, and kicked."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import mycpaas
import mycpaas.testing
from mycpaas import laml


def web_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The hold music the held participant hears, looped."""
    start_response("200 OK", [("Content-Type", "application/xml")])
    return [str(laml.Response().play("https://example.com/music.mp3")).encode()]


def main() -> None:
    with mycpaas.Simulator(speed=100) as sim, mycpaas.testing.serve(web_app) as base_url:
        client = sim.client()
        room = laml.Response()
        room.dial().conference("standup")
        caller = client.calls.create(to="+15551230000", from_="+15559870000", twiml=room)
        while not (rooms := client.conferences.list(friendly_name="standup")):
            time.sleep(0.01)
        conference = rooms[0].sid

        guest = client.participants.add(conference, from_="+15559870000", to="+15551230001", muted=True)
        while guest.call_sid not in [p.call_sid for p in client.participants.list(conference)]:
            time.sleep(0.01)
        print(client.participants.fetch(conference, guest.call_sid).muted)  # True
        client.participants.update(conference, guest.call_sid, muted=False)
        client.participants.update(conference, guest.call_sid, hold=True, hold_url=f"{base_url}/hold")
        time.sleep(0.2)  # about 20 simulated seconds of hold music
        client.participants.update(conference, guest.call_sid, hold=False)
        client.participants.kick(conference, guest.call_sid)
        timeline = sim.wait_for_call(guest.call_sid)
        assert timeline is not None
        print(timeline.verbs)  # ['Dial', 'Hold', 'Play', 'Play', ..., 'Dial']
        print([p.call_sid == caller.sid for p in client.participants.list(conference)])  # [True]
        client.conferences.end(conference)


if __name__ == "__main__":
    main()
