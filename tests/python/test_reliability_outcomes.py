"""Every create outcome is honest: an answer that does not prove a refusal raises MaybeCreatedError, a 201 whose
SID is good returns the call even with an odd field, and a create is sent once."""

from __future__ import annotations

import json

import pytest

import mycpaas

from hostile import HostileServer, reply

CREATE = {"to": "+491234567890", "from_": "+491098765432", "url": "https://example.com/voice.xml"}
API_503 = json.dumps({"code": 20503, "message": "Unavailable", "more_info": "https://x", "status": 503}).encode()

# (status, content type, body, the call may exist)
FIVE_XX = [
    (503, "application/json", API_503, False),
    (502, "text/html", b"<html><h1>502 Bad Gateway</h1></html>", True),
    (504, "text/html", b"<html><h1>504 Gateway Time-out</h1></html>", True),
    (500, "text/plain", b"", True),
]


@pytest.mark.parametrize(("status", "content_type", "body", "may_exist"), FIVE_XX)
def test_a_5xx_refuses_a_create_only_as_the_apis_own_error_document(
    status: int, content_type: str, body: bytes, may_exist: bool
) -> None:
    with HostileServer(reply(status, content_type, body)) as server:
        client = server.client()
        with pytest.raises(mycpaas.MycpaasError) as info:
            client.calls.create(**CREATE)
        assert isinstance(info.value, mycpaas.MaybeCreatedError) == may_exist, repr(info.value)
        assert getattr(info.value, "status", None) == status
        assert server.methods.count("POST") == 1


def test_a_201_over_the_size_limit_may_have_created_the_call() -> None:
    seventeen_mib = 17 * 1024 * 1024
    head = (
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        f"Content-Length: {seventeen_mib}\r\nConnection: close\r\n\r\n"
    ).encode()
    with HostileServer(head, flood=seventeen_mib) as server:
        with pytest.raises(mycpaas.MaybeCreatedError) as info:
            server.client().calls.create(**CREATE)
        assert info.value.status == 201 and info.value.may_have_been_sent
        assert server.methods == ["POST"]


@pytest.mark.parametrize(
    "body",
    [b'{"sid": "", "status": "queued"}', b'{"status": "queued"}', b'{"sid": "CA1", "status": "que', b"<Response/>"],
)
def test_a_201_without_a_usable_sid_may_have_created_a_call(body: bytes) -> None:
    with HostileServer(reply(201, "application/json", body)) as server:
        with pytest.raises(mycpaas.MaybeCreatedError) as info:
            server.client().calls.create(**CREATE)
        assert info.value.status == 201


def test_a_201_with_one_odd_field_keeps_the_sid_and_names_the_field() -> None:
    body = b'{"sid": "CA1", "to": "+491234567890", "status": "queued", "duration": -5, "date_created": "soon"}'
    with HostileServer(reply(201, "application/json", body)) as server:
        call = server.client().calls.create(**CREATE)
    assert (call.sid, call.to, call.status) == ("CA1", "+491234567890", "queued")
    assert (call.duration, call.date_created) == (None, None)
    assert sorted(field for field, _ in call.problems) == ["date_created", "duration"]


def test_maybe_created_errors_pickle_with_their_status() -> None:
    import pickle

    error = mycpaas.MaybeCreatedError("lost", True, 504)
    again = pickle.loads(pickle.dumps(error))
    assert (str(again), again.may_have_been_sent, again.status) == ("lost", True, 504)


def test_a_maybe_created_error_is_also_what_went_wrong_on_the_way() -> None:
    """A lost answer is also a TransportError, a late one also a TimeoutError (ours and the builtin); an answer
    that proves nothing (a gateway's page) is neither. `except MaybeCreatedError` catches all three."""
    import builtins

    with mycpaas.Simulator(seed=4) as sim:
        client = sim.client(timeout=0.2, max_retries=0)
        sim.inject_fault("delay", delay=2.0)
        with pytest.raises(builtins.TimeoutError) as late:
            client.calls.create(**CREATE)
        assert isinstance(late.value, mycpaas.TimeoutError)
        assert isinstance(late.value, mycpaas.MaybeCreatedError) and late.value.status is None
        before = sim.calls_created
        sim.inject_fault("drop_after_handling")
        with pytest.raises(mycpaas.MaybeCreatedError) as lost:
            client.calls.create(**CREATE)
        assert isinstance(lost.value, mycpaas.TransportError)
        assert not isinstance(lost.value, builtins.TimeoutError)
        assert sim.calls_created == before + 1
    with HostileServer(reply(502, "text/html", b"<html>Bad Gateway</html>")) as server:
        with pytest.raises(mycpaas.MaybeCreatedError) as inconclusive:
            server.client().calls.create(**CREATE)
    assert not isinstance(inconclusive.value, mycpaas.TransportError)
    assert inconclusive.value.status == 502


def test_every_maybe_created_error_pickles_as_itself() -> None:
    import pickle

    for cls in (mycpaas.MaybeCreatedError, mycpaas.MaybeCreatedTransportError, mycpaas.MaybeCreatedTimeoutError):
        again = pickle.loads(pickle.dumps(cls("lost", True, None)))
        assert type(again) is cls and str(again) == "lost" and again.may_have_been_sent


def test_find_created_reconciles_a_lost_answer_to_its_call_or_to_none() -> None:
    import asyncio

    with mycpaas.Simulator(seed=5) as sim:
        client = sim.client(max_retries=0)
        for number, fault, placed in (("+15557770001", "drop_after_handling", 1), ("+15557770002", "drop_before_handling", 0)):
            sim.inject_fault(fault)
            with pytest.raises(mycpaas.MaybeCreatedError) as info:
                client.calls.create(**{**CREATE, "to": number})
            found = client.calls.find_created(info.value)
            assert len(found) == placed, fault
            assert all(call.to == number for call in found)

        async def on_async() -> None:
            async with sim.async_client(max_retries=0) as aclient:
                sim.inject_fault("drop_after_handling")
                with pytest.raises(mycpaas.MaybeCreatedError) as info:
                    await aclient.calls.create(**{**CREATE, "to": "+15557770003"})
                found = await aclient.calls.find_created(info.value)
                assert [call.to for call in found] == ["+15557770003"]

        asyncio.run(on_async())
        before = sim.calls_created
        with pytest.raises(mycpaas.ValidationError) as refused:
            client.calls.find_created(mycpaas.MaybeCreatedError("made up"))
        assert refused.value.parameter == "error"
        assert sim.calls_created == before


@pytest.mark.parametrize(
    ("fault", "status", "placed"),
    [("bad_gateway", 502, 0), ("gateway_timeout", 504, 1), ("oversized_body", 201, 1)],
)
def test_the_simulators_inconclusive_answers_are_maybe_created_and_reconciled(fault: str, status: int, placed: int) -> None:
    with mycpaas.Simulator(seed=6) as sim:
        client = sim.client(max_retries=0)
        sim.inject_fault(fault)
        with pytest.raises(mycpaas.MaybeCreatedError) as info:
            client.calls.create(**CREATE)
        assert info.value.status == status
        assert len(client.calls.find_created(info.value)) == placed == sim.calls_created
