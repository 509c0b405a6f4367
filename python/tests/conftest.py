"""Shared fixtures: one in-process simulator per test module, and a client of it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

import mycpaas

_numbers = itertools.count(1000)


@pytest.fixture(scope="module")
def sim() -> Iterator[mycpaas.Simulator]:
    with mycpaas.Simulator(seed=7) as simulator:
        yield simulator


@pytest.fixture()
def client(sim: mycpaas.Simulator) -> mycpaas.Client:
    return sim.client()


@pytest.fixture()
def number() -> str:
    """A destination number no other test uses, so list filters see only this test's calls."""
    return f"+1555{next(_numbers):07d}"

