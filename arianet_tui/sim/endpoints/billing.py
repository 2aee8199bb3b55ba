"""GET /balance and GET /balance/transactions."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from arianet_tui.sim import payloads, validation
from arianet_tui.sim.endpoints.common import authorize, respond, route, world_of

DEFAULT_LIMIT = 50


async def balance(request: Request) -> Response:
    authorize(request)
    world = world_of(request)
    world.settle()
    return respond(payloads.wallet(world.wallet))


async def transactions(request: Request) -> Response:
    authorize(request)
    page, limit = validation.page_and_limit(request, DEFAULT_LIMIT)
    rows, total = world_of(request).transactions_page(page, limit)
    return respond(
        {
            "data": [payloads.transaction(row) for row in rows],
            "pagination": payloads.pagination(page, limit, total),
        }
    )


ROUTES = [
    route("/balance", get=balance),
    route("/balance/transactions", get=transactions),
]
