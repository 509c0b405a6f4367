"""A known auth token never shows in the Python package: reprs, exception messages, pickles,
tracebacks and log records of clients, the simulator and every error kind."""

from __future__ import annotations

import base64
import logging
import pickle
import traceback
from collections.abc import Iterator

import pytest

import mycpaas

ACCOUNT = "AC5ec4e75ec4e75ec4e75ec4e75ec4e75e"
TOKEN = "tok-LEAK-py-91d3c7"
SECRETS = [TOKEN, base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode().rstrip("=")]


def assert_hidden(what: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{what} shows the secret: {text!r}"


def assert_error_hidden(error: BaseException) -> None:
    assert_hidden("str", str(error))
    assert_hidden("repr", repr(error))
    assert_hidden("args", repr(error.args))
    assert_hidden("vars", repr(vars(error)))
    assert_hidden("traceback", "".join(traceback.format_exception(error)))
    assert_hidden("pickle", repr(pickle.loads(pickle.dumps(error))))
    assert_hidden("pickle bytes", pickle.dumps(error).decode("latin-1"))


@pytest.fixture(scope="module")
def sim() -> Iterator[mycpaas.Simulator]:
    with mycpaas.Simulator(seed=5, account_sid=ACCOUNT, auth_token=TOKEN) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def every_log_record(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert_hidden("log records", caplog.text)


def test_clients_and_the_simulator_hide_the_token(sim: mycpaas.Simulator) -> None:
    client = mycpaas.Client(ACCOUNT, TOKEN, base_url=sim.base_url)
    asynchronous = mycpaas.AsyncClient(ACCOUNT, TOKEN, base_url=sim.base_url)
    for value in [client, client.calls, asynchronous, asynchronous.calls, sim, sim.client()]:
        assert_hidden(type(value).__name__, repr(value))
        assert_hidden(type(value).__name__, str(value))


def test_every_error_kind_hides_the_token(sim: mycpaas.Simulator) -> None:
    seen: list[BaseException] = []
    # Refused settings: a token with a newline, a bad base URL.
    for make in [
        lambda: mycpaas.Client(ACCOUNT, TOKEN + "\n", base_url=sim.base_url),
        lambda: mycpaas.Client(ACCOUNT, TOKEN, base_url="ftp://example.com"),
        lambda: mycpaas.Client("AC/1", TOKEN, base_url=sim.base_url),
    ]:
        with pytest.raises(mycpaas.ValidationError) as info:
            make()
        seen.append(info.value)
    client = mycpaas.Client(ACCOUNT, TOKEN, base_url=sim.base_url, max_retries=0)
    # Invalid input, a missing call, faults.
    with pytest.raises(mycpaas.ValidationError) as invalid:
        client.calls.create(to="+49abc", from_="+15550000000", url="https://example.com/v")
    seen.append(invalid.value)
    with pytest.raises(mycpaas.NotFoundError) as missing:
        client.calls.fetch("CA404")
    seen.append(missing.value)
    twiml = "<Response><Hangup/></Response>"
    for fault, kind in [
        ("rate_limited", mycpaas.RateLimitError),
        ("unavailable", mycpaas.ApiError),
        ("drop_after_handling", mycpaas.MaybeCreatedError),
        # A create answered 201 with an unreadable body: the call exists.
        ("malformed_body", mycpaas.MaybeCreatedError),
    ]:
        sim.inject_fault(fault)  # type: ignore[arg-type]
        with pytest.raises(kind) as info:
            client.calls.create(to="+15551230000", from_="+15550000000", twiml=twiml)
        seen.append(info.value)
    sim.inject_fault("malformed_body")
    with pytest.raises(mycpaas.DecodeError) as undecodable:
        client.calls.list(limit=1)
    seen.append(undecodable.value)
    slow = mycpaas.Client(ACCOUNT, TOKEN, base_url=sim.base_url, timeout=0.2, max_retries=0)
    sim.inject_fault("delay", delay=1.0)
    with pytest.raises(mycpaas.TimeoutError) as timeout:
        slow.calls.list(limit=1)
    seen.append(timeout.value)
    closed = mycpaas.Client(ACCOUNT, TOKEN, base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(mycpaas.TransportError) as transport:
        closed.calls.fetch("CA1")
    seen.append(transport.value)
    wrong = mycpaas.Client(ACCOUNT, "another-token", base_url=sim.base_url, max_retries=0)
    with pytest.raises(mycpaas.AuthenticationError) as auth:
        wrong.calls.list(limit=1)
    seen.append(auth.value)

    for error in seen:
        assert_error_hidden(error)
    assert len({type(e) for e in seen}) >= 8
