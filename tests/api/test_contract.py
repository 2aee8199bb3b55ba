"""Contract tests: every endpoint of ArianetClient against arianet-sim over real HTTP.

Each test checks the request the simulator received (method, path, query, body, headers)
and the parsed result. The simulator runs once for the module under uvicorn on 127.0.0.1;
tests that change the world create what they change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from arianet_tui.api import (
    ArianetClient,
    ClientError,
    ConnectFailed,
    Forbidden,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
)
from arianet_tui.api import models as m
from arianet_tui.api.ratelimit import Bucket
from arianet_tui.sim import DEMO_TOKEN, SimServer, World, create_app

pytestmark = pytest.mark.xdist_group("contract")

ED25519 = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host"
)
NO_RETRY = RetryPolicy(read_attempts=1, write_attempts=1)


@pytest.fixture(scope="module")
def sim() -> Iterator[Any]:
    app = create_app(World.demo(seed=7, servers=40), limits={b: 100_000 for b in Bucket})
    with SimServer(app) as server:
        server.app = app
        yield server


@pytest.fixture
async def api(sim) -> AsyncIterator[ArianetClient]:
    async with ArianetClient(DEMO_TOKEN, sim.url, retry=NO_RETRY) as client:
        yield client


def last_request(sim) -> Any:
    return sim.app.state.sim.requests[-1]


def expect(sim, method: str, path: str, query=None, body=None) -> None:
    seen = last_request(sim)
    assert seen.method == method
    assert seen.path == "/api/v1" + path
    assert seen.query == (query or {})
    assert seen.body == body
    assert seen.headers["authorization"] == "Bearer <redacted>"
    assert seen.headers["user-agent"].startswith("arianet-tui/")


async def first_server(api: ArianetClient, **where: Any) -> m.Server:
    page = await api.list_servers(limit=100)
    for server in page.data:
        if all(getattr(server, k) == v for k, v in where.items()):
            return server
    raise AssertionError(f"no server with {where}")


# -- auth ---------------------------------------------------------------------------------


async def test_get_me(api, sim):
    user = await api.get_me()
    expect(sim, "GET", "/auth/me")
    assert isinstance(user, m.User)
    assert "@" in user.email


async def test_list_tokens(api, sim):
    tokens = await api.list_tokens()
    expect(sim, "GET", "/auth/tokens")
    assert tokens
    assert all(isinstance(t, m.ApiToken) for t in tokens)


async def test_revoke_token(api, sim):
    tokens = await api.list_tokens()
    other = next(t for t in tokens if not DEMO_TOKEN.startswith(t.prefix))
    result = await api.revoke_token(other.id)
    expect(sim, "DELETE", f"/auth/tokens/{other.id}")
    assert "revoked" in result.message.lower()
    assert other.id not in {t.id for t in await api.list_tokens()}


async def test_logout_revokes_the_token_used():
    app = create_app(World.demo(seed=7, servers=3))
    with SimServer(app) as server:
        async with ArianetClient(DEMO_TOKEN, server.url, retry=NO_RETRY) as client:
            result = await client.logout()
            assert app.state.sim.requests[-1].method == "DELETE"
            assert app.state.sim.requests[-1].path == "/api/v1/auth/logout"
            assert "revoked" in result.message.lower()
            with pytest.raises(Unauthorized):
                await client.get_me()


# -- servers ------------------------------------------------------------------------------


async def test_list_servers_pages(api, sim):
    page = await api.list_servers(page=2, limit=15)
    expect(sim, "GET", "/servers", {"page": "2", "limit": "15"})
    assert page.pagination.current_page == 2
    assert page.pagination.per_page == 15
    assert page.pagination.total == 40
    assert page.pagination.last_page == 3
    assert len(page.data) == 15


async def test_list_servers_status_filter(api, sim):
    page = await api.list_servers(limit=100, status="active")
    expect(sim, "GET", "/servers", {"page": "1", "limit": "100", "status": "active"})
    assert page.data
    assert {s.status for s in page.data} == {"active"}


async def test_get_server(api, sim):
    server = await first_server(api)
    detail = await api.get_server(server.id)
    expect(sim, "GET", f"/servers/{server.id}")
    assert detail.id == server.id
    assert detail.datacenter is not None


async def test_get_server_status(api, sim):
    server = await first_server(api)
    status = await api.get_server_status(server.id)
    expect(sim, "GET", f"/servers/{server.id}/status")
    assert isinstance(status, m.ServerStatus)
    assert status.status == server.status


async def _catalog_choice(api: ArianetClient) -> tuple[int, int, int]:
    region = (await api.list_regions())[0]
    plan = (await api.list_plans_for_datacenter(region.id))[0]
    os_template = (await api.list_os_for_datacenter(region.id))[0]
    return region.id, plan.id, os_template.id


async def test_create_server(api, sim):
    region_id, plan_id, os_id = await _catalog_choice(api)
    server = await api.create_server(
        plan_id=plan_id, datacenter_id=region_id, os_id=os_id, hostname="contract-1"
    )
    expect(
        sim,
        "POST",
        "/servers",
        body={
            "plan_id": plan_id,
            "datacenter_id": region_id,
            "os_id": os_id,
            "hostname": "contract-1",
        },
    )
    assert server.status == "creating"
    assert server.hostname == "contract-1"


async def test_create_server_with_project_id(api, sim):
    region_id, plan_id, os_id = await _catalog_choice(api)
    await api.create_server(plan_id=plan_id, datacenter_id=region_id, os_id=os_id, project_id=10)
    assert last_request(sim).body == {
        "plan_id": plan_id,
        "datacenter_id": region_id,
        "os_id": os_id,
        "project_id": 10,
    }


async def test_delete_server(api, sim):
    server = await first_server(api, protected=False, status="active")
    result = await api.delete_server(server.id)
    expect(sim, "DELETE", f"/servers/{server.id}")
    assert "deleted" in result.message.lower()
    with pytest.raises(NotFound):
        await api.get_server(server.id)


async def test_delete_protected_server_is_forbidden(api, sim):
    server = await first_server(api, protected=True)
    with pytest.raises(Forbidden):
        await api.delete_server(server.id)


async def test_restart_server(api, sim):
    server = await first_server(api, instance_status="running")
    result = await api.restart_server(server.id)
    expect(sim, "POST", f"/servers/{server.id}/restart")
    assert "restart" in result.message.lower()


async def test_power_off_and_on(api, sim):
    server = await first_server(api, instance_status="stopped")
    result = await api.power_on_server(server.id)
    expect(sim, "POST", f"/servers/{server.id}/power-on")
    assert "power on" in result.message.lower()

    running = await first_server(api, instance_status="running", protected=False)
    result = await api.power_off_server(running.id)
    expect(sim, "POST", f"/servers/{running.id}/power-off")
    assert "power off" in result.message.lower()


async def test_power_on_a_running_server_is_refused(api, sim):
    server = await first_server(api, instance_status="running")
    with pytest.raises(ClientError):
        await api.power_on_server(server.id)


async def test_rename_server(api, sim):
    server = await first_server(api, status="active")
    result = await api.rename_server(server.id, "renamed-by-contract")
    expect(sim, "POST", f"/servers/{server.id}/rename", body={"hostname": "renamed-by-contract"})
    assert result == m.RenameResult(id=server.id, hostname="renamed-by-contract")


async def test_reinstall_server(api, sim):
    server = await first_server(api, instance_status="running")
    assert server.datacenter is not None
    os_template = (await api.list_os_for_datacenter(server.datacenter.id))[-1]
    result = await api.reinstall_server(server.id, os_template.id)
    expect(sim, "POST", f"/servers/{server.id}/reinstall", body={"os_id": os_template.id})
    assert "reinstall" in result.message.lower()


async def test_toggle_protection(api, sim):
    server = await first_server(api, status="active")
    assert await api.toggle_protection(server.id) is (not server.protected)
    expect(sim, "POST", f"/servers/{server.id}/toggle-protection")
    assert await api.toggle_protection(server.id) is server.protected


# -- billing ------------------------------------------------------------------------------


async def test_get_balance(api, sim):
    wallet = await api.get_balance()
    expect(sim, "GET", "/balance")
    assert wallet.currency.code == "USD"


async def test_list_transactions(api, sim):
    page = await api.list_transactions(page=1, limit=20)
    expect(sim, "GET", "/balance/transactions", {"page": "1", "limit": "20"})
    assert len(page.data) == 20
    assert page.pagination.total > 20
    dates = [t.created_at for t in page.data]
    assert dates == sorted(dates, reverse=True)


# -- SSH keys -----------------------------------------------------------------------------


async def test_ssh_key_lifecycle(api, sim):
    created = await api.create_ssh_key("contract key", ED25519)
    expect(sim, "POST", "/ssh-keys", body={"name": "contract key", "key": ED25519})
    assert created.key == ED25519

    listed = await api.list_ssh_keys()
    expect(sim, "GET", "/ssh-keys")
    assert created.id in {k.id for k in listed}

    fetched = await api.get_ssh_key(created.id)
    expect(sim, "GET", f"/ssh-keys/{created.id}")
    assert fetched.name == "contract key"

    renamed = await api.update_ssh_key(created.id, "renamed key")
    expect(sim, "PUT", f"/ssh-keys/{created.id}", body={"name": "renamed key"})
    assert renamed.name == "renamed key"

    result = await api.delete_ssh_key(created.id)
    expect(sim, "DELETE", f"/ssh-keys/{created.id}")
    assert "deleted" in result.message.lower()


async def test_bad_ssh_key_is_a_client_error(api):
    with pytest.raises(ClientError) as caught:
        await api.create_ssh_key("bad", "not a key")
    assert caught.value.status == 400


# -- firewalls ----------------------------------------------------------------------------


async def test_firewall_lifecycle(api, sim):
    firewall = await api.create_firewall("contract firewall")
    expect(sim, "POST", "/firewalls", body={"name": "contract firewall"})
    assert firewall.rules == []

    rule = {"protocol": "tcp", "port": 22, "direction": "in", "cidr": "203.0.113.0/24"}
    updated = await api.add_firewall_rule(firewall.id, **rule)
    expect(sim, "POST", f"/firewalls/{firewall.id}/rules", body=rule)
    await api.add_firewall_rule(
        firewall.id, protocol="icmp", port=None, direction="in", cidr="0.0.0.0/0"
    )
    assert updated.rules[-1].port == 22

    fetched = await api.get_firewall(firewall.id)
    expect(sim, "GET", f"/firewalls/{firewall.id}")
    assert [r.protocol for r in fetched.rules] == ["tcp", "icmp"]

    listed = await api.list_firewalls()
    expect(sim, "GET", "/firewalls")
    assert firewall.id in {f.id for f in listed}

    after = await api.delete_firewall_rule(firewall.id, 0)
    expect(sim, "DELETE", f"/firewalls/{firewall.id}/rules/0")
    assert [r.protocol for r in after.rules] == ["icmp"]

    result = await api.delete_firewall(firewall.id)
    expect(sim, "DELETE", f"/firewalls/{firewall.id}")
    assert "deleted" in result.message.lower()


async def test_protected_firewall_refuses_deletion(api):
    protected = next(f for f in await api.list_firewalls() if f.protected)
    with pytest.raises(Forbidden):
        await api.delete_firewall(protected.id)


# -- catalog ------------------------------------------------------------------------------


async def test_catalog(api, sim):
    regions = await api.list_regions()
    expect_public = last_request(sim)
    assert (expect_public.method, expect_public.path) == ("GET", "/api/v1/regions")
    assert len(regions) == 4

    all_os = await api.list_os()
    assert last_request(sim).path == "/api/v1/os"
    region_os = await api.list_os_for_datacenter(regions[0].id)
    assert last_request(sim).path == f"/api/v1/os/datacenter/{regions[0].id}"
    assert {o.region_id for o in region_os} == {regions[0].id}
    assert len(all_os) > len(region_os)

    plans = await api.list_plans()
    assert last_request(sim).path == "/api/v1/plans"
    assert any(p.recommended for p in plans)
    plan = await api.get_plan(plans[0].id)
    assert last_request(sim).path == f"/api/v1/plans/{plans[0].id}"
    assert {p.code.lower() for p in plan.prices} >= {"usd", "eur"}
    assert plan.datacenter is not None
    region_plans = await api.list_plans_for_datacenter(regions[0].id)
    assert last_request(sim).path == f"/api/v1/plans/datacenter/{regions[0].id}"
    assert region_plans


async def test_catalog_needs_no_token(sim):
    async with ArianetClient(None, sim.url) as anonymous:
        assert await anonymous.list_regions()
        with pytest.raises(Unauthorized):
            await anonymous.get_me()


# -- errors -------------------------------------------------------------------------------


async def test_not_found(api):
    with pytest.raises(NotFound) as caught:
        await api.get_server(999_999_999)
    assert caught.value.status == 404
    assert caught.value.code == "NOT_FOUND"


async def test_bad_query_is_a_client_error(api):
    with pytest.raises(ClientError) as caught:
        await api.list_servers(limit=500)
    assert caught.value.status == 400


async def test_wrong_token_is_unauthorized(sim):
    async with ArianetClient("arr_not_a_real_token", sim.url) as stranger:
        with pytest.raises(Unauthorized) as caught:
            await stranger.get_balance()
    assert caught.value.code == "UNAUTHORIZED"


async def test_rate_limit_is_tracked_and_enforced():
    app = create_app(World.demo(seed=7, servers=3), limits={Bucket.READ: 3}, window=900.0)
    with SimServer(app) as server:
        async with ArianetClient(DEMO_TOKEN, server.url, retry=NO_RETRY) as client:
            await client.get_me()
            state = client.rate_limits.state(Bucket.READ)
            assert (state.limit, state.remaining) == (3, 2)
            assert state.reset_at is not None
            await client.get_me()
            await client.get_me()
            with pytest.raises(RateLimited) as caught:
                await client.get_me()
            assert caught.value.reset_at == pytest.approx(state.reset_at)
            sent = len(app.state.sim.requests)
            with pytest.raises(RateLimited):
                await client.get_balance()
            assert len(app.state.sim.requests) == sent


async def test_server_error_with_html_body():
    from arianet_tui.sim import Faults

    app = create_app(World.demo(seed=7, servers=3), faults=Faults(error_rate=1.0))
    with SimServer(app) as server:
        async with ArianetClient(DEMO_TOKEN, server.url, retry=NO_RETRY) as client:
            with pytest.raises(ServerError) as caught:
                await client.get_me()
    assert caught.value.status >= 500


async def test_connect_failure():
    async with ArianetClient(DEMO_TOKEN, "http://127.0.0.1:9/api/v1", retry=NO_RETRY) as client:
        with pytest.raises(ConnectFailed):
            await client.get_me()
