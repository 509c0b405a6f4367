"""A conference's participants in Client and AsyncClient, against the simulator over HTTP.

Every participant operation (list with its filters, fetch, update, add by dialing out, kick) and the conference's
recordings, with their refusals (21501, 21502, 21503, another account's 404), once per flavor; then a meeting
followed through its signed, typed conference callbacks: a participant added through the API muted, unmuted, held
with hold music from a test web app, taken off hold and kicked.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Optional, TypeVar, Union

import pytest

import mycpaas
import mycpaas.testing
import mycpaas.webhooks
from mycpaas import laml

T = TypeVar("T")

OTHER_ACCOUNT = ("AC" + "e" * 32, "other-token")
_unique = itertools.count(1)

HOLD_MUSIC = '<Response><Play>https://example.com/music.mp3</Play><Pause length="2"/></Response>'
ANNOUNCEMENT = "<Response><Say>The meeting ends soon</Say></Response>"


class WebApp:
    """The customer's web app: LaML for hold music and announcements, and every request it received."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, list[tuple[str, str]], str]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        if environ["REQUEST_METHOD"] == "GET":
            form = urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""))
        else:
            form = urllib.parse.parse_qsl(environ["wsgi.input"].read(size).decode())
        path = environ["PATH_INFO"]
        with self._lock:
            self.received.append((environ["REQUEST_METHOD"], path, form, environ.get("HTTP_X_MYCPAAS_SIGNATURE", "")))
        body = {"/hold": HOLD_MUSIC, "/announce": ANNOUNCEMENT}.get(path, "<Response/>")
        start_response("200 OK", [("Content-Type", "application/xml")])
        return [body.encode()]

    def to(self, path: str) -> list[tuple[str, list[tuple[str, str]], str]]:
        with self._lock:
            return [(method, form, signature) for method, seen, form, signature in self.received if seen == path]


@pytest.fixture(scope="module")
def sim() -> Iterator[mycpaas.Simulator]:
    # 100 simulated seconds per second: a stay in a room (4 simulated hours at most) outlasts each test.
    with mycpaas.Simulator(seed=17, speed=100, other_accounts=[OTHER_ACCOUNT]) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def app() -> Iterator[tuple[WebApp, str]]:
    web_app = WebApp()
    with mycpaas.testing.serve(web_app) as base_url:
        yield web_app, base_url


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def client_of(sim: mycpaas.Simulator, flavor: str) -> Union[mycpaas.Client, mycpaas.AsyncClient]:
    return sim.client() if flavor == "sync" else sim.async_client()


async def done(value: Union[T, Awaitable[T]]) -> T:
    """The result of a sync method, or of an async one once awaited."""
    if inspect.isawaitable(value):
        return await value
    return value


async def eventually(what: str, ready: Callable[[], Awaitable[Optional[T]]]) -> T:
    """Polls until `ready` gives a value (the simulator runs the calls in their own tasks)."""
    deadline = time.monotonic() + 30
    while True:
        value = await ready()
        if value is not None:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


async def api_code(action: Callable[[], Any]) -> tuple[int, Optional[int]]:
    with pytest.raises(mycpaas.ApiError) as raised:
        await done(action())
    return raised.value.status, raised.value.code


def room(base_url: str, name: str) -> laml.Response:
    document = laml.Response()
    document.dial(action=f"{base_url}/after").conference(name, status_callback=f"{base_url}/conference/{name}")
    return document


async def open_room(
    client: Union[mycpaas.Client, mycpaas.AsyncClient], base_url: str, name: str, callers: int
) -> tuple[str, list[str]]:
    """`callers` calls dial the room `name`, each once the one before is in: the conference's SID and the calls'
    SIDs, in the order they joined."""
    sids: list[str] = []

    async def conference() -> Optional[str]:
        live = await done(client.conferences.list(friendly_name=name))
        if not live:
            return None
        in_room = await done(client.participants.list(live[0].sid))
        return live[0].sid if len(in_room) == len(sids) else None

    sid = ""
    for n in range(callers):
        call = await done(client.calls.create(to=f"+1555123000{n + 1}", from_="+15559870000", twiml=room(base_url, name)))
        sids.append(call.sid)
        sid = await eventually("the caller in the room", conference)
    return sid, sids


