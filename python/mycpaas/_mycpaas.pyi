# Stubs of the Rust extension module mycpaas._mycpaas, checked against it by
# `python -m mypy.stubtest mycpaas._mycpaas`. Users import these names from mycpaas, mycpaas.laml,
# mycpaas.webhooks.
#
# LaML attributes are taken as keyword arguments at run time (**attrs); the stubs spell each one
# out so type checkers catch misspelled attributes and wrong value types.

from __future__ import annotations

import builtins

from collections.abc import Awaitable, Coroutine, Generator, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from datetime import datetime
from types import TracebackType
from typing import Any, Literal, Optional, Protocol, Union

from typing_extensions import Self, final

from mycpaas.exceptions import MaybeCreatedError

__all__ = [
    "Conference",
    "Connect",
    "Diagnostic",
    "Dial",
    "Echo",
    "Enqueue",
    "Gather",
    "Hangup",
    "Leave",
    "Number",
    "Pause",
    "Play",
    "Queue",
    "Record",
    "Redirect",
    "Refer",
    "Reject",
    "Response",
    "Room",
    "Say",
    "Sip",
    "Sms",
    "Start",
    "Stop",
    "Stream",
    "__version__",
    "laml_parse",
    "AsyncCallStream",
    "AsyncCalls",
    "AsyncClient",
    "Call",
    "CallPage",
    "CallStream",
    "Calls",
    "Client",
    "ResponseInfo",
    "Simulator",
    "Timeline",
    "_Completer",
    "_Request",
    "DialResult",
    "GatherResult",
    "RecordResult",
    "Repeats",
    "SignedUrl",
    "StatusCallback",
    "VoiceRequest",
    "body_sha256",
    "compute_signature",
    "parse_dial_result",
    "parse_gather_result",
    "parse_record_result",
    "parse_status_callback",
    "parse_voice_request",
    "validate_body_signature",
    "validate_signature",
]

__version__: str

_Method = Literal["GET", "POST"]
_Events = Union[str, Sequence[str]]

class _Element:
    def __getattr__(self, name: str) -> Any: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        *_args: object,
    ) -> bool: ...

@final
class Say(_Element):
    def __new__(cls,
        text: str = ...,
        *,
        voice: Optional[str] = ...,
        language: Optional[str] = ...,
        loop: Optional[int] = ...,
    ) -> Self: ...
    @property
    def text(self) -> str: ...
    def add_text(self, text: str) -> Self: ...
    def ssml(self, markup: str) -> Self: ...
    def break_(
        self,
        *,
        strength: Optional[Literal["none", "x-weak", "weak", "medium", "strong", "x-strong"]] = ...,
        time: Optional[str] = ...,
    ) -> Self: ...
    def emphasis(self, text: str, *, level: Optional[Literal["strong", "moderate", "reduced"]] = ...) -> Self: ...
    def prosody(
        self, text: str, *, rate: Optional[str] = ..., pitch: Optional[str] = ..., volume: Optional[str] = ...
    ) -> Self: ...
    def say_as(self, text: str, *, interpret_as: Optional[str] = ..., format: Optional[str] = ...) -> Self: ...
    def sub(self, text: str, *, alias: str) -> Self: ...
    def phoneme(self, text: str, *, ph: str, alphabet: Optional[Literal["ipa", "x-sampa"]] = ...) -> Self: ...
    def lang(self, text: str, *, xml_lang: str) -> Self: ...
    def p(self, text: str) -> Self: ...
    def s(self, text: str) -> Self: ...
    def w(self, text: str, *, role: Optional[str] = ...) -> Self: ...

@final
class Play(_Element):
    def __new__(cls, url: str = ..., *, loop: Optional[int] = ..., digits: Optional[str] = ...) -> Self: ...
    @property
    def url(self) -> str: ...

@final
class Pause(_Element):
    def __new__(cls, *, length: Optional[int] = ...) -> Self: ...

@final
class Record(_Element):
    def __new__(cls,
        *,
        action: Optional[str] = ...,
        method: Optional[_Method] = ...,
        timeout: Optional[int] = ...,
        finish_on_key: Optional[str] = ...,
        max_length: Optional[int] = ...,
        play_beep: Optional[bool] = ...,
        trim: Optional[str] = ...,
        recording_status_callback: Optional[str] = ...,
        recording_status_callback_method: Optional[_Method] = ...,
        recording_status_callback_event: Optional[_Events] = ...,
        transcribe: Optional[bool] = ...,
        transcribe_callback: Optional[str] = ...,
    ) -> Self: ...

@final
class Hangup(_Element):
    def __new__(cls) -> Self: ...

@final
class Redirect(_Element):
    def __new__(cls, url: str = ..., *, method: Optional[_Method] = ...) -> Self: ...
    @property
    def url(self) -> str: ...

@final
class Reject(_Element):
    def __new__(cls, *, reason: Optional[Literal["rejected", "busy"]] = ...) -> Self: ...

@final
class Enqueue(_Element):
    def __new__(cls,
        name: str = ...,
        *,
        action: Optional[str] = ...,
        method: Optional[_Method] = ...,
        wait_url: Optional[str] = ...,
        wait_url_method: Optional[_Method] = ...,
    ) -> Self: ...
    @property
    def name(self) -> str: ...

