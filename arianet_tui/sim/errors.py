"""The errors the simulated API answers with, always as ``{"error", "message", "status"}``."""

from __future__ import annotations

import json


class SimError(Exception):
    """A failure that becomes an error body with its status and code."""

    status = 400
    code = "INVALID_REQUEST"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class InvalidRequest(SimError):
    status = 400
    code = "INVALID_REQUEST"


class InvalidState(SimError):
    status = 400
    code = "INVALID_STATE"


class Unauthorized(SimError):
    status = 401
    code = "UNAUTHORIZED"


class Forbidden(SimError):
    status = 403
    code = "FORBIDDEN"


class NotFound(SimError):
    status = 404
    code = "NOT_FOUND"


class MethodNotAllowed(SimError):
    status = 405
    code = "METHOD_NOT_ALLOWED"


class RateLimited(SimError):
    status = 429
    code = "RATE_LIMITED"


def error_body(code: str, message: str, status: int) -> bytes:
    """The encoded error body of the reference."""
    payload = {"error": code, "message": message, "status": status}
    return json.dumps(payload, ensure_ascii=False).encode()
