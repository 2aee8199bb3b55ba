"""Checks on what the client sends: the base URL, the token, and the auth flow that carries it."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Generator
from urllib.parse import urlsplit

import httpx

from .errors import ConfigurationError

DEFAULT_BASE_URL = "https://api.arianet.io/api/v1"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_host(host: str) -> bool:
    """True for localhost and for any address in 127.0.0.0/8 or ::1."""
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    """Return the base URL without a trailing slash, or refuse an unsafe or malformed one."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(
            f"The base URL {base_url!r} is not an http(s) URL such as {DEFAULT_BASE_URL}."
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigurationError(
            f"Plain http:// is allowed only for loopback hosts, not {parts.hostname!r}: "
            "the token would cross the network unencrypted. Use https://."
        )
    if parts.username or parts.password:
        raise ConfigurationError("The base URL must not carry a user name or password.")
    return base_url.strip().rstrip("/")


def check_token(token: str) -> str:
    """Refuse a token that could not travel safely in a header: empty, spaces, CR/LF, control."""
    token = token.strip()
    if not token:
        raise ConfigurationError("The API token is empty.")
    bad = [ch for ch in token if not ("\x21" <= ch <= "\x7e")]
    if bad:
        raise ConfigurationError(
            "The API token contains characters a token cannot have (spaces, line breaks, "
            "control or non-ASCII characters); copy it again from the Arianet dashboard."
        )
    return token


class BearerAuth(httpx.Auth):
    """Adds the bearer token to each request; its repr never shows the token."""

    def __init__(self, token: str) -> None:
        self._token = check_token(token)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def matches_prefix(self, prefix: str) -> bool:
        """True when the token starts with ``prefix``, ignoring a trailing ellipsis."""
        wanted = prefix.strip().rstrip(".\u2026")
        # A prefix this short would match nearly any token of the same scheme.
        if len(wanted) < 8:
            return False
        return hmac.compare_digest(self._token[: len(wanted)].encode(), wanted.encode())

    def __repr__(self) -> str:
        return "BearerAuth(token=<redacted>)"


def redact_headers(headers: httpx.Headers) -> dict[str, str]:
    """Headers as a dict fit for a log line, with anything that carries a secret blanked."""
    secret = {"authorization", "cookie", "set-cookie", "proxy-authorization"}
    return {k: ("<redacted>" if k.lower() in secret else v) for k, v in headers.items()}
