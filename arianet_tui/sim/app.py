"""The Starlette app of the simulated service, and ``create_app`` to build one.

``token`` is the token the app accepts (the world's other live tokens work too); ``clock``
replaces the world's clock; ``limits`` overrides the documented limit of some buckets;
``faults`` is a :class:`Faults` or a profile name; ``transition_seconds`` sets how long server
transitions take, as a :class:`Timings` or a mapping of some of its fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, Router
from starlette.types import Receive, Scope, Send

from arianet_tui.api.ratelimit import WINDOW_SECONDS, Bucket
from arianet_tui.sim.clock import Clock
from arianet_tui.sim.endpoints import ROUTES
from arianet_tui.sim.errors import SimError, error_body
from arianet_tui.sim.exchange import API_ROOT, handle, under_api
from arianet_tui.sim.faults import Faults
from arianet_tui.sim.limiter import RateLimiter
from arianet_tui.sim.records import Timings, TokenRecord
from arianet_tui.sim.seed import DEMO_TOKEN
from arianet_tui.sim.state import SimState
from arianet_tui.sim.world import World


class SimApp(Starlette):
    """A Starlette app whose API requests pass through rate limits, the log and the faults."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and under_api(scope["path"]):
            await handle(self.state.sim, super().__call__, scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    body = error_body(code, message, status)
    return Response(body, status_code=status, headers=headers, media_type="application/json")


async def _sim_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SimError)
    suffix = request.app.state.sim.world.error_suffix
    return _error(exc.status, exc.code, exc.message + suffix, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    where = f"{request.method} {request.url.path}"
    if exc.status_code == 404:
        return _error(404, "NOT_FOUND", f"No such endpoint: {where}")
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"Method not allowed: {where}; allowed: {allowed}"
        return _error(405, "METHOD_NOT_ALLOWED", message, exc.headers)
    return _error(exc.status_code, "ERROR", exc.detail, exc.headers)


async def _index(request: Request) -> Response:
    return JSONResponse({"name": "Arianet simulator", "api": API_ROOT})


def _timings(value: Timings | Mapping[str, float] | None) -> Timings:
    if value is None or isinstance(value, Timings):
        return value or Timings()
    return replace(Timings(), **value)


def create_app(
    world: World | None = None,
    *,
    token: str = DEMO_TOKEN,
    clock: Clock | None = None,
    limits: Mapping[Bucket | str, int] | None = None,
    window: float = float(WINDOW_SECONDS),
    faults: Faults | str | None = None,
    transition_seconds: Timings | Mapping[str, float] | None = None,
    log_size: int = 1000,
) -> Starlette:
    """The simulated service over ``world`` (the demo account by default), at ``app.state.sim``."""
    if world is None:
        world = World.demo(clock=clock)
    elif clock is not None:
        world.clock = clock
    if transition_seconds is not None:
        world.timings = _timings(transition_seconds)
    current = world.tokens.get(world.current_token_id)
    if current is not None:
        current.secret = token
    else:
        token_id = max(world.tokens, default=0) + 1
        world.tokens[token_id] = TokenRecord(token_id, "Simulator token", token, world.now())
        world.current_token_id = token_id
    if isinstance(faults, str):
        faults = Faults.profile(faults)

    app = SimApp(
        routes=[Route("/", _index), Mount(API_ROOT, app=Router(ROUTES, redirect_slashes=False))],
        exception_handlers={SimError: _sim_error, HTTPException: _http_error},
    )
    app.router.redirect_slashes = False
    limiter = RateLimiter(lambda: app.state.sim.world.clock(), limits, window)
    app.state.sim = SimState(world, token=token, limiter=limiter, faults=faults, log_size=log_size)
    return app
