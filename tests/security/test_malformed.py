"""Malformed answers to each section's reads: a clear message, the last good data stays."""

from __future__ import annotations

import pytest
from app.sections.support import SECTION_KEYS, TABLES, section, toasts
from app.support import loaded, settle, until

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.sim import Faults, SimState

from .support import assert_clean

BROKEN = {
    "html error page": Faults(error_rate=1.0, html_error_share=1.0),
    "truncated json": Faults(malformed_rate=1.0, seed=1),
    "wrong types": Faults(malformed_rate=1.0, seed=4),
    "dropped": Faults(drop_rate=1.0),
}


@pytest.mark.parametrize("kind", list(BROKEN))
async def test_sections_keep_their_data_when_answers_break(
    app: ArianetApp, sim: SimState, clock: FakeClock, kind: str
) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot, clock)
        for name in ("servers", "firewalls", "ssh_keys", "billing", "account"):
            if name != "servers":
                await pilot.press(SECTION_KEYS[name])
                await until(pilot, clock, lambda n=name: app.current_mode == n)
            selector = TABLES.get(name, "#servers-table")
            grid = section(app).query_one(selector)
            await until(pilot, clock, lambda g=grid: g.visible_keys)
            before = list(grid.visible_keys)

            sim.faults = BROKEN[kind]
            await pilot.press("ctrl+r")
            for _ in range(3):
                clock.advance(30.0)
                await settle(pilot, clock, 2)
            assert list(grid.visible_keys) == before, name
            assert app.is_running and app._exception is None
            assert_clean(app)
            sim.faults = Faults()
            clock.advance(60.0)
            await settle(pilot, clock, 2)
        assert app._exception is None
        shown = " ".join(toasts(app)) + " ".join(str(w.render()) for w in app.screen.query("*"))
        assert "Traceback" not in shown


async def test_a_one_megabyte_hostname_is_cut_and_harmless(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = next(iter(sim.world.servers.values()))
    target.hostname = "[b]" + "x" * 1_000_000 + "\x1b]0;t\x07"
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot, clock)
        text = assert_clean(app)
        assert "[b]xxxxxxxxxxxxxxxxxxxx…" in text
        assert app.is_running
