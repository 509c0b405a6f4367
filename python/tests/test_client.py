"""mycpaas.Client against the in-process simulator: every operation, every error, pagination, threads."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from decimal import Decimal

import pytest

import mycpaas
from mycpaas import laml

from helpers import CALLER, VOICE_URL


def test_create_returns_a_typed_call(client: mycpaas.Client, number: str) -> None:
    call = client.calls.create(to=number, from_=CALLER, url=VOICE_URL, status_callback_event=["initiated", "completed"])
    assert call.sid.startswith("CA")
    assert (call.to, call.from_, call.status, call.direction) == (number, CALLER, "queued", "outbound-api")
    assert isinstance(call.date_created, datetime) and call.date_created.tzinfo is not None
    assert call.duration is None
    assert call.account_sid == client.account_sid
    assert call.sid in repr(call) and number in repr(call)
    as_dict = call.to_dict()
    assert as_dict["sid"] == call.sid and as_dict["from_"] == CALLER and "extra" in as_dict


def test_twiml_as_document_or_text(sim: mycpaas.Simulator, client: mycpaas.Client, number: str) -> None:
    doc = laml.Response().say("Hello from Python").pause(length=1)
    first = client.calls.create(to=number, from_=CALLER, twiml=doc)
    second = client.calls.create(to=number, from_=CALLER, twiml=str(doc))
    for call in (first, second):
        timeline = sim.wait_for_call(call.sid)
        assert timeline is not None
        assert timeline.verbs == ["Say", "Pause"]
        assert timeline.statuses[-1] == "completed"


def test_fetch_after_the_call_ends_has_duration_and_times(sim: mycpaas.Simulator, client: mycpaas.Client, number: str) -> None:
    call = client.calls.create(to=number, from_=CALLER, twiml=laml.Response().pause(length=4))
    sim.wait_for_call(call.sid)
    done = client.calls.fetch(call.sid)
    assert done.status == "completed"
    assert isinstance(done.duration, int) and done.duration >= 4
    assert done.start_time is not None and done.end_time is not None
    assert done.end_time >= done.start_time
    assert done.price is None or isinstance(done.price, Decimal)
    assert done == client.calls.fetch(call.sid)


def test_busy_number_ends_busy(sim: mycpaas.Simulator, client: mycpaas.Client) -> None:
    call = client.calls.create(to="+15005550002", from_=CALLER, url=VOICE_URL)
    timeline = sim.wait_for_call(call.sid)
    assert timeline is not None and timeline.status == "busy"
    assert client.calls.fetch(call.sid).status == "busy"


def test_update_cancel_hangup_delete(client: mycpaas.Client) -> None:
    ringing = client.calls.create(to="+15005550003", from_=CALLER, url=VOICE_URL, timeout=60)
    assert client.calls.cancel(ringing.sid).status in ("canceled", "completed")

    long_call = client.calls.create(to="+15551112222", from_=CALLER, twiml=laml.Response().pause(length=600))
    updated = client.calls.update(long_call.sid, twiml=laml.Response().say("Changed plans").pause(length=600))
    assert updated.sid == long_call.sid
    assert client.calls.hangup(long_call.sid).status == "completed"

    client.calls.delete(long_call.sid)
    with pytest.raises(mycpaas.NotFoundError) as info:
        client.calls.fetch(long_call.sid)
    assert info.value.status == 404 and info.value.code == 20404


def test_list_stream_and_page_walk_every_page(client: mycpaas.Client, number: str) -> None:
    created = {client.calls.create(to=number, from_=CALLER, url=VOICE_URL).sid for _ in range(7)}

    listed = client.calls.list(to=number, page_size=3)
    assert {c.sid for c in listed} == created

    assert len(client.calls.list(to=number, page_size=3, limit=4)) == 4

    stream = client.calls.stream(to=number, page_size=2)
    first = next(stream)
    assert first.sid in created
    assert {first.sid} | {c.sid for c in stream} == created

    page = client.calls.page(to=number, page_size=5)
    assert len(page) == 5 and page.page == 0
    second = client.calls.page(to=number, page_size=5, page=1)
    assert len(second) == 2
    assert {c.sid for c in page.calls} | {c.sid for c in second.calls} == created


def test_bad_input_is_refused_before_anything_is_sent(sim: mycpaas.Simulator, client: mycpaas.Client) -> None:
    before = sim.request_count
    with pytest.raises(mycpaas.ValidationError) as info:
        client.calls.create(to="+15551230000", from_=CALLER, url=VOICE_URL, timeout=0)
    assert info.value.parameter == "Timeout"
    with pytest.raises(TypeError, match="'to'"):
        client.calls.create(from_=CALLER, url=VOICE_URL)  # type: ignore[call-arg]
    with pytest.raises(mycpaas.ValidationError) as info:
        client.calls.create(to=15551230000, from_=CALLER, url=VOICE_URL)  # type: ignore[arg-type]
    assert info.value.parameter == "to"
    with pytest.raises(mycpaas.ValidationError):
        client.calls.create(to="+15551230000", from_=CALLER, url=VOICE_URL, twiml="<Response/>")
    with pytest.raises(mycpaas.ValidationError) as info:
        client.calls.create(to="+15551230000", from_=CALLER, url=VOICE_URL, method="PUT")  # type: ignore[arg-type]
    assert info.value.parameter == "Method"
    with pytest.raises(mycpaas.ValidationError):
        client.calls.create(to="+15551230000", from_=CALLER, url=VOICE_URL, status_callback_event=["hung-up"])
    with pytest.raises(mycpaas.ValidationError):
        client.calls.list(page_size=0)
    with pytest.raises(TypeError, match="urll"):
        client.calls.create(to="+15551230000", from_=CALLER, urll=VOICE_URL)  # type: ignore[call-arg]
    assert sim.request_count == before


def test_api_rejection_keeps_code_and_message(client: mycpaas.Client) -> None:
    with pytest.raises(mycpaas.ApiError) as info:
        client.calls.create(to="+15005550001", from_=CALLER, url=VOICE_URL)
    assert info.value.status == 400 and info.value.code == 21211
    assert info.value.message


def test_wrong_token_is_an_authentication_error(sim: mycpaas.Simulator) -> None:
    bad = mycpaas.Client(sim.account_sid, "not-the-token", base_url=sim.base_url)
    with pytest.raises(mycpaas.AuthenticationError) as info:
        bad.calls.list(limit=1)
    assert info.value.status == 401 and info.value.code == 20003


def test_rate_limit_and_unavailable_after_retries(sim: mycpaas.Simulator) -> None:
    client = sim.client(max_retries=0)
    sim.inject_fault("rate_limited", retry_after=0)
    with pytest.raises(mycpaas.RateLimitError) as info:
        client.calls.list(limit=1)
    assert info.value.status == 429
    sim.inject_fault("unavailable")
    with pytest.raises(mycpaas.ApiError) as api:
        client.calls.list(limit=1)
    assert api.value.status == 503


def test_safe_requests_are_retried(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.client(max_retries=2)
    call = client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
    sim.inject_fault("unavailable")
    assert client.calls.fetch(call.sid).sid == call.sid


def test_lost_create_answer_is_maybe_created_and_not_retried(sim: mycpaas.Simulator) -> None:
    client = sim.client(max_retries=3)
    before = sim.calls_created
    sim.inject_fault("drop_after_handling")
    with pytest.raises(mycpaas.MaybeCreatedError) as info:
        client.calls.create(to="+15551239999", from_=CALLER, url=VOICE_URL)
    assert info.value.may_have_been_sent
    assert sim.calls_created == before + 1  # created once, never duplicated


def test_undecodable_answer_is_a_decode_error(sim: mycpaas.Simulator) -> None:
    client = sim.client(max_retries=0)
    sim.inject_fault("malformed_body")
    with pytest.raises(mycpaas.DecodeError):
        client.calls.list(limit=1)


def test_slow_server_is_a_timeout(sim: mycpaas.Simulator) -> None:
    client = sim.client(timeout=0.2, max_retries=0)
    sim.inject_fault("delay", delay=2.0)
    with pytest.raises(mycpaas.TimeoutError):
        client.calls.list(limit=1)


def test_nobody_listening_is_a_transport_error() -> None:
    client = mycpaas.Client("AC123", "token", base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(mycpaas.TransportError) as info:
        client.calls.fetch("CA123")
    assert not isinstance(info.value, mycpaas.MaybeCreatedError)


def test_settings_come_from_the_environment(sim: mycpaas.Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYCPAAS_ACCOUNT_SID", sim.account_sid)
    monkeypatch.setenv("MYCPAAS_AUTH_TOKEN", sim.auth_token)
    monkeypatch.setenv("MYCPAAS_BASE_URL", sim.base_url)
    with mycpaas.Client() as client:
        assert client.base_url == sim.base_url
        client.calls.list(limit=1)
        assert sim.auth_token not in repr(client)
    monkeypatch.delenv("MYCPAAS_AUTH_TOKEN")
    with pytest.raises(mycpaas.ValidationError) as info:
        mycpaas.Client()
    assert info.value.parameter == "auth_token"


def test_bad_settings_are_validation_errors() -> None:
    with pytest.raises(mycpaas.ValidationError):
        mycpaas.Client("AC1", "t", base_url="not a url")
    with pytest.raises(mycpaas.ValidationError):
        mycpaas.Client("AC1", "t", timeout=0)


def test_eight_threads_share_one_client(number: str) -> None:
    # A simulator of its own: its 80 calls ask an unreachable URL for their document, and while a
    # webhook request is in flight simulated time stands still for every call of the simulator.
    with mycpaas.Simulator(seed=7) as sim:
        eight_threads_share_one_client(sim.client(), number)


def eight_threads_share_one_client(client: mycpaas.Client, number: str) -> None:
    sids: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            for _ in range(10):
                call = client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
                fetched = client.calls.fetch(call.sid)
                with lock:
                    sids.append(fetched.sid)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(sids)) == 80
    assert {c.sid for c in client.calls.list(to=number)} == set(sids)


def test_timeline_of_an_unknown_call_is_none(sim: mycpaas.Simulator) -> None:
    assert sim.timeline("CAdoesnotexist") is None


def test_a_closed_simulator_says_so() -> None:
    sim = mycpaas.Simulator()
    sim.close()
    sim.close()  # idempotent
    with pytest.raises(RuntimeError):
        sim.client()


def test_call_dates_are_utc() -> None:
    with mycpaas.Simulator() as sim:
        call = sim.client().calls.create(to="+15551230000", from_=CALLER, url=VOICE_URL)
        assert call.date_created is not None
        assert call.date_created.utcoffset() == timezone.utc.utcoffset(None)


def test_the_gil_is_released_while_waiting_for_the_server(sim: mycpaas.Simulator) -> None:
    client = sim.client(max_retries=0)
    sim.inject_fault("delay", delay=0.5)
    started = threading.Event()

    def slow_request() -> None:
        started.set()
        client.calls.list(limit=1)

    worker = threading.Thread(target=slow_request)
    worker.start()
    started.wait()
    spins = 0
    while worker.is_alive():  # runs only if the waiting thread let go of the GIL
        spins += 1
    worker.join()
    assert spins > 1000


def test_numbers_out_of_any_range_are_refused_by_name(sim: mycpaas.Simulator, client: mycpaas.Client) -> None:
    before = sim.request_count
    for call in (lambda: client.calls.list(limit=2**70), lambda: client.calls.list(limit=-1)):
        with pytest.raises(mycpaas.ValidationError) as info:
            call()
        assert info.value.parameter == "limit"
    with pytest.raises(mycpaas.ValidationError) as info:
        client.calls.create(to="+15551230000", from_=CALLER, url=VOICE_URL, timeout=2**70)
    assert info.value.parameter == "timeout"
    with pytest.raises(mycpaas.ValidationError, match="at most") as info:
        sim.client(timeout=1e30)
    assert info.value.parameter == "timeout"
    for url in ("https:///voice.xml", "https:\\\\example.com\\voice.xml", "https:example.com/voice.xml"):
        with pytest.raises(mycpaas.ValidationError) as info:
            client.calls.create(to="+15551230000", from_=CALLER, url=url)
        assert info.value.parameter == "Url", url
    assert sim.request_count == before


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def settled_fds(at_most: int) -> int:
    """The process's open descriptors once the simulator (in this process) has seen the clients leave."""
    deadline = time.monotonic() + 3
    while open_fds() > at_most and time.monotonic() < deadline:
        time.sleep(0.05)
    return open_fds()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_close_releases_the_pool_and_later_use_is_refused(sim: mycpaas.Simulator) -> None:
    client = sim.client()
    client.calls.list(limit=1)
    before = open_fds()
    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(lambda _: client.calls.list(limit=1), range(300)))
    client.close()
    assert settled_fds(before) <= before
    with pytest.raises(mycpaas.ValidationError, match="closed") as info:
        client.calls.list(limit=1)
    assert info.value.parameter == "client"
    with sim.client() as scoped:
        scoped.calls.list(limit=1)
    with pytest.raises(mycpaas.ValidationError, match="closed"):
        scoped.calls.list(limit=1)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_an_async_client_closes_too(sim: mycpaas.Simulator) -> None:
    async def burst() -> None:
        client = sim.async_client()
        await client.calls.list(limit=1)
        before = open_fds()
        await asyncio.gather(*(client.calls.list(limit=1) for _ in range(300)))
        await client.close()
        assert settled_fds(before) <= before
        with pytest.raises(mycpaas.ValidationError, match="closed"):
            await client.calls.list(limit=1)

    asyncio.run(burst())