@final
class Leave(_Element):
    def __new__(cls) -> Self: ...

@final
class Sms(_Element):
    def __new__(cls,
        body: str = ...,
        *,
        to: Optional[str] = ...,
        from_: Optional[str] = ...,
        action: Optional[str] = ...,
        method: Optional[_Method] = ...,
        status_callback: Optional[str] = ...,
    ) -> Self: ...
    @property
    def body(self) -> str: ...

@final
class Refer(_Element):
    def __new__(cls, uri: str = ..., *, action: Optional[str] = ..., method: Optional[_Method] = ...) -> Self: ...
    @property
    def uri(self) -> Optional[str]: ...

@final
class Echo(_Element):
    def __new__(cls, *, timeout: Optional[int] = ...) -> Self: ...

@final
class Number(_Element):
    def __new__(cls,
        number: str = ...,
        *,
        send_digits: Optional[str] = ...,
        url: Optional[str] = ...,
        method: Optional[_Method] = ...,
        status_callback: Optional[str] = ...,
        status_callback_event: Optional[_Events] = ...,
        status_callback_method: Optional[_Method] = ...,
    ) -> Self: ...
    @property
    def number(self) -> str: ...

@final
class Sip(_Element):
    def __new__(cls,
        uri: str = ...,
        *,
        username: Optional[str] = ...,
        password: Optional[str] = ...,
        url: Optional[str] = ...,
        method: Optional[_Method] = ...,
        status_callback: Optional[str] = ...,
        status_callback_event: Optional[_Events] = ...,
        status_callback_method: Optional[_Method] = ...,
    ) -> Self: ...
    @property
    def uri(self) -> str: ...

@final
class Conference(_Element):
    def __new__(cls,
        name: str = ...,
        *,
        beep: Optional[str] = ...,
        muted: Optional[bool] = ...,
        start_conference_on_enter: Optional[bool] = ...,
        end_conference_on_exit: Optional[bool] = ...,
        max_participants: Optional[int] = ...,
        record: Optional[str] = ...,
        trim: Optional[str] = ...,
        wait_url: Optional[str] = ...,
        wait_method: Optional[_Method] = ...,
        coach: Optional[str] = ...,
        status_callback: Optional[str] = ...,
        status_callback_event: Optional[_Events] = ...,
        status_callback_method: Optional[_Method] = ...,
        recording_status_callback: Optional[str] = ...,
        recording_status_callback_method: Optional[_Method] = ...,
        recording_status_callback_event: Optional[_Events] = ...,
    ) -> Self: ...
    @property
    def name(self) -> str: ...

@final
class Queue(_Element):
    def __new__(cls, name: str = ..., *, url: Optional[str] = ..., method: Optional[_Method] = ...) -> Self: ...
    @property
    def name(self) -> str: ...

@final
class Stream(_Element):
    def __new__(cls,
        parameters: Optional[Sequence[tuple[str, str]]] = ...,
        *,
        url: Optional[str] = ...,
        name: Optional[str] = ...,
        track: Optional[Literal["inbound_track", "outbound_track", "both_tracks"]] = ...,
        status_callback: Optional[str] = ...,
        status_callback_method: Optional[_Method] = ...,
    ) -> Self: ...
    @property
    def parameters(self) -> list[tuple[Optional[str], Optional[str]]]: ...

@final
class Room(_Element):
    def __new__(cls, name: str = ...) -> Self: ...
    @property
    def name(self) -> str: ...

@final
class Gather(_Element):
    def __new__(cls,
        *,
        action: Optional[str] = ...,
        method: Optional[_Method] = ...,
        input: Optional[_Events] = ...,
        timeout: Optional[int] = ...,
        finish_on_key: Optional[str] = ...,
        num_digits: Optional[int] = ...,
        speech_timeout: Optional[Union[int, Literal["auto"]]] = ...,
        language: Optional[str] = ...,
        hints: Optional[str] = ...,
        partial_result_callback: Optional[str] = ...,
        partial_result_callback_method: Optional[_Method] = ...,
        profanity_filter: Optional[bool] = ...,
        action_on_empty_result: Optional[bool] = ...,
        enhanced: Optional[bool] = ...,
        speech_model: Optional[str] = ...,
    ) -> Self: ...
    def say(
        self,
        text: str = ...,
        *,
        voice: Optional[str] = ...,
        language: Optional[str] = ...,
        loop: Optional[int] = ...,
    ) -> Self: ...
    def play(self, url: str = ..., *, loop: Optional[int] = ..., digits: Optional[str] = ...) -> Self: ...
    def pause(self, *, length: Optional[int] = ...) -> Self: ...
    def append(self, child: Union[Say, Play, Pause]) -> Self: ...
    @property
    def children(self) -> list[Union[Say, Play, Pause]]: ...

