"""mycpaas: the Python SDK of the mycpaas Voice API, built on the Rust core.

Place and steer calls with :class:`Client` (or :class:`AsyncClient`), build LaML with :mod:`mycpaas.laml`,
check and parse webhooks with :mod:`mycpaas.webhooks`, and test offline against :class:`Simulator`.
"""

from __future__ import annotations

from mycpaas import _resources, exceptions, laml, webhooks
from mycpaas._mycpaas import (
    AsyncClient,
    Client,
    ResponseInfo,
    Simulator,
    Timeline,
    __version__,
)
# The classes of every resource of the API: Calls, Call, CallPage, CallStream, Recordings, ...
from mycpaas._resources import *  # noqa: F403
# `X as X`: re-exported for type checkers too (mypy --strict reads `__all__ +=` of a module only in part).
from mycpaas.exceptions import (
    ApiError as ApiError,
    AuthenticationError as AuthenticationError,
    DecodeError as DecodeError,
    LamlParseError as LamlParseError,
    MaybeCreatedError as MaybeCreatedError,
    MaybeCreatedTimeoutError as MaybeCreatedTimeoutError,
    MaybeCreatedTransportError as MaybeCreatedTransportError,
    MycpaasError as MycpaasError,
    NotFoundError as NotFoundError,
    RateLimitError as RateLimitError,
    TimeoutError as TimeoutError,
    TransportError as TransportError,
    ValidationError as ValidationError,
)

__all__ = [
    "__version__",
    "Client",
    "AsyncClient",
    "ResponseInfo",
    "Simulator",
    "Timeline",
    "laml",
    "webhooks",
]
# The resources' classes (generated from the description), then the exceptions, in the order their
# modules list them.
__all__ += _resources.__all__
__all__ += exceptions.__all__
