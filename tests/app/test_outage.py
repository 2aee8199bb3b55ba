"""An outage on screen: a banner with the cause, one message, recovery by itself."""

from __future__ import annotations

from textual.widgets import Static

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.sim import SimState
from arianet_tui.widgets.header import AppHeader

from .support import loaded, plain, settle


def _banner(app: ArianetApp) -> tuple[bool, str]:
    header = app.screen.query_one(AppHeader)
    banner = header.query_one("#header-banner", Static)
    return header.has_class("-outage"), plain(banner.render())


async def test_outage_shows_a_banner_once_and_recovers(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    titles: list[str] = []
    notify = app.notify

    def record(message: str, **options: object) -> None:
        titles.append(str(options.get("title", "")))
        notify(message, **options)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        rows_before = list(table.visible_keys)
        shown, _ = _banner(app)
        assert not shown

        sim.down = True
        await clock.run_for(60)
        await settle(pilot, clock)
        shown, text = _banner(app)
        assert shown
        assert "Offline" in text
        assert "retrying by itself" in text
        assert table.visible_keys == rows_before  # the last good data stays
        assert titles.count("Arianet unreachable") == 1

        sim.down = False
        await clock.run_for(65)
        await settle(pilot, clock)
        shown, _ = _banner(app)
        assert not shown
        assert titles.count("Back online") == 1
        assert titles.count("Arianet unreachable") == 1
