"""mycpaas.integrations.starlette: a FastAPI IVR (and a plain Starlette route) served by uvicorn, called by the
simulator over real HTTP."""

# No `from __future__ import annotations`: FastAPI reads the handlers' annotations at runtime.

from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Response
from fastapi.responses import PlainTextResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from mycpaas import integrations
from mycpaas.integrations import RawWebhook
from mycpaas.integrations.starlette import LamlResponse, verify, webhook
from mycpaas.webhooks import GatherResult, SignedUrl, StatusCallback, VoiceRequest

import integration_checks as checks
from integration_checks import Seen


def add_routes(app: FastAPI, prefix: str, options: dict[str, Any], seen: Seen) -> None:
    Voice = Annotated[VoiceRequest, Depends(webhook(VoiceRequest, **options))]
    Gather = Annotated[GatherResult, Depends(webhook(GatherResult, **options))]
    Status = Annotated[StatusCallback, Depends(webhook(StatusCallback, **options))]
    Raw = Annotated[RawWebhook, Depends(webhook(RawWebhook, **options))]

    @app.post(f"{prefix}/voice")
    async def voice(call: Voice) -> LamlResponse:
        seen.add(f"{prefix}/voice", call)
        return LamlResponse(checks.menu_document())

    @app.post(f"{prefix}/menu", response_class=LamlResponse)
    def menu(gather: Gather) -> LamlResponse:  # a sync handler: FastAPI runs it in a thread
        seen.add(f"{prefix}/menu", gather)
        return LamlResponse(str(checks.choice_document(gather)))

    @app.post(f"{prefix}/status", status_code=204)
    async def status(callback: Status) -> Response:
        seen.add(f"{prefix}/status", callback)
        return Response(status_code=204)

    @app.api_route(f"{prefix}/raw", methods=["GET", "POST"])
    async def raw(form: Raw) -> PlainTextResponse:
        seen.add(f"{prefix}/raw", form)
        return PlainTextResponse(checks.raw_text(form))


def make_app(token: str, seen: Seen) -> FastAPI:
    """The test IVR under every prefix of ``checks.policies()``."""
    app = FastAPI()
    for prefix, signed_url in checks.policies().items():
        add_routes(app, prefix, {"auth_token": checks.token_of(prefix, token), "signed_url": signed_url}, seen)

    @app.post("/retried")
    def retried(callback: Annotated[StatusCallback, Depends(webhook(StatusCallback))]) -> Response:
        return Response(status_code=checks.answer_retried(seen, callback))

    return app


@pytest.fixture()
def served(mycpaas_sim: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str, Seen]]:
    token: str = mycpaas_sim.auth_token
    monkeypatch.setenv(integrations.AUTH_TOKEN_ENV, token)
    seen = Seen()
    yield mycpaas_sim.serve(make_app(token, seen)), token, seen  # uvicorn, in a thread


# FastAPI's answer to HTTPException(403): the status phrase, no reason.
FORBIDDEN_BODIES = ['{"detail":"Forbidden"}']


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


def test_a_plain_starlette_route_with_verify(mycpaas_sim: Any) -> None:
    token: str = mycpaas_sim.auth_token
    seen = Seen()

    async def status(request: Request) -> Response:
        callback = await verify(request, StatusCallback, auth_token=token, signed_url=SignedUrl.direct())
        seen.add("/status", callback)
        return Response(status_code=204)

    base_url = mycpaas_sim.serve(Starlette(routes=[Route("/status", status, methods=["POST"])]))
    checks.check_refusals(base_url, token, seen, ["Forbidden"])


def test_the_dependency_has_a_readable_name() -> None:
    dependency = webhook(GatherResult, auth_token="secret-token")
    assert dependency.__qualname__ == "webhook(GatherResult)"
    with pytest.raises(TypeError):
        webhook(dict, auth_token="x")  # type: ignore[type-var]

