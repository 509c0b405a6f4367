"""What each result and exception says about its request: status, headers, request ids, attempts, time."""

from __future__ import annotations

import socket
from typing import Any

import pytest

import mycpaas

from helpers import CALLER, VOICE_URL


def _since(sim: mycpaas.Simulator, before: int) -> list[dict[str, Any]]:
    return list(sim.requests[before:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.parametrize(
    ("operation", "fault"),
    [("create", "rate_limited"), ("fetch", "unavailable"), ("page", "unavailable")],
)
def test_a_retried_operation_reports_two_attempts_with_one_client_request_id(
    sim: mycpaas.Simulator, number: str, operation: str, fault: str
) -> None:
    client = sim.client(max_retries=2)
    sid = client.calls.create(to=number, from_=CALLER, url=VOICE_URL).sid
    before = len(sim.requests)
    sim.inject_fault(fault, retry_after=0)
    if operation == "create":
        result: mycpaas.Call | mycpaas.CallPage = client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
    elif operation == "fetch":
        result = client.calls.fetch(sid)
    else:
        result = client.calls.page(to=number)
    info = result.response
    assert info is not None
    seen = _since(sim, before)
    assert info.attempts == 2 and len(seen) == 2
    assert info.status == (201 if operation == "create" else 200)
    assert [r["client_request_id"] for r in seen] == [info.client_request_id] * 2
    assert info.request_id == seen[1]["request_id"] != seen[0]["request_id"]
    assert info.elapsed > 0


def test_a_fetch_carries_status_headers_and_the_provider_s_request_id(
    sim: mycpaas.Simulator, client: mycpaas.Client, number: str
) -> None:
    created = client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
    call = client.calls.fetch(created.sid)
    info = call.response
    assert info is not None and created.response is not None
    assert info.status == 200 and info.attempts == 1
    assert info.request_id == sim.requests[-1]["request_id"]
    assert info.request_id is not None and info.request_id.startswith("RQ") and len(info.request_id) == 34
    assert info.headers["content-type"] == "application/json"
    assert info.client_request_id != created.response.client_request_id
    assert "ResponseInfo(status=200" in repr(info)
    # Calls of a page carry nothing of their own: the page does.
    page = client.calls.page(to=number)
    assert page.response is not None and page.response.status == 200
    assert page.calls[0].response is None


@pytest.mark.parametrize(
    ("fault", "exception", "status"),
    [(None, mycpaas.NotFoundError, 404), ("malformed_body", mycpaas.DecodeError, 200)],
)
def test_errors_of_an_answer_carry_its_info(
    sim: mycpaas.Simulator, client: mycpaas.Client, number: str, fault: str | None, exception: type, status: int
) -> None:
    sid = client.calls.create(to=number, from_=CALLER, url=VOICE_URL).sid
    if fault is None:
        sid = "CA00000000000000000000000000000000"
    else:
        sim.inject_fault(fault)
    with pytest.raises(exception) as raised:
        client.calls.fetch(sid)
    info = raised.value.response
    assert info is not None and info.status == status and info.attempts == 1
    assert info.request_id == sim.requests[-1]["request_id"]
    assert sim.requests[-1]["client_request_id"] == info.client_request_id


def test_a_refused_connection_has_attempts_time_and_a_cause() -> None:
    client = mycpaas.Client("AC123", "token", base_url=f"http://127.0.0.1:{_free_port()}", max_retries=2)
    with pytest.raises(mycpaas.TransportError) as raised:
        client.calls.fetch("CA00000000000000000000000000000000")
    info = raised.value.response
    assert info is not None
    assert info.status is None and info.attempts == 3 and info.elapsed > 0
    assert len(info.client_request_id) == 32
    assert isinstance(raised.value.__cause__, OSError), repr(raised.value.__cause__)
    assert str(raised.value.__cause__)


@pytest.mark.asyncio
async def test_the_async_client_says_the_same(sim: mycpaas.Simulator, number: str) -> None:
    async with sim.async_client(max_retries=2) as client:
        before = len(sim.requests)
        sim.inject_fault("rate_limited", retry_after=0)
        call = await client.calls.create(to=number, from_=CALLER, url=VOICE_URL)
        assert call.response is not None and call.response.attempts == 2
        assert [r["client_request_id"] for r in _since(sim, before)] == [call.response.client_request_id] * 2
        with pytest.raises(mycpaas.NotFoundError) as raised:
            await client.calls.fetch("CA00000000000000000000000000000000")
        assert raised.value.response is not None and raised.value.response.status == 404
    refused = mycpaas.AsyncClient("AC123", "token", base_url=f"http://127.0.0.1:{_free_port()}", max_retries=1)
    with pytest.raises(mycpaas.TransportError) as failed:
        await refused.calls.fetch("CA00000000000000000000000000000000")
    assert failed.value.response is not None and failed.value.response.attempts == 2
    assert isinstance(failed.value.__cause__, OSError)
