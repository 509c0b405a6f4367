"""Every operation of every resource but Calls, in Client and AsyncClient, against the simulator over HTTP.

One table row per resource says what a user sets and checks; each scenario runs once with the sync client and
once with the asyncio one (`flavor`), the sync methods called as they are and the async ones awaited.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import itertools
import pathlib
import urllib.parse
import wave
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Optional, TypeVar, Union

import pytest

import mycpaas
import mycpaas.testing
import mycpaas.webhooks
from mycpaas import laml

from helpers import CALLER

T = TypeVar("T")

#: A SID of the right shape that no simulator made.
UNKNOWN = "0123456789abcdef0123456789abcdef"
#: A second account of the simulator: it must see none of the first account's resources.
OTHER_ACCOUNT = ("AC" + "f" * 32, "other-token")
_unique = itertools.count(1)


@pytest.fixture(scope="module")
def sim() -> Iterator[mycpaas.Simulator]:
    # 20 simulated seconds per second: a call held by a 600 s <Pause> stays live for the recording steps.
    with mycpaas.Simulator(seed=11, speed=20, other_accounts=[OTHER_ACCOUNT]) as simulator:
        yield simulator


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def client_of(sim: mycpaas.Simulator, flavor: str) -> Union[mycpaas.Client, mycpaas.AsyncClient]:
    return sim.client() if flavor == "sync" else sim.async_client()


def other_client_of(sim: mycpaas.Simulator, flavor: str) -> Union[mycpaas.Client, mycpaas.AsyncClient]:
    """A client of the simulator's second account."""
    kind = mycpaas.Client if flavor == "sync" else mycpaas.AsyncClient
    return kind(*OTHER_ACCOUNT, base_url=sim.base_url)


async def done(value: Union[T, Awaitable[T]]) -> T:
    """The result of a sync method, or of an async one once awaited."""
    if inspect.isawaitable(value):
        return await value
    return value


async def collect(stream: Any) -> list[Any]:
    """Every item of a `stream()`: an iterator, or an async iterator."""
    if hasattr(stream, "__aiter__"):
        items: AsyncIterator[Any] = stream
        return [item async for item in items]
    return list(stream)


async def raises_not_found(action: Callable[[], Any]) -> mycpaas.NotFoundError:
    with pytest.raises(mycpaas.NotFoundError) as raised:
        await done(action())
    assert raised.value.status == 404
    return raised.value


@dataclass
class Crud:
    """A resource with create, fetch, update, list and delete, and what a user sets and checks."""

    name: str
    prefix: str
    #: Create keywords for a unique suffix `n`; every one of them is read back as an attribute.
    create: Callable[[int], dict[str, Any]]
    #: Update keywords (read back as attributes), and the ones that must be unchanged after it.
    update: Callable[[int], dict[str, Any]]
    #: The list filters that find the created resource, by its attributes (None: the list has
    #: no filters, and the resource is looked for among the account's).
    filters: Optional[Callable[[Any], dict[str, Any]]]
    #: The attribute holding a page's items.
    items: str
    #: Attributes compared as written (a LaML document is written as XML).
    expect: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda kwargs: kwargs)


def _number(n: int) -> str:
    return f"+1555700{n:04d}"


CRUD = [
    Crud(
        name="applications",
        prefix="AP",
        create=lambda n: {
            "friendly_name": f"ivr-{n}",
            "voice_url": f"https://example.com/{n}/voice.xml",
            "voice_method": "GET",
            "status_callback": f"https://example.com/{n}/status",
        },
        update=lambda n: {"voice_url": f"https://example.com/{n}/v2.xml", "voice_fallback_url": "https://example.com/fb"},
        filters=lambda created: {"friendly_name": created.friendly_name},
        items="applications",
    ),
    Crud(
        name="incoming_phone_numbers",
        prefix="PN",
        create=lambda n: {
            "phone_number": _number(n),
            "friendly_name": f"line-{n}",
            "voice_url": f"https://example.com/{n}/voice.xml",
        },
        update=lambda n: {"friendly_name": f"line-{n}-renamed", "voice_method": "GET"},
        filters=lambda created: {"phone_number": created.phone_number},
        items="incoming_phone_numbers",
    ),
    Crud(
        name="laml_bins",
        prefix="LB",
        create=lambda n: {"name": f"greeting-{n}", "contents": laml.Response().say(f"Hello {n}")},
        update=lambda n: {"name": f"greeting-{n}-v2", "contents": f"<Response><Say>Bye {n}</Say></Response>"},
        filters=lambda created: {"name": created.name},
        items="laml_bins",
        expect=lambda kwargs: {key: str(value) for key, value in kwargs.items()},
    ),
    Crud(
        name="queues",
        prefix="QU",
        create=lambda n: {"friendly_name": f"support-{n}", "max_size": 20},
        update=lambda n: {"friendly_name": f"sales-{n}"},
        filters=None,
        items="queues",
    ),
]


