"""Every endpoint answers with the payload shape of the reference, checked by the shared models."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from arianet_tui.api.models import (
    ApiToken,
    DataList,
    Firewall,
    Message,
    OsTemplate,
    Page,
    Plan,
    ProtectionResult,
    Region,
    RenameResult,
    Server,
    ServerStatus,
    SshKey,
    TokenList,
    Transaction,
    User,
    Wallet,
)
from arianet_tui.sim import SimState


def check(payload: Any, model: type[BaseModel], *, without: Collection[str] = ()) -> None:
    """The payload validates and has exactly the fields of the model."""
    model.model_validate(payload)
    assert set(payload) == set(model.model_fields) - set(without)


def check_rows(payload: dict[str, Any], model: type[BaseModel], **kwargs: Any) -> None:
    assert payload["data"], "expected at least one row"
    for row in payload["data"]:
        check(row, model, **kwargs)


async def test_auth_shapes(client: httpx.AsyncClient) -> None:
    check((await client.get("/auth/me")).json(), User)
    tokens = (await client.get("/auth/tokens")).json()
    TokenList.model_validate(tokens)
    assert set(tokens) == {"tokens"}
    for token in tokens["tokens"]:
        check(token, ApiToken)


async def test_server_shapes(client: httpx.AsyncClient) -> None:
    page = (await client.get("/servers")).json()
    Page[Server].model_validate(page)
    assert set(page) == {"data", "pagination"}
    check_rows(page, Server)
    server_id = page["data"][0]["id"]
    check((await client.get(f"/servers/{server_id}")).json(), Server)
    check((await client.get(f"/servers/{server_id}/status")).json(), ServerStatus)


async def test_server_write_shapes(client: httpx.AsyncClient, sim: SimState) -> None:
    body = {"plan_id": 1, "datacenter_id": 1, "os_id": 101, "hostname": "new-1"}
    created = await client.post("/servers", json=body)
    assert created.status_code == 201
    check(created.json(), Server)
    running = next(s for s in sim.world.servers.values() if s.instance_status == "running")

    renamed = await client.post(f"/servers/{running.id}/rename", json={"hostname": "renamed"})
    check(renamed.json(), RenameResult)
    toggled = await client.post(f"/servers/{running.id}/toggle-protection")
    check(toggled.json(), ProtectionResult)
    restarted = await client.post(f"/servers/{running.id}/restart")
    assert restarted.json() == {"message": "Restart initiated"}
    Message.model_validate(restarted.json())


async def test_billing_shapes(client: httpx.AsyncClient) -> None:
    wallet = (await client.get("/balance")).json()
    check(wallet, Wallet)
    assert isinstance(wallet["balance"], float)
    page = (await client.get("/balance/transactions")).json()
    Page[Transaction].model_validate(page)
    check_rows(page, Transaction)
    assert all(isinstance(row["amount"], float) for row in page["data"])


async def test_ssh_key_and_firewall_shapes(client: httpx.AsyncClient) -> None:
    keys = (await client.get("/ssh-keys")).json()
    DataList[SshKey].model_validate(keys)
    check_rows(keys, SshKey)
    check((await client.get(f"/ssh-keys/{keys['data'][0]['id']}")).json(), SshKey)

    firewalls = (await client.get("/firewalls")).json()
    check_rows(firewalls, Firewall)
    firewall_id = firewalls["data"][0]["id"]
    check((await client.get(f"/firewalls/{firewall_id}")).json(), Firewall)
    rule = {"protocol": "udp", "port": 53, "direction": "out", "cidr": "192.0.2.0/24"}
    added = (await client.post(f"/firewalls/{firewall_id}/rules", json=rule)).json()
    check(added, Firewall, without={"created_at"})
    removed = (await client.delete(f"/firewalls/{firewall_id}/rules/0")).json()
    check(removed, Firewall, without={"created_at"})
    created = await client.post("/firewalls", json={"name": "Edge"})
    assert created.status_code == 201
    check(created.json(), Firewall)
    assert created.json()["rules"] == []


@pytest.mark.parametrize(
    ("path", "model", "without"),
    [
        ("/regions", Region, set()),
        ("/os", OsTemplate, set()),
        ("/os/datacenter/2", OsTemplate, set()),
        ("/plans", Plan, set()),
        ("/plans/datacenter/3", Plan, {"datacenter"}),
    ],
)
async def test_catalog_list_shapes(
    anonymous: httpx.AsyncClient, path: str, model: type[BaseModel], without: set[str]
) -> None:
    response = await anonymous.get(path)
    assert response.status_code == 200
    check_rows(response.json(), model, without=without)


async def test_plan_detail_includes_its_datacenter(anonymous: httpx.AsyncClient) -> None:
    plan = (await anonymous.get("/plans/8")).json()
    check(plan, Plan)
    assert plan["datacenter"]["name"] == "eu-west-1"
    assert {price["code"] for price in plan["prices"]} == {"usd", "eur"}
    assert all(isinstance(price["monthly"], float) for price in plan["prices"])


async def test_timestamps_are_utc_with_z(client: httpx.AsyncClient) -> None:
    server = (await client.get("/servers/10001")).json()
    assert server["created_at"].endswith("Z")
    assert len(server["created_at"]) == len("2024-01-15T10:30:00Z")
