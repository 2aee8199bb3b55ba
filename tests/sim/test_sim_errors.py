"""Error bodies: always ``{"error", "message", "status"}`` with the status of the answer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from arianet_tui.api.models import ErrorBody
from arianet_tui.sim import SimClock, World, create_app


def error_of(response: httpx.Response, status: int, code: str) -> str:
    """Check an error answer and return its message."""
    assert response.status_code == status, response.text
    body = response.json()
    ErrorBody.model_validate(body)
    assert set(body) == {"error", "message", "status"}
    assert (body["error"], body["status"]) == (code, status)
    assert body["message"]
    assert response.headers["content-type"].startswith("application/json")
    message: str = body["message"]
    return message


@pytest.mark.parametrize(
    "path",
    [
        "/auth/me",
        "/auth/tokens",
        "/servers",
        "/servers/10001",
        "/servers/10001/status",
        "/balance",
        "/balance/transactions",
        "/ssh-keys",
        "/ssh-keys/1001",
        "/firewalls",
        "/firewalls/2001",
    ],
)
async def test_reads_need_a_token(anonymous: httpx.AsyncClient, path: str) -> None:
    error_of(await anonymous.get(path), 401, "UNAUTHORIZED")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/servers"),
        ("DELETE", "/servers/10001"),
        ("POST", "/servers/10001/restart"),
        ("POST", "/servers/10001/toggle-protection"),
        ("DELETE", "/auth/logout"),
        ("DELETE", "/auth/tokens/2"),
        ("POST", "/ssh-keys"),
        ("PUT", "/ssh-keys/1001"),
        ("POST", "/firewalls"),
        ("POST", "/firewalls/2001/rules"),
        ("DELETE", "/firewalls/2001/rules/0"),
    ],
)
async def test_writes_need_a_token(anonymous: httpx.AsyncClient, method: str, path: str) -> None:
    error_of(await anonymous.request(method, path, json={}), 401, "UNAUTHORIZED")


@pytest.mark.parametrize(
    "header", ["Bearer wrong", "Basic abc", "Bearer", "arr_demo0123456789abcdef", "Bearer  "]
)
async def test_bad_authorization_headers(anonymous: httpx.AsyncClient, header: str) -> None:
    response = await anonymous.get("/auth/me", headers={"Authorization": header})
    error_of(response, 401, "UNAUTHORIZED")


async def test_an_expired_token_is_refused(
    app: Starlette, clock: SimClock, make_client: Any
) -> None:
    ci = app.state.sim.world.tokens[2]
    async with make_client(app, token=ci.secret) as client:
        assert (await client.get("/auth/me")).status_code == 200
        clock.advance(4 * 86_400)
        error_of(await client.get("/auth/me"), 401, "UNAUTHORIZED")


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "x"},
        {"page": "1.5"},
        {"page": ""},
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "ten"},
        {"status": "running"},
        {"status": ""},
    ],
)
async def test_bad_query_parameters(client: httpx.AsyncClient, params: dict[str, str]) -> None:
    error_of(await client.get("/servers", params=params), 400, "INVALID_REQUEST")


async def test_transactions_check_their_query_too(client: httpx.AsyncClient) -> None:
    error_of(await client.get("/balance/transactions?limit=500"), 400, "INVALID_REQUEST")


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"", b'"text"', b"\xff\xfe"])
async def test_bad_json_bodies(client: httpx.AsyncClient, content: bytes) -> None:
    response = await client.post(
        "/firewalls", content=content, headers={"content-type": "application/json"}
    )
    error_of(response, 400, "INVALID_REQUEST")


async def test_forbidden_deletes(client: httpx.AsyncClient) -> None:
    assert "protected" in error_of(await client.delete("/firewalls/2003"), 403, "FORBIDDEN")
    assert "protected" in error_of(await client.delete("/ssh-keys/1002"), 403, "FORBIDDEN")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/servers/1"),
        ("GET", "/servers/1/status"),
        ("POST", "/servers/1/restart"),
        ("GET", "/ssh-keys/1"),
        ("GET", "/firewalls/1"),
        ("DELETE", "/firewalls/2001/rules/99"),
        ("DELETE", "/auth/tokens/99"),
        ("GET", "/nothing-here"),
        ("GET", "/servers/abc"),
        ("GET", "/servers/"),
        ("GET", ""),
    ],
)
async def test_not_found(client: httpx.AsyncClient, method: str, path: str) -> None:
    error_of(await client.request(method, path), 404, "NOT_FOUND")


@pytest.mark.parametrize("path", ["/plans/999", "/os/datacenter/9", "/plans/datacenter/9"])
async def test_catalog_not_found(anonymous: httpx.AsyncClient, path: str) -> None:
    error_of(await anonymous.get(path), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/servers/10001", "GET, HEAD, DELETE"),
        ("GET", "/servers/10001/restart", "POST"),
        ("POST", "/regions", "GET, HEAD"),
        ("GET", "/auth/logout", "DELETE"),
    ],
)
async def test_wrong_method(
    client: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await client.request(method, path)
    error_of(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == allowed


async def test_hostile_world_decorates_error_messages(make_client: Any) -> None:
    app = create_app(World.hostile(clock=SimClock()))
    async with make_client(app) as client:
        message = error_of(await client.get("/servers/1"), 404, "NOT_FOUND")
    assert "[bold red]x[/]" in message
    assert "\x1b]8;;" in message
