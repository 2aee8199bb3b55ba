"""The server endpoints: list, read, create, delete, power actions, rename, reinstall."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from arianet_tui.api.models import SERVER_STATUSES
from arianet_tui.sim import payloads, validation
from arianet_tui.sim.endpoints.common import authorize, message, respond, route, world_of
from arianet_tui.sim.errors import InvalidRequest

DEFAULT_LIMIT = 15


def _server_id(request: Request) -> int:
    server_id: int = request.path_params["server_id"]
    return server_id


async def list_servers(request: Request) -> Response:
    authorize(request)
    page, limit = validation.page_and_limit(request, DEFAULT_LIMIT)
    status = request.query_params.get("status")
    if status is not None and status not in SERVER_STATUSES:
        raise InvalidRequest(
            f"Query parameter 'status' must be one of: {', '.join(SERVER_STATUSES)}"
        )
    world = world_of(request)
    rows, total = world.list_servers(page, limit, status)
    return respond(
        {
            "data": [payloads.server(world, row) for row in rows],
            "pagination": payloads.pagination(page, limit, total),
        }
    )


async def get_server(request: Request) -> Response:
    authorize(request)
    world = world_of(request)
    return respond(payloads.server(world, world.server(_server_id(request))))


async def get_status(request: Request) -> Response:
    authorize(request)
    return respond(payloads.server_status(world_of(request).server(_server_id(request))))


async def create_server(request: Request) -> Response:
    authorize(request)
    body = await validation.json_object(request)
    plan_id = validation.required_int(body, "plan_id")
    datacenter_id = validation.required_int(body, "datacenter_id")
    os_id = validation.required_int(body, "os_id")
    project_id = validation.optional_int(body, "project_id")
    hostname = body.get("hostname")
    if hostname is not None:
        if not isinstance(hostname, str):
            raise InvalidRequest("Field 'hostname' must be a string")
        validation.hostname(hostname)

    world = world_of(request)
    server = world.create_server(
        plan_id=plan_id,
        datacenter_id=datacenter_id,
        os_id=os_id,
        hostname=hostname,
        project_id=project_id,
    )
    return respond(payloads.server(world, server), status=201)


async def delete_server(request: Request) -> Response:
    authorize(request)
    world_of(request).delete_server(_server_id(request))
    return message("Server deleted successfully")


async def restart(request: Request) -> Response:
    authorize(request)
    world_of(request).restart(_server_id(request))
    return message("Restart initiated")


async def power_on(request: Request) -> Response:
    authorize(request)
    world_of(request).power_on(_server_id(request))
    return message("Power on initiated")


async def power_off(request: Request) -> Response:
    authorize(request)
    world_of(request).power_off(_server_id(request))
    return message("Power off initiated")


async def rename(request: Request) -> Response:
    authorize(request)
    world = world_of(request)
    server_id = _server_id(request)
    world.server(server_id)
    body = await validation.json_object(request)
    hostname = validation.hostname(validation.text(body, "hostname", max_length=253))
    server = world.rename(server_id, hostname)
    return respond({"id": server.id, "hostname": server.hostname})


async def reinstall(request: Request) -> Response:
    authorize(request)
    world = world_of(request)
    server_id = _server_id(request)
    world.server(server_id)
    body = await validation.json_object(request)
    world.reinstall(server_id, validation.required_int(body, "os_id"))
    return message("OS reinstall initiated")


async def toggle_protection(request: Request) -> Response:
    authorize(request)
    protected = world_of(request).toggle_protection(_server_id(request))
    return respond({"protected": protected})


_ONE = "/servers/{server_id:int}"

ROUTES = [
    route("/servers", get=list_servers, post=create_server),
    route(_ONE, get=get_server, delete=delete_server),
    route(_ONE + "/status", get=get_status),
    route(_ONE + "/restart", post=restart),
    route(_ONE + "/power-on", post=power_on),
    route(_ONE + "/power-off", post=power_off),
    route(_ONE + "/rename", post=rename),
    route(_ONE + "/reinstall", post=reinstall),
    route(_ONE + "/toggle-protection", post=toggle_protection),
]