@final
class Dial(_Element):
    def __new__(cls,
        number: Optional[str] = ...,
        *,
        action: Optional[str] = ...,
        method: Optional[_Method] = ...,
        timeout: Optional[int] = ...,
        time_limit: Optional[int] = ...,
        caller_id: Optional[str] = ...,
        hangup_on_star: Optional[bool] = ...,
        answer_on_bridge: Optional[bool] = ...,
        record: Optional[str] = ...,
        trim: Optional[str] = ...,
        recording_status_callback: Optional[str] = ...,
        recording_status_callback_method: Optional[_Method] = ...,
        recording_status_callback_event: Optional[_Events] = ...,
        recording_track: Optional[Literal["both", "inbound", "outbound"]] = ...,
        ring_tone: Optional[str] = ...,
    ) -> Self: ...
    def number(self, number: str, **attrs: Any) -> Self: ...
    def sip(self, uri: str, **attrs: Any) -> Self: ...
    def conference(self, name: str, **attrs: Any) -> Self: ...
    def queue(self, name: str, **attrs: Any) -> Self: ...
    @property
    def bare_number(self) -> Optional[str]: ...
    @property
    def nouns(self) -> list[Union[Number, Sip, Conference, Queue]]: ...

@final
class Connect(_Element):
    def __new__(cls, *, action: Optional[str] = ..., method: Optional[_Method] = ...) -> Self: ...
    def stream(
        self, url: Optional[str] = ..., *, parameters: Optional[Sequence[tuple[str, str]]] = ..., **attrs: Any
    ) -> Self: ...
    def room(self, name: str) -> Self: ...

@final
class Start(_Element):
    def __new__(cls, *, action: Optional[str] = ..., method: Optional[_Method] = ...) -> Self: ...
    def stream(
        self, url: Optional[str] = ..., *, parameters: Optional[Sequence[tuple[str, str]]] = ..., **attrs: Any
    ) -> Self: ...
    @property
    def streams(self) -> list[Stream]: ...

@final
class Stop(_Element):
    def __new__(cls, *, action: Optional[str] = ..., method: Optional[_Method] = ...) -> Self: ...
    def stream(
        self, url: Optional[str] = ..., *, parameters: Optional[Sequence[tuple[str, str]]] = ..., **attrs: Any
    ) -> Self: ...
    @property
    def streams(self) -> list[Stream]: ...

_Verb = Union[
    Say, Play, Pause, Gather, Dial, Record, Hangup, Redirect, Reject, Enqueue, Leave, Sms, Refer, Echo, Connect, Start, Stop
]

@final
class Diagnostic:
    @property
    def severity(self) -> Literal["error", "warning"]: ...
    @property
    def path(self) -> str: ...
    @property
    def message(self) -> str: ...

@final
class Response:
    def __new__(cls) -> Self: ...
    def say(
        self,
        text: str = ...,
        *,
        voice: Optional[str] = ...,
        language: Optional[str] = ...,
        loop: Optional[int] = ...,
    ) -> Self: ...
    def play(self, url: str = ..., *, loop: Optional[int] = ..., digits: Optional[str] = ...) -> Self: ...
    def pause(self, *, length: Optional[int] = ...) -> Self: ...
    def record(self, **attrs: Any) -> Self: ...
    def hangup(self) -> Self: ...
    def redirect(self, url: str, *, method: Optional[_Method] = ...) -> Self: ...
    def reject(self, *, reason: Optional[Literal["rejected", "busy"]] = ...) -> Self: ...
    def enqueue(self, name: str, **attrs: Any) -> Self: ...
    def leave(self) -> Self: ...
    def sms(self, body: str, **attrs: Any) -> Self: ...
    def refer(self, uri: str, *, action: Optional[str] = ..., method: Optional[_Method] = ...) -> Self: ...
    def echo(self, *, timeout: Optional[int] = ...) -> Self: ...
    def gather(
        self,
        *,
        action: Optional[str] = ...,
        method: Optional[_Method] = ...,
        input: Optional[_Events] = ...,
        timeout: Optional[int] = ...,
        finish_on_key: Optional[str] = ...,
        num_digits: Optional[int] = ...,
        speech_timeout: Optional[Union[int, Literal["auto"]]] = ...,
        language: Optional[str] = ...,
        hints: Optional[str] = ...,
        partial_result_callback: Optional[str] = ...,
        partial_result_callback_method: Optional[_Method] = ...,
        profanity_filter: Optional[bool] = ...,
        action_on_empty_result: Optional[bool] = ...,
        enhanced: Optional[bool] = ...,
        speech_model: Optional[str] = ...,
    ) -> Gather: ...
    def dial(self, number: Optional[str] = ..., **attrs: Any) -> Dial: ...
    def connect(self, *, action: Optional[str] = ..., method: Optional[_Method] = ...) -> Connect: ...
    def start(self, *, action: Optional[str] = ..., method: Optional[_Method] = ...) -> Start: ...
    def stop(self, *, action: Optional[str] = ..., method: Optional[_Method] = ...) -> Stop: ...
    def append(self, verb: _Verb) -> Self: ...
    @property
    def verbs(self) -> list[_Verb]: ...
    def __len__(self) -> int: ...
    def to_xml(self, pretty: bool = ...) -> str: ...
    def validate(self) -> list[Diagnostic]: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *_args: object) -> bool: ...

def laml_parse(xml: str) -> Response: ...

# ---- webhooks -------------------------------------------------------------------------------------

_Params = Union[Mapping[str, Union[str, Sequence[str]]], Iterable[tuple[str, str]], Any]

