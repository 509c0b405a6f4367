"""A real nginx (the operating system's package) in front of the Flask and FastAPI apps of the integration tests,
as in production: nginx terminates TLS and sends the app plain HTTP with another ``Host``, saying what the caller
asked for in ``X-Forwarded-Proto``/``-Host``/``-For``. The simulator calls the public ``https://`` URL (it trusts
the test's own certificate authority through ``SSL_CERT_FILE``): the routes that trust the proxy on 127.0.0.1 run
the whole IVR; the routes that trust no proxy, or other proxies, refuse every webhook with a 403.

nginx runs as the test's child process from a temporary directory (``-p DIR -c nginx.conf``, its pid file, logs and
temporary files there), on a free loopback port: no root needed. scripts/test-python installs nginx with apt-get
where it is missing; without it these tests fail, naming what to install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest

import mycpaas
from mycpaas import integrations, testing

import integration_checks as checks
from helpers import CALLER
from integration_checks import Seen

#: The ``location`` block of the nginx configuration, as docs/webhooks.md shows it (where the app listens on
#: 127.0.0.1:8000); the test replaces only that address with the app's.
LOCATION = """\
    location / {
        proxy_pass http://127.0.0.1:8000;
        # What the app sees is not the URL the platform signed: another host, plain HTTP.
        proxy_set_header Host app.internal;
        # What the caller asked for, for an app that trusts this proxy.
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Forwarded-Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;
    }
"""

CONFIG = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {dir}/server.crt;
        ssl_certificate_key {dir}/server.key;
{location}    }}
}}
"""