def test_every_participant_operation(sim: mycpaas.Simulator, app: tuple[WebApp, str], flavor: str) -> None:
    web_app, base_url = app

    async def scenario() -> None:
        client = client_of(sim, flavor)
        participants = client.participants
        sid, (first, second) = await open_room(client, base_url, f"ops-{next(_unique)}", 2)
        assert [p.call_sid for p in await done(participants.list(sid))] == [first, second]
        stream = participants.stream(sid, limit=1)
        if hasattr(stream, "__aiter__"):
            streamed = [p.call_sid async for p in stream]
        else:
            streamed = [p.call_sid for p in stream]
        assert streamed == [first]
        page = await done(participants.page(sid, page_size=1))
        assert [p.call_sid for p in page.participants] == [first] and page.next_page_uri

        fetched = await done(participants.fetch(sid, first))
        assert (fetched.call_sid, fetched.conference_sid, fetched.status) == (first, sid, "connected")
        assert (fetched.muted, fetched.hold, fetched.coaching) == (False, False, False)
        assert repr(fetched) == f'Participant(call_sid="{first}", conference_sid="{sid}", status="connected")'

        muted = await done(participants.update(sid, first, muted=True))
        assert muted.muted is True
        assert [p.call_sid for p in await done(participants.list(sid, muted=True))] == [first]
        assert [p.call_sid for p in await done(participants.list(sid, muted=False))] == [second]
        held = await done(participants.update(sid, second, hold=True, hold_url=f"{base_url}/hold"))
        assert held.hold is True
        assert [p.call_sid for p in await done(participants.list(sid, hold=True))] == [second]
        await done(participants.update(sid, second, hold=False))
        assert await api_code(lambda: participants.update(sid, second, coaching=True)) == (400, 21503)
        assert await api_code(
            lambda: participants.update(sid, second, coaching=True, call_sid_to_coach="CA0")
        ) == (404, 21502)
        coaching = await done(participants.update(sid, second, coaching=True, call_sid_to_coach=first))
        assert (coaching.coaching, coaching.call_sid_to_coach) == (True, first)

        added = await done(participants.add(sid, from_="+15559870000", to="+15551230003", muted=True, label="boss"))
        assert (added.status, added.label, added.muted) == ("queued", "boss", True)

        async def joined() -> Optional[mycpaas.Participant]:
            try:
                return await done(participants.fetch(sid, added.call_sid))
            except mycpaas.ApiError:
                return None

        guest = await eventually("the added participant", joined)
        assert (guest.muted, guest.label) == (True, "boss")
        placed = await done(client.calls.fetch(added.call_sid))
        assert (placed.direction, placed.to) == ("outbound-api", "+15551230003")
        busy = await done(participants.add(sid, from_="+15559870000", to="+15005550002"))
        assert sim.wait_for_call(busy.call_sid) is not None
        assert (await done(client.calls.fetch(busy.call_sid))).status == "busy"
        assert await api_code(lambda: participants.fetch(sid, busy.call_sid)) == (404, 21502)

        others = (mycpaas.Client if flavor == "sync" else mycpaas.AsyncClient)(
            *OTHER_ACCOUNT, base_url=sim.base_url
        ).participants
        assert await api_code(lambda: others.fetch(sid, first)) == (404, 20404)

        await done(participants.kick(sid, added.call_sid))
        assert await api_code(lambda: participants.fetch(sid, added.call_sid)) == (404, 21502)
        assert [p.call_sid for p in await done(participants.list(sid))] == [first, second]
        assert await done(client.recordings.list_for_conference(sid)) == []

        await done(client.conferences.end(sid))
        for call in (first, second):
            assert sim.wait_for_call(call) is not None
        assert await done(participants.list(sid)) == []
        assert await api_code(lambda: participants.fetch(sid, first)) == (400, 21501)
        assert await api_code(lambda: participants.update(sid, first, muted=False)) == (400, 21501)
        assert await api_code(lambda: participants.kick(sid, first)) == (400, 21501)
        assert await api_code(lambda: participants.add(sid, from_="+15559870000", to="+15551230004")) == (400, 21501)

    asyncio.run(scenario())


