"""Test a voice app offline: run it on a loopback port and place calls to it on the simulator.

>>> from mycpaas.testing import serve
>>> with mycpaas.Simulator() as sim, serve(app) as base_url:   # doctest: +SKIP
...     sim.client().calls.create(to="+15551230000", from_="+15559870000", url=f"{base_url}/voice")

``serve`` runs a WSGI app (Flask, Django, any WSGI callable) with the standard library's server, or an ASGI app
(Starlette, FastAPI, Django's ASGI) with uvicorn when it is installed, in a thread, on an ephemeral port of
127.0.0.1. The pytest plugin (registered with the package) gives the same as fixtures: ``mycpaas_sim`` (whose
``serve(app)`` returns the app's base URL and stops it after the test) and ``mycpaas_client``.

Importing this module imports no web framework and no server until an app is served.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["serve", "is_asgi"]


def is_asgi(app: Any) -> bool:
    """Whether ``app`` is an ASGI app (an async callable of ``scope, receive, send``) rather than a WSGI one."""
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else getattr(app, "__call__", None)
    return inspect.iscoroutinefunction(call)


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Runs ``app`` on an ephemeral loopback port in a thread; yields its base URL (``http://127.0.0.1:PORT``)."""
    with (_serve_asgi(app) if is_asgi(app) else _serve_wsgi(app)) as base_url:
        yield base_url


@contextlib.contextmanager
def _serve_wsgi(app: Callable[..., Any]) -> Iterator[str]:
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, server_class=Server, handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="mycpaas-wsgi-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def _serve_asgi(app: Any) -> Iterator[str]:
    try:
        import uvicorn
    except ImportError as missing:
        raise RuntimeError("serving an ASGI app needs uvicorn: pip install uvicorn") from missing
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="mycpaas-asgi-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the ASGI app did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