def _check(resource: Any, expected: dict[str, Any]) -> None:
    for attribute, value in expected.items():
        assert getattr(resource, attribute) == value, attribute


@pytest.mark.parametrize("row", CRUD, ids=lambda row: row.name)
def test_crud(sim: mycpaas.Simulator, flavor: str, row: Crud) -> None:
    async def scenario() -> None:
        client = client_of(sim, flavor)
        resources = getattr(client, row.name)
        n = next(_unique)
        created = await done(resources.create(**row.create(n)))
        assert created.sid.startswith(row.prefix) and len(created.sid) == 34
        assert created.account_sid == sim.account_sid
        _check(created, row.expect(row.create(n)))
        assert created.response is not None and created.response.status == 201
        assert created.sid in repr(created)
        assert created.to_dict()["sid"] == created.sid

        fetched = await done(resources.fetch(created.sid))
        assert fetched == created and hash(fetched) == hash(created)

        # The other account sees none of it.
        others = getattr(other_client_of(sim, flavor), row.name)
        await raises_not_found(lambda: others.fetch(created.sid))
        await raises_not_found(lambda: others.update(created.sid, **row.update(n)))
        await raises_not_found(lambda: others.delete(created.sid))
        assert created.sid not in {item.sid for item in await done(others.list())}

        updated = await done(resources.update(created.sid, **row.update(n)))
        assert updated.sid == created.sid
        _check(updated, row.expect(row.update(n)))
        unchanged = {k: v for k, v in row.expect(row.create(n)).items() if k not in row.update(n)}
        _check(updated, unchanged)
        _check(await done(resources.fetch(created.sid)), row.expect(row.update(n)))

        if row.filters is None:
            assert created.sid in {item.sid for item in await done(resources.list())}
            assert created.sid in {item.sid for item in await collect(resources.stream())}
            page = await done(resources.page())
            assert created.sid in {item.sid for item in getattr(page, row.items)}
            filters: dict[str, Any] = {}
        else:
            filters = row.filters(updated)
            listed = await done(resources.list(**filters))
            assert [item.sid for item in listed] == [created.sid]
            assert [item.sid for item in await collect(resources.stream(**filters))] == [created.sid]
            page = await done(resources.page(**filters))
            assert [item.sid for item in getattr(page, row.items)] == [created.sid] and len(page) == 1
        assert page.response is not None and page.response.status == 200
        # Another one with other values: the filters still find only the first; limit= bounds the walk.
        other = await done(resources.create(**row.create(next(_unique))))
        if row.filters is not None:
            assert [item.sid for item in await done(resources.list(**filters))] == [created.sid]
        assert len(await done(resources.list(limit=1))) == 1
        everything = {item.sid for item in await collect(resources.stream(page_size=1))}
        assert {created.sid, other.sid} <= everything

        assert await done(resources.delete(created.sid)) is None
        await raises_not_found(lambda: resources.fetch(created.sid))
        await raises_not_found(lambda: resources.delete(created.sid))
        await raises_not_found(lambda: resources.update(created.sid, **row.update(n)))
        assert created.sid not in {item.sid for item in await done(resources.list(**filters))}
        await done(resources.delete(other.sid))

    asyncio.run(scenario())