def test_a_participant_added_through_the_api_is_muted_held_and_kicked(
    sim: mycpaas.Simulator, app: tuple[WebApp, str]
) -> None:
    web_app, base_url = app
    client = sim.client()
    name = f"standup-{next(_unique)}"

    async def scenario() -> None:
        sid, callers = await open_room(client, base_url, name, 2)
        participants = client.participants
        guest = participants.add(sid, from_="+15559870000", to="+15551230003", muted=True).call_sid

        async def joined() -> Optional[mycpaas.Participant]:
            try:
                return participants.fetch(sid, guest)
            except mycpaas.ApiError:
                return None

        seen = await eventually("the guest joins", joined)
        assert (seen.muted, seen.hold) == (True, False)
        assert participants.update(sid, guest, muted=False).muted is False
        assert participants.update(sid, guest, hold=True, hold_url=f"{base_url}/hold").hold is True

        async def music_looped() -> Optional[bool]:
            timeline = sim.timeline(guest)
            return True if timeline and timeline.verbs.count("Play") >= 2 else None

        await eventually("the hold music, looped", music_looped)
        [(method, form, _)] = [seen for seen in web_app.to("/hold") if dict(seen[1])["CallSid"] == guest]
        assert method == "GET" and dict(form)["ConferenceSid"] == sid
        assert participants.update(sid, guest, hold=False).hold is False
        participants.kick(sid, guest)
        timeline = sim.wait_for_call(guest)
        assert timeline is not None and timeline.status == "completed"
        assert {"Dial", "Hold", "Play"} <= set(timeline.verbs)
        assert [p.call_sid for p in participants.list(sid)] == callers

        path = f"/conference/{name}"
        callbacks = [
            (mycpaas.webhooks.parse_conference_status_callback(form), form, signature)
            for _, form, signature in web_app.to(path)
        ]
        for _, form, signature in callbacks:
            assert mycpaas.webhooks.validate_signature(f"{base_url}{path}", form, signature, sim.auth_token)
        told = sorted((typed for typed, _, _ in callbacks), key=lambda typed: typed.sequence_number or 0)
        story = [(typed.status_callback_event, typed.muted, typed.hold) for typed in told if typed.call_sid == guest]
        assert story == [
            ("participant-join", True, False),
            ("participant-unmute", False, False),
            ("participant-hold", False, True),
            ("participant-unhold", False, False),
            ("participant-leave", False, False),
        ]
        client.conferences.end(sid)
        for call in callers:
            assert sim.wait_for_call(call) is not None

    asyncio.run(scenario())


def test_a_conference_recorded_from_its_start(sim: mycpaas.Simulator, flavor: str) -> None:
    async def scenario() -> None:
        client = client_of(sim, flavor)
        name = f"taped-{next(_unique)}"
        document = laml.Response()
        document.dial().conference(name, record="record-from-start")
        call = await done(client.calls.create(to="+15551230000", from_="+15559870000", twiml=document))

        async def recorded() -> Optional[tuple[str, list[mycpaas.Recording]]]:
            live = await done(client.conferences.list(friendly_name=name))
            if not live:
                return None
            recordings = await done(client.recordings.list_for_conference(live[0].sid))
            return (live[0].sid, recordings) if recordings else None

        sid, [recording] = await eventually("the conference's recording", recorded)
        assert (recording.status, recording.conference_sid, recording.call_sid) == ("in-progress", sid, None)
        assert recording.source == "Conference"
        await done(client.conferences.end(sid))
        assert sim.wait_for_call(call.sid) is not None
        ended = await done(client.recordings.fetch(recording.sid))
        assert ended.status == "completed" and ended.duration is not None
        assert [r.sid for r in await done(client.recordings.list(conference_sid=sid))] == [recording.sid]

    asyncio.run(scenario())


def test_participants_have_their_getter_and_exports() -> None:
    assert mycpaas.Participants.__name__ == "Participants" and "Participants" in mycpaas.__all__
    assert mycpaas.AsyncParticipants.__name__ == "AsyncParticipants"
    assert mycpaas.Client.participants.__doc__ and mycpaas.AsyncClient.participants.__doc__
    for cls in ["Participant", "ParticipantPage", "ParticipantStream", "AsyncParticipantStream"]:
        assert cls in mycpaas.__all__ and getattr(mycpaas, cls).__module__ == "mycpaas"
    assert list(inspect.signature(mycpaas.Participants.fetch).parameters) == ["self", "conference_sid", "call_sid"]
    assert list(inspect.signature(mycpaas.Recordings.list_for_conference).parameters) == [
        "self",
        "conference_sid",
        "limit",
        "page_size",
    ]
    add = inspect.signature(mycpaas.AsyncParticipants.add).parameters
    assert add["to"].kind is inspect.Parameter.KEYWORD_ONLY and add["to"].default is inspect.Parameter.empty
