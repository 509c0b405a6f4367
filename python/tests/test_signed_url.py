"""A voice app behind a reverse proxy: the simulator calls the proxy's address, the app sees its own, and
``mycpaas.webhooks.SignedUrl`` rebuilds the URL the simulator signed from the proxy's forwarding headers, believed
only from the trusted proxy."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

import mycpaas
from mycpaas import laml, webhooks
from mycpaas.webhooks import SignedUrl

from helpers import CALLER

HANGUP = str(laml.Response().say("Hello").hangup()).encode()


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def app_behind_proxy(auth_token: str, signed_url: SignedUrl, verdicts: list[bool]) -> Iterator[str]:
    """Starts an app and a proxy in front of it (which rewrites Host and adds X-Forwarded-*); yields the
    proxy's URL."""

    class App(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            url = signed_url.rebuild(
                "http", self.headers["Host"], self.path, peer=self.client_address[0], headers=self.headers
            )
            params = parse_qsl(body.decode(), keep_blank_values=True)
            signature = self.headers.get(webhooks.SIGNATURE_HEADER, "")
            verdicts.append(webhooks.validate_signature(url, params, signature, auth_token))
            self.send_response(200 if verdicts[-1] else 403)
            self.send_header("Content-Type", "application/xml")
            self.end_headers()
            self.wfile.write(HANGUP if verdicts[-1] else b"")

        def log_message(self, *args: object) -> None:
            pass

    app = serve(App)
    app_address = f"127.0.0.1:{app.server_address[1]}"

    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {name: value for name, value in self.headers.items() if name.lower() != "host"}
            headers["Host"] = app_address
            headers["X-Forwarded-Proto"] = "http"
            headers["X-Forwarded-Host"] = self.headers["Host"]
            forwarded = urllib.request.Request(f"http://{app_address}{self.path}", data=body, headers=headers)
            try:
                with urllib.request.urlopen(forwarded, timeout=10) as answer:
                    status, content = answer.status, answer.read()
            except urllib.error.HTTPError as refused:
                status, content = refused.code, refused.read()
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args: object) -> None:
            pass

    proxy = serve(Proxy)
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        app.shutdown()


@pytest.mark.parametrize(
    ("signed_url", "valid"),
    [
        (SignedUrl.behind_proxies(["127.0.0.1"]), True),
        (SignedUrl.behind_proxies(["10.0.0.0/8"]), False),
        (SignedUrl.direct(), False),
    ],
    ids=["proxy trusted", "another proxy trusted", "no proxy trusted"],
)
def test_the_signed_url_behind_a_proxy(sim: mycpaas.Simulator, number: str, signed_url: SignedUrl, valid: bool) -> None:
    verdicts: list[bool] = []
    proxied = app_behind_proxy(sim.auth_token, signed_url, verdicts)
    base = next(proxied)
    try:
        call = sim.client().calls.create(to=number, from_=CALLER, url=f"{base}/voice?step=1")
        assert sim.wait_for_call(call.sid, timeout=10) is not None
    finally:
        proxied.close()
    assert verdicts and verdicts[0] is valid


def test_a_public_url_and_bad_settings() -> None:
    public = SignedUrl.public("https://voice.example.com/app")
    assert public.rebuild("http", "app:8080", "/voice?x=1") == "https://voice.example.com/app/voice?x=1"
    with pytest.raises(mycpaas.ValidationError) as info:
        SignedUrl.behind_proxies(["not-an-address"])
    assert info.value.parameter == "trusted_proxies"
    with pytest.raises(mycpaas.ValidationError):
        SignedUrl.public("ftp://voice.example.com")
    behind = SignedUrl.behind_proxies(["::1"])
    headers = [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "voice.example.com")]
    assert behind.rebuild("http", "app", "/v", peer="::1", headers=headers) == "https://voice.example.com/v"
    assert behind.rebuild("http", "app", "/v", peer="/run/app.sock", headers=headers) == "http://app/v"
