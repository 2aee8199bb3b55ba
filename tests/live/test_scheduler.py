"""The refresh scheduler against the simulator on a fake clock."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from arianet_tui.api import ArianetClient, ArianetError, Bucket, RateLimited
from arianet_tui.api.models import Page, Server, ServerStatus
from arianet_tui.api.retry import NO_RETRY
from arianet_tui.live import SchedulerStatus
from arianet_tui.sim import DEMO_TOKEN

from .hour import BASE_URL, Sim, make_sim, run_hour


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    sim = make_sim()
    yield sim
    await sim.client.aclose()


async def start(sim: Sim) -> asyncio.Task[None]:
    task = asyncio.create_task(sim.scheduler.run())
    await sim.clock.settle()
    return task


async def stop(task: asyncio.Task[None]) -> None:
    assert not task.done(), "run() ended on its own"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def servers_feed(sim: Sim, seen: list[float], **options: Any) -> None:
    sim.scheduler.register(
        "servers",
        lambda: sim.client.list_servers(limit=100),
        lambda _: seen.append(sim.clock.now()),
        **options,
    )


async def test_one_simulated_hour_stays_within_the_budget_and_fresh() -> None:
    report = await run_hour()

    assert report.errors == []
    assert report.rate_limited == 0
    assert len(report.background_per_window) == 4
    assert max(report.background_per_window) <= 80
    assert max(report.reads_per_window["read"]) <= 100
    assert report.age_median <= 15.0
    # The two acted on, and those the demo account is creating when the hour starts.
    assert len(report.settle_lags) >= 3
    assert all(0 <= lag <= 10.0 for lag in report.settle_lags)


async def test_the_visible_list_refreshes_every_12_seconds_with_a_full_bucket(sim: Sim) -> None:
    seen: list[float] = []
    servers_feed(sim, seen)
    sim.scheduler.show("servers")
    task = await start(sim)

    await sim.clock.run_for(120)
    await stop(task)

    gaps = [b - a for a, b in itertools.pairwise(seen)]
    assert len(seen) == 11
    assert all(gap == pytest.approx(12.0) for gap in gaps)


async def test_a_feed_shown_for_the_first_time_starts_at_once(sim: Sim) -> None:
    task = await start(sim)
    seen: list[float] = []
    servers_feed(sim, seen)
    sim.scheduler.show("servers")
    # Started in show() itself, not when the scheduler's task next gets a turn.
    assert sim.scheduler.sent and sim.scheduler.sent[-1].key == "servers"
    await sim.clock.settle()
    assert seen == [sim.clock.now()]

    # Shown again later, it waits for its interval like any other refresh.
    sim.scheduler.hide("servers")
    sent = len(sim.scheduler.sent)
    sim.scheduler.show("servers")
    assert len(sim.scheduler.sent) == sent
    await stop(task)


async def test_hidden_feeds_never_poll(sim: Sim) -> None:
    seen: list[float] = []
    wallet: list[float] = []
    servers_feed(sim, seen)
    sim.scheduler.register("wallet", sim.client.get_balance, lambda _: wallet.append(0))
    task = await start(sim)

    await sim.clock.run_for(600)
    assert sim.reads() == []

    sim.scheduler.show("wallet")
    await sim.clock.run_for(30)
    sim.scheduler.hide("wallet")
    shown = len(sim.reads("/balance"))
    await sim.clock.run_for(600)
    await stop(task)

    assert shown == 3
    assert len(sim.reads("/balance")) == shown
    assert sim.reads("/servers") == []


async def test_intervals_stretch_to_fit_a_small_bucket() -> None:
    sim = make_sim(limits={"read": 40})
    seen: list[float] = []
    servers_feed(sim, seen)
    sim.scheduler.register("wallet", sim.client.get_balance, lambda _: None)
    sim.scheduler.show("servers")
    sim.scheduler.show("wallet")
    task = await start(sim)

    await sim.clock.run_for(1800)
    await stop(task)
    await sim.client.aclose()

    assert not [r for r in sim.state.requests if r.status == 429]
    first = sim.reads()[0].time
    for start_at in (first, first + 900):
        in_window = [r for r in sim.reads() if start_at <= r.time < start_at + 900]
        assert 25 <= len(in_window) <= 32
    gaps = [b - a for a, b in itertools.pairwise(seen)]
    # Two feeds share 32 reads in 900 s: about 56 s each, never the 12 s a full bucket allows.
    assert min(gaps) > 40


async def test_a_user_refresh_runs_at_once_from_the_reserve(sim: Sim) -> None:
    seen: list[float] = []
    servers_feed(sim, seen)
    sim.scheduler.show("servers")
    task = await start(sim)
    await sim.clock.run_for(5)

    sim.scheduler.request_refresh("servers")
    await sim.clock.settle()
    await stop(task)

    assert len(seen) == 2
    assert seen[1] - seen[0] == pytest.approx(5)
    assert [s.user for s in sim.scheduler.sent] == [False, True]


async def test_after_a_429_nothing_goes_to_the_bucket_until_its_reset() -> None:
    sim = make_sim(limits={"read": 10}, window=300)
    # Another session with the same token spends the whole read bucket behind our back.
    other = ArianetClient(
        token=DEMO_TOKEN,
        base_url=BASE_URL,
        transport=httpx.ASGITransport(app=sim.app),
        clock=sim.clock,
        retry=NO_RETRY,
    )
    for _ in range(10):
        await other.get_me()
    await other.aclose()
    window_start = sim.reads()[0].time

    errors: list[ArianetError] = []
    seen: list[float] = []
    servers_feed(sim, seen, on_error=errors.append)
    sim.scheduler.show("servers")
    statuses: list[SchedulerStatus] = []
    sim.scheduler.subscribe(statuses.append)
    task = await start(sim)

    await sim.clock.run_for(30)
    sim.scheduler.request_refresh("servers")
    await sim.clock.run_for(10)
    waiting = sim.scheduler.status()
    await sim.clock.run_for(300)
    await stop(task)
    await sim.client.aclose()

    limited = [r for r in sim.reads() if r.status == 429]
    assert len(limited) == 1
    assert isinstance(errors[0], RateLimited)
    reset = errors[0].reset_at
    assert reset is not None and reset >= window_start + 300
    later = [r.time for r in sim.reads() if r.time > limited[0].time]
    assert later and min(later) >= reset
    assert waiting.queued_refreshes == 1
    assert waiting.read.blocked_until == reset
    assert any(s.read.blocked_until for s in statuses)
    assert seen and seen[0] >= reset
    assert sim.scheduler.feed_info("servers").stale is False


async def test_a_storm_of_429s_is_waited_out_each_time() -> None:
    from arianet_tui.sim import Faults

    sim = make_sim(faults=Faults.profile("ratelimit", seed=3))
    limited: list[tuple[float, float]] = []

    async def fetch() -> Page[Server]:
        try:
            return await sim.client.list_servers(limit=100)
        except RateLimited as exc:
            limited.append((sim.clock.now(), exc.reset_at or 0.0))
            raise

    seen: list[float] = []
    sim.scheduler.register("servers", fetch, lambda _: seen.append(sim.clock.now()))
    sim.scheduler.register("wallet", sim.client.get_balance, lambda _: None)
    sim.scheduler.show("servers")
    sim.scheduler.show("wallet")
    task = await start(sim)
    for _ in range(20):
        await sim.clock.run_for(30)
        sim.scheduler.request_refresh("servers")
    await stop(task)
    await sim.client.aclose()

    assert len(limited) >= 5
    assert all(reset > at for at, reset in limited)
    reads = sim.reads()
    for at, reset in limited:
        assert not [r for r in reads if at < r.time < reset]
    assert seen[-1] > limited[-1][1]
    assert sim.scheduler.status().read.blocked_until is None


async def test_an_outage_is_reported_once_and_recovered_from(sim: Sim) -> None:
    errors: list[ArianetError] = []
    seen: list[float] = []
    servers_feed(sim, seen, on_error=errors.append)
    wallet_errors: list[ArianetError] = []
    sim.scheduler.register(
        "wallet", sim.client.get_balance, lambda _: None, on_error=wallet_errors.append
    )
    sim.scheduler.show("servers")
    sim.scheduler.show("wallet")
    outages: list[str | None] = []
    sim.scheduler.subscribe(lambda status: outages.append(status.outage))
    task = await start(sim)
    await sim.clock.run_for(30)

    sim.state.down = True
    down_at = sim.clock.now()
    await sim.clock.run_for(60)
    during = sim.scheduler.feed_info("servers")
    outage = sim.scheduler.status().outage
    sent_during = len([r for r in sim.state.requests if r.time >= down_at])
    sim.state.down = False
    up_at = sim.clock.now()
    await sim.clock.run_for(90)
    await stop(task)

    assert during.stale and during.error
    assert during.last_success_at is not None and during.last_success_at < down_at
    assert outage is not None and "connection broke" in outage
    assert len(errors) == 1 and len(wallet_errors) == 1
    # Backoff: a handful of tries per feed in a minute, not one every few seconds.
    assert sent_during <= 12
    # The backoff is capped at a minute, so the first success comes within one after.
    back = [at for at in seen if at > up_at]
    assert back and back[0] - up_at <= 61
    assert seen[-1] - back[0] > 60
    info = sim.scheduler.feed_info("servers")
    assert not info.stale and info.error is None
    assert sim.scheduler.status().outage is None
    assert [o for o in outages if o] and outages[-1] is None


async def test_a_failing_callback_does_not_stop_the_loop(sim: Sim) -> None:
    calls: list[float] = []

    def broken(_: object) -> None:
        calls.append(sim.clock.now())
        raise RuntimeError("a bug in a screen")

    sim.scheduler.register("servers", lambda: sim.client.list_servers(limit=100), broken)
    sim.scheduler.show("servers")
    task = await start(sim)
    await sim.clock.run_for(40)
    await stop(task)
    assert len(calls) == 4


async def test_a_followed_server_is_seen_to_settle(sim: Sim) -> None:
    server_id = next(
        s.id
        for s in sim.state.world.servers.values()
        if s.instance_status == "running" and s.status == "active"
    )
    updates: list[tuple[int, ServerStatus]] = []
    settled: list[tuple[int, ServerStatus | None, float]] = []
    sim.scheduler.on_server_update(lambda sid, st: updates.append((sid, st)))
    sim.scheduler.on_server_settled(lambda sid, st: settled.append((sid, st, sim.clock.now())))
    task = await start(sim)

    await sim.client.restart_server(server_id)
    sim.scheduler.follow_server(server_id)
    settles_at = sim.state.world.servers[server_id].pending.settles_at
    await sim.clock.run_for(30)
    await stop(task)

    assert [u[1].instance_status for u in updates] == ["restarting", "running"]
    assert settled[0][0] == server_id and settled[0][1] is not None
    assert 0 <= settled[0][2] - settles_at <= 10
    assert sim.scheduler.followed == frozenset()
    paths = {r.path for r in sim.reads()}
    assert paths == {f"/api/v1/servers/{server_id}/status"}


async def test_many_followed_servers_cost_one_list_call_a_round(sim: Sim) -> None:
    running = [
        s.id
        for s in sim.state.world.servers.values()
        if s.instance_status == "running" and s.status == "active"
    ][:3]
    settled: list[int] = []
    sim.scheduler.on_server_settled(lambda sid, _: settled.append(sid))
    task = await start(sim)

    for server_id in running:
        await sim.client.power_off_server(server_id)
        sim.scheduler.follow_server(server_id)
    await sim.clock.run_for(30)
    await stop(task)

    assert sorted(settled) == sorted(running)
    reads = sim.reads()
    assert {r.path for r in reads} == {"/api/v1/servers"}
    assert all(r.query.get("limit") == "100" for r in reads)
    assert len(reads) <= 3


async def test_a_server_that_disappears_is_no_longer_followed(sim: Sim) -> None:
    settled: list[tuple[int, ServerStatus | None]] = []
    sim.scheduler.on_server_settled(lambda sid, st: settled.append((sid, st)))
    task = await start(sim)
    sim.scheduler.follow_server(999_999)
    await sim.clock.run_for(10)
    await stop(task)
    assert settled == [(999_999, None)]


async def test_feed_info_and_status_describe_the_budget(sim: Sim) -> None:
    seen: list[float] = []
    feed = sim.scheduler.register(
        "servers", lambda: sim.client.list_servers(limit=100), lambda _: seen.append(0)
    )
    assert feed.info.last_success_at is None and not feed.info.visible
    feed.show()
    task = await start(sim)
    await sim.clock.run_for(1)
    await stop(task)

    info = feed.info
    assert info.visible and info.last_success_at == info.last_attempt_at
    assert info.last_success_at is not None
    assert info.next_at == pytest.approx(info.last_success_at + 12)
    read = sim.scheduler.status().buckets[Bucket.READ]
    assert (read.limit, read.remaining, read.background_left) == (100, 99, 79)
    assert read.reset_at is not None


async def test_unregistering_a_feed_in_flight_frees_its_place_in_the_budget(sim: Sim) -> None:
    gate = asyncio.Event()

    async def slow() -> None:
        await gate.wait()

    sim.scheduler.register("slow", slow, lambda _: None, bucket="read")
    sim.scheduler.show("slow")
    task = await start(sim)
    assert sim.scheduler.status().read.in_flight == 1

    sim.scheduler.unregister("slow")
    await sim.clock.settle()
    await stop(task)
    assert sim.scheduler.status().read.in_flight == 0
    assert sim.scheduler.feed_info("slow").last_success_at is None