def test_wait_follows_a_call_until_answered_and_until_it_ends(sim: mycpaas.Simulator, number: str) -> None:
    client = sim.client()
    call = client.calls.create(to=number, from_=CALLER, twiml='<Response><Pause length="3600"/></Response>')
    assert client.calls.wait(call.sid, until="answered", deadline=10).status == "in-progress"
    with pytest.raises(TimeoutError, match="in-progress"):
        client.calls.wait(call.sid, deadline=0.3)
    with pytest.raises(mycpaas.ValidationError) as info:
        client.calls.wait(call.sid, until="soon")  # type: ignore[arg-type]
    assert info.value.parameter == "until"

    async def on_async() -> None:
        async with sim.async_client() as aclient:
            await aclient.calls.hangup(call.sid)
            ended = await aclient.calls.wait(call.sid, until="ended", deadline=10)
            assert ended.status == "completed"

    asyncio.run(on_async())


def test_total_timeout_bounds_the_retries_and_their_waits() -> None:
    with mycpaas.Simulator(seed=12) as sim:
        client = sim.client(timeout=3, total_timeout=1.5, max_retries=9)
        sim.inject_fault("rate_limited", count=10, retry_after=1)
        started = time.monotonic()
        with pytest.raises(mycpaas.RateLimitError):
            client.calls.list(limit=1)
        took = time.monotonic() - started
        assert 0.9 < took < 1.6, took
        with pytest.raises(mycpaas.ValidationError) as info:
            sim.client(total_timeout=0)
        assert info.value.parameter == "total_timeout"
