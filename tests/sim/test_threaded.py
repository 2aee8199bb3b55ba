"""The in-process transport of ``--demo``: the simulator answers from a thread of its own."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from arianet_tui.sim import DEMO_TOKEN, Faults, World, create_app
from arianet_tui.sim.threaded import ThreadedASGITransport


def _client(transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    return httpx.AsyncClient(transport=transport, base_url="http://sim/api/v1", headers=headers)


async def test_requests_are_served_on_another_thread_and_closing_ends_it():
    threads: list[int] = []
    app = create_app(World.demo(seed=7, servers=3))

    async def spy(scope, receive, send):
        threads.append(threading.get_ident())
        await app(scope, receive, send)

    transport = ThreadedASGITransport(spy, name="sim-test")
    async with _client(transport) as client:
        answer = await client.get("/servers")
        assert answer.status_code == 200
        assert len(answer.json()["data"]) == 3
        server_id = answer.json()["data"][0]["id"]
        renamed = await client.post(f"/servers/{server_id}/rename", json={"hostname": "moved"})
        assert renamed.status_code == 200
        assert (await client.get(f"/servers/{server_id}")).json()["hostname"] == "moved"
    assert threads and threading.get_ident() not in threads
    assert not any(t.name == "sim-test" for t in threading.enumerate())


async def test_the_event_loop_runs_while_the_simulator_works():
    app = create_app(World.demo(seed=7, servers=3))
    app.state.sim.faults = Faults(latency_ms=300)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    async with _client(ThreadedASGITransport(app)) as client:
        answer = await client.get("/servers")
    ticker.cancel()
    assert answer.status_code == 200
    assert ticks >= 10


async def test_a_cancelled_request_does_not_hang_the_transport():
    app = create_app(World.demo(seed=7, servers=3))
    app.state.sim.faults = Faults(latency_ms=5_000)
    transport = ThreadedASGITransport(app)
    async with _client(transport) as client:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await client.get("/servers")
        app.state.sim.faults = Faults()
        assert (await client.get("/servers")).status_code == 200
