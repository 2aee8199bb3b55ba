"""What every endpoint needs: the world, the caller's token, JSON answers, routes by method."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from arianet_tui.sim.errors import MethodNotAllowed, Unauthorized
from arianet_tui.sim.payloads import encode
from arianet_tui.sim.records import TokenRecord
from arianet_tui.sim.world import World

if TYPE_CHECKING:
    from arianet_tui.sim.state import SimState

Handler = Callable[[Request], Awaitable[Response]]

# Every route takes every method, so that the 405 answer is this module's.
_EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def sim_state(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    return state


def world_of(request: Request) -> World:
    return sim_state(request).world


def authorize(request: Request) -> TokenRecord:
    """The live token of the ``Authorization: Bearer`` header, or a 401."""
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("Missing or malformed Authorization header: use 'Bearer <token>'")
    token = world_of(request).authenticate(secret.strip())
    if token is None:
        raise Unauthorized("The API token is invalid, expired or revoked")
    return token


def respond(payload: Any, status: int = 200) -> Response:
    return Response(encode(payload), status_code=status, media_type="application/json")


def message(text: str) -> Response:
    return respond({"message": text})


def route(
    path: str,
    *,
    get: Handler | None = None,
    post: Handler | None = None,
    put: Handler | None = None,
    delete: Handler | None = None,
) -> Route:
    """One route per path, so that a wrong method is a 405 naming every allowed one."""
    given = (("GET", get), ("HEAD", get), ("POST", post), ("PUT", put), ("DELETE", delete))
    handlers = {method: handler for method, handler in given if handler is not None}
    allowed = ", ".join(handlers)

    async def endpoint(request: Request) -> Response:
        handler = handlers.get(request.method)
        if handler is None:
            raise MethodNotAllowed(
                f"Method not allowed: {request.method} {request.url.path}; allowed: {allowed}",
                headers={"Allow": allowed},
            )
        return await handler(request)

    return Route(path, endpoint, methods=_EVERY_METHOD)
