"""Flask webhook views: ``@webhook(Kind)`` checks the signature and hands the view its typed payload.

.. code-block:: python

    from flask import Flask
    from mycpaas import laml
    from mycpaas.integrations.flask import LamlResponse, webhook
    from mycpaas.webhooks import GatherResult, VoiceRequest

    app = Flask(__name__)

    @app.post("/voice")
    @webhook(VoiceRequest)                 # auth token: MYCPAAS_AUTH_TOKEN, or webhook(..., auth_token=...)
    def voice(call: VoiceRequest) -> LamlResponse:
        resp = laml.Response()
        with resp.gather(num_digits=1, action="/menu") as menu:
            menu.say("Press 1 for sales, 2 for support.")
        return LamlResponse(resp)

    @app.post("/menu")
    @webhook(GatherResult)
    def menu(gather: GatherResult) -> LamlResponse:
        return LamlResponse(laml.Response().say(f"You pressed {gather.digits}").hangup())

The payload comes first, then the route's variables as keyword arguments; ``flask.request`` is available as usual.
A request without a valid signature gets 403 with an empty body and the view does not run; a signed form that does
not read gets 400 naming the parameter. Behind a proxy or a tunnel, pass ``signed_url=SignedUrl.public(...)`` or
``SignedUrl.behind_proxies([...])`` (see :mod:`mycpaas.integrations`).

Importing this module imports Flask; importing :mod:`mycpaas` does not.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Optional, Protocol, TypeVar, Union, cast, overload

import flask

from mycpaas.integrations import (
    LAML_CONTENT_TYPE,
    MAX_BODY_BYTES,
    Laml,
    Payload,
    RawWebhook,
    Received,
    Rejected,
    WebhookVerifier,
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
        self, view: Callable[Concatenate[_Payload_co, P], Awaitable[R]]
    ) -> Callable[P, Coroutine[Any, Any, Union[R, flask.Response]]]: ...
    @overload
    def __call__(self, view: Callable[Concatenate[_Payload_co, P], R]) -> Callable[P, Union[R, flask.Response]]: ...


class LamlResponse(flask.Response):
    """A LaML answer: ``200`` (or ``status``) with ``Content-Type: application/xml``.

    ``document`` is a :class:`mycpaas.laml.Response` or its XML text.
    """

    def __init__(
        self, document: Laml, status: int = 200, headers: Optional[Mapping[str, str]] = None
    ) -> None:
        super().__init__(laml_text(document), status=status, headers=headers, content_type=LAML_CONTENT_TYPE)


def received(request: flask.Request) -> Received:
    """What checking a signature needs of a Flask request (the body is read and kept for ``request.form``)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise Rejected(413)
    body = request.get_data(cache=True)
    return Received(
        method=request.method,
        scheme=request.scheme,
        host=request.host,
        path=wsgi_path(request.environ),
        headers=list(request.headers.items()),
        body=body,
        peer=request.remote_addr,
        content_type=request.content_type or "",
    )


def rejection(error: Rejected) -> flask.Response:
    """The answer to a refused request: no body for 403 and 413, the reason as text for 400."""
    return flask.Response(error.detail, status=error.status, mimetype="text/plain")


def verify(
    kind: type[Payload],
    *,
    auth_token: Optional[str] = None,
    signed_url: Optional[SignedUrl] = None,
    verifier: Optional[WebhookVerifier] = None,
) -> Payload:
    """Checks the current request (``flask.request``) and reads it into ``kind``, inside a view of your own.

    Raises :class:`mycpaas.integrations.Rejected`; answer it with :func:`rejection`.
    """
    check_kind(kind)
    checker = verifier if verifier is not None else WebhookVerifier(auth_token, signed_url=signed_url)
    return checker.verify(received(flask.request), kind)


def webhook(
    kind: type[Payload],
    *,
    auth_token: Optional[str] = None,
    signed_url: Optional[SignedUrl] = None,
    verifier: Optional[WebhookVerifier] = None,
) -> WebhookDecorator[Payload]:
    """A view decorator: the view runs only for a signed webhook, and receives its payload first.

    ``kind`` is :class:`~mycpaas.webhooks.VoiceRequest`, :class:`~mycpaas.webhooks.StatusCallback`,
    :class:`~mycpaas.webhooks.GatherResult`, :class:`~mycpaas.webhooks.RecordResult`,
    :class:`~mycpaas.webhooks.DialResult` or :class:`~mycpaas.integrations.RawWebhook`. ``auth_token`` defaults to
    ``MYCPAAS_AUTH_TOKEN`` (read at each request), ``signed_url`` to ``SignedUrl.direct()``; or pass a shared
    ``verifier``. Place it below ``@app.post(...)``. An ``async def`` view stays async (Flask's ``async`` extra).
    """
    check_kind(kind)
    checker = verifier if verifier is not None else WebhookVerifier(auth_token, signed_url=signed_url)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(view):
            @functools.wraps(view)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    payload = checker.verify(received(flask.request), kind)
                except Rejected as error:
                    return rejection(error)
                return await view(payload, *args, **kwargs)

            return async_wrapper

        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                payload = checker.verify(received(flask.request), kind)
            except Rejected as error:
                return rejection(error)
            return view(payload, *args, **kwargs)

        return wrapper

    return cast(WebhookDecorator[Payload], decorate)
