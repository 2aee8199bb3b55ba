"""Helpers for the app tests: wait for the dashboard, find servers, read what the sim got."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console
from textual.pilot import Pilot

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.sim import RecordedRequest, SimState
from arianet_tui.sim.records import ServerRecord
from arianet_tui.widgets.resource_table import ResourceTable

API = "/api/v1"


async def settle(pilot: Pilot[None], clock: FakeClock, rounds: int = 4) -> None:
    """Let requests, callbacks and repaints finish without moving the clock."""
    for _ in range(rounds):
        await clock.settle()
        await pilot.pause()


async def until(
    pilot: Pilot[None], clock: FakeClock, check: Callable[[], object], rounds: int = 60
) -> None:
    """Settle until ``check()`` is true; fail after ``rounds`` rounds."""
    for _ in range(rounds):
        if check():
            return
        await settle(pilot, clock, 1)
    raise AssertionError("the app never reached the expected state")


def servers_table(app: ArianetApp) -> ResourceTable[object]:
    return app.screen_stack[0].query_one("#servers-table", ResourceTable)


async def loaded(pilot: Pilot[None], clock: FakeClock) -> ResourceTable[object]:
    """Wait until the servers, the e-mail and the balance are on screen."""
    app = pilot.app
    assert isinstance(app, ArianetApp)
    await until(pilot, clock, lambda: app.is_running and app.current_mode == "servers")
    await until(
        pilot,
        clock,
        lambda: servers_table(app).visible_keys and app.user and app.wallet,
    )
    await settle(pilot, clock)
    return servers_table(app)


def server_where(sim: SimState, check: Callable[[ServerRecord], bool]) -> ServerRecord:
    return next(s for s in sim.world.servers.values() if check(s))


def running(sim: SimState, *, protected: bool = False) -> ServerRecord:
    return server_where(
        sim,
        lambda s: (
            s.status == "active"
            and s.instance_status == "running"
            and s.pending is None
            and s.protected == protected
        ),
    )


def stopped(sim: SimState) -> ServerRecord:
    return server_where(
        sim, lambda s: s.status == "active" and s.instance_status == "stopped" and not s.protected
    )


async def select(pilot: Pilot[None], clock: FakeClock, server_id: int) -> None:
    table = servers_table(pilot.app)  # type: ignore[arg-type]
    table.move_to(server_id)
    await settle(pilot, clock, 1)
    assert table.current_key == str(server_id)


async def press_on(pilot: Pilot[None], clock: FakeClock, server_id: int, *keys: str) -> None:
    """Put the cursor on a server, press ``keys`` and let the app settle."""
    await select(pilot, clock, server_id)
    await pilot.press(*keys)
    await settle(pilot, clock)


def plain(renderable: object) -> str:
    """What a renderable shows, as plain text."""
    console = Console(width=120, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def writes(sim: SimState) -> list[RecordedRequest]:
    return [r for r in sim.requests if r.method != "GET"]


def reads_of(sim: SimState, path: str) -> list[RecordedRequest]:
    return [r for r in sim.requests if r.method == "GET" and r.path == API + path]