def compute_signature(url: str, params: _Params, auth_token: str) -> str: ...
def validate_signature(url: str, params: _Params, signature: str, auth_token: str) -> bool: ...
def body_sha256(body: bytes) -> str: ...

class _SeenStore(Protocol):
    def insert(self, key: str) -> bool: ...

@final
class Repeats:
    """Tells a retried status callback (same ``CallSid`` and ``SequenceNumber``) from a new one."""

    def __new__(cls, capacity: int = ..., *, store: Optional[_SeenStore] = ...) -> Self:
        """Remembers the last ``capacity`` callbacks of this process, or keeps them in ``store``.

        ``store`` is shared by a fleet of web servers: its ``insert(key)`` records the key and returns whether it was
        new, atomically (with Redis: ``bool(redis.set(key, 1, nx=True, ex=86400))``).
        """
    def is_repeat(self, callback: Union[StatusCallback, _Params]) -> bool:
        """Whether ``callback`` (a ``StatusCallback`` or its form parameters) was seen before; records it."""

@final
class SignedUrl:
    """How a web app rebuilds the URL the platform signed, behind proxies, tunnels and load balancers."""

    @staticmethod
    def direct() -> SignedUrl:
        """The URL as the request names it: for an app the platform reaches directly."""
    @staticmethod
    def public(base: str) -> SignedUrl:
        """The app's public base URL (``https://voice.example.com``, or with a path prefix a proxy strips).

        The signed URL is that base followed by the path and query the app received, whatever the headers say.
        Raises ``ValidationError`` for a base that is not an absolute http(s) URL without a query.
        """
    @staticmethod
    def behind_proxies(proxies: Sequence[str]) -> SignedUrl:
        """Believes ``Forwarded`` and ``X-Forwarded-Proto``/``-Host``/``-Port`` from peers in ``proxies`` only.

        ``proxies`` are addresses or CIDR networks (``"10.0.0.0/8"``); when a header lists several values, the last
        one (written by the proxy nearest the app) is taken.
        """
    def rebuild(
        self,
        scheme: str,
        host: str,
        path: str,
        *,
        peer: Optional[str] = ...,
        headers: Union[Mapping[str, str], Iterable[tuple[str, str]], None] = ...,
    ) -> str:
        """The URL the platform signed for a request received on ``scheme`` with the ``Host`` header ``host``.

        ``path`` is the path with the query string as received, ``peer`` the address of the peer that sent it, and
        ``headers`` its headers (a mapping such as Flask's ``request.headers``, or ``(name, value)`` pairs).
        """
def validate_body_signature(url: str, body: bytes, signature: str, auth_token: str) -> bool: ...

class _WebhookBase:
    @property
    def account_sid(self) -> Optional[str]: ...
    @property
    def api_version(self) -> Optional[str]: ...
    @property
    def call_sid(self) -> Optional[str]: ...
    @property
    def call_status(self) -> Optional[str]: ...
    @property
    def direction(self) -> Optional[str]: ...
    @property
    def from_(self) -> Optional[str]: ...
    @property
    def to(self) -> Optional[str]: ...
    @property
    def parent_call_sid(self) -> Optional[str]: ...
    @property
    def extra(self) -> list[tuple[str, str]]: ...

@final
class VoiceRequest(_WebhookBase): ...

@final
class StatusCallback(_WebhookBase):
    @property
    def callback_source(self) -> Optional[str]: ...
    @property
    def sequence_number(self) -> Optional[int]: ...
    @property
    def timestamp(self) -> Optional[datetime]: ...
    @property
    def call_duration(self) -> Optional[int]: ...

@final
class GatherResult(_WebhookBase):
    @property
    def digits(self) -> Optional[str]: ...
    @property
    def speech_result(self) -> Optional[str]: ...
    @property
    def confidence(self) -> Optional[float]: ...

@final
class RecordResult(_WebhookBase):
    @property
    def recording_url(self) -> Optional[str]: ...
    @property
    def recording_duration(self) -> Optional[int]: ...
    @property
    def recording_sid(self) -> Optional[str]: ...
    @property
    def digits(self) -> Optional[str]: ...

@final
class DialResult(_WebhookBase):
    @property
    def dial_call_status(self) -> Optional[str]: ...
    @property
    def dial_call_sid(self) -> Optional[str]: ...
    @property
    def dial_call_duration(self) -> Optional[int]: ...

def parse_voice_request(params: _Params) -> VoiceRequest: ...
def parse_status_callback(params: _Params) -> StatusCallback: ...
def parse_gather_result(params: _Params) -> GatherResult: ...
def parse_record_result(params: _Params) -> RecordResult: ...
def parse_dial_result(params: _Params) -> DialResult: ...

# ---- calls ----------------------------------------------------------------------------------------

_Twiml = Union[Response, str]

