"""Ctrl-C stops a blocking request, a retry wait and a stream() loop within 0.5 s."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import mycpaas

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT with os.kill")

ACCOUNT = "AC" + "0" * 32
SID = "CA" + "0" * 32


@pytest.fixture()
def silent() -> Iterator[str]:
    """A server that accepts connections and never answers; its base URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()
    for connection in held:
        connection.close()


def interrupted_within(seconds: float, action: Callable[[], Any]) -> float:
    """Runs `action`, sends SIGINT to this process after 0.3 s; the time from the signal to the
    KeyboardInterrupt, which must come within `seconds`."""
    sent: dict[str, float] = {}

    def fire() -> None:
        time.sleep(0.3)
        sent["at"] = time.monotonic()
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=fire, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        action()
    took = time.monotonic() - sent["at"]
    assert took < seconds, took
    return took


def test_ctrl_c_stops_a_request_to_a_silent_server(silent: str) -> None:
    client = mycpaas.Client(ACCOUNT, "token", base_url=silent, timeout=30, max_retries=0)
    interrupted_within(0.5, lambda: client.calls.fetch(SID))
    # The client still works afterwards (a new request on a new worker).
    with pytest.raises(mycpaas.TimeoutError):
        mycpaas.Client(ACCOUNT, "token", base_url=silent, timeout=0.2, max_retries=0).calls.fetch(SID)


def test_ctrl_c_stops_a_retry_wait() -> None:
    with mycpaas.Simulator(seed=13) as sim:
        client = sim.client(max_retries=3)
        sim.inject_fault("rate_limited", count=4, retry_after=10)
        interrupted_within(0.5, lambda: client.calls.list(limit=1))


def test_ctrl_c_stops_a_stream_loop(silent: str) -> None:
    client = mycpaas.Client(ACCOUNT, "token", base_url=silent, timeout=30, max_retries=0)
    interrupted_within(0.5, lambda: [call for call in client.calls.stream()])
