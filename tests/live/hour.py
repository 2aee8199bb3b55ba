"""One simulated hour of a user at the dashboard, against the simulator on a fake clock.

The servers list is the home screen. The user visits every other section four times, asks
for a refresh on each visit, comes back to the servers list, and acts on two servers. Shared
by the scheduler tests and ``tests/bench/refresh_budget.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx

from arianet_tui.api import ArianetClient, Bucket
from arianet_tui.api.retry import NO_RETRY
from arianet_tui.live import ActivityJournal, FakeClock, RefreshScheduler
from arianet_tui.sim import DEMO_TOKEN, create_app

BASE_URL = "http://127.0.0.1/api/v1"
WINDOW = 900.0


@dataclass
class Sim:
    """The simulator, a client on it and a scheduler, all on one fake clock."""

    clock: FakeClock
    app: Any
    client: ArianetClient
    scheduler: RefreshScheduler

    @property
    def state(self) -> Any:
        return self.app.state.sim

    def reads(self, path: str | None = None) -> list[Any]:
        return [
            r
            for r in self.state.requests
            if r.method == "GET" and (path is None or r.path == "/api/v1" + path)
        ]


def make_sim(
    *,
    limits: Mapping[str, int] | None = None,
    window: float = WINDOW,
    faults: Any = None,
    seed: int = 7,
) -> Sim:
    from arianet_tui.sim import World

    clock = FakeClock()
    world = World.demo(seed=seed, clock=clock)
    app = create_app(
        world, clock=clock, limits=limits, window=window, faults=faults, log_size=100_000
    )
    client = ArianetClient(
        token=DEMO_TOKEN,
        base_url=BASE_URL,
        transport=httpx.ASGITransport(app=app),
        clock=clock,
        retry=NO_RETRY,
    )
    return Sim(clock, app, client, RefreshScheduler(client, clock=clock))


SECTIONS: dict[str, list[str]] = {
    "firewalls": ["firewalls"],
    "ssh_keys": ["ssh_keys"],
    "billing": ["wallet", "transactions"],
    "catalog": ["plans"],
    "account": ["me", "tokens"],
}


def register_feeds(
    sim: Sim, received: dict[str, list[float]], on_servers: Callable[[Any], None]
) -> None:
    """One feed per thing a screen shows, each noting when its data arrived."""
    client = sim.client
    fetches: dict[str, tuple[Callable[[], Any], Bucket]] = {
        "servers": (lambda: client.list_servers(limit=100), Bucket.READ),
        "firewalls": (client.list_firewalls, Bucket.READ),
        "ssh_keys": (client.list_ssh_keys, Bucket.READ),
        "wallet": (client.get_balance, Bucket.READ),
        "transactions": (lambda: client.list_transactions(limit=50), Bucket.READ),
        "plans": (client.list_plans, Bucket.PUBLIC),
        "me": (client.get_me, Bucket.READ),
        "tokens": (client.list_tokens, Bucket.READ),
    }
    for key, (fetch, bucket) in fetches.items():
        received[key] = []

        def on_data(data: object, key: str = key) -> None:
            received[key].append(sim.clock.now())
            if key == "servers":
                on_servers(data)

        sim.scheduler.register(key, fetch, on_data, bucket=bucket)


def windows(times: Iterable[float]) -> list[float]:
    """The starts of the simulator's fixed windows: each opens at its first request."""
    starts: list[float] = []
    for at in sorted(times):
        if not starts or at >= starts[-1] + WINDOW:
            starts.append(at)
    return starts


def per_window(starts: list[float], events: Iterable[tuple[float, int]]) -> list[int]:
    counts = [0] * len(starts)
    for at, cost in events:
        index = max(i for i, start in enumerate(starts) if start <= at) if starts else 0
        counts[index] += cost
    return counts


@dataclass
class HourReport:
    reads_per_window: dict[str, list[int]] = field(default_factory=dict)
    background_per_window: list[int] = field(default_factory=list)
    user_per_window: list[int] = field(default_factory=list)
    rate_limited: int = 0
    ages: list[float] = field(default_factory=list)
    settle_lags: list[float] = field(default_factory=list)
    hidden_reads: int = 0
    real_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def age_median(self) -> float:
        return statistics.median(self.ages)

    @property
    def age_p95(self) -> float:
        return statistics.quantiles(self.ages, n=20)[-1]


