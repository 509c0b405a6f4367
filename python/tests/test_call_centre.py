"""A call centre on the simulator: three callers ring the support number and wait in its queue with hold music; an
agent's call dials the queue and takes the first; a supervisor is added to the bridge muted, then unmuted; one caller
gives up, the one helped hangs up and the agent goes on. The queue's size and average wait and the members' positions read right at each step, and every webhook
the app receives is signed and reads typed."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any, Optional, TypeVar

import pytest

import mycpaas
import mycpaas.testing
import mycpaas.webhooks as webhooks

SUPPORT = "+15557000100"
CALLERS = ["+15551230001", "+15551230002", "+15551230003"]
AGENT = "+15557000200"
SUPERVISOR = "+15557000300"

DOCUMENTS = {
    "/support": '<Response><Enqueue action="/left" waitUrl="/hold-music">support</Enqueue></Response>',
    "/hold-music": '<Response><Play>https://example.com/music.mp3</Play><Pause length="20"/></Response>',
    "/left": "<Response><Say>Goodbye.</Say><Hangup/></Response>",
    "/whisper": "<Response><Say>A caller from the support line.</Say></Response>",
    "/agent-done": "<Response><Hangup/></Response>",
}

T = TypeVar("T")


class App:
    """The call centre's web app: its documents, and every request it received."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, list[tuple[str, str]]]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = urllib.parse.parse_qsl(environ["wsgi.input"].read(size).decode())
        path = environ["PATH_INFO"]
        self.received.append((path, environ.get("HTTP_X_MYCPAAS_SIGNATURE", ""), form))
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [DOCUMENTS.get(path, "<Response/>").encode()]

    def requests(self, path: str, call_sid: str) -> list[list[tuple[str, str]]]:
        return [form for p, _, form in list(self.received) if p == path and dict(form).get("CallSid") == call_sid]


def eventually(what: str, ready: Callable[[], Optional[T]]) -> T:
    deadline = time.monotonic() + 30
    while True:
        value = ready()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


@pytest.fixture
def centre() -> Iterator[tuple[mycpaas.Simulator, App, str]]:
    app = App()
    with mycpaas.Simulator(seed=90, speed=50) as sim, mycpaas.testing.serve(app) as base_url:
        yield sim, app, base_url


def test_a_call_centre_queues_callers_and_an_agent_takes_them_with_a_supervisor(
    centre: tuple[mycpaas.Simulator, App, str],
) -> None:
    sim, app, base_url = centre
    client = sim.client()
    client.incoming_phone_numbers.create(
        phone_number=SUPPORT, voice_url=f"{base_url}/support", status_callback=f"{base_url}/status"
    )

    def queue_holds(calls: list[str]) -> mycpaas.Queue:
        """The queue once its members are `calls` in this order, with positions, size and average wait right."""

        def ready() -> Optional[mycpaas.Queue]:
            queues = client.queues.list()
            if not queues:
                return None
            members = client.members.list(queues[0].sid)
            return queues[0] if [m.call_sid for m in members] == calls else None

        queue = eventually("the queue's members", ready)
        members = client.members.list(queue.sid)
        assert [m.position for m in members] == list(range(1, len(calls) + 1))
        waits = [m.wait_time or 0 for m in members]
        assert waits == sorted(waits, reverse=True), waits
        fetched = client.queues.fetch(queue.sid)
        assert fetched.current_size == len(calls)
        average = fetched.average_wait_time
        assert average is not None
        if waits:
            assert min(waits) <= average + 1 and average <= max(waits) + 1, (average, waits)
        else:
            assert average == 0
        return fetched

    callers: list[str] = []
    for caller in CALLERS:
        callers.append(sim.call_in(to=SUPPORT, from_=caller))
        queue_holds(callers)
        eventually("the hold music", lambda: app.requests("/hold-music", callers[-1]))
    queue = queue_holds(callers)
    assert queue.friendly_name == "support"

    # The second caller gives up.
    client.calls.hangup(callers[1])
    [gave_up] = eventually("the second caller's action", lambda: app.requests("/left", callers[1]))
    assert webhooks.parse_queue_request(gave_up).queue_result == "hangup"
    queue_holds([callers[0], callers[2]])

    # The agent dials the queue and takes the first caller.
    dial = mycpaas.laml.Response()
    dial.dial(action=f"{base_url}/agent-done").queue("support", url=f"{base_url}/whisper")
    agent = client.calls.create(to=AGENT, from_=SUPPORT, twiml=dial)
    [whisper] = eventually("the whisper", lambda: app.requests("/whisper", callers[0]))
    assert webhooks.parse_queue_request(whisper).dequeueing_call_sid == agent.sid
    queue_holds([callers[2]])
    [bridge] = eventually(
        "the bridge", lambda: client.conferences.list(friendly_name=agent.sid, status="in-progress")
    )

    def in_bridge(count: int) -> list[mycpaas.Participant]:
        def ready() -> Optional[list[mycpaas.Participant]]:
            participants = client.participants.list(bridge.sid)
            return participants if len(participants) == count else None

        return eventually("the participants", ready)

    assert sorted(p.call_sid for p in in_bridge(2)) == sorted([agent.sid, callers[0]])

    # A supervisor joins the bridge muted, then speaks up.
    supervisor = client.participants.add(
        bridge.sid, to=SUPERVISOR, from_=SUPPORT, muted=True, status_callback=f"{base_url}/status"
    )
    [joined] = [p for p in in_bridge(3) if p.call_sid == supervisor.call_sid]
    assert joined.muted is True
    assert client.participants.update(bridge.sid, supervisor.call_sid, muted=False).muted is False
    assert client.participants.fetch(bridge.sid, supervisor.call_sid).muted is False

    # The first caller hangs up, helped: the bridge ends, the caller's enqueue action hears `bridged`, and the
    # agent goes on to its dial's action.
    client.calls.hangup(callers[0])
    [bridged] = eventually("the first caller's action", lambda: app.requests("/left", callers[0]))
    assert webhooks.parse_queue_request(bridged).queue_result == "bridged"
    [done] = eventually("the agent's dial action", lambda: app.requests("/agent-done", agent.sid))
    assert webhooks.parse_dial_result(done).dial_call_sid == callers[0]
    client.calls.hangup(callers[2])
    queue_holds([])
    for sid in [*callers, agent.sid, supervisor.call_sid]:
        assert sim.wait_for_call(sid) is not None

    # Every webhook the app received is signed, and reads typed.
    parsers: dict[str, Callable[[list[tuple[str, str]]], Any]] = {
        "/support": webhooks.parse_voice_request,
        "/hold-music": webhooks.parse_queue_request,
        "/left": webhooks.parse_queue_request,
        "/whisper": webhooks.parse_queue_request,
        "/agent-done": webhooks.parse_dial_result,
        "/status": webhooks.parse_status_callback,
    }
    assert sorted({path for path, _, _ in app.received}) == sorted(parsers)
    for path, signature, form in app.received:
        assert webhooks.validate_signature(f"{base_url}{path}", form, signature, sim.auth_token), path
        parsed = parsers[path](form)
        assert parsed.call_sid is not None, path
