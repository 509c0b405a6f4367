"""mycpaas.AsyncClient: the same operations with await, async for, and many requests at once."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

import mycpaas
from mycpaas import laml

from helpers import CALLER, VOICE_URL


@pytest.mark.asyncio
async def test_every_operation_awaits(sim: mycpaas.Simulator, number: str) -> None:
    async with sim.async_client() as client:
        call = await client.calls.create(to=number, from_=CALLER, twiml=laml.Response().pause(length=600))
        assert call.status == "queued" and call.to == number
        assert (await client.calls.fetch(call.sid)).sid == call.sid
        updated = await client.calls.update(call.sid, twiml=laml.Response().say("Changed").pause(length=600))
        assert updated.sid == call.sid
        assert (await client.calls.hangup(call.sid)).status == "completed"
        ringing = await client.calls.create(to="+15005550003", from_=CALLER, url=VOICE_URL)
        assert (await client.calls.cancel(ringing.sid)).status in ("canceled", "completed")
        assert await client.calls.delete(call.sid) is None
        with pytest.raises(mycpaas.NotFoundError):
            await client.calls.fetch(call.sid)


@pytest.mark.asyncio
async def test_list_page_and_async_for(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.async_client()
    created = {(await client.calls.create(to=number, from_=CALLER, url=VOICE_URL)).sid for _ in range(5)}
    assert {c.sid for c in await client.calls.list(to=number, page_size=2)} == created
    assert len(await client.calls.list(to=number, limit=3)) == 3
    streamed = [call.sid async for call in client.calls.stream(to=number, page_size=2)]
    assert set(streamed) == created and len(streamed) == 5
    page = await client.calls.page(to=number, page_size=4)
    assert len(page) == 4


@pytest.mark.asyncio
async def test_500_concurrent_creates(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.async_client()
    before = sim.calls_created
    calls = await asyncio.gather(
        *(client.calls.create(to=number, from_=CALLER, url=VOICE_URL) for _ in range(500))
    )
    assert len({c.sid for c in calls}) == 500
    assert sim.calls_created == before + 500


@pytest.mark.asyncio
async def test_errors_are_the_same_exceptions(sim: mycpaas.Simulator) -> None:
    client = sim.async_client(max_retries=0)
    with pytest.raises(mycpaas.ValidationError) as info:
        await client.calls.create(to="+15551230000", from_=CALLER, url=VOICE_URL, timeout=0)
    assert info.value.parameter == "Timeout"
    with pytest.raises(mycpaas.ApiError) as api:
        await client.calls.create(to="+15005550001", from_=CALLER, url=VOICE_URL)
    assert api.value.code == 21211
    sim.inject_fault("rate_limited", retry_after=0)
    with pytest.raises(mycpaas.RateLimitError):
        await client.calls.list(limit=1)
    bad = mycpaas.AsyncClient(sim.account_sid, "wrong", base_url=sim.base_url)
    with pytest.raises(mycpaas.AuthenticationError):
        await bad.calls.fetch("CA1")


@pytest.mark.asyncio
async def test_a_cancelled_await_does_not_break_the_client(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.async_client()
    sim.inject_fault("delay", delay=0.5)
    task = asyncio.ensure_future(client.calls.list(limit=1))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    call = await client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
    assert call.sid


async def create_one(client: mycpaas.AsyncClient, number: str) -> str:
    return (await client.calls.create(to=number, from_=CALLER, url=VOICE_URL)).sid


def test_two_event_loops_in_a_row(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.async_client()
    for _ in range(2):
        assert asyncio.run(create_one(client, number))


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX")
def test_works_in_a_forked_child(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.async_client()
    asyncio.run(create_one(client, number))  # starts the runtime in the parent
    pid = os.fork()
    if pid == 0:  # the child: a fresh runtime and connection pool must be made
        try:
            os._exit(0 if asyncio.run(create_one(client, number)) else 1)
        except BaseException:  # noqa: BLE001 - any failure is the exit status
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


@pytest.mark.asyncio
async def test_many_awaits_in_a_row_and_in_batches(sim: mycpaas.Simulator, number: str) -> None:
    # Every finished request must wake the event loop: a lost wake-up would hang here.
    client = sim.async_client()
    call = await client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
    for _ in range(300):
        assert (await client.calls.fetch(call.sid)).sid == call.sid
    for _ in range(20):
        fetched = await asyncio.gather(*(client.calls.fetch(call.sid) for _ in range(10)))
        assert {c.sid for c in fetched} == {call.sid}


def test_requests_are_coroutines(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.async_client()
    # Nothing is sent until awaited, so a request can be made outside a running loop...
    pending = client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
    call = asyncio.run(pending)
    assert call.to == number

    async def in_tasks() -> set[str]:
        tasks = [asyncio.create_task(client.calls.fetch(call.sid)) for _ in range(3)]
        return {(await t).sid for t in tasks}

    # ...and handed to create_task (and so to task groups).
    assert asyncio.run(in_tasks()) == {call.sid}


def test_a_request_is_awaited_once(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.async_client()

    async def twice() -> None:
        request = client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
        await request
        with pytest.raises(RuntimeError):
            await request

    asyncio.run(twice())


@pytest.mark.asyncio
async def test_a_limit_is_fetched_in_the_fewest_requests(sim: mycpaas.Simulator, number: str) -> None:
    sync = sim.client()
    for _ in range(120):
        sync.calls.create(to=number, from_=CALLER, url=VOICE_URL)
    async with sim.async_client() as client:
        for walk in ("list", "stream"):
            before = sim.request_count
            if walk == "list":
                calls = await client.calls.list(limit=120, to=number)
            else:
                calls = [call async for call in client.calls.stream(limit=120, to=number)]
            assert len(calls) == 120
            assert sim.request_count - before == 1, walk
    for walk in (sync.calls.list, sync.calls.stream):
        before = sim.request_count
        assert len(list(walk(limit=120, to=number))) == 120
        assert sim.request_count - before == 1, walk.__name__


def test_a_cancelled_request_closes_its_connection_at_once() -> None:
    import socket
    import threading
    import time

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    closed = threading.Event()

    def serve() -> None:
        connection, _ = server.accept()
        while connection.recv(65536):
            pass  # read the request, answer nothing, until the client goes
        closed.set()
        connection.close()

    threading.Thread(target=serve, daemon=True).start()

    async def cancel_one() -> None:
        client = mycpaas.AsyncClient(
            "AC" + "0" * 32, "token", base_url=f"http://127.0.0.1:{server.getsockname()[1]}", timeout=30, max_retries=0
        )
        task = asyncio.create_task(client.calls.fetch("CA" + "0" * 32))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    started = time.monotonic()
    asyncio.run(cancel_one())
    assert closed.wait(2), "the server never saw the connection close"
    assert time.monotonic() - started < 2.5
    server.close()


@pytest.mark.asyncio
async def test_a_cancelled_anext_loses_no_call(sim: mycpaas.Simulator, number: str) -> None:
    sync = sim.client()
    created = [sync.calls.create(to=number, from_=CALLER, url=VOICE_URL).sid for _ in range(5)]
    async with sim.async_client() as client:
        stream = client.calls.stream(to=number, page_size=2)
        seen: list[str] = []
        for _ in range(2):
            # The page in hand is read; the next one is slow, and its awaiter gives up.
            seen += [(await stream.__anext__()).sid for _ in range(2)]
            sim.inject_fault("delay", delay=0.4)
            pending = asyncio.ensure_future(stream.__anext__())
            await asyncio.sleep(0.05)
            pending.cancel()
            with pytest.raises(asyncio.CancelledError):
                await pending
        seen += [call.sid async for call in stream]
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen)) == 5


class _LoopThatCannotWatchSockets(asyncio.SelectorEventLoop):
    """A real event loop without ``add_reader``, as Windows' proactor loop is."""

    def add_reader(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        raise NotImplementedError


def test_a_loop_that_cannot_watch_sockets_is_woken_another_way(sim: mycpaas.Simulator, number: str) -> None:
    async def work() -> list[str]:
        client = sim.async_client()
        created = await asyncio.gather(
            *(client.calls.create(to=number, from_=CALLER, url=VOICE_URL) for _ in range(50))
        )
        fetched = await asyncio.gather(*(client.calls.fetch(call.sid) for call in created))
        return [call.sid for call in fetched]

    event_loop = _LoopThatCannotWatchSockets()
    try:
        sids = event_loop.run_until_complete(asyncio.wait_for(work(), timeout=30))
    finally:
        event_loop.close()
    assert len(set(sids)) == 50
