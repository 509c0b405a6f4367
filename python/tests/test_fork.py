"""A client used before fork(): every forked worker gets answers to its own requests, never its parent's."""

from __future__ import annotations

import multiprocessing
import os
from typing import Optional

import pytest

import mycpaas

from helpers import CALLER, VOICE_URL

pytestmark = [
    pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork() on this platform"),
    # Python 3.12+ warns about forking a process with threads (the in-process simulator has some);
    # the children here only use the client.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

#: The client the workers inherit through fork(); set by the test before the pool starts.
_shared: Optional[mycpaas.Client] = None

WORKERS = 4
CREATES = 200


def _create_and_fetch(i: int) -> tuple[str, str, str, str, int]:
    """In a worker: create a call to a number of its own, then fetch it back by its SID."""
    assert _shared is not None
    to = f"+1556{i:07d}"
    created = _shared.calls.create(to=to, from_=CALLER, url=VOICE_URL)
    fetched = _shared.calls.fetch(created.sid)
    return to, created.to or "", fetched.to or "", created.sid, os.getpid()


def test_forked_workers_never_get_another_processs_call(sim: mycpaas.Simulator) -> None:
    global _shared
    client = _shared = sim.client(timeout=5, max_retries=0)
    # The parent uses the client first, so its pool holds a connection the children inherit.
    parent_call = client.calls.create(to="+15560000000", from_=CALLER, url=VOICE_URL)
    assert client.calls.fetch(parent_call.sid).sid == parent_call.sid
    created_before = sim.calls_created
    try:
        with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
            results = pool.map_async(_create_and_fetch, range(1, CREATES + 1), chunksize=1).get(timeout=60)
    finally:
        _shared = None

    assert len(results) == CREATES
    wrong = [r for r in results if not (r[0] == r[1] == r[2])]
    assert wrong == [], f"{len(wrong)} of {CREATES} creates returned another call"
    assert len({sid for _, _, _, sid, _ in results}) == CREATES
    assert parent_call.sid not in {sid for _, _, _, sid, _ in results}
    assert len({pid for *_, pid in results}) > 1, "the work was spread over several workers"
    assert os.getpid() not in {pid for *_, pid in results}
    assert sim.calls_created - created_before == CREATES
    # The parent's client still works, on its own connections.
    assert client.calls.fetch(parent_call.sid).to == "+15560000000"