@final
class Call:
    # --- begin Call: Generated by `cargo run -p xtask -- codegen` from api/openapi.yaml: do not edit.
    @property
    def sid(self) -> str:
        """The call's unique id (`CA...`)."""
        ...
    @property
    def account_sid(self) -> Optional[str]:
        """The account that owns the call."""
        ...
    @property
    def parent_call_sid(self) -> Optional[str]:
        """The parent call, for legs created by `<Dial>`."""
        ...
    @property
    def to(self) -> Optional[str]:
        """The called party."""
        ...
    @property
    def to_formatted(self) -> Optional[str]:
        """The called party, formatted for display."""
        ...
    @property
    def from_(self) -> Optional[str]:
        """The calling party."""
        ...
    @property
    def from_formatted(self) -> Optional[str]:
        """The calling party, formatted for display."""
        ...
    @property
    def phone_number_sid(self) -> Optional[str]:
        """The account's phone number resource used."""
        ...
    @property
    def status(self) -> Optional[str]:
        """The call's status."""
        ...
    @property
    def direction(self) -> Optional[str]:
        """How the call was started."""
        ...
    @property
    def date_created(self) -> Optional[datetime]:
        """When the resource was created."""
        ...
    @property
    def date_updated(self) -> Optional[datetime]:
        """When the resource was last updated."""
        ...
    @property
    def start_time(self) -> Optional[datetime]:
        """When the call was answered or started."""
        ...
    @property
    def end_time(self) -> Optional[datetime]:
        """When the call ended."""
        ...
    @property
    def duration(self) -> Optional[int]:
        """Length of the call in seconds."""
        ...
    @property
    def price(self) -> Optional[Decimal]:
        """Price charged, as decimal text (`\"-0.03000\"`)."""
        ...
    @property
    def price_unit(self) -> Optional[str]:
        """Currency of `price` (`USD`, `EUR`)."""
        ...
    @property
    def answered_by(self) -> Optional[str]:
        """Answering machine detection result (`human`, `machine_start`, ...); null until answered."""
        ...
    @property
    def api_version(self) -> Optional[str]:
        """The API version the call was created with."""
        ...
    @property
    def forwarded_from(self) -> Optional[str]:
        """The forwarding number, for forwarded inbound calls."""
        ...
    @property
    def caller_name(self) -> Optional[str]:
        """Caller name lookup result."""
        ...
    @property
    def group_sid(self) -> Optional[str]:
        """Group the call belongs to."""
        ...
    @property
    def queue_time(self) -> Optional[Decimal]:
        """Time spent queued before dialing, in milliseconds, as sent."""
        ...
    @property
    def annotation(self) -> Optional[str]:
        """Free-form annotation."""
        ...
    @property
    def uri(self) -> Optional[str]:
        """The resource's path."""
        ...
    @property
    def subresource_uris(self) -> Optional[dict[str, Any]]:
        """Paths of related resources (recordings, notifications, ...)."""
        ...
    # --- end Call ---
    @property
    def extra(self) -> dict[str, Any]: ...
    @property
    def problems(self) -> list[tuple[str, str]]:
        """Members of the answer that could not be read, as (wire name, what was wrong); each is None above."""
    @property
    def response(self) -> Optional[ResponseInfo]:
        """What happened to the request that brought this call, for a call created, fetched or updated.

        None for a call of a page (the page's ``response`` says it) and for one read with ``CallPage.from_json``.
        """
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class CallPage:
    @staticmethod
    def from_json(body: Union[bytes, bytearray, str]) -> CallPage: ...
    @property
    def calls(self) -> list[Call]: ...
    @property
    def page(self) -> Optional[int]: ...
    @property
    def page_size(self) -> Optional[int]: ...
    @property
    def next_page_uri(self) -> Optional[str]: ...
    @property
    def previous_page_uri(self) -> Optional[str]: ...
    @property
    def response(self) -> Optional[ResponseInfo]:
        """What happened to the request of this page; None for a page read with ``from_json``."""
    def __len__(self) -> int: ...

@final
class ResponseInfo:
    """What happened to one operation, on its result (``call.response``, ``page.response``) or its exception
    (``error.response``): never a client-wide "last response"."""

    @property
    def status(self) -> Optional[int]:
        """The HTTP status of the final answer; None when no answer came (a transport failure, a timeout)."""
    @property
    def headers(self) -> dict[str, str]:
        """The final answer's headers, names in lower case (a repeated header's values joined by ", ")."""
    @property
    def request_id(self) -> Optional[str]:
        """The provider's id of the final request (its ``X-Request-Id`` header), when it sent one."""
    @property
    def client_request_id(self) -> str:
        """The client's id of the operation, sent as ``X-Client-Request-Id`` on every attempt (retries included)."""
    @property
    def attempts(self) -> int:
        """How many attempts were made (1 when the first was final)."""
    @property
    def elapsed(self) -> float:
        """Seconds spent in all attempts and the waits between them."""

@final
class CallStream:
    def __iter__(self) -> Self: ...
    def __next__(self) -> Call: ...

@final
class Client:
    def __new__(
        cls,
        account_sid: Optional[str] = ...,
        auth_token: Optional[str] = ...,
        *,
        base_url: Optional[str] = ...,
        timeout: Optional[float] = ...,
        total_timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
    ) -> Self: ...
    @property
    def calls(self) -> Calls: ...
    @property
    def account_sid(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *_args: object) -> bool: ...

@final
class AsyncCallStream:
    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Coroutine[Any, Any, Call]: ...