def nginx_binary() -> str:
    """nginx from ``$PATH`` or ``/usr/sbin`` (where Debian's package puts it, outside a user's ``$PATH``)."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found is None:
        pytest.fail(
            "nginx is not installed: these tests run a real nginx as the reverse proxy. scripts/test-python installs "
            "it (apt-get install -y nginx); install it yourself where that cannot run"
        )
    return found


def run(*command: str, cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (command, done.stderr)


def make_certificates(directory: Path) -> Path:
    """A certificate authority of this test, and nginx's certificate for 127.0.0.1 signed by it; the CA's path."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is not installed: the nginx tests make their certificates with it")
    (directory / "server.ext").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1\n"
    )
    run(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=mycpaas test CA",
        "-keyout", "ca.key", "-out", "ca.crt", cwd=directory)
    run(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", "server.key", "-out", "server.csr", cwd=directory)
    run(openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "server.ext", "-out", "server.crt", cwd=directory)
    return directory / "ca.crt"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def nginx(directory: Path, app_base_url: str) -> Iterator[str]:
    """nginx in front of the app at ``app_base_url``; yields its public base URL, ``https://127.0.0.1:PORT``."""
    binary = nginx_binary()
    app_address = app_base_url.removeprefix("http://")
    location = LOCATION.replace("127.0.0.1:8000", app_address)
    for _ in range(5):  # another process may take the free port first
        port = free_port()
        (directory / "nginx.conf").write_text(CONFIG.format(dir=directory, port=port, location=location))
        process = subprocess.Popen(
            [binary, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e", str(directory / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.05)
        if process.poll() is None:
            break
        errors = (process.stderr.read() if process.stderr else b"").decode()
        if "Address already in use" not in errors:
            pytest.fail(f"nginx did not start: {errors}")
    else:
        pytest.fail("nginx found no free port")
    try:
        yield f"https://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nginx_binary()  # fail first on what is missing
    return make_certificates(tmp_path_factory.mktemp("nginx-tls"))


@pytest.fixture()
def tls_sim(certificates: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[mycpaas.Simulator]:
    """A simulator that trusts the test's certificate authority, as a server trusts the roots of its system:
    ``SSL_CERT_FILE`` names the roots to load when the simulator starts."""
    with monkeypatch.context() as env:
        env.setenv("SSL_CERT_FILE", str(certificates))
        env.delenv("SSL_CERT_DIR", raising=False)
        simulator = mycpaas.Simulator()
    with simulator:
        yield simulator


@contextlib.contextmanager
def serve_flask(token: str, seen: Seen) -> Iterator[str]:
    """The Flask app of test_integrations_flask on the standard library's WSGI server (``mycpaas.testing.serve``)."""
    import test_integrations_flask

    with testing.serve(test_integrations_flask.make_app(token, seen)) as base_url:
        yield base_url


@contextlib.contextmanager
def serve_fastapi(token: str, seen: Seen) -> Iterator[str]:
    """The FastAPI app of test_integrations_fastapi on uvicorn with ``--no-proxy-headers``, as docs/webhooks.md
    says to run it behind a proxy (else uvicorn replaces the proxy's address with X-Forwarded-For's)."""
    import uvicorn

    import test_integrations_fastapi

    app = test_integrations_fastapi.make_app(token, seen)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off", proxy_headers=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    checks.wait_until(lambda: server.started or not thread.is_alive())
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture(params=[serve_flask, serve_fastapi], ids=["flask", "fastapi"])
def behind_nginx(
    request: pytest.FixtureRequest, tls_sim: mycpaas.Simulator, tmp_path: Path, certificates: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[str, Path, Seen]]:
    """The app (Flask on the standard library's WSGI server, FastAPI on uvicorn) behind nginx: nginx's public base
    URL, its directory and what the app's views received."""
    serve: Callable[[str, Seen], contextlib.AbstractContextManager[str]] = request.param
    monkeypatch.setenv(integrations.AUTH_TOKEN_ENV, tls_sim.auth_token)
    for name in ("server.crt", "server.key"):
        shutil.copy(certificates.parent / name, tmp_path / name)
    seen = Seen()
    with serve(tls_sim.auth_token, seen) as app_url, nginx(tmp_path, app_url) as public_url:
        yield public_url, tmp_path, seen


def test_the_trusted_proxy_routes_run_the_whole_ivr_through_nginx(
    tls_sim: mycpaas.Simulator, behind_nginx: tuple[str, Path, Seen]
) -> None:
    public_url, directory, seen = behind_nginx
    checks.check_ivr(tls_sim, tls_sim.client(), public_url, seen, prefix="/proxied")
    # Every request went through nginx, over TLS: the app's own port is not the one called.
    access_log = (directory / "access.log").read_text()
    for route in ("voice", "menu", "status"):
        assert f"POST /proxied/{route} HTTP/1.1\" 20" in access_log, access_log


def test_without_trust_in_the_proxy_every_webhook_is_refused(
    tls_sim: mycpaas.Simulator, behind_nginx: tuple[str, Path, Seen]
) -> None:
    public_url, directory, seen = behind_nginx
    client = tls_sim.client()
    for prefix in ("", "/other-proxy"):
        call = client.calls.create(
            to="+15551230005",
            from_=CALLER,
            url=f"{public_url}{prefix}/voice",
            status_callback=f"{public_url}{prefix}/status",
            status_callback_event=["initiated", "ringing", "answered", "completed"],
        )
        assert tls_sim.wait_for_call(call.sid, timeout=30) is not None
        checks.wait_until(lambda: getattr(tls_sim.timeline(call.sid), "settled", False), timeout=30)
        timeline = tls_sim.timeline(call.sid)
        assert timeline is not None
        documents = [e for e in timeline.entries if e["type"] == "document"]
        callbacks = [e for e in timeline.entries if e["type"] == "callback"]
        assert [d["http_status"] for d in documents] == [403], (prefix, documents)
        assert "Gather" not in timeline.verbs, timeline.verbs
        # Every status callback refused, each of its attempts: 4 callbacks, 3 attempts each.
        assert len(callbacks) == 12 and {c["http_status"] for c in callbacks} == {403}, (prefix, callbacks)
        assert all(c["given_up"] for c in callbacks if c["attempt"] == 3)
        assert f"POST {prefix}/voice HTTP/1.1\" 403" in (directory / "access.log").read_text()
    assert seen.entries == [], "no view ran"


def test_the_docs_show_the_configuration_the_test_runs() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text()
    assert LOCATION in docs, "docs/webhooks.md's nginx example differs from the tests' LOCATION"
