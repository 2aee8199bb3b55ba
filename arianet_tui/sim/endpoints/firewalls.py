"""The firewall endpoints: groups and their rules."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from arianet_tui.sim import payloads, validation
from arianet_tui.sim.endpoints.common import authorize, message, respond, route, world_of
from arianet_tui.sim.errors import InvalidRequest

PROTOCOLS = ("tcp", "udp", "icmp")
DIRECTIONS = ("in", "out")


def _firewall_id(request: Request) -> int:
    firewall_id: int = request.path_params["firewall_id"]
    return firewall_id


async def list_firewalls(request: Request) -> Response:
    authorize(request)
    firewalls = world_of(request).firewalls.values()
    return respond({"data": [payloads.firewall(f) for f in firewalls]})


async def get_firewall(request: Request) -> Response:
    authorize(request)
    return respond(payloads.firewall(world_of(request).firewall(_firewall_id(request))))


async def create_firewall(request: Request) -> Response:
    authorize(request)
    body = await validation.json_object(request)
    record = world_of(request).add_firewall(validation.text(body, "name"))
    return respond(payloads.firewall(record), status=201)


async def add_rule(request: Request) -> Response:
    authorize(request)
    firewall = world_of(request).firewall(_firewall_id(request))
    body = await validation.json_object(request)
    protocol = validation.choice(body, "protocol", PROTOCOLS)
    port = validation.optional_int(body, "port")
    if protocol == "icmp" and port is not None:
        raise InvalidRequest("Field 'port' must be null for icmp rules")
    if protocol != "icmp" and (port is None or not 1 <= port <= 65535):
        raise InvalidRequest(f"Field 'port' must be an integer from 1 to 65535 for {protocol}")
    direction = validation.choice(body, "direction", DIRECTIONS)
    cidr = validation.cidr(body.get("cidr"))
    firewall.add_rule(protocol, port, direction, cidr)
    return respond(payloads.firewall(firewall, with_created=False))


async def delete_rule(request: Request) -> Response:
    authorize(request)
    index: int = request.path_params["rule_index"]
    firewall = world_of(request).delete_firewall_rule(_firewall_id(request), index)
    return respond(payloads.firewall(firewall, with_created=False))


async def delete_firewall(request: Request) -> Response:
    authorize(request)
    world_of(request).delete_firewall(_firewall_id(request))
    return message("Firewall deleted successfully")


_ONE = "/firewalls/{firewall_id:int}"

ROUTES = [
    route("/firewalls", get=list_firewalls, post=create_firewall),
    route(_ONE, get=get_firewall, delete=delete_firewall),
    route(_ONE + "/rules", post=add_rule),
    route(_ONE + "/rules/{rule_index:int}", delete=delete_rule),
]
