"""The pytest plugin of mycpaas, registered with the package: fixtures for testing voice apps offline.

- ``mycpaas_sim``: a started :class:`mycpaas.Simulator`, closed after the test; ``mycpaas_sim.serve(app)`` runs a
  WSGI or ASGI app under test on a loopback port (see :mod:`mycpaas.testing`) and returns its base URL.
- ``mycpaas_client``: a :class:`mycpaas.Client` of that simulator.

A test places a call against a Flask app in three lines::

    def test_the_menu(mycpaas_sim, mycpaas_client):
        base_url = mycpaas_sim.serve(app)
        call = mycpaas_client.calls.create(to="+15551230000", from_="+15559870000", url=f"{base_url}/voice")
        assert mycpaas_sim.wait_for_call(call.sid) is not None
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

import mycpaas
from mycpaas.testing import serve


class TestSimulator:
    """A :class:`mycpaas.Simulator` for one test, which also serves the apps under test until the test ends."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, simulator: mycpaas.Simulator, apps: contextlib.ExitStack) -> None:
        self._simulator = simulator
        self._apps = apps

    def serve(self, app: Any) -> str:
        """Runs ``app`` (WSGI or ASGI) on a loopback port until the test ends; returns its base URL."""
        return self._apps.enter_context(serve(app))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._simulator, name)


@pytest.fixture()
def mycpaas_sim() -> Iterator[TestSimulator]:
    """A started simulator, closed after the test, with ``serve(app)`` for the apps under test."""
    with contextlib.ExitStack() as apps, mycpaas.Simulator() as simulator:
        yield TestSimulator(simulator, apps)


@pytest.fixture()
def mycpaas_client(mycpaas_sim: TestSimulator) -> mycpaas.Client:
    """A client of ``mycpaas_sim``'s account."""
    client: mycpaas.Client = mycpaas_sim.client()
    return client