def test_a_number_held_by_the_account_is_refused(sim: mycpaas.Simulator, flavor: str) -> None:
    async def scenario() -> None:
        numbers = client_of(sim, flavor).incoming_phone_numbers
        number = _number(next(_unique))
        held = await done(numbers.create(phone_number=number))
        with pytest.raises(mycpaas.ApiError) as refused:
            await done(numbers.create(phone_number=number))
        assert refused.value.code == 21422
        await done(numbers.delete(held.sid))

    asyncio.run(scenario())


def test_a_queue_name_is_used_once_and_a_queue_holds_100_calls(sim: mycpaas.Simulator, flavor: str) -> None:
    async def scenario() -> None:
        queues = client_of(sim, flavor).queues
        name = f"line-{next(_unique)}"
        queue = await done(queues.create(friendly_name=name))
        assert (queue.max_size, queue.current_size, queue.average_wait_time) == (100, 0, 0)
        with pytest.raises(mycpaas.ApiError) as refused:
            await done(queues.create(friendly_name=name))
        assert refused.value.code == 22000
        with pytest.raises(mycpaas.ValidationError) as too_big:
            await done(queues.create(friendly_name="big", max_size=5001))
        assert too_big.value.parameter == "MaxSize"
        await done(queues.delete(queue.sid))

    asyncio.run(scenario())


def test_arguments_are_checked_before_sending(sim: mycpaas.Simulator, flavor: str) -> None:
    client = client_of(sim, flavor)
    before = sim.request_count
    with pytest.raises(mycpaas.ValidationError):
        client.applications.create(friendly_name="x", voice_url="not a url")
    with pytest.raises(mycpaas.ValidationError):
        client.laml_bins.create(name=7)  # type: ignore[arg-type]
    with pytest.raises(mycpaas.ValidationError) as status:
        client.recordings.update("CA" + UNKNOWN, "RE" + UNKNOWN, status="rewinding")  # type: ignore[arg-type]
    assert "Status" in str(status.value)
    assert sim.request_count == before


