"""A ``[keymap]`` moves a binding to other keys: the new key works, the old one no longer
does, and ``?`` and the footer show the new one."""

from __future__ import annotations

from textual.widgets import Footer

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.context import Services
from arianet_tui.screens.dialogs import ConfirmDialog
from arianet_tui.screens.help import KeysHelp, keys_table
from arianet_tui.sim import SimState

from .support import loaded, plain, running, select, settle, writes

KEYMAP = {"servers.restart": "R", "app.keys": "f1"}


def _keys_for(app: ArianetApp, action: str) -> set[str]:
    bindings = app.screen.active_bindings.items()
    return {key for key, active in bindings if active.binding.action == action}


async def test_a_remapped_key_runs_the_action_and_the_old_key_does_not(
    services: Services, sim: SimState, clock: FakeClock
) -> None:
    app = ArianetApp(services, keymap=KEYMAP)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot, clock)
        await select(pilot, clock, running(sim).id)

        await pilot.press("r")
        await settle(pilot, clock)
        assert not isinstance(app.screen, ConfirmDialog)

        await pilot.press("R")
        await settle(pilot, clock)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        assert _keys_for(app, "restart") == {"R"}
        footer = app.screen.query_one(Footer)
        shown = {item.key_display for item in footer.query("FooterKey")}  # type: ignore[attr-defined]
        assert "R" in shown and "r" not in shown

        await pilot.press("question_mark")
        await settle(pilot, clock)
        assert not isinstance(app.screen, KeysHelp)
        await pilot.press("f1")
        await settle(pilot, clock)
        assert isinstance(app.screen, KeysHelp)
        listed = plain(keys_table(app.screen_stack[-2]))
        restart_line = next(line for line in listed.splitlines() if "Restart" in line)
        assert restart_line.split()[0] == "R"
