"""ArianetClient: one coroutine per endpoint of the API reference, over one request path."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, TypeVar, cast

import httpx
import stamina
from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json

from .. import __version__
from . import errors
from .models import (
    ApiToken,
    DataList,
    ErrorBody,
    Firewall,
    Message,
    OsTemplate,
    Page,
    Plan,
    ProtectionResult,
    Region,
    RenameResult,
    Server,
    ServerStatus,
    SshKey,
    TokenList,
    Transaction,
    User,
    Wallet,
)
from .ratelimit import Bucket, RateLimitTracker, bucket_for
from .retry import BackoffHook, RetryPolicy
from .transport import DEFAULT_BASE_URL, BearerAuth, check_base_url

log = logging.getLogger("arianet_tui.api")

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
USER_AGENT = f"arianet-tui/{__version__}"
# Bodies larger than this are parsed in a thread so the event loop stays responsive.
LARGE_BODY_BYTES = 32 * 1024
# The rows of a large list are validated this many per thread call (about 1 ms for 25
# servers, with the GIL held); the event loop runs between two calls.
SLICE_ROWS = 25
EXCERPT_CHARS = 160


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def _first_error(error: ValidationError) -> tuple[tuple[Any, ...], str | None]:
    """Where the first problem of a validation error is, and what it is."""
    first: dict[str, Any] = dict(error.errors()[0]) if error.error_count() else {}
    return tuple(first.get("loc", ())), first.get("msg")


class _SliceError(Exception):
    """A row of a large list failed validation; ``loc`` is counted from the whole list."""

    def __init__(self, error: ValidationError, offset: int) -> None:
        loc, self.msg = _first_error(error)
        if loc and isinstance(loc[0], int):
            loc = (loc[0] + offset, *loc[1:])
        self.loc = ("data", *loc)


async def _validate_large(result: Any, content: bytes) -> Any:
    """Validate a large body in worker threads, one piece at a time.

    A paged or ``{"data": [...]}`` list is parsed, then validated SLICE_ROWS rows per
    thread call. Between two calls this coroutine goes back to the end of the event loop's
    queue, so whatever the loop has to do (a key press, a repaint) runs before the next
    slice starts; in one long thread call, the two threads would take turns with the GIL
    at every step of the loop instead. Anything else is validated in one call.
    """
    adapter = _adapter(result)
    field = getattr(result, "model_fields", {}).get("data")
    if field is None:
        return await asyncio.to_thread(adapter.validate_json, content)
    # pydantic-core's parser: half the time of json.loads, with the GIL held throughout.
    body = await asyncio.to_thread(from_json, content)
    rows = body.get("data") if isinstance(body, dict) else None
    if not isinstance(rows, list) or len(rows) <= SLICE_ROWS:
        return await asyncio.to_thread(adapter.validate_python, body)
    envelope = adapter.validate_python({**body, "data": []})
    rows_adapter = _adapter(field.annotation)
    parsed: list[Any] = []
    for start in range(0, len(rows), SLICE_ROWS):
        piece = rows[start : start + SLICE_ROWS]
        try:
            parsed += await asyncio.to_thread(rows_adapter.validate_python, piece)
        except ValidationError as error:
            raise _SliceError(error, start) from None
    return envelope.model_copy(update={"data": parsed})


def _excerpt(body: bytes) -> str:
    text = " ".join(body[:2000].decode("utf-8", "replace").split())
    return text[:EXCERPT_CHARS] + ("..." if len(text) > EXCERPT_CHARS else "")


def _drop_none(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


class ArianetClient:
    """Async client for the Arianet API; use it as ``async with ArianetClient(...) as api``.

    ``token`` may be None for the public catalog endpoints. ``read_only`` refuses every
    write before anything is sent. ``clock`` gives epoch seconds for the rate-limit state.
    """

    def __init__(
        self,
        token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        read_only: bool = False,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.read_only = read_only
        self.retry = retry or RetryPolicy()
        self.clock = clock
        self.rate_limits = RateLimitTracker(clock)
        self._auth = BearerAuth(token) if token is not None else None
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
            verify=True,
        )

    def __repr__(self) -> str:
        return f"ArianetClient(base_url={self.base_url!r}, read_only={self.read_only})"

    async def __aenter__(self) -> ArianetClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def has_token(self) -> bool:
        return self._auth is not None

    def token_matches(self, prefix: str) -> bool:
        """Whether the token in use starts with ``prefix`` (as GET /auth/tokens lists it).

        The UI marks the current token with this; the token itself never leaves the client.
        """
        return self._auth is not None and self._auth.matches_prefix(prefix)

    # -- the request path -------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        result: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> T:
        """Send one API call and parse its body as ``result`` (a model or type).

        Retry policy, the only one in the client:

        - GET is retried after a connect failure, a timeout, a dropped connection, an
          unreadable body, a 5xx, or a 429 whose reset is at most ``max_rate_wait`` away;
          waits are full-jitter exponential (``base * 2**n`` capped at ``cap_seconds``),
          at most ``read_attempts`` tries within ``total_seconds``.
        - POST, PUT and DELETE are retried only after a connect failure or a short 429:
          then the API surely did not process them. After a timeout, a 5xx or a dropped
          connection they raise with ``outcome_unknown = True``; the caller re-reads.
        - A 429 further away than ``max_rate_wait`` raises :class:`RateLimited` with its
          reset time, and nothing more goes to that bucket until the reset.
        """
        write = method.upper() != "GET"
        if write and self.read_only:
            raise errors.ReadOnlyError(
                f"Read-only mode: {method} /{path} was not sent. "
                "Start without --read-only to change anything.",
                method=method,
                path=path,
            )
        hook = BackoffHook(self.retry, write=write, clock=self.clock)
        attempts = self.retry.write_attempts if write else self.retry.read_attempts
        clean_params = _drop_none(params) if params else None
        body = dict(json) if json is not None else None

        async for attempt in stamina.retry_context(
            on=hook, attempts=attempts, timeout=self.retry.total_seconds
        ):
            with attempt:
                raw = await self._send_once(method, path, clean_params, body)
        return await self._parse(raw, result, method, path)

    async def _send_once(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Mapping[str, Any] | None,
    ) -> httpx.Response:
        bucket = bucket_for(method, "/" + path)
        state = self.rate_limits.state(bucket)
        if state.is_blocked(self.clock()):
            raise errors.RateLimited(
                f"The {bucket} rate limit is used up; it resets in "
                f"{int(state.seconds_to_reset(self.clock()) or 0)} s.",
                method=method,
                path=path,
                bucket=bucket,
                reset_at=state.blocked_until,
            )
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method, path, params=params, json=body, auth=self._auth or httpx.USE_CLIENT_DEFAULT
            )
        except httpx.ConnectError as exc:
            raise errors.ConnectFailed(
                f"Cannot connect to {self.base_url}: {exc or type(exc).__name__}",
                method=method,
                path=path,
            ) from None
        except httpx.TimeoutException as exc:
            error: errors.ArianetError
            if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
                error = errors.ConnectFailed(
                    f"Connecting to {self.base_url} timed out.", method=method, path=path
                )
            else:
                error = errors.RequestTimeout(
                    f"{method} /{path} got no answer in time.", method=method, path=path
                )
                error.outcome_unknown = method != "GET"
            raise error from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            error = errors.ConnectionDropped(
                f"The connection broke during {method} /{path} ({type(exc).__name__}).",
                method=method,
                path=path,
            )
            error.outcome_unknown = method != "GET"
            raise error from None

        elapsed_ms = (time.perf_counter() - started) * 1000
        self.rate_limits.observe(bucket, response.headers)
        log.info("%s /%s -> %s in %.0f ms", method, path, response.status_code, elapsed_ms)
        if response.is_success:
            return response
        raise self._error_from(response, method, path, bucket)

    def _error_from(
        self, response: httpx.Response, method: str, path: str, bucket: Bucket
    ) -> errors.ArianetError:
        status = response.status_code
        if 300 <= status < 400:
            target = response.headers.get("Location", "elsewhere")
            return errors.ClientError(
                f"The API answered {method} /{path} with a redirect to {target}; "
                "redirects are not followed, so the token stays where it was sent. "
                "Check the base URL.",
                status=status,
                code="REDIRECT",
                method=method,
                path=path,
            )
        code, message = "HTTP_ERROR", ""
        try:
            parsed = _adapter(ErrorBody).validate_json(response.content)
            code, message = parsed.error, parsed.message
        except ValidationError:
            excerpt = _excerpt(response.content)
            message = f"HTTP {status} from {method} /{path}" + (f": {excerpt}" if excerpt else "")
        message = message or f"HTTP {status} from {method} /{path}"
        cls = errors.error_for_status(status)
        error: errors.ApiError
        if cls is errors.RateLimited:
            state = self.rate_limits.block(bucket, self.rate_limits.state(bucket).reset_at)
            error = errors.RateLimited(
                message,
                code=code,
                method=method,
                path=path,
                bucket=bucket,
                reset_at=state.blocked_until,
            )
            log.warning("rate limited on %s bucket until %s", bucket, state.blocked_until)
        else:
            error = cls(message, status=status, code=code, method=method, path=path)
        error.outcome_unknown = method != "GET" and status >= 500
        return error

    async def _parse(self, response: httpx.Response, result: type[T], method: str, path: str) -> T:
        content = response.content
        try:
            if len(content) > LARGE_BODY_BYTES:
                parsed = await _validate_large(result, content)
            else:
                parsed = _adapter(cast(Any, result)).validate_json(content)
        except ValidationError as exc:
            raise self._invalid(response, method, path, *_first_error(exc)) from None
        except _SliceError as exc:
            raise self._invalid(response, method, path, exc.loc, exc.msg) from None
        except ValueError:  # not JSON at all, or nested past the parser's limit (large body)
            raise self._invalid(response, method, path, (), "invalid JSON") from None
        return parsed  # type: ignore[no-any-return]

    @staticmethod
    def _invalid(
        response: httpx.Response, method: str, path: str, loc: Any, msg: str | None
    ) -> errors.InvalidResponse:
        where = ".".join(str(p) for p in loc) or "body"
        return errors.InvalidResponse(
            f"The answer to {method} /{path} is not what the API documents "
            f"({where}: {msg or 'invalid'}).",
            method=method,
            path=path,
            status=response.status_code,
        )

    # -- auth -------------------------------------------------------------------------------

    async def get_me(self) -> User:
        return await self.request("GET", "auth/me", User)

    async def list_tokens(self) -> list[ApiToken]:
        tokens: TokenList = await self.request("GET", "auth/tokens", TokenList)
        return tokens.tokens

    async def revoke_token(self, token_id: int) -> Message:
        return await self.request("DELETE", f"auth/tokens/{int(token_id)}", Message)

    async def logout(self) -> Message:
        return await self.request("DELETE", "auth/logout", Message)

    # -- servers ----------------------------------------------------------------------------

    async def list_servers(
        self, page: int = 1, limit: int = 15, status: str | None = None
    ) -> Page[Server]:
        params = {"page": page, "limit": limit, "status": status}
        return await self.request("GET", "servers", Page[Server], params=params)

    async def get_server(self, server_id: int) -> Server:
        return await self.request("GET", f"servers/{int(server_id)}", Server)

    async def get_server_status(self, server_id: int) -> ServerStatus:
        path = f"servers/{int(server_id)}/status"
        return await self.request("GET", path, ServerStatus)

    async def create_server(
        self,
        *,
        plan_id: int,
        datacenter_id: int,
        os_id: int,
        hostname: str | None = None,
        project_id: int | None = None,
    ) -> Server:
        body = _drop_none(
            {
                "plan_id": plan_id,
                "datacenter_id": datacenter_id,
                "os_id": os_id,
                "hostname": hostname,
                "project_id": project_id,
            }
        )
        return await self.request("POST", "servers", Server, json=body)

    async def delete_server(self, server_id: int) -> Message:
        return await self.request("DELETE", f"servers/{int(server_id)}", Message)

    async def _server_action(self, server_id: int, action: str) -> Message:
        path = f"servers/{int(server_id)}/{action}"
        return await self.request("POST", path, Message)

    async def restart_server(self, server_id: int) -> Message:
        return await self._server_action(server_id, "restart")

    async def power_on_server(self, server_id: int) -> Message:
        return await self._server_action(server_id, "power-on")

    async def power_off_server(self, server_id: int) -> Message:
        return await self._server_action(server_id, "power-off")

    async def rename_server(self, server_id: int, hostname: str) -> RenameResult:
        path = f"servers/{int(server_id)}/rename"
        body = {"hostname": hostname}
        return await self.request("POST", path, RenameResult, json=body)

    async def reinstall_server(self, server_id: int, os_id: int) -> Message:
        path = f"servers/{int(server_id)}/reinstall"
        return await self.request("POST", path, Message, json={"os_id": os_id})

    async def toggle_protection(self, server_id: int) -> bool:
        path = f"servers/{int(server_id)}/toggle-protection"
        result: ProtectionResult = await self.request("POST", path, ProtectionResult)
        return result.protected

    # -- billing ----------------------------------------------------------------------------

    async def get_balance(self) -> Wallet:
        return await self.request("GET", "balance", Wallet)

    async def list_transactions(self, page: int = 1, limit: int = 50) -> Page[Transaction]:
        params = {"page": page, "limit": limit}
        path = "balance/transactions"
        return await self.request("GET", path, Page[Transaction], params=params)

    # -- SSH keys ---------------------------------------------------------------------------

    async def list_ssh_keys(self) -> list[SshKey]:
        keys: DataList[SshKey] = await self.request("GET", "ssh-keys", DataList[SshKey])
        return keys.data

    async def get_ssh_key(self, key_id: int) -> SshKey:
        return await self.request("GET", f"ssh-keys/{int(key_id)}", SshKey)

    async def create_ssh_key(self, name: str, key: str) -> SshKey:
        body = {"name": name, "key": key}
        return await self.request("POST", "ssh-keys", SshKey, json=body)

    async def update_ssh_key(self, key_id: int, name: str) -> SshKey:
        path = f"ssh-keys/{int(key_id)}"
        return await self.request("PUT", path, SshKey, json={"name": name})

    async def delete_ssh_key(self, key_id: int) -> Message:
        return await self.request("DELETE", f"ssh-keys/{int(key_id)}", Message)

    # -- firewalls --------------------------------------------------------------------------

    async def list_firewalls(self) -> list[Firewall]:
        found: DataList[Firewall] = await self.request("GET", "firewalls", DataList[Firewall])
        return found.data

    async def get_firewall(self, firewall_id: int) -> Firewall:
        return await self.request("GET", f"firewalls/{int(firewall_id)}", Firewall)

    async def create_firewall(self, name: str) -> Firewall:
        return await self.request("POST", "firewalls", Firewall, json={"name": name})

    async def add_firewall_rule(
        self,
        firewall_id: int,
        *,
        protocol: str,
        port: int | None,
        direction: str,
        cidr: str,
    ) -> Firewall:
        path = f"firewalls/{int(firewall_id)}/rules"
        # The reference shows "port" on every rule; ICMP rules send it as null.
        body = {"protocol": protocol, "port": port, "direction": direction, "cidr": cidr}
        return await self.request("POST", path, Firewall, json=body)

    async def delete_firewall_rule(self, firewall_id: int, rule_index: int) -> Firewall:
        path = f"firewalls/{int(firewall_id)}/rules/{int(rule_index)}"
        return await self.request("DELETE", path, Firewall)

    async def delete_firewall(self, firewall_id: int) -> Message:
        return await self.request("DELETE", f"firewalls/{int(firewall_id)}", Message)

    # -- catalog ----------------------------------------------------------------------------

    async def list_regions(self) -> list[Region]:
        found: DataList[Region] = await self.request("GET", "regions", DataList[Region])
        return found.data

    async def list_os(self) -> list[OsTemplate]:
        found: DataList[OsTemplate] = await self.request("GET", "os", DataList[OsTemplate])
        return found.data

    async def list_os_for_datacenter(self, datacenter_id: int) -> list[OsTemplate]:
        path = f"os/datacenter/{int(datacenter_id)}"
        found: DataList[OsTemplate] = await self.request("GET", path, DataList[OsTemplate])
        return found.data

    async def list_plans(self) -> list[Plan]:
        found: DataList[Plan] = await self.request("GET", "plans", DataList[Plan])
        return found.data

    async def get_plan(self, plan_id: int) -> Plan:
        return await self.request("GET", f"plans/{int(plan_id)}", Plan)

    async def list_plans_for_datacenter(self, datacenter_id: int) -> list[Plan]:
        path = f"plans/datacenter/{int(datacenter_id)}"
        found: DataList[Plan] = await self.request("GET", path, DataList[Plan])
        return found.data
