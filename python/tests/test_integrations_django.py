"""mycpaas.integrations.django: a Django IVR (settings in code) served as WSGI by the standard library's server and
as ASGI by uvicorn, called by the simulator over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Callable

import django
import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, clear_url_caches, path

from mycpaas import integrations
from mycpaas.integrations import RawWebhook
from mycpaas.integrations.django import LamlResponse, webhook
from mycpaas.webhooks import GatherResult, StatusCallback, VoiceRequest

import integration_checks as checks
from integration_checks import Seen

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="a key for these tests only",
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["127.0.0.1"],
        # The CSRF middleware is on, as in a real project: the decorated views are exempt from it.
        MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )
    django.setup()

from django.core.asgi import get_asgi_application  # noqa: E402 - after the settings
from django.core.wsgi import get_wsgi_application  # noqa: E402

#: The URLconf of this module (ROOT_URLCONF): the routes of the app of the running test.
urlpatterns: list[URLPattern] = []


def routes(token: str, seen: Seen) -> list[URLPattern]:
    """The test IVR under every prefix of ``checks.policies()``."""
    patterns: list[URLPattern] = []
    for prefix, signed_url in checks.policies().items():
        options: dict[str, Any] = {"auth_token": checks.token_of(prefix, token), "signed_url": signed_url}

        @webhook(VoiceRequest, **options)
        def voice(request: HttpRequest, call: VoiceRequest, prefix: str = prefix) -> HttpResponse:
            seen.add(f"{prefix}/voice", call)
            return LamlResponse(checks.menu_document())

        @webhook(GatherResult, **options)
        def menu(request: HttpRequest, gather: GatherResult, prefix: str = prefix) -> HttpResponse:
            seen.add(f"{prefix}/menu", gather)
            return LamlResponse(checks.choice_document(gather))

        @webhook(StatusCallback, **options)
        async def status(request: HttpRequest, callback: StatusCallback, prefix: str = prefix) -> HttpResponse:
            seen.add(f"{prefix}/status", callback)  # an async view: Django runs it under WSGI too
            return HttpResponse(status=204)

        @webhook(RawWebhook, **options)
        def raw(request: HttpRequest, form: RawWebhook, prefix: str = prefix) -> HttpResponse:
            seen.add(f"{prefix}/raw", form)
            return HttpResponse(checks.raw_text(form), content_type="application/json")

        views: list[tuple[str, Callable[..., Any]]] = [
            ("voice", voice), ("menu", menu), ("status", status), ("raw", raw)
        ]
        patterns += [path(f"{prefix.lstrip('/')}/{name}".lstrip("/"), view) for name, view in views]

    @webhook(StatusCallback)
    def retried(request: HttpRequest, callback: StatusCallback) -> HttpResponse:
        return HttpResponse(status=checks.answer_retried(seen, callback))

    return [*patterns, path("retried", retried)]


@pytest.fixture(params=["wsgi", "asgi"])
def served(request: pytest.FixtureRequest, mycpaas_sim: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str, Seen]]:
    token: str = mycpaas_sim.auth_token
    monkeypatch.setenv(integrations.AUTH_TOKEN_ENV, token)
    seen = Seen()
    urlpatterns[:] = routes(token, seen)
    clear_url_caches()
    app = get_wsgi_application() if request.param == "wsgi" else get_asgi_application()
    yield mycpaas_sim.serve(app), token, seen  # wsgiref or uvicorn, in a thread
    urlpatterns.clear()
    clear_url_caches()


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


def test_csrf_still_guards_the_other_views(served: tuple[str, str, Seen]) -> None:
    """Only the decorated views are exempt: an undecorated POST view still wants its CSRF token."""
    base_url, _, _ = served

    def plain(request: HttpRequest) -> HttpResponse:
        return HttpResponse(json.dumps({"ok": True}))

    urlpatterns.append(path("plain", plain))
    clear_url_caches()
    assert checks.send(f"{base_url}/plain", form=[("a", "b")]).status == 403