def test_recordings_of_a_live_call(sim: mycpaas.Simulator, flavor: str, tmp_path: pathlib.Path) -> None:
    async def scenario() -> None:
        client = client_of(sim, flavor)
        recordings = client.recordings
        held = laml.Response().pause(length=600)
        call = await done(client.calls.create(to=f"+1555710{next(_unique):04d}", from_=CALLER, twiml=held))
        await done(client.calls.wait(call.sid, until="answered", deadline=10))

        started = await done(recordings.start(call.sid, trim="do-not-trim"))
        assert started.sid.startswith("RE") and started.call_sid == call.sid
        assert (started.status, started.source, started.trim) == ("in-progress", "StartCallRecordingAPI", "do-not-trim")
        assert started.response is not None and started.response.status == 201
        assert started.media_url is not None and started.media_url.endswith(f"{started.sid}.wav")

        assert (await done(recordings.pause(call.sid, started.sid))).status == "paused"
        assert (await done(recordings.resume(call.sid, started.sid))).status == "in-progress"
        # The update itself, with the status as its wire text (the shortcuts fix it).
        paused = await done(recordings.update(call.sid, started.sid, status="paused", pause_behavior="skip"))
        assert paused.status == "paused"
        assert (await done(recordings.update(call.sid, started.sid, status="in-progress"))).status == "in-progress"
        stopped = await done(recordings.stop(call.sid, started.sid))
        assert stopped.status == "completed" and isinstance(stopped.duration, int) and stopped.end_time is not None
        with pytest.raises(mycpaas.ApiError):
            # A completed recording cannot be resumed.
            await done(recordings.resume(call.sid, started.sid))

        others = other_client_of(sim, flavor).recordings
        await raises_not_found(lambda: others.fetch(started.sid))
        await raises_not_found(lambda: others.pause(call.sid, started.sid))
        assert await done(others.list()) == []

        fetched = await done(recordings.fetch(started.sid))
        assert fetched.status == "completed" and fetched.call_sid == call.sid
        assert [r.sid for r in await done(recordings.list(call_sid=call.sid))] == [started.sid]
        assert [r.sid for r in await collect(recordings.stream(call_sid=call.sid))] == [started.sid]
        assert [r.sid for r in await done(recordings.list_for_call(call.sid))] == [started.sid]
        assert [r.sid for r in await collect(recordings.stream_for_call(call.sid, limit=5))] == [started.sid]
        page = await done(recordings.page_for_call(call.sid))
        assert [r.sid for r in page.recordings] == [started.sid]
        assert [r.sid for r in (await done(recordings.page(call_sid=call.sid))).recordings] == [started.sid]
        assert started.sid in {r.sid for r in await done(recordings.list())}

        # Its transcriptions: the simulator makes none for a recording started by the API.
        transcriptions = client.transcriptions
        assert await done(transcriptions.list_for_recording(started.sid)) == []
        assert await collect(transcriptions.stream_for_recording(started.sid)) == []
        assert len(await done(transcriptions.page_for_recording(started.sid))) == 0

        # The audio: a WAV of the recorded length, to a file object and to a path (read by the wave module).
        audio = io.BytesIO()
        written = await done(recordings.download(started.sid, audio))
        assert written == len(audio.getvalue()) >= 44  # the header, then the recorded frames
        with wave.open(io.BytesIO(audio.getvalue())) as wav:
            assert (wav.getnchannels(), wav.getframerate(), wav.getsampwidth()) == (1, 8000, 2)
            assert wav.getnframes() // wav.getframerate() == fetched.duration
        path = tmp_path / f"{flavor}.wav"
        url = f"{sim.base_url}/api/laml/2010-04-01/Accounts/{sim.account_sid}/Recordings/{started.sid}"
        assert await done(recordings.download(url, str(path))) == written
        assert path.read_bytes() == audio.getvalue()
        with pytest.raises(mycpaas.ApiError) as refused:
            await done(recordings.download(started.sid, io.BytesIO(), format="mp3"))
        assert refused.value.status == 415

        await done(recordings.delete(started.sid))
        await raises_not_found(lambda: recordings.fetch(started.sid))
        await raises_not_found(lambda: recordings.delete(started.sid))
        await raises_not_found(lambda: transcriptions.list_for_recording(started.sid))
        assert await done(recordings.list_for_call(call.sid)) == []

        await raises_not_found(lambda: recordings.start("CA" + UNKNOWN))
        other = other_client_of(sim, flavor)
        await raises_not_found(lambda: other.recordings.start(call.sid))
        await raises_not_found(lambda: other.recordings.list_for_call(call.sid))
        await done(client.calls.hangup(call.sid))
        ended = await done(client.calls.wait(call.sid, deadline=10))
        assert ended.status == "completed"

    asyncio.run(scenario())


def test_transcriptions(sim: mycpaas.Simulator, flavor: str) -> None:
    async def scenario() -> None:
        transcriptions = client_of(sim, flavor).transcriptions
        assert await done(transcriptions.list()) == []
        assert await collect(transcriptions.stream(limit=3)) == []
        page = await done(transcriptions.page())
        assert page.transcriptions == [] and len(page) == 0
        await raises_not_found(lambda: transcriptions.fetch("TR" + UNKNOWN))
        await raises_not_found(lambda: transcriptions.delete("TR" + UNKNOWN))
        await raises_not_found(lambda: transcriptions.list_for_recording("RE" + UNKNOWN))

    asyncio.run(scenario())


