"""Django webhook views: ``@webhook(Kind)`` checks the signature and hands the view its typed payload.

.. code-block:: python

    # views.py
    from mycpaas import laml
    from mycpaas.integrations.django import LamlResponse, webhook
    from mycpaas.webhooks import GatherResult, VoiceRequest

    @webhook(VoiceRequest)                 # auth token: MYCPAAS_AUTH_TOKEN, or webhook(..., auth_token=...)
    def voice(request, call: VoiceRequest) -> LamlResponse:
        resp = laml.Response()
        with resp.gather(num_digits=1, action="/menu") as menu:
            menu.say("Press 1 for sales, 2 for support.")
        return LamlResponse(resp)

    @webhook(GatherResult)
    def menu(request, gather: GatherResult) -> LamlResponse:
        return LamlResponse(laml.Response().say(f"You pressed {gather.digits}").hangup())

    # urls.py: path("voice", views.voice), path("menu", views.menu)

The view receives the request, then the payload, then the URL's arguments. The decorated view is CSRF-exempt (the
platform sends no CSRF token; the signature is the check). A request without a valid signature gets 403 with an
empty body and the view does not run; a signed form that does not read gets 400 naming the parameter. ``async def``
views stay async. Under WSGI and ASGI alike; behind a proxy or a tunnel, pass ``signed_url=SignedUrl.public(...)``
or ``SignedUrl.behind_proxies([...])`` (see :mod:`mycpaas.integrations`).

Importing this module imports Django; importing :mod:`mycpaas` does not.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Optional, Protocol, TypeVar, Union, cast, overload

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

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
    laml_text,
    wsgi_path,
)
from mycpaas.webhooks import (
    ConferenceStatusCallback,
    QueueRequest,
    DialResult,
    GatherResult,
    RecordingStatusCallback,
    RecordResult,
    SignedUrl,
    StatusCallback,
    TranscriptionCallback,
    VoiceRequest,
)

if TYPE_CHECKING:
    from typing import Concatenate, ParamSpec

    P = ParamSpec("P")

__all__ = ["LamlResponse", "RawWebhook", "WebhookDecorator", "received", "rejection", "verify", "webhook"]

R = TypeVar("R")
# The payload, as the protocol below sees it (in the argument of a view it takes: covariant).
_Payload_co = TypeVar(
    "_Payload_co",
    VoiceRequest,
    StatusCallback,
    GatherResult,
    RecordResult,
    DialResult,
    RecordingStatusCallback,
    TranscriptionCallback,
    ConferenceStatusCallback,
    QueueRequest,
    RawWebhook,
    covariant=True,
)


class WebhookDecorator(Protocol[_Payload_co]):
    """What :func:`webhook` returns: a decorator of sync and ``async def`` views alike."""

    @overload
    def __call__(
        self, view: Callable[Concatenate[HttpRequest, _Payload_co, P], Awaitable[R]]
    ) -> Callable[Concatenate[HttpRequest, P], Coroutine[Any, Any, Union[R, HttpResponse]]]: ...
    @overload
    def __call__(
        self, view: Callable[Concatenate[HttpRequest, _Payload_co, P], R]
    ) -> Callable[Concatenate[HttpRequest, P], Union[R, HttpResponse]]: ...


class LamlResponse(HttpResponse):
    """A LaML answer: ``200`` (or ``status``) with ``Content-Type: application/xml``.

    ``document`` is a :class:`mycpaas.laml.Response` or its XML text.
    """

    def __init__(self, document: Laml, status: int = 200, headers: Optional[Mapping[str, str]] = None) -> None:
        super().__init__(laml_text(document), status=status, headers=headers, content_type=LAML_CONTENT_TYPE)


def received(request: HttpRequest) -> Received:
    """What checking a signature needs of a Django request (WSGI or ASGI)."""
    meta = request.META
    length = str(meta.get("CONTENT_LENGTH") or "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise Rejected(413)
    scope = getattr(request, "scope", None)
    path = asgi_path(scope) if isinstance(scope, Mapping) else wsgi_path(meta)
    host = meta.get("HTTP_HOST")
    if not host:
        server, port = meta.get("SERVER_NAME"), meta.get("SERVER_PORT")
        host = f"{server}:{port}" if server and port else server
    return Received(
        method=request.method or "GET",
        scheme=request.scheme or "http",
        host=str(host or ""),
        path=path,
        headers=list(request.headers.items()),
        body=request.body,
        peer=meta.get("REMOTE_ADDR") or None,
        content_type=str(meta.get("CONTENT_TYPE") or ""),
    )


def rejection(error: Rejected) -> HttpResponse:
    """The answer to a refused request: no body for 403 and 413, the reason as text for 400."""
    return HttpResponse(error.detail, status=error.status, content_type="text/plain; charset=utf-8")


def verify(
    request: HttpRequest,
    kind: type[Payload],
    *,
    auth_token: Optional[str] = None,
    signed_url: Optional[SignedUrl] = None,
    verifier: Optional[WebhookVerifier] = None,
) -> Payload:
    """Checks ``request`` and reads it into ``kind``, inside a view of your own (a class-based view's ``post``).

    Raises :class:`mycpaas.integrations.Rejected`; answer it with :func:`rejection`. Mark such a view
    ``csrf_exempt``.
    """
    check_kind(kind)
    checker = verifier if verifier is not None else WebhookVerifier(auth_token, signed_url=signed_url)
    return checker.verify(received(request), kind)


def webhook(
    kind: type[Payload],
    *,
    auth_token: Optional[str] = None,
    signed_url: Optional[SignedUrl] = None,
    verifier: Optional[WebhookVerifier] = None,
) -> WebhookDecorator[Payload]:
    """A view decorator: the view runs only for a signed webhook, and receives ``request, payload, ...``.

    ``kind`` is :class:`~mycpaas.webhooks.VoiceRequest`, :class:`~mycpaas.webhooks.StatusCallback`,
    :class:`~mycpaas.webhooks.GatherResult`, :class:`~mycpaas.webhooks.RecordResult`,
    :class:`~mycpaas.webhooks.DialResult` or :class:`~mycpaas.integrations.RawWebhook`. ``auth_token`` defaults to
    ``MYCPAAS_AUTH_TOKEN`` (read at each request), ``signed_url`` to ``SignedUrl.direct()``; or pass a shared
    ``verifier``. The decorated view is CSRF-exempt.
    """
    check_kind(kind)
    checker = verifier if verifier is not None else WebhookVerifier(auth_token, signed_url=signed_url)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(view):
            @functools.wraps(view)
            async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                try:
                    payload = checker.verify(received(request), kind)
                except Rejected as error:
                    return rejection(error)
                return await view(request, payload, *args, **kwargs)

            return csrf_exempt(async_wrapper)

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                payload = checker.verify(received(request), kind)
            except Rejected as error:
                return rejection(error)
            return view(request, payload, *args, **kwargs)

        return csrf_exempt(wrapper)

    return cast(WebhookDecorator[Payload], decorate)
