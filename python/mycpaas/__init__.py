"""mycpaas: the Python SDK of the mycpaas Voice API, built on the Rust core.

Place and steer calls with :class:`Client` (or :class:`AsyncClient`), build LaML with :mod:`mycpaas.laml`,
check and parse webhooks with :mod:`mycpaas.webhooks`, and test offline against :class:`Simulator`.
"""

from __future__ import annotations

from mycpaas import exceptions, laml, webhooks
from mycpaas._mycpaas import (
    AsyncCallStream,
    AsyncCalls,
    AsyncClient,
    Call,
    CallPage,
    Calls,
    CallStream,
    Client,
    ResponseInfo,
    Simulator,
    Timeline,
    __version__,
)
from mycpaas.exceptions import (
    ApiError,
    AuthenticationError,
    DecodeError,
    LamlParseError,
    MaybeCreatedError,
    MaybeCreatedTimeoutError,
    MaybeCreatedTransportError,
    MycpaasError,
    NotFoundError,
    RateLimitError,
    TimeoutError,
    TransportError,
    ValidationError,
)

__all__ = [
    "__version__",
    "Client",
    "AsyncClient",
    "Calls",
    "AsyncCalls",
    "Call",
    "CallPage",
    "CallStream",
    "AsyncCallStream",
    "ResponseInfo",
    "Simulator",
    "Timeline",
    "laml",
    "webhooks",
]
# The exceptions, in the order their module lists them.
__all__ += exceptions.__all__
