"""The public catalog endpoints: regions, OS templates and plans; no token needed."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from arianet_tui.sim.catalog import Catalog
from arianet_tui.sim.endpoints.common import respond, route, world_of
from arianet_tui.sim.errors import NotFound
from arianet_tui.sim.payloads import dump


def _catalog(request: Request) -> Catalog:
    return world_of(request).catalog


def _datacenter_id(request: Request) -> int:
    datacenter_id: int = request.path_params["datacenter_id"]
    if datacenter_id not in world_of(request).catalog.regions:
        raise NotFound(f"Datacenter {datacenter_id} not found")
    return datacenter_id


async def regions(request: Request) -> Response:
    return respond({"data": [dump(r) for r in _catalog(request).regions.values()]})


async def os_templates(request: Request) -> Response:
    return respond({"data": [dump(o) for o in _catalog(request).os_templates.values()]})


async def os_for_datacenter(request: Request) -> Response:
    templates = _catalog(request).os_in(_datacenter_id(request))
    return respond({"data": [dump(o) for o in templates]})


async def plans(request: Request) -> Response:
    # The whole list names each plan's datacenter: plan names repeat in every region.
    return respond({"data": [dump(p) for p in _catalog(request).plans.values()]})


async def plan(request: Request) -> Response:
    plan_id: int = request.path_params["plan_id"]
    found = _catalog(request).plans.get(plan_id)
    if found is None:
        raise NotFound(f"Plan {plan_id} not found")
    return respond(dump(found))


async def plans_for_datacenter(request: Request) -> Response:
    listed = _catalog(request).plans_in(_datacenter_id(request))
    return respond({"data": [dump(p, exclude={"datacenter"}) for p in listed]})


ROUTES = [
    route("/regions", get=regions),
    route("/os", get=os_templates),
    route("/os/datacenter/{datacenter_id:int}", get=os_for_datacenter),
    route("/plans", get=plans),
    route("/plans/{plan_id:int}", get=plan),
    route("/plans/datacenter/{datacenter_id:int}", get=plans_for_datacenter),
]
