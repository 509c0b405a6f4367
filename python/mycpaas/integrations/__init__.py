"""Webhook handlers for web frameworks: check the signature, read the payload, answer LaML.

One module per framework, each importing its framework only when it is imported itself:

- :mod:`mycpaas.integrations.flask`: a ``@webhook(GatherResult)`` view decorator and ``LamlResponse``;
- :mod:`mycpaas.integrations.starlette`: a ``webhook(GatherResult)`` dependency for FastAPI's ``Depends`` (and
  ``verify`` for plain Starlette routes) and ``LamlResponse``;
- :mod:`mycpaas.integrations.django`: a ``@webhook(GatherResult)`` view decorator (CSRF-exempt: the signature is the
  check) and ``LamlResponse``.

Every one runs the same check, this module's :class:`WebhookVerifier`:

1. the URL the platform signed is rebuilt from what the server saw with a :class:`~mycpaas.webhooks.SignedUrl`
   policy: as the request names it (``SignedUrl.direct()``, the default), under a configured public base URL
   (``SignedUrl.public("https://voice.example.com")``), or from the forwarding headers of declared proxies
   (``SignedUrl.behind_proxies(["10.0.0.0/8"])``);
2. the ``X-Mycpaas-Signature`` header is checked against that URL and the form of a POST (the query of a GET is in
   the URL; a JSON body is checked by its ``bodySHA256`` in the URL);
3. the parameters are read into the payload the view asked for: :class:`~mycpaas.webhooks.VoiceRequest`,
   :class:`~mycpaas.webhooks.StatusCallback`, :class:`~mycpaas.webhooks.GatherResult`,
   :class:`~mycpaas.webhooks.RecordResult`, :class:`~mycpaas.webhooks.DialResult`, or :class:`RawWebhook` (the
   parameters and body as sent).

A request without a valid signature is answered 403 with no detail, before the view runs; a signed one whose form
does not read (``SequenceNumber=soon``) is answered 400 naming the parameter. The auth token is the ``auth_token``
argument, or else the ``MYCPAAS_AUTH_TOKEN`` environment variable read at each request; it never appears in a
repr, a log or an error.

For another framework, build a :class:`Received` from its request (:func:`wsgi_path` and :func:`asgi_path` give the
path as sent) and call :meth:`WebhookVerifier.verify`; a :class:`Rejected` it raises carries the status to answer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, TypeVar, Union, cast
from urllib.parse import parse_qsl, quote, urlsplit

from mycpaas.exceptions import MycpaasError, ValidationError
from mycpaas.laml import Response as LamlDocument
from mycpaas.webhooks import (
    SIGNATURE_HEADER,
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
    parse_conference_status_callback,
    parse_queue_request,
    parse_dial_result,
    parse_gather_result,
    parse_record_result,
    parse_recording_status_callback,
    parse_status_callback,
    parse_transcription_callback,
    parse_voice_request,
    validate_body_signature,
    validate_signature,
)

__all__ = [
    "AUTH_TOKEN_ENV",
    "LAML_CONTENT_TYPE",
    "MAX_BODY_BYTES",
    "Laml",
    "Payload",
    "RawWebhook",
    "Received",
    "Rejected",
    "WebhookVerifier",
    "asgi_path",
    "check_kind",
    "header_pairs",
    "laml_text",
    "wsgi_path",
]

#: The environment variable the auth token is read from when no ``auth_token`` is given.
AUTH_TOKEN_ENV = "MYCPAAS_AUTH_TOKEN"
#: The content type of LaML answers.
LAML_CONTENT_TYPE = "application/xml"
#: The largest webhook body read (their forms are a few hundred bytes); a larger one is answered 413.
MAX_BODY_BYTES = 64 * 1024

#: What a LaML response helper accepts: a document built with :mod:`mycpaas.laml`, or its XML text.
Laml = Union[LamlDocument, str]


@dataclass(frozen=True)
class RawWebhook:
    """A signed webhook as sent, for the webhooks without a typed payload (or a JSON body).

    ``params`` are the form parameters of a POST (the query parameters of a GET, or of a POST with a JSON body), in
    order; ``body`` is the raw body.
    """

    params: tuple[tuple[str, str], ...]
    body: bytes = b""

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of parameter ``name``, or ``default``."""
        return next((value for key, value in self.params if key == name), default)

    def get_all(self, name: str) -> list[str]:
        """Every value of parameter ``name``, in order."""
        return [value for key, value in self.params if key == name]

    def json(self) -> Any:
        """The body read as JSON (for a webhook with a JSON body)."""
        return json.loads(self.body)


