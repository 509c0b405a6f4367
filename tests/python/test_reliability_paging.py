"""A walk over pages always ends: a server that sends the same page again under other links ends it with an
error, through list() and stream(), sync and async, over real HTTP."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import mycpaas
from hostile import reply

ACCOUNT = "AC" + "0" * 32


class LoopingPages(BaseHTTPRequestHandler):
    """Every page holds the same two calls and links to a 'next' page spelled anew each time."""

    served = 0

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        type(self).served += 1
        page = {
            "page": 0,
            "page_size": 2,
            "calls": [{"sid": "CA1"}, {"sid": "CA2"}],
            "next_page_uri": f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json?Page=1&Spelling={type(self).served}",
        }
        self.wfile.write(reply(200, "application/json", json.dumps(page).encode()))

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[ThreadingHTTPServer]:
    LoopingPages.served = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), LoopingPages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def base_url(httpd: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}/api/laml"


def test_a_page_sent_again_under_another_link_ends_the_walk(server: ThreadingHTTPServer) -> None:
    client = mycpaas.Client(ACCOUNT, "token", base_url=base_url(server), max_retries=0)
    for walk in (client.calls.list, lambda: list(client.calls.stream())):
        before = LoopingPages.served
        with pytest.raises(mycpaas.MycpaasError, match="sent before"):
            walk()
        assert LoopingPages.served - before == 2


def test_the_async_walks_end_too(server: ThreadingHTTPServer) -> None:
    async def walks() -> None:
        async with mycpaas.AsyncClient(ACCOUNT, "token", base_url=base_url(server), max_retries=0) as client:
            with pytest.raises(mycpaas.MycpaasError, match="sent before"):
                await client.calls.list()
            with pytest.raises(mycpaas.MycpaasError, match="sent before"):
                [call async for call in client.calls.stream()]

    asyncio.run(walks())
    assert LoopingPages.served == 4
