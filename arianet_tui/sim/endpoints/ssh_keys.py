"""The SSH key endpoints: list, read, add, rename and delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from arianet_tui.sim import payloads, validation
from arianet_tui.sim.endpoints.common import authorize, message, respond, route, world_of
from arianet_tui.sim.errors import InvalidRequest
from arianet_tui.sim.sshkeys import key_problem

MAX_KEY = 16_384


def _key_id(request: Request) -> int:
    key_id: int = request.path_params["key_id"]
    return key_id


async def list_keys(request: Request) -> Response:
    authorize(request)
    return respond({"data": [payloads.ssh_key(k) for k in world_of(request).ssh_keys.values()]})


async def get_key(request: Request) -> Response:
    authorize(request)
    return respond(payloads.ssh_key(world_of(request).ssh_key(_key_id(request))))


async def add_key(request: Request) -> Response:
    authorize(request)
    body = await validation.json_object(request)
    name = validation.text(body, "name")
    key = validation.text(body, "key", max_length=MAX_KEY).strip()
    problem = key_problem(key)
    if problem is not None:
        raise InvalidRequest(f"Field 'key' is not an OpenSSH public key: {problem}")
    return respond(payloads.ssh_key(world_of(request).add_ssh_key(name, key)), status=201)


async def update_key(request: Request) -> Response:
    authorize(request)
    record = world_of(request).ssh_key(_key_id(request))
    body = await validation.json_object(request)
    record.name = validation.text(body, "name")
    return respond(payloads.ssh_key(record))


async def delete_key(request: Request) -> Response:
    authorize(request)
    world_of(request).delete_ssh_key(_key_id(request))
    return message("SSH key deleted successfully")


ROUTES = [
    route("/ssh-keys", get=list_keys, post=add_key),
    route("/ssh-keys/{key_id:int}", get=get_key, put=update_key, delete=delete_key),
]