def _conference_callbacks(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """A WSGI app that keeps every conference status callback it receives."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    form = urllib.parse.parse_qsl(environ["wsgi.input"].read(size).decode())
    _received.append((environ["HTTP_X_MYCPAAS_SIGNATURE"], form, environ["PATH_INFO"]))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b""]


_received: list[tuple[str, list[tuple[str, str]], str]] = []


def test_conferences(sim: mycpaas.Simulator, flavor: str) -> None:
    """A call dials a room: the conference it makes is listed by name and status, fetched, and ended through the
    API, which takes the call out to its dial's next verb; another account sees none of it; the conference status
    callbacks are signed and read typed."""

    async def scenario(base_url: str) -> None:
        client = client_of(sim, flavor)
        conferences = client.conferences
        name = f"room-{next(_unique)}"
        document = laml.Response()
        document.dial().conference(name, status_callback=f"{base_url}/{name}")
        call = await done(client.calls.create(to="+15551230000", from_="+15559870000", twiml=document))
        for _ in range(1000):
            live = await done(conferences.list(friendly_name=name, status="in-progress"))
            if live:
                break
            await asyncio.sleep(0.01)
        [conference] = live
        assert conference.sid.startswith("CF") and conference.friendly_name == name
        assert (await done(conferences.fetch(conference.sid))).status == "in-progress"
        assert [c.sid for c in await collect(conferences.stream(friendly_name=name))] == [conference.sid]
        others = other_client_of(sim, flavor).conferences
        await raises_not_found(lambda: others.fetch(conference.sid))
        await raises_not_found(lambda: others.end(conference.sid))

        ended = await done(conferences.end(conference.sid))
        assert (ended.status, ended.reason_conference_ended) == ("completed", "conference-ended-via-api")
        assert sim.wait_for_call(call.sid) is not None
        with pytest.raises(mycpaas.ApiError) as again:
            await done(conferences.update(conference.sid, status="completed"))
        assert again.value.code == 21501
        assert await done(conferences.list(friendly_name=name, status="in-progress")) == []

        mine = [(signature, form) for signature, form, path in _received if path == f"/{name}"]
        for signature, form in mine:
            assert mycpaas.webhooks.validate_signature(f"{base_url}/{name}", form, signature, sim.auth_token)
        told = sorted(
            (typed.sequence_number, typed.status_callback_event)
            for typed in (mycpaas.webhooks.parse_conference_status_callback(form) for _, form in mine)
        )
        assert told == [
            (1, "conference-start"),
            (2, "participant-join"),
            (3, "conference-end"),
            (4, "participant-leave"),
        ]

    with mycpaas.testing.serve(_conference_callbacks) as base_url:
        asyncio.run(scenario(base_url))


def _queue_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """A WSGI app for queued callers: `/wait` holds them, `/taken` takes a dequeued one over, and every request
    is kept."""
    size = int(environ.get("CONTENT_LENGTH") or 0)
    form = urllib.parse.parse_qsl(environ["wsgi.input"].read(size).decode())
    _received.append((environ.get("HTTP_X_MYCPAAS_SIGNATURE", ""), form, environ["PATH_INFO"]))
    documents = {"/wait": '<Response><Pause length="600"/></Response>', "/taken": '<Response><Pause length="600"/></Response>'}
    body = documents.get(environ["PATH_INFO"], "<Response><Hangup/></Response>")
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [body.encode()]


def test_queue_members(sim: mycpaas.Simulator, flavor: str) -> None:
    """Two callers wait in a queue: its members are listed front first with their positions, fetched by call SID
    or as `Front`, and one is dequeued through the API to another document; each way out reaches the enqueue
    action with its QueueResult, signed; another account sees none of it."""

    async def scenario(base_url: str) -> None:
        client = client_of(sim, flavor)
        name = f"line-{next(_unique)}"
        queue = await done(client.queues.create(friendly_name=name))
        document = laml.Response()
        document.enqueue(name, action=f"{base_url}/left-{name}", wait_url=f"{base_url}/wait")
        callers = []
        for n in range(2):
            call = await done(client.calls.create(to="+15551230000", from_=f"+1555987000{n}", twiml=document))
            callers.append(call.sid)
            for _ in range(1000):
                if call.sid in [m.call_sid for m in await done(client.members.list(queue.sid))]:
                    break
                await asyncio.sleep(0.01)
        members = await done(client.members.list(queue.sid))
        assert [(m.call_sid, m.position, m.queue_sid) for m in members] == [
            (callers[0], 1, queue.sid),
            (callers[1], 2, queue.sid),
        ]
        assert [m.call_sid for m in await collect(client.members.stream(queue.sid, page_size=1))] == callers
        page = await done(client.members.page(queue.sid, page_size=1))
        assert [m.call_sid for m in page.queue_members] == callers[:1]
        front = await done(client.members.fetch(queue.sid, "Front"))
        assert front.call_sid == callers[0] and front.wait_time is not None and front.date_enqueued is not None
        assert (await done(client.members.fetch(queue.sid, callers[1]))).position == 2
        assert (await done(client.queues.fetch(queue.sid))).current_size == 2
        await raises_not_found(lambda: client.members.fetch(queue.sid, "CA" + UNKNOWN))
        others = other_client_of(sim, flavor)
        await raises_not_found(lambda: others.members.list(queue.sid))
        await raises_not_found(lambda: others.members.dequeue(queue.sid, "Front", url=f"{base_url}/taken"))

        taken = await done(client.members.dequeue(queue.sid, callers[1], url=f"{base_url}/taken"))
        assert (taken.call_sid, taken.position) == (callers[1], 2)
        await raises_not_found(lambda: client.members.dequeue(queue.sid, callers[1], url=f"{base_url}/taken"))
        for sid in callers:
            await done(client.calls.hangup(sid))
            assert sim.wait_for_call(sid) is not None
        results = {
            typed.call_sid: typed.queue_result
            for typed in (
                mycpaas.webhooks.parse_queue_request(form)
                for signature, form, path in _received
                if path == f"/left-{name}"
                and mycpaas.webhooks.validate_signature(f"{base_url}/left-{name}", form, signature, sim.auth_token)
            )
        }
        assert results == {callers[0]: "hangup", callers[1]: "redirected"}
        assert await done(client.members.list(queue.sid)) == []
        await done(client.queues.delete(queue.sid))

    with mycpaas.testing.serve(_queue_app) as base_url:
        asyncio.run(scenario(base_url))


def test_pages_read_from_json() -> None:
    page = mycpaas.RecordingPage.from_json(
        b'{"recordings": [{"sid": "RE1", "status": "completed", "duration": "7"}], "page": 0, "next_page_uri": null}'
    )
    assert len(page) == 1 and page.page == 0 and page.next_page_uri is None
    (recording,) = page.recordings
    assert isinstance(recording, mycpaas.Recording)
    assert (recording.sid, recording.status, recording.duration) == ("RE1", "completed", 7)
    assert recording.response is None
    assert repr(page) == "RecordingPage(page=0, recordings=1, next_page_uri=None)"
    numbers = mycpaas.IncomingPhoneNumberPage.from_json('{"incoming_phone_numbers": [{"sid": "PN1", "odd": 1}]}')
    assert numbers.incoming_phone_numbers[0].extra == {"odd": 1}
    with pytest.raises(mycpaas.DecodeError):
        mycpaas.LamlBinPage.from_json(b"{")


def test_every_resource_has_a_getter_and_exports() -> None:
    for name in [
        "calls",
        "recordings",
        "transcriptions",
        "applications",
        "incoming_phone_numbers",
        "laml_bins",
        "conferences",
        "queues",
    ]:
        cls = "".join(part.title() for part in name.split("_"))
        assert getattr(mycpaas, cls).__name__ == cls and cls in mycpaas.__all__
        assert getattr(mycpaas, f"Async{cls}").__name__ == f"Async{cls}"
        assert getattr(mycpaas.Client, name).__doc__ and getattr(mycpaas.AsyncClient, name).__doc__
    for model in ["Recording", "Transcription", "Application", "IncomingPhoneNumber", "LamlBin", "Conference", "Queue"]:
        for cls in [model, f"{model}Page", f"{model}Stream", f"Async{model}Stream"]:
            assert cls in mycpaas.__all__ and getattr(mycpaas, cls).__module__ == "mycpaas"
    # The resource and the LaML noun of the same name are different classes, each where it belongs.
    assert mycpaas.Queue.__module__ == "mycpaas" and laml.Queue.__module__ == "mycpaas.laml"
    assert mycpaas.Conference.__module__ == "mycpaas" and laml.Conference.__module__ == "mycpaas.laml"
    assert str(laml.Dial().queue("support")) == "<Dial><Queue>support</Queue></Dial>"
    assert list(inspect.signature(mycpaas.Recordings.list_for_call).parameters) == [
        "self",
        "call_sid",
        "limit",
        "page_size",
    ]
    update = inspect.signature(mycpaas.AsyncRecordings.update).parameters
    assert update["status"].kind is inspect.Parameter.KEYWORD_ONLY and update["status"].default is inspect.Parameter.empty
