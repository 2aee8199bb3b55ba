"""The hostile account in every view: names and messages are shown, never obeyed."""

from __future__ import annotations

from app.sections.support import SECTION_KEYS, TABLES, section, toasts
from app.support import loaded, press_on, select, servers_table, settle, until, writes
from rich.cells import cell_len
from textual.pilot import Pilot

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.dialogs import ConfirmDialog
from arianet_tui.screens.server_detail import ServerDetailScreen
from arianet_tui.sim import SimState
from arianet_tui.sim.hostile import HOSTILE_STRINGS
from arianet_tui.widgets.safe import safe_plain

from .support import LITERAL_MARKUP, WriteLog, assert_clean, screen_lines

SIZE = (160, 50)
EVIL_IP = "192.0.2.99\x1b]0;pwned\x07\x1b]8;;https://example.org\x07"
LONG = "h" * 300
# Only these OSC sequences may reach the terminal, and only from Textual itself.
BUILT_FROM_API = ("\x1b]0;", "\x1b]2;", "\x1b]8;", "\x1b]52;c;aGk=")


def server_named(sim: SimState, hostname: str) -> int:
    return next(s.id for s in sim.world.servers.values() if s.hostname == hostname)


async def open_section(pilot: Pilot[None], clock: FakeClock, name: str) -> str:
    """Go to a section, wait for its table, and return its clean screen text."""
    await pilot.press(SECTION_KEYS[name])
    await until(pilot, clock, lambda: pilot.app.current_mode == name)
    await until(pilot, clock, lambda: section(pilot.app).query_one(TABLES[name]).visible_keys)
    await settle(pilot, clock)
    return assert_clean(pilot.app)


async def test_every_section_shows_hostile_names_literally(
    app: ArianetApp, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, clock)
        servers = assert_clean(app)
        assert LITERAL_MARKUP in servers
        assert "[@click=app.quit]y[/]" in servers
        assert "bidi <U+202E>evil.exe" in servers
        assert "clear\\x1b[2Jscreen" in servers
        assert "carriage\\x0dreturn" in servers

        seen = {"servers": servers}
        for name in SECTION_KEYS:
            seen[name] = await open_section(pilot, clock, name)
        for name in ("firewalls", "ssh_keys", "billing", "account"):
            assert "\\x" in seen[name] or LITERAL_MARKUP in seen[name], name
        assert any(LITERAL_MARKUP in text for text in seen.values())
        assert app.is_running


async def test_long_names_are_cut_in_the_table_and_whole_in_the_detail(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = server_named(sim, LONG)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, clock)
        row = next(line for line in screen_lines(app) if "hhhh" in line)
        cut = row.split()[0]
        assert cut.endswith("…") and cell_len(cut) <= 24

        await select(pilot, clock, target)
        await pilot.press("enter")
        await until(pilot, clock, lambda: isinstance(app.screen, ServerDetailScreen))
        await settle(pilot, clock)
        text = assert_clean(app)
        assert LONG in "".join(line.strip(" │┃▎▊") for line in text.splitlines())


async def test_wide_characters_keep_the_columns_aligned(app: ArianetApp, clock: FakeClock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, clock)
        rows = [line for line in screen_lines(app) if "192.0.2." in line]
        assert any("🚀" in row for row in rows) and any("東京" in row for row in rows)
        # The status badge starts at the same terminal column on every row.
        columns = {cell_len(row[: row.index("●")]) for row in rows if "●" in row}
        assert len(columns) == 1


async def test_every_hostile_server_detail_is_clean(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, clock)
        for hostname in HOSTILE_STRINGS:
            if not hostname:
                continue
            await select(pilot, clock, server_named(sim, hostname))
            await pilot.press("enter")
            await until(pilot, clock, lambda: isinstance(app.screen, ServerDetailScreen))
            await settle(pilot, clock)
            assert_clean(app)
            await pilot.press("escape")
            await until(pilot, clock, lambda: not isinstance(app.screen, ServerDetailScreen))
        assert app.is_running


async def test_dialog_activity_and_toasts_stay_literal(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = next(
        s
        for s in sim.world.servers.values()
        if s.hostname == "[@click=app.quit]y[/]" or s.hostname == LITERAL_MARKUP
    )
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, clock)
        await select(pilot, clock, target.id)
        # The server stops behind the app's back: the restart fails with a hostile message.
        target.instance_status = "stopped"
        await pilot.press("r")
        await until(pilot, clock, lambda: isinstance(app.screen, ConfirmDialog))
        await settle(pilot, clock)
        assert target.hostname in assert_clean(app)

        await pilot.press("y")
        await until(pilot, clock, lambda: writes(sim))
        await until(pilot, clock, lambda: app.services.journal.entries[-1].finished)
        assert any("[bold red]x[/]" in toast for toast in toasts(app))
        assert_clean(app)

        await pilot.press("A")
        await settle(pilot, clock)
        text = assert_clean(app)
        assert "curl" in text and LITERAL_MARKUP in text
        assert app.is_running


async def test_clicking_hostile_cells_runs_nothing(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, clock)
        before = len(sim.requests)
        for y, line in enumerate(screen_lines(app)):
            if "[@click" in line or "[link=" in line or "\\x1b]8" in line:
                x = line.index("[") if "[" in line else line.index("\\")
                await pilot.click(offset=(x + 1, y))
                await settle(pilot, clock)
                assert app.is_running and app.return_code is None
        assert not isinstance(app.screen, ConfirmDialog)
        assert writes(sim) == []
        assert len(sim.requests) >= before
        assert app.is_running


async def test_copy_copies_the_sanitised_value_and_no_escape_is_emitted(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = sim.world.servers[server_named(sim, "clip\x1b]52;c;aGk=\x07board")]
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot, clock)
        written = WriteLog(app)
        # An address with escapes in it, as a compromised API could send.
        target.ip_addresses = [(EVIL_IP, "primary")]
        await pilot.press("ctrl+r")
        table = servers_table(app)
        await until(pilot, clock, lambda: "pwned" in str(table.record(str(target.id))))
        await press_on(pilot, clock, target.id, "c")
        assert app.clipboard == safe_plain(EVIL_IP)
        for sequence in BUILT_FROM_API:
            assert sequence not in written.text
        assert "pwned" not in app.title + app.sub_title
        assert_clean(app)
        assert any("pwned" in toast and "\x1b" not in toast for toast in toasts(app))