def _operable(sim: Sim, taken: set[int]) -> int:
    for server in sim.state.world.servers.values():
        fit = server.status == "active" and server.instance_status == "running"
        if fit and server.pending is None and server.id not in taken:
            return int(server.id)
    raise LookupError("no running server to act on")


async def run_hour(minutes: float = 60.0, seed: int = 7) -> HourReport:
    """Play the hour and measure it."""
    sim = make_sim(seed=seed)
    clock, scheduler = sim.clock, sim.scheduler
    start = clock.now()
    started = time.perf_counter()
    report = HourReport()
    received: dict[str, list[float]] = {}
    journal = ActivityJournal(base_url=BASE_URL, audit_path=None, clock=clock)

    settled_at: dict[int, float] = {}
    sim_settles: dict[int, float] = {}

    def on_settled(server_id: int, _: object) -> None:
        settled_at.setdefault(server_id, clock.now())

    scheduler.on_server_settled(on_settled)

    def follow(server_id: int) -> None:
        scheduler.follow_server(server_id)
        pending = sim.state.world.servers[server_id].pending
        if pending is not None:
            sim_settles[server_id] = pending.settles_at

    def follow_transitions(page: Any) -> None:
        # As the servers screen does: a server seen in transition is followed.
        for server in page.data:
            if server.in_transition and server.id not in scheduler.followed:
                follow(server.id)

    register_feeds(sim, received, follow_transitions)

    # Every 150 s the user goes somewhere: five sections four times, the servers list between.
    visits: list[tuple[float, str]] = []
    names = list(SECTIONS)
    for n in range(20):
        at = start + 60 + n * 170
        visits.append((at, names[n % len(names)]))
        visits.append((at + 45, "servers"))
    actions = [(start + 610, "power_off"), (start + 1510, "restart")]

    task = asyncio.create_task(scheduler.run())
    scheduler.show("servers")
    section = "servers"
    end = start + minutes * 60
    taken: set[int] = set()
    try:
        while clock.now() < end:
            now = clock.now()
            while visits and visits[0][0] <= now:
                _, target = visits.pop(0)
                for key in SECTIONS.get(section, ["servers"]):
                    scheduler.hide(key)
                section = target
                for key in SECTIONS.get(section, ["servers"]):
                    scheduler.show(key)
                    scheduler.request_refresh(key)
            while actions and actions[0][0] <= now:
                _, action = actions.pop(0)
                server_id = _operable(sim, taken)
                taken.add(server_id)
                call = partial(getattr(sim.client, f"{action}_server"), server_id)
                path = f"servers/{server_id}/{action.replace('_', '-')}"
                await journal.run(action, str(server_id), "POST", path, None, call)
                follow(server_id)
            await clock.settle()
            if section == "servers" and received["servers"]:
                report.ages.append(now - received["servers"][-1])
            await clock.run_for(1.0)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await sim.client.aclose()

    report.real_seconds = time.perf_counter() - started
    requests = list(sim.state.requests)
    report.rate_limited = sum(1 for r in requests if r.status == 429)
    for bucket in Bucket:
        times = [r.time for r in requests if r.bucket == bucket.value]
        report.reads_per_window[bucket.value] = per_window(windows(times), ((t, 1) for t in times))
    read_starts = windows(r.time for r in requests if r.bucket == "read")
    sent = [s for s in scheduler.sent if s.bucket is Bucket.READ]
    report.background_per_window = per_window(
        read_starts, ((s.at, s.cost) for s in sent if not s.user)
    )
    report.user_per_window = per_window(read_starts, ((s.at, s.cost) for s in sent if s.user))
    report.settle_lags = [settled_at[sid] - sim_settles[sid] for sid in sim_settles]
    if len(settled_at) != len(sim_settles):
        report.errors.append(f"settled {sorted(settled_at)} of {sorted(sim_settles)}")
    return report
