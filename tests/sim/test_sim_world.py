"""The seeded world: the demo account's content, determinism, scale and the hostile variant."""

from __future__ import annotations

import ipaddress
import time
from collections import Counter
from typing import Any

import pytest

from arianet_tui.sim import SimClock, World
from arianet_tui.sim.hostile import HOSTILE_STRINGS
from arianet_tui.sim.payloads import server as server_payload

DOC_NETWORKS = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]


def snapshot(world: World) -> list[Any]:
    return [
        [server_payload(world, s) for s in world.servers.values()],
        [(t.name, t.secret, t.expires) for t in world.tokens.values()],
        [(k.name, k.key) for k in world.ssh_keys.values()],
        [(t.type, t.amount, t.description, t.created_at) for t in world.transactions],
    ]


def test_the_same_seed_gives_the_same_world() -> None:
    assert snapshot(World.demo(seed=3, clock=SimClock())) == snapshot(
        World.demo(seed=3, clock=SimClock())
    )
    assert snapshot(World.demo(seed=3, clock=SimClock())) != snapshot(
        World.demo(seed=4, clock=SimClock())
    )


def test_the_demo_fleet(world: World) -> None:
    servers = list(world.servers.values())
    assert len(servers) == 24
    states = Counter((s.status, s.instance_status) for s in servers)
    assert states[("active", "running")] >= 12
    assert states[("active", "stopped")] >= 2
    assert 1 <= states[("creating", None)] <= 2
    assert states[("failed", None)] == 1
    assert states[("suspended", "stopped")] == 1
    assert sum(s.protected for s in servers) >= 2
    assert len({s.datacenter_id for s in servers}) == 4
    assert len({s.hostname for s in servers}) == 24
    assert any(len(s.ip_addresses) > 1 for s in servers)
    assert any(":" in ip for s in servers for ip, _ in s.ip_addresses)


def test_addresses_come_from_documentation_ranges(world: World) -> None:
    for server in world.servers.values():
        for ip, kind in server.ip_addresses:
            assert kind in ("primary", "secondary")
            address = ipaddress.ip_address(ip)
            assert any(address in network for network in DOC_NETWORKS), ip
        if server.ip_addresses:
            assert server.ip_addresses[0][1] == "primary"


def test_plans_and_os_templates_belong_to_their_region(world: World) -> None:
    catalog = world.catalog
    assert [r.name for r in catalog.regions.values()] == [
        "us-east-1",
        "eu-west-1",
        "ap-southeast-1",
        "sa-east-1",
    ]
    for region_id in catalog.regions:
        plans = catalog.plans_in(region_id)
        assert len(plans) == 6
        assert sum(p.recommended for p in plans) == 2
        assert plans[0].specs.cpu == "1 vCPU" and plans[-1].specs.memory == "32 GB"
        names = {o.name for o in catalog.os_in(region_id)}
        assert {"Ubuntu 22.04 LTS", "Ubuntu 24.04 LTS", "Debian 12", "Rocky Linux 9"} <= names
    for server in world.servers.values():
        assert catalog.plan_datacenter(server.plan_id) == server.datacenter_id
        assert catalog.os_templates[server.os_id].region_id == server.datacenter_id


def test_seeded_creating_servers_come_up_by_themselves(world: World, clock: SimClock) -> None:
    creating = [s.id for s in world.servers.values() if s.status == "creating"]
    assert creating
    clock.advance(600)
    world.settle()
    assert all(world.servers[i].status == "active" for i in creating)


def test_clock() -> None:
    clock = SimClock(100.0)
    assert clock() == clock.now() == 100.0
    assert clock.advance(2.5) == 102.5
    with pytest.raises(ValueError, match="never goes back"):
        clock.advance(-1)


def test_a_big_fleet_builds_fast_and_pages_cheaply() -> None:
    started = time.perf_counter()
    world = World.demo(servers=50_000, clock=SimClock())
    built = time.perf_counter() - started
    assert len(world.servers) == 50_000
    assert built < 4.0

    started = time.perf_counter()
    rows, total = world.list_servers(page=400, limit=100)
    rendered = [server_payload(world, row) for row in rows]
    assert time.perf_counter() - started < 0.1
    assert total == 50_000 and len(rendered) == 100
    assert rendered[0]["id"] == 10001 + 399 * 100
    assert len({s.hostname for s in world.servers.values()}) == 50_000


def test_the_hostile_world() -> None:
    world = World.hostile(clock=SimClock())
    hostnames = [s.hostname for s in world.servers.values()]
    for text in HOSTILE_STRINGS:
        assert text in hostnames
    assert any(len(h) == 300 for h in hostnames)
    assert "" in hostnames
    markup = [f.name for f in world.firewalls.values()] + [k.name for k in world.ssh_keys.values()]
    assert any("[" in name for name in markup)
    assert any("\x1b" in t.description for t in world.transactions)
    assert world.error_suffix
