"""Starlette and FastAPI webhook handlers: a ``webhook(Kind)`` dependency that checks the signature and gives the
handler its typed payload.

.. code-block:: python

    from typing import Annotated

    from fastapi import Depends, FastAPI
    from mycpaas import laml
    from mycpaas.integrations.starlette import LamlResponse, webhook
    from mycpaas.webhooks import GatherResult, StatusCallback

    app = FastAPI()

    @app.post("/menu")
    async def menu(gather: Annotated[GatherResult, Depends(webhook(GatherResult))]) -> LamlResponse:
        return LamlResponse(laml.Response().say(f"You pressed {gather.digits}").hangup())

    @app.post("/status")
    async def status(callback: Annotated[StatusCallback, Depends(webhook(StatusCallback))]) -> None:
        print(callback.call_sid, callback.call_status)

In a plain Starlette endpoint, ``payload = await verify(request, GatherResult)``. A request without a valid signature
is refused with ``HTTPException(403)`` before the handler runs (the framework's default body for the status, no
reason given); a signed form that does not read with ``HTTPException(400)`` naming the parameter. The auth token is
``auth_token=`` or ``MYCPAAS_AUTH_TOKEN``; behind a proxy or a tunnel, pass ``signed_url=SignedUrl.public(...)`` or
``SignedUrl.behind_proxies([...])`` (see :mod:`mycpaas.integrations`).

uvicorn itself believes ``X-Forwarded-Proto`` and ``X-Forwarded-For`` from the addresses in its
``--forwarded-allow-ips`` (127.0.0.1 by default) and rewrites the request's scheme and client before the app sees
it; the check then starts from what uvicorn passes on.

Importing this module imports Starlette; importing :mod:`mycpaas` does not.
"""

# No `from __future__ import annotations` here: FastAPI reads the dependency's parameter annotations at runtime.

from collections.abc import Awaitable, Callable, Mapping
from typing import Optional

from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from mycpaas.integrations import (
    LAML_CONTENT_TYPE,
    MAX_BODY_BYTES,
    Laml,
    Payload,
    RawWebhook,
    Received,
    Rejected,
    WebhookVerifier,
    asgi_path,
    check_kind,
    header_pairs,
    laml_text,
)
from mycpaas.webhooks import SignedUrl

__all__ = ["LamlResponse", "RawWebhook", "received", "verify", "webhook"]


class LamlResponse(Response):
    """A LaML answer: ``200`` (or ``status_code``) with ``Content-Type: application/xml``.

    ``content`` is a :class:`mycpaas.laml.Response` or its XML text; usable as FastAPI's ``response_class`` too.
    """

    media_type = LAML_CONTENT_TYPE

    def __init__(
        self,
        content: Laml,
        status_code: int = 200,
        headers: Optional[Mapping[str, str]] = None,
        media_type: Optional[str] = None,
        background: Optional[BackgroundTask] = None,
    ) -> None:
        super().__init__(
            laml_text(content), status_code, headers, media_type or LAML_CONTENT_TYPE, background
        )


async def received(request: Request) -> Received:
    """What checking a signature needs of a Starlette request (the body is read and kept for ``request.form()``)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise Rejected(413)
    body = await request.body()
    scope = request.scope
    host = request.headers.get("host")
    if host is None and scope.get("server"):
        server_host, server_port = scope["server"]
        host = f"{server_host}:{server_port}" if server_port is not None else str(server_host)
    return Received(
        method=request.method,
        scheme=str(scope.get("scheme", "http")),
        host=host or "",
        path=asgi_path(scope),
        headers=header_pairs(scope.get("headers", [])),
        body=body,
        peer=request.client.host if request.client is not None else None,
        content_type=request.headers.get("content-type", ""),
    )


async def verify(
    request: Request,
    kind: type[Payload],
    *,
    auth_token: Optional[str] = None,
    signed_url: Optional[SignedUrl] = None,
    verifier: Optional[WebhookVerifier] = None,
) -> Payload:
    """Checks ``request`` and reads it into ``kind``; raises ``HTTPException`` (403, 400 or 413) otherwise."""
    check_kind(kind)
    checker = verifier if verifier is not None else WebhookVerifier(auth_token, signed_url=signed_url)
    return await _verify(checker, request, kind)


def webhook(
    kind: type[Payload],
    *,
    auth_token: Optional[str] = None,
    signed_url: Optional[SignedUrl] = None,
    verifier: Optional[WebhookVerifier] = None,
) -> Callable[[Request], Awaitable[Payload]]:
    """A FastAPI dependency (``Depends(webhook(GatherResult))``) giving the handler the signed webhook's payload.

    ``kind`` is :class:`~mycpaas.webhooks.VoiceRequest`, :class:`~mycpaas.webhooks.StatusCallback`,
    :class:`~mycpaas.webhooks.GatherResult`, :class:`~mycpaas.webhooks.RecordResult`,
    :class:`~mycpaas.webhooks.DialResult` or :class:`~mycpaas.integrations.RawWebhook`. ``auth_token`` defaults to
    ``MYCPAAS_AUTH_TOKEN`` (read at each request), ``signed_url`` to ``SignedUrl.direct()``; or pass a shared
    ``verifier``. Build it once (at import), not per request.
    """
    check_kind(kind)
    checker = verifier if verifier is not None else WebhookVerifier(auth_token, signed_url=signed_url)

    async def signed_webhook(request: Request) -> Payload:
        return await _verify(checker, request, kind)

    signed_webhook.__qualname__ = f"webhook({kind.__name__})"
    return signed_webhook


async def _verify(checker: WebhookVerifier, request: Request, kind: type[Payload]) -> Payload:
    try:
        return checker.verify(await received(request), kind)
    except Rejected as error:
        raise HTTPException(error.status, error.detail or None) from None