@final
class Calls:
    # --- begin Calls: Generated by `cargo run -p xtask -- codegen` from api/openapi.yaml: do not edit.
    def create(
        self,
        *,
        to: str,
        from_: str,
        url: Optional[str] = ...,
        twiml: Optional[_Twiml] = ...,
        application_sid: Optional[str] = ...,
        method: Optional[Literal["GET", "POST"]] = ...,
        fallback_url: Optional[str] = ...,
        fallback_method: Optional[Literal["GET", "POST"]] = ...,
        status_callback: Optional[str] = ...,
        status_callback_event: Optional[_Events] = ...,
        status_callback_method: Optional[Literal["GET", "POST"]] = ...,
        send_digits: Optional[str] = ...,
        timeout: Optional[int] = ...,
        record: Optional[bool] = ...,
        recording_channels: Optional[Literal["mono", "dual"]] = ...,
        recording_status_callback: Optional[str] = ...,
        recording_status_callback_method: Optional[Literal["GET", "POST"]] = ...,
        recording_status_callback_event: Optional[_Events] = ...,
        recording_track: Optional[Literal["inbound", "outbound", "both"]] = ...,
        trim: Optional[Literal["trim-silence", "do-not-trim"]] = ...,
        machine_detection: Optional[Literal["Enable", "DetectMessageEnd"]] = ...,
        machine_detection_timeout: Optional[int] = ...,
        machine_detection_speech_threshold: Optional[int] = ...,
        machine_detection_speech_end_threshold: Optional[int] = ...,
        machine_detection_silence_timeout: Optional[int] = ...,
        async_amd: Optional[bool] = ...,
        async_amd_status_callback: Optional[str] = ...,
        async_amd_status_callback_method: Optional[Literal["GET", "POST"]] = ...,
        caller_id: Optional[str] = ...,
        sip_auth_username: Optional[str] = ...,
        sip_auth_password: Optional[str] = ...,
        time_limit: Optional[int] = ...,
    ) -> Call:
        """Place an outbound call."""
        ...
    def list(
        self,
        *,
        limit: Optional[int] = ...,
        to: Optional[str] = ...,
        from_: Optional[str] = ...,
        status: Optional[str] = ...,
        parent_call_sid: Optional[str] = ...,
        start_time: Optional[date] = ...,
        start_time_before: Optional[date] = ...,
        start_time_after: Optional[date] = ...,
        end_time: Optional[date] = ...,
        end_time_before: Optional[date] = ...,
        end_time_after: Optional[date] = ...,
        page_size: Optional[int] = ...,
    ) -> list[Call]:
        """Every match of the filters (at most `limit`), fetched page by page into a list."""
        ...
    def stream(
        self,
        *,
        limit: Optional[int] = ...,
        to: Optional[str] = ...,
        from_: Optional[str] = ...,
        status: Optional[str] = ...,
        parent_call_sid: Optional[str] = ...,
        start_time: Optional[date] = ...,
        start_time_before: Optional[date] = ...,
        start_time_after: Optional[date] = ...,
        end_time: Optional[date] = ...,
        end_time_before: Optional[date] = ...,
        end_time_after: Optional[date] = ...,
        page_size: Optional[int] = ...,
    ) -> CallStream:
        """Every match of the filters (at most `limit`), lazily: a page is fetched when the previous one is used up."""
        ...
    def page(
        self,
        *,
        to: Optional[str] = ...,
        from_: Optional[str] = ...,
        status: Optional[str] = ...,
        parent_call_sid: Optional[str] = ...,
        start_time: Optional[date] = ...,
        start_time_before: Optional[date] = ...,
        start_time_after: Optional[date] = ...,
        end_time: Optional[date] = ...,
        end_time_before: Optional[date] = ...,
        end_time_after: Optional[date] = ...,
        page: Optional[int] = ...,
        page_size: Optional[int] = ...,
        page_token: Optional[str] = ...,
    ) -> CallPage:
        """One page of the account's calls, newest first."""
        ...
    def update(
        self,
        sid: str,
        *,
        status: Optional[Literal["canceled", "completed"]] = ...,
        url: Optional[str] = ...,
        method: Optional[Literal["GET", "POST"]] = ...,
        twiml: Optional[_Twiml] = ...,
        fallback_url: Optional[str] = ...,
        fallback_method: Optional[Literal["GET", "POST"]] = ...,
        status_callback: Optional[str] = ...,
        status_callback_method: Optional[Literal["GET", "POST"]] = ...,
        time_limit: Optional[int] = ...,
    ) -> Call:
        """Redirect, cancel or hang up a live call."""
        ...
    def cancel(
        self,
        sid: str,
    ) -> Call:
        """Cancel a call that is still queued or ringing; no effect once it is answered."""
        ...
    def hangup(
        self,
        sid: str,
    ) -> Call:
        """Hang up a call in any state."""
        ...
    def fetch(
        self,
        sid: str,
    ) -> Call:
        """The current state of a call."""
        ...
    def delete(
        self,
        sid: str,
    ) -> None:
        """Delete a call's record."""
        ...

    # --- end Calls ---
    def wait(self, sid: str, *, until: Literal["answered", "ended"] = ..., deadline: float = ...) -> Call:
        """Fetches call `sid` until it is answered or ends and returns it; raises TimeoutError after `deadline` s."""
        ...
    def find_created(self, error: MaybeCreatedError) -> builtins.list[Call]:
        """The calls a create that raised `error` may have placed: to the same `to` from the same `from_`, created
        since just before the attempt, newest first. It only lists; an empty list means no call was placed."""
        ...

