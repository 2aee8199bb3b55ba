"""Take the README's screenshots: ``python tests/take_screenshots.py``.

The demo account (the in-process simulator with its fixed seed) on a clock that only moves
when told, at 120x36: one SVG per section, the create wizard, a confirmation dialog and the
activity panel, written to ``screenshots/``. Nothing touches the network or your own
config, state or cache directories.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from arianet_tui.api.models import Server
from arianet_tui.app import ArianetApp
from arianet_tui.cli import build_services
from arianet_tui.config import Settings
from arianet_tui.live import FakeClock
from arianet_tui.screens.activity import ActivityScreen
from arianet_tui.screens.base import SECTION_TABS, LiveScreen
from arianet_tui.screens.create_server import CreateServerScreen
from arianet_tui.screens.dialogs import ConfirmDialog
from arianet_tui.sim import World, create_app
from arianet_tui.widgets.resource_table import ResourceTable

SIZE = (120, 36)
OUT = Path(__file__).resolve().parents[1] / "screenshots"


async def settle(pilot: Pilot[None], clock: FakeClock, rounds: int = 4) -> None:
    for _ in range(rounds):
        await clock.settle()
        await pilot.pause()


async def until(pilot: Pilot[None], clock: FakeClock, check: Callable[[], object]) -> None:
    for _ in range(200):
        if check():
            return
        await settle(pilot, clock, 1)
    raise SystemExit(f"the dashboard never got there: {check}")


def feeds_loaded(app: ArianetApp) -> bool:
    """Every feed of the section on screen has data."""
    screen = app.screen
    if not isinstance(screen, LiveScreen) or not screen.feeds:
        return False
    scheduler = app.services.scheduler
    return all(scheduler.feed_info(key).last_success_at for key in screen.feeds)


async def save(pilot: Pilot[None], clock: FakeClock, name: str) -> None:
    app = pilot.app
    await settle(pilot, clock)
    for field in app.screen.query(Input):
        field.cursor_blink = False
    app.clear_notifications()
    await settle(pilot, clock)
    app.save_screenshot(f"{name}.svg", path=str(OUT))
    print(f"screenshots/{name}.svg")


def running_server_id(app: ArianetApp) -> str:
    table: ResourceTable[Server] = app.screen.query_one("#servers-table", ResourceTable)
    return next(
        key
        for key in table.visible_keys
        if (server := table.record(key)) is not None
        and server.status == "active"
        and server.instance_status == "running"
    )


async def take(app: ArianetApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, clock, lambda: app.user and app.wallet and feeds_loaded(app))
        for number, (mode, _title) in enumerate(SECTION_TABS, start=1):
            await pilot.press(str(number))
            await until(pilot, clock, lambda mode=mode: app.current_mode == mode)
            await until(pilot, clock, lambda: feeds_loaded(app))
            await save(pilot, clock, mode)

        await pilot.press("1")
        await until(pilot, clock, lambda: app.current_mode == "servers")
        await pilot.press("n")
        await until(pilot, clock, lambda: isinstance(app.screen, CreateServerScreen))
        wizard = app.screen
        await until(pilot, clock, lambda: wizard.regions)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, clock, lambda: wizard.plans)  # type: ignore[attr-defined]
        await save(pilot, clock, "create-wizard")
        await pilot.press("escape", "escape")
        await until(pilot, clock, lambda: not isinstance(app.screen, CreateServerScreen))

        table = app.screen.query_one("#servers-table", ResourceTable)
        table.move_to(running_server_id(app))
        await pilot.press("r")
        await until(pilot, clock, lambda: isinstance(app.screen, ConfirmDialog))
        await save(pilot, clock, "confirm-restart")
        await pilot.press("y")
        journal = app.services.journal
        await until(pilot, clock, lambda: journal.entries and journal.entries[-1].finished)
        await pilot.press("A")
        await until(pilot, clock, lambda: isinstance(app.screen, ActivityScreen))
        await save(pilot, clock, "activity")


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock()
        settings = Settings(
            token=None,
            token_file=Path(tmp) / "token",
            state_dir=Path(tmp) / "state",
            cache_dir=Path(tmp) / "cache",
        )
        world = World.demo(seed=7, servers=24, clock=clock)
        transport = httpx.ASGITransport(app=create_app(world, clock=clock))
        services = build_services(settings, demo=True, clock=clock, transport=transport)
        asyncio.run(take(ArianetApp(services, theme="textual-dark"), clock))
    return 0


if __name__ == "__main__":
    sys.exit(main())