#: The payloads a view can ask for.
Payload = TypeVar(
    "Payload",
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
)

_PARSERS: dict[type, Callable[[list[tuple[str, str]]], Any]] = {
    VoiceRequest: parse_voice_request,
    StatusCallback: parse_status_callback,
    GatherResult: parse_gather_result,
    RecordResult: parse_record_result,
    DialResult: parse_dial_result,
    RecordingStatusCallback: parse_recording_status_callback,
    TranscriptionCallback: parse_transcription_callback,
    ConferenceStatusCallback: parse_conference_status_callback,
    QueueRequest: parse_queue_request,
}


class Rejected(Exception):
    """A request refused before the view ran: ``status`` (403, 400 or 413) and ``detail`` (empty for 403)."""

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(status, detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Received:
    """A request as the server saw it, in the terms every framework can give.

    ``path`` is the path with the query string as received (percent-encoding kept), ``host`` the ``Host`` header,
    ``peer`` the address of the peer that sent it (what ``SignedUrl.behind_proxies`` trusts or not).
    """

    method: str
    scheme: str
    host: str
    path: str
    headers: Sequence[tuple[str, str]]
    body: bytes = b""
    peer: Optional[str] = None
    content_type: str = field(default="")

    def header(self, name: str) -> Optional[str]:
        """The first value of header ``name`` (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


class WebhookVerifier:
    """Checks that a request is a webhook the platform signed, and reads its payload.

    ``auth_token`` is the account's auth token; without it, ``MYCPAAS_AUTH_TOKEN`` is read at each request (a request
    arriving when neither is set raises ``RuntimeError``, a server error, not a refusal). ``signed_url`` rebuilds the
    URL the platform signed (``SignedUrl.direct()`` by default). The framework modules build one per decorated view;
    build one yourself to share a configuration between views.
    """

    __slots__ = ("_auth_token", "signed_url")

    def __init__(self, auth_token: Optional[str] = None, *, signed_url: Optional[SignedUrl] = None) -> None:
        if auth_token is not None and not auth_token:
            raise ValidationError("auth_token must not be empty", "auth_token", "non-empty")
        self._auth_token = auth_token
        #: How the signed URL is rebuilt.
        self.signed_url = signed_url if signed_url is not None else SignedUrl.direct()

    def __repr__(self) -> str:
        # The auth token is a secret: only where it comes from is shown.
        source = "argument" if self._auth_token is not None else AUTH_TOKEN_ENV
        return f"WebhookVerifier(auth_token=<from {source}>, signed_url={self.signed_url!r})"

    def auth_token(self) -> str:
        """The auth token signatures are checked with (the argument, or ``MYCPAAS_AUTH_TOKEN`` now)."""
        if self._auth_token is not None:
            return self._auth_token
        token = os.environ.get(AUTH_TOKEN_ENV)
        if not token:
            raise RuntimeError(f"no auth token to check webhook signatures: pass auth_token= or set {AUTH_TOKEN_ENV}")
        return token

    def signed_url_of(self, received: Received) -> str:
        """The URL the platform signed, rebuilt from ``received`` by the :class:`SignedUrl` policy."""
        return self.signed_url.rebuild(
            received.scheme, received.host, received.path, peer=received.peer, headers=list(received.headers)
        )

    def params_of(self, received: Received) -> list[tuple[str, str]]:
        """The parameters of ``received`` if its signature is valid; raises :class:`Rejected` (403) otherwise."""
        signature = received.header(SIGNATURE_HEADER)
        if not signature or not received.host:
            raise Rejected(403)
        token = self.auth_token()
        try:
            url = self.signed_url_of(received)
        except MycpaasError:
            raise Rejected(403) from None
        query = urlsplit(url).query
        query_params = parse_qsl(query, keep_blank_values=True)
        if any(name == "bodySHA256" for name, _ in query_params):
            # A JSON (or other non-form) body: its hash is in the signed URL, which is signed with no parameters.
            if not validate_body_signature(url, received.body, signature, token):
                raise Rejected(403)
            return query_params
        if received.method.upper() == "GET":
            signed: list[tuple[str, str]] = []
            params = query_params
        else:
            params = _form_pairs(received.body)
            signed = params
        if not validate_signature(url, signed, signature, token):
            raise Rejected(403)
        return params

    def verify(self, received: Received, kind: type[Payload]) -> Payload:
        """Checks ``received`` and reads it into ``kind``; raises :class:`Rejected` (403 or 400) otherwise."""
        if len(received.body) > MAX_BODY_BYTES:
            raise Rejected(413)
        params = self.params_of(received)
        if kind is RawWebhook:
            raw: Any = RawWebhook(tuple(params), received.body)
            return cast(Payload, raw)
        if _is_json(received.content_type):
            raise Rejected(400, f"a form was expected for {kind.__name__}, not {received.content_type}")
        try:
            return cast(Payload, _PARSERS[kind](params))
        except ValidationError as error:
            raise Rejected(400, str(error)) from None


def check_kind(kind: type) -> None:
    """Raises ``TypeError`` unless ``kind`` is a payload a view can ask for (at decoration, not at each request)."""
    if kind is not RawWebhook and kind not in _PARSERS:
        names = ", ".join(k.__name__ for k in [*_PARSERS, RawWebhook])
        raise TypeError(f"a webhook payload is one of {names}, not {kind!r}")


def laml_text(document: Laml) -> str:
    """The XML of a LaML document (a :class:`mycpaas.laml.Response`, or XML text as it is)."""
    if isinstance(document, str):
        return document
    if isinstance(document, LamlDocument):
        return document.to_xml()
    raise TypeError(f"a LaML answer is a mycpaas.laml.Response or a str, not {type(document).__name__}")


#: What stays unencoded when a decoded path is encoded again (RFC 3986 pchar and "/").
_PATH_SAFE = "/:@!$&'()*+,;="


def wsgi_path(environ: Mapping[str, Any]) -> str:
    """The path and query string of a WSGI request as sent (the server's raw request target when it gives one)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw:
        if "://" in raw.split("?", 1)[0]:  # an absolute-form target: keep its path and query
            parts = urlsplit(raw)
            return _join(parts.path or "/", parts.query)
        return raw
    decoded = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
    # WSGI gives the decoded path as latin-1 text of its bytes.
    return _join(quote(decoded.encode("latin-1"), safe=_PATH_SAFE) or "/", str(environ.get("QUERY_STRING", "")))


def asgi_path(scope: Mapping[str, Any]) -> str:
    """The path and query string of an ASGI request as sent (``raw_path`` when the server gives it)."""
    raw = scope.get("raw_path")
    if isinstance(raw, bytes) and raw:
        path = raw.decode("latin-1")
    else:
        path = quote(str(scope.get("path", "/")), safe=_PATH_SAFE)
    query = scope.get("query_string", b"")
    return _join(path, query.decode("latin-1") if isinstance(query, bytes) else str(query))


def _join(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def header_pairs(headers: Iterable[tuple[Union[str, bytes], Union[str, bytes]]]) -> list[tuple[str, str]]:
    """Header pairs as text (an ASGI scope's are bytes)."""
    return [
        (
            name.decode("latin-1") if isinstance(name, bytes) else name,
            value.decode("latin-1") if isinstance(value, bytes) else value,
        )
        for name, value in headers
    ]


def _form_pairs(body: bytes) -> list[tuple[str, str]]:
    # A form is UTF-8; a byte that is not reads as U+FFFD, so the signature (over what was sent) does not validate.
    return parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")