@final
class AsyncCalls:
    # --- begin AsyncCalls: Generated by `cargo run -p xtask -- codegen` from api/openapi.yaml: do not edit.
    def create(
        self,
        *,
        to: str,
        from_: str,
        url: Optional[str] = ...,
        twiml: Optional[_Twiml] = ...,
        application_sid: Optional[str] = ...,
        method: Optional[Literal["GET", "POST"]] = ...,
        fallback_url: Optional[str] = ...,
        fallback_method: Optional[Literal["GET", "POST"]] = ...,
        status_callback: Optional[str] = ...,
        status_callback_event: Optional[_Events] = ...,
        status_callback_method: Optional[Literal["GET", "POST"]] = ...,
        send_digits: Optional[str] = ...,
        timeout: Optional[int] = ...,
        record: Optional[bool] = ...,
        recording_channels: Optional[Literal["mono", "dual"]] = ...,
        recording_status_callback: Optional[str] = ...,
        recording_status_callback_method: Optional[Literal["GET", "POST"]] = ...,
        recording_status_callback_event: Optional[_Events] = ...,
        recording_track: Optional[Literal["inbound", "outbound", "both"]] = ...,
        trim: Optional[Literal["trim-silence", "do-not-trim"]] = ...,
        machine_detection: Optional[Literal["Enable", "DetectMessageEnd"]] = ...,
        machine_detection_timeout: Optional[int] = ...,
        machine_detection_speech_threshold: Optional[int] = ...,
        machine_detection_speech_end_threshold: Optional[int] = ...,
        machine_detection_silence_timeout: Optional[int] = ...,
        async_amd: Optional[bool] = ...,
        async_amd_status_callback: Optional[str] = ...,
        async_amd_status_callback_method: Optional[Literal["GET", "POST"]] = ...,
        caller_id: Optional[str] = ...,
        sip_auth_username: Optional[str] = ...,
        sip_auth_password: Optional[str] = ...,
        time_limit: Optional[int] = ...,
    ) -> Coroutine[Any, Any, Call]:
        """Place an outbound call."""
        ...
    def list(
        self,
        *,
        limit: Optional[int] = ...,
        to: Optional[str] = ...,
        from_: Optional[str] = ...,
        status: Optional[str] = ...,
        parent_call_sid: Optional[str] = ...,
        start_time: Optional[date] = ...,
        start_time_before: Optional[date] = ...,
        start_time_after: Optional[date] = ...,
        end_time: Optional[date] = ...,
        end_time_before: Optional[date] = ...,
        end_time_after: Optional[date] = ...,
        page_size: Optional[int] = ...,
    ) -> Coroutine[Any, Any, list[Call]]:
        """Every match of the filters (at most `limit`), fetched page by page into a list."""
        ...
    def stream(
        self,
        *,
        limit: Optional[int] = ...,
        to: Optional[str] = ...,
        from_: Optional[str] = ...,
        status: Optional[str] = ...,
        parent_call_sid: Optional[str] = ...,
        start_time: Optional[date] = ...,
        start_time_before: Optional[date] = ...,
        start_time_after: Optional[date] = ...,
        end_time: Optional[date] = ...,
        end_time_before: Optional[date] = ...,
        end_time_after: Optional[date] = ...,
        page_size: Optional[int] = ...,
    ) -> AsyncCallStream:
        """Every match of the filters (at most `limit`), lazily: a page is fetched when the previous one is used up."""
        ...
    def page(
        self,
        *,
        to: Optional[str] = ...,
        from_: Optional[str] = ...,
        status: Optional[str] = ...,
        parent_call_sid: Optional[str] = ...,
        start_time: Optional[date] = ...,
        start_time_before: Optional[date] = ...,
        start_time_after: Optional[date] = ...,
        end_time: Optional[date] = ...,
        end_time_before: Optional[date] = ...,
        end_time_after: Optional[date] = ...,
        page: Optional[int] = ...,
        page_size: Optional[int] = ...,
        page_token: Optional[str] = ...,
    ) -> Coroutine[Any, Any, CallPage]:
        """One page of the account's calls, newest first."""
        ...
    def update(
        self,
        sid: str,
        *,
        status: Optional[Literal["canceled", "completed"]] = ...,
        url: Optional[str] = ...,
        method: Optional[Literal["GET", "POST"]] = ...,
        twiml: Optional[_Twiml] = ...,
        fallback_url: Optional[str] = ...,
        fallback_method: Optional[Literal["GET", "POST"]] = ...,
        status_callback: Optional[str] = ...,
        status_callback_method: Optional[Literal["GET", "POST"]] = ...,
        time_limit: Optional[int] = ...,
    ) -> Coroutine[Any, Any, Call]:
        """Redirect, cancel or hang up a live call."""
        ...
    def cancel(
        self,
        sid: str,
    ) -> Coroutine[Any, Any, Call]:
        """Cancel a call that is still queued or ringing; no effect once it is answered."""
        ...
    def hangup(
        self,
        sid: str,
    ) -> Coroutine[Any, Any, Call]:
        """Hang up a call in any state."""
        ...
    def fetch(
        self,
        sid: str,
    ) -> Coroutine[Any, Any, Call]:
        """The current state of a call."""
        ...
    def delete(
        self,
        sid: str,
    ) -> Coroutine[Any, Any, None]:
        """Delete a call's record."""
        ...

    # --- end AsyncCalls ---
    def wait(
        self, sid: str, *, until: Literal["answered", "ended"] = ..., deadline: float = ...
    ) -> Coroutine[Any, Any, Call]:
        """Fetches call `sid` until it is answered or ends (see `Calls.wait`)."""
        ...
    def find_created(self, error: MaybeCreatedError) -> Coroutine[Any, Any, builtins.list[Call]]:
        """The calls a create that raised `error` may have placed (see `Calls.find_created`)."""
        ...

