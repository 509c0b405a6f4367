"""mycpaas.integrations.flask: a Flask IVR served by werkzeug's server, called by the simulator over real HTTP."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from mycpaas import integrations
from mycpaas.integrations import RawWebhook
from mycpaas.integrations.flask import LamlResponse, webhook
from mycpaas.webhooks import GatherResult, StatusCallback, VoiceRequest

import integration_checks as checks
from integration_checks import Seen


def make_app(token: str, seen: Seen) -> Flask:
    """The test IVR under every prefix of ``checks.policies()``."""
    app = Flask(__name__)
    for prefix, signed_url in checks.policies().items():
        options: dict[str, Any] = {"auth_token": checks.token_of(prefix, token), "signed_url": signed_url}
        name = prefix.strip("/") or "direct"

        @webhook(VoiceRequest, **options)
        def voice(call: VoiceRequest, prefix: str = prefix) -> LamlResponse:
            seen.add(f"{prefix}/voice", call)
            return LamlResponse(checks.menu_document())

        @webhook(GatherResult, **options)
        def menu(gather: GatherResult, prefix: str = prefix) -> LamlResponse:
            seen.add(f"{prefix}/menu", gather)
            return LamlResponse(checks.choice_document(gather))

        @webhook(StatusCallback, **options)
        async def status(callback: StatusCallback, prefix: str = prefix) -> tuple[str, int]:
            seen.add(f"{prefix}/status", callback)  # an async view (Flask runs it with asgiref)
            return "", 204

        @webhook(RawWebhook, **options)
        def raw(form: RawWebhook, prefix: str = prefix) -> str:
            seen.add(f"{prefix}/raw", form)
            return checks.raw_text(form)

        views: list[tuple[str, Callable[..., Any], list[str]]] = [
            ("voice", voice, ["POST"]),
            ("menu", menu, ["POST"]),
            ("status", status, ["POST"]),
            ("raw", raw, ["GET", "POST"]),
        ]
        for route, view, methods in views:
            app.add_url_rule(f"{prefix}/{route}", f"{name}_{route}", view, methods=methods)

    @app.post("/retried")
    @webhook(StatusCallback)
    def retried(callback: StatusCallback) -> tuple[str, int]:
        return "", checks.answer_retried(seen, callback)

    return app


@contextlib.contextmanager
def serve_werkzeug(app: Flask) -> Iterator[str]:
    """Flask's own server (werkzeug), threaded, on an ephemeral loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture()
def served(mycpaas_sim: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str, Seen]]:
    token: str = mycpaas_sim.auth_token
    monkeypatch.setenv(integrations.AUTH_TOKEN_ENV, token)
    seen = Seen()
    with serve_werkzeug(make_app(token, seen)) as base_url:
        yield base_url, token, seen


FORBIDDEN_BODIES = [""]


def test_a_call_runs_through_the_app(mycpaas_sim: Any, mycpaas_client: Any, served: tuple[str, str, Seen]) -> None:
    base_url, _, seen = served
    checks.check_ivr(mycpaas_sim, mycpaas_client, base_url, seen)


def test_calls_through_a_reverse_proxy(mycpaas_sim: Any, mycpaas_client: Any, served: tuple[str, str, Seen]) -> None:
    base_url, _, seen = served
    checks.check_calls_through_a_proxy(mycpaas_sim, mycpaas_client, base_url, seen)


def test_laml_answers_are_application_xml(served: tuple[str, str, Seen]) -> None:
    base_url, token, _ = served
    checks.check_laml_answer(base_url, token)


def test_unsigned_tampered_and_malformed_requests_are_refused(served: tuple[str, str, Seen]) -> None:
    base_url, token, seen = served
    checks.check_refusals(base_url, token, seen, FORBIDDEN_BODIES)


def test_raw_forms_gets_and_json_bodies(served: tuple[str, str, Seen]) -> None:
    base_url, token, _ = served
    checks.check_raw_and_json(base_url, token)


def test_the_public_url_or_a_trusted_proxy_rebuilds_the_signed_url(served: tuple[str, str, Seen]) -> None:
    base_url, token, seen = served
    checks.check_public_url_and_proxies(base_url, token, seen)


def test_each_retry_of_a_status_callback_is_a_repeat_once(
    mycpaas_sim: Any, mycpaas_client: Any, served: tuple[str, str, Seen]
) -> None:
    base_url, _, seen = served
    checks.check_retries_are_repeats(mycpaas_sim, mycpaas_client, base_url, seen)


def test_mycpaas_webhook_send_reaches_each_handler(served: tuple[str, str, Seen]) -> None:
    base_url, token, seen = served
    checks.check_webhook_send(base_url, token, seen)


def test_the_sim_serves_the_app_too(mycpaas_sim: Any, mycpaas_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same app under the pytest plugin's `mycpaas_sim.serve` (the standard library's WSGI server)."""
    token: str = mycpaas_sim.auth_token
    monkeypatch.setenv(integrations.AUTH_TOKEN_ENV, token)
    seen = Seen()
    base_url = mycpaas_sim.serve(make_app(token, seen))
    checks.check_ivr(mycpaas_sim, mycpaas_client, base_url, seen)


def test_without_an_auth_token_the_app_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    """No token anywhere is the server's fault: a 500, not a 403 that would look like the platform's."""
    monkeypatch.delenv(integrations.AUTH_TOKEN_ENV, raising=False)
    seen = Seen()
    with serve_werkzeug(make_app("unused", seen)) as base_url:
        assert checks.send_signed(f"{base_url}/status", checks.status_form(), "some-token").status == 500
        assert checks.send_signed(f"{base_url}/public/status", checks.status_form(), "unused",
                                  signed_url=f"{checks.PUBLIC}/public/status").status == 204
    assert seen.routes() == ["/public/status"]
