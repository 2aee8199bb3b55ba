"""Servers: pagination, the status filter, creation, and transitions on a manual clock."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from arianet_tui.sim import SimClock, SimState, World, create_app


async def test_pagination_math(client: httpx.AsyncClient) -> None:
    first = (await client.get("/servers", params={"limit": 10})).json()
    assert first["pagination"] == {"current_page": 1, "per_page": 10, "total": 24, "last_page": 3}
    assert [s["id"] for s in first["data"]] == list(range(10001, 10011))

    last = (await client.get("/servers", params={"limit": 10, "page": 3})).json()
    assert [s["id"] for s in last["data"]] == list(range(10021, 10025))
    beyond = (await client.get("/servers", params={"limit": 10, "page": 4})).json()
    assert beyond["data"] == []
    assert beyond["pagination"]["current_page"] == 4


async def test_default_limit_is_15_and_order_is_by_id(client: httpx.AsyncClient) -> None:
    page = (await client.get("/servers")).json()
    assert page["pagination"]["per_page"] == 15
    ids = [s["id"] for s in page["data"]]
    assert ids == sorted(ids)
    assert len(ids) == 15


async def test_status_filter(client: httpx.AsyncClient, sim: SimState) -> None:
    expected = [s.id for s in sim.world.servers.values() if s.status == "creating"]
    page = (await client.get("/servers", params={"status": "creating", "limit": 100})).json()
    assert [s["id"] for s in page["data"]] == expected
    assert page["pagination"]["total"] == len(expected)
    assert all(s["instance_status"] is None and s["ip_addresses"] == [] for s in page["data"])
    empty = (await client.get("/servers", params={"status": "terminated"})).json()
    assert empty == {
        "data": [],
        "pagination": {"current_page": 1, "per_page": 15, "total": 0, "last_page": 1},
    }


async def test_create_then_active_after_the_clock_moves(
    client: httpx.AsyncClient, clock: SimClock, sim: SimState
) -> None:
    body = {"plan_id": 2, "datacenter_id": 1, "os_id": 102, "hostname": "app-7", "project_id": 3}
    created = (await client.post("/servers", json=body)).json()
    assert (created["status"], created["instance_status"]) == ("creating", None)
    assert created["ip_addresses"] == [] and created["cycle"] is None
    balance = (await client.get("/balance")).json()["balance"]

    clock.advance(7.9)
    status = (await client.get(f"/servers/{created['id']}/status")).json()
    assert status == {"status": "creating", "instance_status": None}

    clock.advance(0.2)
    server = (await client.get(f"/servers/{created['id']}")).json()
    assert (server["status"], server["instance_status"], server["cycle"]) == (
        "active",
        "running",
        "monthly",
    )
    assert server["ip_addresses"][0]["type"] == "primary"
    newest = (await client.get("/balance/transactions", params={"limit": 1})).json()["data"][0]
    assert newest["type"] == "debit"
    assert newest["description"].endswith("app-7")
    after = (await client.get("/balance")).json()["balance"]
    assert after == pytest.approx(balance - newest["amount"])


async def test_create_without_hostname_gets_one(client: httpx.AsyncClient) -> None:
    created = await client.post("/servers", json={"plan_id": 7, "datacenter_id": 2, "os_id": 108})
    assert created.status_code == 201
    assert created.json()["hostname"] == f"server-{created.json()['id']}"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"datacenter_id": 1, "os_id": 101}, "'plan_id' is required"),
        ({"plan_id": "1", "datacenter_id": 1, "os_id": 101}, "'plan_id' must be an integer"),
        ({"plan_id": True, "datacenter_id": 1, "os_id": 101}, "'plan_id' must be an integer"),
        ({"plan_id": 1, "datacenter_id": 9, "os_id": 101}, "Datacenter 9 does not exist"),
        ({"plan_id": 999, "datacenter_id": 1, "os_id": 101}, "Plan 999 does not exist"),
        ({"plan_id": 1, "datacenter_id": 1, "os_id": 1}, "OS template 1 does not exist"),
        ({"plan_id": 7, "datacenter_id": 1, "os_id": 101}, "Plan 7 is not available"),
        ({"plan_id": 1, "datacenter_id": 1, "os_id": 108}, "OS template 108 is not available"),
        ({"plan_id": 1, "datacenter_id": 1, "os_id": 101, "hostname": "bad_name"}, "RFC 1123"),
        ({"plan_id": 1, "datacenter_id": 1, "os_id": 101, "hostname": "-x"}, "RFC 1123"),
        ({"plan_id": 1, "datacenter_id": 1, "os_id": 101, "hostname": "a" * 64}, "RFC 1123"),
        ({"plan_id": 1, "datacenter_id": 1, "os_id": 101, "hostname": 5}, "must be a string"),
        ({"plan_id": 1, "datacenter_id": 1, "os_id": 101, "project_id": "x"}, "project_id"),
    ],
)
async def test_create_rejects_bad_bodies(
    client: httpx.AsyncClient, sim: SimState, body: dict[str, object], fragment: str
) -> None:
    before = len(sim.world.servers)
    response = await client.post("/servers", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_REQUEST"
    assert fragment in response.json()["message"]
    assert len(sim.world.servers) == before


async def test_power_cycle(client: httpx.AsyncClient, clock: SimClock, sim: SimState) -> None:
    server = next(s for s in sim.world.servers.values() if s.instance_status == "running")
    path = f"/servers/{server.id}"

    assert (await client.post(path + "/power-off")).json() == {"message": "Power off initiated"}
    assert (await client.get(path + "/status")).json()["instance_status"] == "stopping"
    busy = await client.post(path + "/power-off")
    assert busy.status_code == 400 and busy.json()["error"] == "INVALID_STATE"
    clock.advance(3)
    assert (await client.get(path + "/status")).json()["instance_status"] == "stopped"

    refused = await client.post(path + "/restart")
    assert refused.json()["error"] == "INVALID_STATE"
    assert (await client.post(path + "/power-on")).json() == {"message": "Power on initiated"}
    assert (await client.get(path + "/status")).json()["instance_status"] == "starting"
    clock.advance(3)
    assert (await client.get(path + "/status")).json()["instance_status"] == "running"

    again = await client.post(path + "/power-on")
    assert again.status_code == 400
    assert again.json()["error"] == "INVALID_STATE"
    assert "already running" in again.json()["message"]


async def test_restart_and_reinstall(
    client: httpx.AsyncClient, clock: SimClock, sim: SimState
) -> None:
    server = next(s for s in sim.world.servers.values() if s.instance_status == "running")
    path = f"/servers/{server.id}"
    await client.post(path + "/restart")
    assert (await client.get(path + "/status")).json()["instance_status"] == "restarting"
    clock.advance(4)
    assert (await client.get(path + "/status")).json()["instance_status"] == "running"

    other = next(
        o.id for o in sim.world.catalog.os_in(server.datacenter_id) if o.id != server.os_id
    )
    reply = await client.post(path + "/reinstall", json={"os_id": other})
    assert reply.json() == {"message": "OS reinstall initiated"}
    assert (await client.get(path + "/status")).json()["instance_status"] == "reinstalling"
    clock.advance(6)
    settled = (await client.get(path)).json()
    assert settled["instance_status"] == "running"
    assert settled["os"]["id"] == other

    foreign = next(
        o.id
        for o in sim.world.catalog.os_templates.values()
        if o.region_id != server.datacenter_id
    )
    refused = await client.post(path + "/reinstall", json={"os_id": foreign})
    assert refused.status_code == 400
    assert "not available" in refused.json()["message"]


async def test_a_creating_server_only_accepts_delete(
    client: httpx.AsyncClient, sim: SimState
) -> None:
    server = next(s for s in sim.world.servers.values() if s.status == "creating")
    path = f"/servers/{server.id}"
    for action, body in [
        ("restart", None),
        ("power-on", None),
        ("power-off", None),
        ("toggle-protection", None),
        ("rename", {"hostname": "soon"}),
        ("reinstall", {"os_id": server.os_id}),
    ]:
        response = await client.post(f"{path}/{action}", json=body)
        assert response.status_code == 400, action
        assert response.json()["error"] == "INVALID_STATE", action
    assert (await client.delete(path)).json() == {"message": "Server deleted successfully"}
    assert (await client.get(path)).status_code == 404


async def test_suspended_and_failed_servers_refuse_power_actions(
    client: httpx.AsyncClient, sim: SimState
) -> None:
    for status in ("suspended", "failed"):
        server = next(s for s in sim.world.servers.values() if s.status == status)
        response = await client.post(f"/servers/{server.id}/power-on")
        assert response.json()["error"] == "INVALID_STATE"
        assert status in response.json()["message"]


async def test_protection_blocks_delete(client: httpx.AsyncClient, sim: SimState) -> None:
    server = next(s for s in sim.world.servers.values() if s.protected)
    path = f"/servers/{server.id}"
    refused = await client.delete(path)
    assert refused.status_code == 403
    assert refused.json()["error"] == "FORBIDDEN"
    assert (await client.post(path + "/toggle-protection")).json() == {"protected": False}
    assert (await client.delete(path)).status_code == 200
    assert (await client.get(path)).status_code == 404


async def test_rename_validates_the_hostname(client: httpx.AsyncClient) -> None:
    ok = await client.post("/servers/10001/rename", json={"hostname": "web-1.example.org"})
    assert ok.json() == {"id": 10001, "hostname": "web-1.example.org"}
    for bad in ({"hostname": "no spaces"}, {"hostname": ""}, {}, {"hostname": ["x"]}):
        response = await client.post("/servers/10001/rename", json=bad)
        assert response.status_code == 400, bad
    missing = await client.post("/servers/1/rename", json={"hostname": "x"})
    assert missing.status_code == 404


async def test_transition_seconds_are_options(clock: SimClock, make_client: Any) -> None:
    app = create_app(World.demo(clock=clock), transition_seconds={"create": 1.0})
    async with make_client(app) as client:
        body = {"plan_id": 1, "datacenter_id": 1, "os_id": 101}
        created = (await client.post("/servers", json=body)).json()
        clock.advance(1.0)
        status = (await client.get(f"/servers/{created['id']}/status")).json()
        assert status == {"status": "active", "instance_status": "running"}
