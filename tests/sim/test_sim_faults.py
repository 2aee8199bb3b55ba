"""Faults as a client sees them, and the write counts and request log that tell what arrived."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from arianet_tui.sim import Faults, SimState
from arianet_tui.sim.wire import truncated, wrong_types


async def test_html_and_json_5xx(client: httpx.AsyncClient, sim: SimState) -> None:
    sim.faults = Faults(error_rate=1.0, html_error_share=1.0)
    html = await client.get("/servers")
    assert html.status_code == 502
    assert html.text == "<html><body><h1>502 Bad Gateway</h1></body></html>"
    assert html.headers["content-type"].startswith("text/html")
    assert "x-ratelimit-remaining" in html.headers

    sim.faults = Faults(error_rate=1.0, html_error_share=0.0)
    answer = await client.get("/servers")
    assert 500 <= answer.status_code <= 504
    assert answer.json()["status"] == answer.status_code
    assert sim.requests[-1].fault == "error:json"


async def test_a_dropped_connection_raises_an_httpx_error(
    client: httpx.AsyncClient, sim: SimState
) -> None:
    sim.faults = Faults(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        await client.get("/auth/me")
    assert sim.requests[-1].status is None
    assert sim.requests[-1].fault == "drop"


@pytest.mark.parametrize(("share", "changed"), [(1.0, True), (0.0, False)])
async def test_writes_fail_before_or_after_processing(
    client: httpx.AsyncClient, sim: SimState, share: float, changed: bool
) -> None:
    path = "/servers/10001/rename"
    original = sim.world.servers[10001].hostname
    sim.faults = Faults(error_rate=1.0, after_processing_share=share)
    assert (await client.post(path, json={"hostname": "after-error"})).status_code >= 500
    assert sim.world.servers[10001].hostname == ("after-error" if changed else original)

    sim.faults = Faults(drop_rate=1.0, after_processing_share=share)
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(path, json={"hostname": "after-drop"})
    assert sim.world.servers[10001].hostname == ("after-drop" if changed else original)

    assert sim.writes("POST", "/api/v1" + path) == 2
    error, drop = (r.fault or "" for r in list(sim.requests)[-2:])
    assert error.startswith("error:") and drop.startswith("drop")
    assert error.endswith(":after") == drop.endswith(":after") == changed


async def test_an_error_after_processing_really_changed_the_world(
    client: httpx.AsyncClient, sim: SimState
) -> None:
    sim.faults = Faults(error_rate=1.0, after_processing_share=1.0)
    body = {"plan_id": 1, "datacenter_id": 1, "os_id": 101, "hostname": "ghost"}
    before = len(sim.world.servers)
    assert (await client.post("/servers", json=body)).status_code >= 500
    assert len(sim.world.servers) == before + 1
    sim.faults = Faults()
    page = (await client.get("/servers", params={"status": "creating"})).json()
    assert "ghost" in [s["hostname"] for s in page["data"]]


async def test_truncated_and_wrong_typed_bodies(client: httpx.AsyncClient, sim: SimState) -> None:
    seen = set()
    sim.faults = Faults(malformed_rate=1.0, seed=1)
    for _ in range(12):
        response = await client.get("/auth/me")
        assert response.status_code == 200
        fault = sim.requests[-1].fault
        seen.add(fault)
        if fault == "malformed:truncated":
            with pytest.raises(json.JSONDecodeError):
                response.json()
        else:
            assert isinstance(response.json()["id"], str)
    assert seen == {"malformed:truncated", "malformed:wrong_types"}


def test_mangled_bodies() -> None:
    assert (
        wrong_types(b'{"message": "Restart initiated"}') == b'[{"message": "Restart initiated"}]'
    )
    assert json.loads(wrong_types(b'{"id": 1, "ok": true, "data": [{"n": 2.5}]}')) == {
        "id": "#1",
        "ok": "maybe",
        "data": [{"n": "#2.5"}],
    }
    for body in (b"{}", b'{"a": 1}', b"[]"):
        with pytest.raises(json.JSONDecodeError):
            json.loads(truncated(body))


async def test_errors_are_not_made_malformed(client: httpx.AsyncClient, sim: SimState) -> None:
    sim.faults = Faults(malformed_rate=1.0)
    response = await client.get("/servers/1")
    assert response.status_code == 404
    assert response.json()["error"] == "NOT_FOUND"
    assert sim.requests[-1].fault is None


async def test_spurious_429(client: httpx.AsyncClient, sim: SimState) -> None:
    sim.faults = Faults.profile("ratelimit", rate_limit_rate=1.0)
    response = await client.get("/auth/me")
    assert response.status_code == 429
    assert response.json()["error"] == "RATE_LIMITED"
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert 1 <= int(response.headers["retry-after"]) <= 5


async def test_latency_and_slow_bodies(client: httpx.AsyncClient, sim: SimState) -> None:
    sim.faults = Faults(latency_ms=60.0, jitter_ms=20.0)
    started = time.perf_counter()
    await client.get("/auth/me")
    assert time.perf_counter() - started >= 0.06

    sim.faults = Faults(slow_body_rate=1.0, slow_body_chunks=3, slow_body_pause_ms=30.0)
    started = time.perf_counter()
    response = await client.get("/servers")
    assert time.perf_counter() - started >= 0.09
    assert len(response.json()["data"]) == 15


async def test_down_drops_everything_until_back(client: httpx.AsyncClient, sim: SimState) -> None:
    sim.down = True
    for _ in range(3):
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/servers/10001/restart")
    assert sim.world.servers[10001].pending is None
    assert sim.writes("POST", "/api/v1/servers/10001/restart") == 3
    sim.down = False
    assert (await client.get("/auth/me")).status_code == 200


async def test_the_request_log(client: httpx.AsyncClient, sim: SimState) -> None:
    await client.post("/firewalls", json={"name": "Logged"}, params={"dry": "no"})
    entry = sim.requests[-1]
    assert (entry.method, entry.path, entry.status, entry.bucket) == (
        "POST",
        "/api/v1/firewalls",
        201,
        "write",
    )
    assert entry.query == {"dry": "no"}
    assert entry.body == {"name": "Logged"}
    assert entry.headers["authorization"] == "Bearer <redacted>"
    assert entry.time == sim.clock()
    assert sim.write_counts == {("POST", "/api/v1/firewalls"): 1}

    sim.reset_log()
    assert not sim.requests
    assert not sim.write_counts


def test_profiles() -> None:
    assert Faults.profile("none") == Faults()
    chaos = Faults.profile("chaos")
    assert all(
        getattr(chaos, name) > 0
        for name in ("error_rate", "drop_rate", "rate_limit_rate", "malformed_rate", "latency_ms")
    )
    assert Faults.profile("slow").latency_ms > 0
    assert Faults.profile("flaky").error_rate > 0
    with pytest.raises(ValueError, match="unknown fault profile"):
        Faults.profile("meteor")


async def test_faults_are_seeded(client: httpx.AsyncClient, sim: SimState) -> None:
    def run() -> list[str | None]:
        return [r.fault for r in list(sim.requests)[-20:]]

    outcomes = []
    for _ in range(2):
        sim.faults = Faults(error_rate=0.3, malformed_rate=0.3, seed=5)
        for _ in range(20):
            await client.get("/regions")
        outcomes.append(run())
    assert outcomes[0] == outcomes[1]
    assert len(set(outcomes[0])) > 1
