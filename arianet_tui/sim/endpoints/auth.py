"""GET /auth/me, GET /auth/tokens, DELETE /auth/logout, DELETE /auth/tokens/{id}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from arianet_tui.sim import payloads
from arianet_tui.sim.endpoints.common import authorize, message, respond, route, world_of


async def me(request: Request) -> Response:
    authorize(request)
    return respond(payloads.user(world_of(request).user))


async def tokens(request: Request) -> Response:
    authorize(request)
    listed = [payloads.token(t) for t in world_of(request).tokens.values()]
    return respond({"tokens": listed})


async def logout(request: Request) -> Response:
    token = authorize(request)
    world_of(request).revoke_token(token.id)
    return message("Token revoked successfully")


async def revoke(request: Request) -> Response:
    authorize(request)
    world_of(request).revoke_token(request.path_params["token_id"])
    return message("Token revoked successfully")


ROUTES = [
    route("/auth/me", get=me),
    route("/auth/tokens", get=tokens),
    route("/auth/logout", delete=logout),
    route("/auth/tokens/{token_id:int}", delete=revoke),
]
