"""Rate limits: headers on every answer, 429 past the limit, a fresh window after the reset."""

from __future__ import annotations

from typing import Any

import httpx

from arianet_tui.api.ratelimit import DOCUMENTED_LIMITS, Bucket
from arianet_tui.sim import DEMO_TOKEN, SimClock, World, create_app

START = 1_767_225_600


def limits_of(response: httpx.Response) -> tuple[int, int, int]:
    headers = response.headers
    return (
        int(headers["x-ratelimit-limit"]),
        int(headers["x-ratelimit-remaining"]),
        int(headers["x-ratelimit-reset"]),
    )


async def test_documented_limits_and_decreasing_remaining(make_client: Any) -> None:
    clock = SimClock(START)
    app = create_app(World.demo(clock=clock))
    async with make_client(app) as client:
        first = limits_of(await client.get("/servers"))
        second = limits_of(await client.get("/balance"))
        written = limits_of(await client.post("/servers/10001/toggle-protection"))
        public = limits_of(await client.get("/regions"))
    assert first == (DOCUMENTED_LIMITS[Bucket.READ], 99, START + 900)
    assert second == (100, 98, START + 900)
    assert written == (DOCUMENTED_LIMITS[Bucket.WRITE], 999, START + 900)
    assert public == (DOCUMENTED_LIMITS[Bucket.PUBLIC], 99, START + 900)


async def test_429_then_reset_after_the_window(make_client: Any) -> None:
    clock = SimClock(START)
    app = create_app(World.demo(clock=clock), limits={"read": 3}, window=60.0)
    async with make_client(app) as client:
        for remaining in (2, 1, 0):
            response = await client.get("/auth/me")
            assert response.status_code == 200
            assert limits_of(response) == (3, remaining, START + 60)
        clock.advance(30)
        refused = await client.get("/auth/me")
        assert refused.status_code == 429
        assert refused.json() == {
            "error": "RATE_LIMITED",
            "message": refused.json()["message"],
            "status": 429,
        }
        assert limits_of(refused) == (3, 0, START + 60)
        assert int(refused.headers["retry-after"]) >= 30
        # Other buckets are not affected.
        assert (await client.post("/servers/10001/toggle-protection")).status_code == 200

        clock.advance(30)
        fresh = await client.get("/auth/me")
        assert fresh.status_code == 200
        assert limits_of(fresh) == (3, 2, START + 120)


async def test_errors_carry_the_headers_too(make_client: Any) -> None:
    app = create_app(World.demo(clock=SimClock(START)))
    async with make_client(app, token=None) as client:
        unauthorized = await client.get("/servers")
        missing = await client.get("/plans/999")
    assert unauthorized.status_code == 401
    assert limits_of(unauthorized)[1] == 99
    assert missing.status_code == 404
    assert limits_of(missing)[1] == 99


async def test_reads_count_per_token_and_public_per_client(make_client: Any) -> None:
    app = create_app(World.demo(clock=SimClock(START)), limits={"read": 2, "public": 2})
    other = app.state.sim.world.tokens[3].secret
    async with make_client(app) as demo, make_client(app, token=other) as backup:
        await demo.get("/auth/me")
        await demo.get("/auth/me")
        assert (await demo.get("/auth/me")).status_code == 429
        assert (await backup.get("/auth/me")).status_code == 200

        await demo.get("/regions")
        await backup.get("/regions")
        public = await demo.get("/regions")
    assert public.status_code == 429
    assert public.json()["error"] == "RATE_LIMITED"


async def test_limits_can_change_while_running(make_client: Any) -> None:
    app = create_app(World.demo(clock=SimClock(START)), token=DEMO_TOKEN)
    app.state.sim.limiter.limits[Bucket.READ] = 1
    async with make_client(app) as client:
        assert (await client.get("/auth/me")).status_code == 200
        assert (await client.get("/auth/me")).status_code == 429
