"""One request to the API root, end to end: count, log, rate-limit, inject faults, answer.

Faults wrap the real app: a fault that strikes "before" never reaches it, one that strikes
"after" lets the world change first and then throws the answer away. Every answer, errors
and 429s included, carries the ``X-RateLimit-*`` headers of its bucket.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from arianet_tui.api.ratelimit import Bucket, bucket_for
from arianet_tui.sim.errors import error_body
from arianet_tui.sim.faults import Fault
from arianet_tui.sim.limiter import Verdict
from arianet_tui.sim.state import READ_METHODS, REDACTED, RecordedRequest, SimState
from arianet_tui.sim.wire import (
    HTML_502,
    Answer,
    capture,
    drop_connection,
    read_body,
    send_answer,
    truncated,
    wrong_types,
)

API_ROOT = "/api/v1"

_SERVER_ERRORS = (
    (500, "INTERNAL_ERROR", "An internal error occurred"),
    (502, "BAD_GATEWAY", "The upstream service did not answer"),
    (503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable"),
    (504, "GATEWAY_TIMEOUT", "The upstream service timed out"),
)


def under_api(path: str) -> bool:
    return path == API_ROOT or path.startswith(API_ROOT + "/")


def _headers(scope: Scope) -> dict[str, str]:
    headers = {}
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").lower()
        headers[name] = REDACTED if name == "authorization" else raw_value.decode("latin-1")
    return headers


def _bearer(scope: Scope) -> str | None:
    for raw_name, raw_value in scope.get("headers", []):
        if raw_name.lower() == b"authorization":
            scheme, _, secret = raw_value.decode("latin-1").partition(" ")
            return secret.strip() if scheme.lower() == "bearer" else None
    return None


def _caller(state: SimState, bucket: Bucket, scope: Scope) -> str:
    """Public requests count per client address, the others per token."""
    client = scope.get("client")
    address = f"client:{client[0] if client else 'unknown'}"
    if bucket is Bucket.PUBLIC:
        return address
    secret = _bearer(scope)
    return f"token:{secret}" if secret and state.world.knows_token(secret) else address


def _parsed(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


def _json_error(status: int, code: str, message: str) -> Answer:
    return Answer(status, {"content-type": "application/json"}, error_body(code, message, status))


def _server_error(state: SimState, fault: Fault) -> Answer:
    if fault.variant == "html":
        return Answer(502, {"content-type": "text/html; charset=utf-8"}, HTML_502)
    status, code, message = state.rng.choice(_SERVER_ERRORS)
    return _json_error(status, code, message)


def _rate_limited(verdict: Verdict, retry_after: int) -> Answer:
    message = f"Rate limit exceeded: {verdict.limit} requests per window; retry after reset"
    answer = _json_error(429, "RATE_LIMITED", message)
    answer.headers["retry-after"] = str(max(1, retry_after))
    return answer


class Exchange:
    """The handling of one request under the API root."""

    def __init__(self, state: SimState, scope: Scope, body: bytes) -> None:
        self.state = state
        self.scope = scope
        self.body = body
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        under_root = self.path[len(API_ROOT) :] or "/"
        self.bucket = bucket_for("GET" if self.method == "HEAD" else self.method, under_root)
        self.write = self.method not in READ_METHODS

    def log(self, status: int | None, fault: Fault | str | None = None) -> None:
        label = fault.label if isinstance(fault, Fault) else fault
        query = self.scope.get("query_string", b"").decode("latin-1")
        self.state.log(
            RecordedRequest(
                method=self.method,
                path=self.path,
                query=dict(parse_qsl(query, keep_blank_values=True)),
                headers=_headers(self.scope),
                body=_parsed(self.body),
                status=status,
                bucket=self.bucket.value,
                time=self.state.clock(),
                fault=label,
            )
        )

    async def run(self, inner: ASGIApp, send: Send) -> None:
        state = self.state
        faults = state.faults
        if self.write:
            state.write_counts[(self.method, self.path)] += 1
        if faults.down:
            self.log(None, "down")
            await drop_connection(self.scope, send)
            return

        delay = faults.delay(state.rng)
        if delay:
            await asyncio.sleep(delay)
        state.world.settle()
        verdict = state.limiter.hit(self.bucket, _caller(state, self.bucket, self.scope))
        rate_headers = {k.lower(): v for k, v in verdict.headers().items()}
        if not verdict.allowed:
            answer = _rate_limited(verdict, int(verdict.reset_at - state.clock()) + 1)
            answer.headers.update(rate_headers)
            self.log(answer.status)
            await send_answer(send, answer)
            return

        fault = faults.roll(state.rng, write=self.write)
        processed = fault is None or fault.after or fault.kind in ("malformed", "slow_body")
        answer = await capture(inner, self.scope, self.body) if processed else Answer(500)
        chunks, pause = 1, 0.0

        if fault is not None and fault.kind == "drop":
            self.log(None, fault)
            await drop_connection(self.scope, send)
            return
        if fault is not None and fault.kind == "error":
            answer = _server_error(state, fault)
        elif fault is not None and fault.kind == "rate_limit":
            retry_after = state.rng.randint(1, 5)
            answer = _rate_limited(verdict, retry_after)
            rate_headers["x-ratelimit-remaining"] = "0"
            rate_headers["x-ratelimit-reset"] = str(int(state.clock()) + retry_after)
        elif fault is not None and fault.kind == "malformed" and answer.is_json_success:
            mangle = truncated if fault.variant == "truncated" else wrong_types
            answer.body = mangle(answer.body)
        elif fault is not None and fault.kind == "slow_body":
            chunks, pause = faults.slow_body_chunks, faults.slow_body_pause_ms / 1000.0
        elif fault is not None:
            # A malformed body only replaces a successful JSON answer.
            fault = None

        answer.headers.update(rate_headers)
        self.log(answer.status, fault)
        await send_answer(send, answer, chunks=chunks, pause=pause)


async def handle(
    state: SimState, inner: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    """Serve one HTTP request under the API root through ``inner``, the plain app."""
    body = await read_body(receive)
    await Exchange(state, scope, body).run(inner, send)