@final
class AsyncClient:
    def __new__(
        cls,
        account_sid: Optional[str] = ...,
        auth_token: Optional[str] = ...,
        *,
        base_url: Optional[str] = ...,
        timeout: Optional[float] = ...,
        total_timeout: Optional[float] = ...,
        max_retries: Optional[int] = ...,
    ) -> Self: ...
    @property
    def calls(self) -> AsyncCalls: ...
    @property
    def account_sid(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    def close(self) -> Awaitable[None]: ...
    def __aenter__(self) -> Awaitable[Self]: ...
    def __aexit__(self, *_args: object) -> Awaitable[bool]: ...

@final
class _Request:
    def __await__(self) -> Generator[Any, None, Any]: ...
    def __iter__(self) -> Self: ...
    def __next__(self) -> Any: ...
    def send(self, value: Any) -> Any: ...
    def throw(self, kind: Any, value: Any = ..., traceback: Any = ...) -> Any: ...
    def close(self) -> None: ...

@final
class _Completer:
    def _drain(self) -> None: ...

# ---- simulator ------------------------------------------------------------------------------------

_Fault = Literal[
    "rate_limited",
    "unavailable",
    "drop_before_handling",
    "drop_after_handling",
    "delay",
    "malformed_body",
    "truncated_body",
    "bad_gateway",
    "gateway_timeout",
    "oversized_body",
]

@final
class Timeline:
    @property
    def call_sid(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def from_(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def settled(self) -> bool: ...
    @property
    def entries(self) -> list[dict[str, Any]]: ...
    @property
    def verbs(self) -> list[str]: ...
    @property
    def statuses(self) -> list[str]: ...

@final
class Simulator:
    """A local simulator of the Voice API: ``with mycpaas.Simulator() as sim: client = sim.client()``."""

    def __new__(
        cls,
        *,
        speed: Optional[float] = ...,
        seed: Optional[int] = ...,
        account_sid: Optional[str] = ...,
        auth_token: Optional[str] = ...,
        date_format: Literal["iso8601", "rfc2822"] = ...,
    ) -> Self:
        """Starts a simulator on ``127.0.0.1`` (a free port).

        ``speed`` is simulated seconds per wall second (default 1000; from 0.000001 to
        1000000000). ``seed`` makes SIDs and random faults repeatable. ``date_format`` is how
        call JSON writes dates: ``"iso8601"`` (``2026-04-19T10:00:00Z``, the default) or
        ``"rfc2822"`` (``Sun, 19 Apr 2026 10:00:00 +0000``), for SDKs that read only that form.
        """
    @property
    def base_url(self) -> str: ...
    @property
    def account_sid(self) -> str: ...
    @property
    def auth_token(self) -> str: ...
    def client(
        self, *, timeout: Optional[float] = ..., total_timeout: Optional[float] = ..., max_retries: Optional[int] = ...
    ) -> Client: ...
    def async_client(
        self, *, timeout: Optional[float] = ..., total_timeout: Optional[float] = ..., max_retries: Optional[int] = ...
    ) -> AsyncClient: ...
    def script_input(self, key: str, *, digits: Optional[str] = ..., speech: Optional[str] = ...) -> None:
        """Queues what the callee enters at the next ``<Gather>``; ``key`` is a call SID or a ``To`` number.

        ``digits`` are keys a phone can send (``0-9 * # A-D``, ``w`` for a half-second pause);
        anything else raises ``ValidationError``.
        """
    def timeline(self, call_sid: str) -> Optional[Timeline]: ...
    def wait_for_call(self, call_sid: str, timeout: float = ...) -> Optional[Timeline]: ...
    def inject_fault(self, fault: _Fault, *, count: int = ..., retry_after: int = ..., delay: float = ...) -> None: ...
    @property
    def calls_created(self) -> int: ...
    @property
    def request_count(self) -> int: ...
    @property
    def requests(self) -> list[dict[str, Optional[str]]]:
        """The most recent API requests, oldest first: ``method``, ``path``, ``request_id`` (the ``X-Request-Id``
        answered) and ``client_request_id`` (the client's ``X-Client-Request-Id``, or None)."""
    def close(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *_args: object) -> bool: ...
