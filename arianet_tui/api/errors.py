"""The error family of the client: every failure it raises is an :class:`ArianetError`.

HTTP failures are :class:`ApiError` subclasses chosen by status; transport failures
(connect, timeout, dropped connection, unreadable body) have their own classes whose
``status`` is None. A write whose outcome cannot be known (it may have been processed)
carries ``outcome_unknown = True`` so that callers re-read instead of resending.
"""

from __future__ import annotations


class ArianetError(Exception):
    """Base of every error the client raises."""

    status: int | None = None
    code: str = "ERROR"
    #: True when a write may have been processed although it failed: re-read, never resend.
    outcome_unknown: bool = False

    def __init__(self, message: str, *, method: str = "", path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path

    def __str__(self) -> str:
        return self.message

    @property
    def title(self) -> str:
        """A short heading for a notification about this error."""
        return "Arianet error"


class ApiError(ArianetError):
    """The API answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str = "ERROR",
        method: str = "",
        path: str = "",
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.status = status
        self.code = code

    @property
    def title(self) -> str:
        return f"HTTP {self.status}"


class ClientError(ApiError):
    """A 4xx other than 401, 403, 404 and 429: the request itself was wrong."""


class Unauthorized(ApiError):
    """401: the token is missing, invalid, expired or revoked."""

    @property
    def title(self) -> str:
        return "Not authorised"


class Forbidden(ApiError):
    """403: the act is not allowed, such as deleting a protected server."""

    @property
    def title(self) -> str:
        return "Forbidden"


class NotFound(ApiError):
    """404: the resource does not exist or was deleted."""

    @property
    def title(self) -> str:
        return "Not found"


class RateLimited(ApiError):
    """429: the bucket is empty until ``reset_at`` (epoch seconds; None when not told)."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 429,
        code: str = "RATE_LIMITED",
        method: str = "",
        path: str = "",
        bucket: str = "",
        reset_at: float | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, method=method, path=path)
        self.bucket = bucket
        self.reset_at = reset_at

    @property
    def title(self) -> str:
        return "Rate limited"


class ServerError(ApiError):
    """5xx: the service failed; for a write the outcome is unknown."""

    @property
    def title(self) -> str:
        return "Service error"


class TransportError(ArianetError):
    """No usable HTTP answer: a network or protocol failure, or an unreadable body."""

    @property
    def title(self) -> str:
        return "Network error"


class ConnectFailed(TransportError):
    """The connection could not be made: the request surely was not processed."""

    code = "CONNECT_FAILED"


class RequestTimeout(TransportError):
    """No answer in time: the request may or may not have been processed."""

    code = "TIMEOUT"

    @property
    def title(self) -> str:
        return "Timed out"


class ConnectionDropped(TransportError):
    """The connection broke after the request was sent."""

    code = "CONNECTION_DROPPED"


class InvalidResponse(TransportError):
    """A success status with a body that is not the JSON the reference documents."""

    code = "INVALID_RESPONSE"

    def __init__(
        self, message: str, *, method: str = "", path: str = "", status: int | None = None
    ) -> None:
        super().__init__(message, method=method, path=path)
        self.http_status = status

    @property
    def title(self) -> str:
        return "Unexpected answer"


class ReadOnlyError(ArianetError):
    """A write was asked for while the client is read-only; nothing was sent."""

    code = "READ_ONLY"

    @property
    def title(self) -> str:
        return "Read-only mode"


class ConfigurationError(ArianetError):
    """The client cannot be built as asked: a bad token or an insecure base URL."""

    code = "CONFIGURATION"

    @property
    def title(self) -> str:
        return "Configuration"


_BY_STATUS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    429: RateLimited,
}


def error_for_status(status: int) -> type[ApiError]:
    """The ApiError subclass that stands for an HTTP status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else ClientError
