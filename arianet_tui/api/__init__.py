"""The Arianet API: a typed async client, its models, errors and rate-limit state.

Nothing here imports Textual; the simulator and the live layer build on it.
"""

from .client import ArianetClient
from .errors import (
    ApiError,
    ArianetError,
    ClientError,
    ConfigurationError,
    ConnectFailed,
    ConnectionDropped,
    Forbidden,
    InvalidResponse,
    NotFound,
    RateLimited,
    ReadOnlyError,
    RequestTimeout,
    ServerError,
    TransportError,
    Unauthorized,
)
from .ratelimit import Bucket, BucketState, RateLimitTracker
from .retry import RetryPolicy
from .transport import DEFAULT_BASE_URL

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiError",
    "ArianetClient",
    "ArianetError",
    "Bucket",
    "BucketState",
    "ClientError",
    "ConfigurationError",
    "ConnectFailed",
    "ConnectionDropped",
    "Forbidden",
    "InvalidResponse",
    "NotFound",
    "RateLimitTracker",
    "RateLimited",
    "ReadOnlyError",
    "RequestTimeout",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "Unauthorized",
]
