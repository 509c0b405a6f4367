"""Exceptions of the mycpaas SDK.

They are plain Python classes so that ``except`` clauses, pickling and tracebacks behave as users expect;
the Rust extension builds and raises them (it imports this module, it defines none of its own).

Hierarchy::

    MycpaasError
    ├── ValidationError          bad input, found before any request was sent
    ├── ApiError                 the API answered with an error status
    │   ├── AuthenticationError  401
    │   ├── NotFoundError        404
    │   └── RateLimitError       429
    ├── TransportError           the request or its response was lost on the way
    │   └── TimeoutError         no answer in time (also the builtin TimeoutError)
    ├── MaybeCreatedError        a create's outcome is unknown (answer lost or inconclusive): the call may exist
    │   └── MaybeCreatedTransportError    ... because its answer was lost (also a TransportError)
    │       └── MaybeCreatedTimeoutError  ... because no answer came in time (also a TimeoutError)
    ├── DecodeError              the server's answer could not be understood
    └── LamlParseError           a LaML document could not be parsed
"""

from __future__ import annotations

import builtins

# The extension is loaded by `import mycpaas` anyway; it imports this module only when it raises.
from mycpaas._mycpaas import ResponseInfo

# No `typing` import: annotations stay strings (see the __future__ import), and `import mycpaas` stays fast.

__all__ = [
    "MycpaasError",
    "ValidationError",
    "ApiError",
    "AuthenticationError",
    "NotFoundError",
    "RateLimitError",
    "TransportError",
    "TimeoutError",
    "MaybeCreatedError",
    "MaybeCreatedTransportError",
    "MaybeCreatedTimeoutError",
    "DecodeError",
    "LamlParseError",
]


class MycpaasError(Exception):
    """Base class of every error the SDK raises.

    ``response`` says what happened to the request (a :class:`mycpaas.ResponseInfo`: HTTP status and headers of
    the final answer, the provider's ``request_id``, the ``client_request_id`` sent on every attempt, the number of
    ``attempts`` and the seconds ``elapsed``) for an API error, a transport error, a timeout and a maybe-created
    create; it is None for errors raised before anything was sent, and it is not pickled. An exception that comes
    from a lower-level failure (a refused or reset connection, a TLS error) has it as ``__cause__`` (an ``OSError``
    such as ``ConnectionRefusedError``).
    """

    response: ResponseInfo | None = None


class ValidationError(MycpaasError, ValueError):
    """A parameter broke a rule; raised before anything is sent.

    ``parameter`` names the offending field (the API's name, e.g. ``"To"``) and ``rule`` says what it must be.
    """

    def __init__(self, message: str, parameter: str, rule: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.rule = rule

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (str(self), self.parameter, self.rule))


class ApiError(MycpaasError):
    """The API answered with an error: HTTP ``status``, API ``code``, ``message`` and ``more_info``."""

    def __init__(
        self,
        message: str,
        status: int,
        code: int | None = None,
        more_info: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.more_info = more_info

    def __str__(self) -> str:
        code = f" (code {self.code})" if self.code is not None else ""
        return f"HTTP {self.status}{code}: {self.message}"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.message, self.status, self.code, self.more_info))


class AuthenticationError(ApiError):
    """The account SID or auth token was refused (HTTP 401)."""


class NotFoundError(ApiError):
    """The resource does not exist (HTTP 404)."""


class RateLimitError(ApiError):
    """Too many requests (HTTP 429), still refused after the client's retries."""


class TransportError(MycpaasError):
    """The request could not be sent, or its answer was lost (connection refused, reset, TLS, ...).

    ``may_have_been_sent`` is true when the server may have acted on the request before the failure.
    """

    def __init__(self, message: str, may_have_been_sent: bool = False) -> None:
        super().__init__(message)
        self.may_have_been_sent = may_have_been_sent

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (str(self), self.may_have_been_sent))


class TimeoutError(TransportError, builtins.TimeoutError):
    """The server did not answer within the configured timeout.

    Also the builtin ``TimeoutError``, so ``except TimeoutError:`` catches it as it catches other timeouts.
    """


class MaybeCreatedError(MycpaasError):
    """A create whose outcome is unknown: the call may exist.

    Raised when the request may have reached the server before its answer was lost, and when an answer came
    that does not prove the create was refused: a 2xx that cannot be read, is cut short, is too large or has no
    usable ``sid``, or a 5xx that is not the API's own error document (a gateway's 502/504 page). The create was
    not retried, because a second request could place a second call. ``status`` is the HTTP status of the answer,
    when one came. List calls (filter on ``to``/``from_``) to find out.

    When the answer was lost, the error is a ``MaybeCreatedTransportError``, also a ``TransportError``; when no
    answer came in time, a ``MaybeCreatedTimeoutError``, also a ``TimeoutError``. ``except MaybeCreatedError``
    catches all three.
    """

    def __init__(self, message: str, may_have_been_sent: bool = True, status: int | None = None) -> None:
        super().__init__(message)
        self.may_have_been_sent = may_have_been_sent
        self.status = status

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (str(self), self.may_have_been_sent, self.status))


class MaybeCreatedTransportError(MaybeCreatedError, TransportError):
    """A create whose answer was lost on the way (connection reset or closed): the call may exist."""

    def __init__(self, message: str, may_have_been_sent: bool = True, status: int | None = None) -> None:
        TransportError.__init__(self, message, may_have_been_sent)
        self.status = status


class MaybeCreatedTimeoutError(MaybeCreatedTransportError, TimeoutError):
    """A create that got no answer within the timeout: the call may exist."""


class DecodeError(MycpaasError):
    """The server answered, but its body could not be decoded; ``body_excerpt`` holds the start of it."""

    def __init__(self, message: str, status: int = 0, body_excerpt: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body_excerpt = body_excerpt

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (str(self), self.status, self.body_excerpt))


class LamlParseError(MycpaasError, ValueError):
    """A LaML document could not be parsed; ``line`` and ``column`` (1-based) point at the fault."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (str(self), self.line, self.column))
