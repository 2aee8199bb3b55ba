"""Tokens, SSH keys, firewalls and billing, as a client sees them."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from arianet_tui.sim import DEMO_TOKEN, SimState
from arianet_tui.sim.sshkeys import ed25519_key, key_problem, rsa_key


async def test_logout_revokes_the_token_used(client: httpx.AsyncClient) -> None:
    assert (await client.delete("/auth/logout")).json() == {
        "message": "Token revoked successfully"
    }
    after = await client.get("/auth/me")
    assert after.status_code == 401
    assert after.json()["error"] == "UNAUTHORIZED"


async def test_revoke_another_token(
    client: httpx.AsyncClient, app: Starlette, make_client: Any
) -> None:
    backup = app.state.sim.world.tokens[3]
    assert (await client.delete("/auth/tokens/3")).status_code == 200
    listed = (await client.get("/auth/tokens")).json()["tokens"]
    assert [t["id"] for t in listed] == [1, 2]
    async with make_client(app, token=backup.secret) as revoked:
        assert (await revoked.get("/auth/me")).status_code == 401
    assert (await client.delete("/auth/tokens/3")).status_code == 404


async def test_demo_tokens(client: httpx.AsyncClient) -> None:
    tokens = (await client.get("/auth/tokens")).json()["tokens"]
    assert len(tokens) == 3
    assert tokens[0]["prefix"] == DEMO_TOKEN[:16]
    assert all(t["prefix"].startswith("arr_") and len(t["prefix"]) == 16 for t in tokens)
    assert sum(t["expires"] is None for t in tokens) == 1
    assert tokens[1]["expires"] < "2026-01-05"


async def test_a_custom_token(make_client: Any) -> None:
    from arianet_tui.sim import create_app

    app = create_app(token="arr_custom_token_for_tests")
    async with make_client(app, token="arr_custom_token_for_tests") as client:
        assert (await client.get("/auth/me")).json()["email"] == "demo@arianet.example"
    async with make_client(app) as client:
        assert (await client.get("/auth/me")).status_code == 401


async def test_ssh_key_lifecycle(client: httpx.AsyncClient) -> None:
    key = ed25519_key(random.Random(1), "me@host")
    created = await client.post("/ssh-keys", json={"name": "New key", "key": key})
    assert created.status_code == 201
    key_id = created.json()["id"]
    assert created.json()["key"] == key
    renamed = await client.put(f"/ssh-keys/{key_id}", json={"name": "Renamed"})
    assert renamed.json()["name"] == "Renamed"
    assert (await client.get(f"/ssh-keys/{key_id}")).json()["name"] == "Renamed"
    deleted = await client.delete(f"/ssh-keys/{key_id}")
    assert deleted.json() == {"message": "SSH key deleted successfully"}
    assert (await client.get(f"/ssh-keys/{key_id}")).status_code == 404


@pytest.mark.parametrize(
    "key",
    [
        "ssh-rsa",
        "not-a-type AAAAC3NzaC1lZDI1NTE5AAAAIA==",
        "ssh-ed25519 not*base64",
        "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQAB",
        "",
        42,
    ],
)
async def test_bad_ssh_keys_are_refused(client: httpx.AsyncClient, key: object) -> None:
    response = await client.post("/ssh-keys", json={"name": "Bad", "key": key})
    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_REQUEST"


def test_generated_keys_are_valid_openssh_lines(sim: SimState) -> None:
    rng = random.Random(3)
    for line in [
        ed25519_key(rng),
        rsa_key(rng, "c"),
        *(k.key for k in sim.world.ssh_keys.values()),
    ]:
        assert key_problem(line) is None, line
    types = {k.key.split()[0] for k in sim.world.ssh_keys.values()}
    assert types == {"ssh-ed25519", "ssh-rsa"}
    assert sum(k.protected for k in sim.world.ssh_keys.values()) == 1


async def test_firewall_rules(client: httpx.AsyncClient) -> None:
    created = (await client.post("/firewalls", json={"name": "Edge"})).json()
    path = f"/firewalls/{created['id']}"
    rules = [
        {"protocol": "tcp", "port": 22, "direction": "in", "cidr": "203.0.113.0/24"},
        {"protocol": "icmp", "port": None, "direction": "in", "cidr": "0.0.0.0/0"},
        {"protocol": "udp", "port": 53, "direction": "out", "cidr": "2001:db8::/32"},
    ]
    for rule in rules:
        reply = await client.post(path + "/rules", json=rule)
        assert reply.status_code == 200, reply.text
    firewall = reply.json()
    assert [r["id"] for r in firewall["rules"]] == [1, 2, 3]
    assert "created_at" not in firewall

    after = (await client.delete(path + "/rules/0")).json()
    assert [r["id"] for r in after["rules"]] == [2, 3]
    again = (await client.post(path + "/rules", json=rules[0])).json()
    assert [r["id"] for r in again["rules"]] == [2, 3, 4]
    assert (await client.delete(path)).json() == {"message": "Firewall deleted successfully"}
    assert (await client.get(path)).status_code == 404


@pytest.mark.parametrize(
    "rule",
    [
        {"protocol": "gre", "port": 1, "direction": "in", "cidr": "0.0.0.0/0"},
        {"protocol": "tcp", "port": None, "direction": "in", "cidr": "0.0.0.0/0"},
        {"protocol": "tcp", "port": 0, "direction": "in", "cidr": "0.0.0.0/0"},
        {"protocol": "tcp", "port": 65536, "direction": "in", "cidr": "0.0.0.0/0"},
        {"protocol": "tcp", "port": "80", "direction": "in", "cidr": "0.0.0.0/0"},
        {"protocol": "icmp", "port": 8, "direction": "in", "cidr": "0.0.0.0/0"},
        {"protocol": "tcp", "port": 80, "direction": "both", "cidr": "0.0.0.0/0"},
        {"protocol": "tcp", "port": 80, "direction": "in", "cidr": "10.0.0.1/8"},
        {"protocol": "tcp", "port": 80, "direction": "in", "cidr": "anywhere"},
        {"protocol": "tcp", "port": 80, "direction": "in"},
    ],
)
async def test_bad_firewall_rules_are_refused(
    client: httpx.AsyncClient, rule: dict[str, object]
) -> None:
    response = await client.post("/firewalls/2001/rules", json=rule)
    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_REQUEST"


async def test_transactions_newest_first_and_paged(client: httpx.AsyncClient) -> None:
    first = (await client.get("/balance/transactions")).json()
    total = first["pagination"]["total"]
    assert first["pagination"]["per_page"] == 50
    assert first["pagination"]["last_page"] == -(-total // 50)
    stamps = [row["created_at"] for row in first["data"]]
    assert stamps == sorted(stamps, reverse=True)
    second = (await client.get("/balance/transactions", params={"page": 2})).json()
    assert second["data"][0]["created_at"] <= stamps[-1]
    kinds = {row["type"] for row in first["data"] + second["data"]}
    assert kinds == {"debit", "credit"}
    assert any(r["description"].startswith("Monthly server charge - ") for r in first["data"])


async def test_balance_matches_the_history(client: httpx.AsyncClient) -> None:
    balance = (await client.get("/balance")).json()
    assert balance["balance"] == 412.37
    assert balance["currency"]["code"] == "USD"
    rows = (await client.get("/balance/transactions", params={"limit": 100})).json()["data"]
    moved = sum(r["amount"] if r["type"] == "credit" else -r["amount"] for r in rows)
    assert moved == pytest.approx(412.37)
