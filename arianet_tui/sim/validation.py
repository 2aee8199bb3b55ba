"""Checks of query parameters and JSON bodies; each failure is a 400 INVALID_REQUEST."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from arianet_tui.sim.errors import InvalidRequest

MAX_LIMIT = 100
MAX_NAME = 100
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def positive_int(params: Mapping[str, str], name: str, default: int, maximum: int) -> int:
    """A positive integer query parameter, at most ``maximum``."""
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise InvalidRequest(f"Query parameter '{name}' must be a positive integer")
    value = int(raw)
    if value > maximum:
        raise InvalidRequest(f"Query parameter '{name}' must be at most {maximum}")
    return value


def page_and_limit(request: Request, default_limit: int) -> tuple[int, int]:
    params = request.query_params
    page = positive_int(params, "page", 1, 10**9)
    return page, positive_int(params, "limit", default_limit, MAX_LIMIT)


async def json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object."""
    raw = await request.body()
    if not raw.strip():
        raise InvalidRequest("Request body must be a JSON object")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidRequest("Request body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise InvalidRequest("Request body must be a JSON object")
    return body


def optional_int(body: Mapping[str, Any], name: str) -> int | None:
    """An integer field that may be absent or null."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(f"Field '{name}' must be an integer")
    return value


def required_int(body: Mapping[str, Any], name: str) -> int:
    value = optional_int(body, name)
    if value is None:
        raise InvalidRequest(f"Field '{name}' is required")
    return value


def text(body: Mapping[str, Any], name: str, *, max_length: int = MAX_NAME) -> str:
    """A required, non-blank string field."""
    value = body.get(name)
    if value is None:
        raise InvalidRequest(f"Field '{name}' is required")
    if not isinstance(value, str):
        raise InvalidRequest(f"Field '{name}' must be a string")
    if not value.strip():
        raise InvalidRequest(f"Field '{name}' must not be empty")
    if len(value) > max_length:
        raise InvalidRequest(f"Field '{name}' must be at most {max_length} characters")
    return value


def choice(body: Mapping[str, Any], name: str, allowed: tuple[str, ...]) -> str:
    value = body.get(name)
    if value not in allowed:
        raise InvalidRequest(f"Field '{name}' must be one of: {', '.join(allowed)}")
    return str(value)


def hostname(value: str) -> str:
    """A hostname per RFC 1123: dot-separated labels of letters, digits and inner hyphens."""
    labels = value.split(".")
    if len(value) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise InvalidRequest(
            "Field 'hostname' must be a valid hostname (RFC 1123): labels of letters, "
            "digits and hyphens, 1-63 characters each, 253 at most in all"
        )
    return value


def cidr(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidRequest("Field 'cidr' is required and must be a string")
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise InvalidRequest(f"Field 'cidr' is not a valid network: {value!r}") from exc
    return str(network)
