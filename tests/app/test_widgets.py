"""The safe-text step, the filter language, the resource table, rules and token storage."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets._footer import FooterKey

from arianet_tui.api.models import Server
from arianet_tui.cli import build_parser, settings_from
from arianet_tui.config import TokenFileError, read_token_file, write_token_file
from arianet_tui.screens.server_rules import Action, hostname_problem, refusal
from arianet_tui.widgets.footer import KeysFooter
from arianet_tui.widgets.header import BudgetView, short_duration
from arianet_tui.widgets.query import parse_query
from arianet_tui.widgets.resource_table import Column, ResourceTable
from arianet_tui.widgets.safe import safe_plain, safe_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("web-1", "web-1"),
        ("[bold red]x[/]", "[bold red]x[/]"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("bell\x07", "bell\\x07"),
        ("del\x7f", "del\\x7f"),
        ("c1\x9b", "c1\\x9b"),
        ("tab\tnew\nline", "tab\tnew\nline"),
        ("evil\u202etxt.exe", "evil<U+202E>txt.exe"),
        ("iso\u2066late\u2069", "iso<U+2066>late<U+2069>"),
        (None, ""),
    ],
)
def test_safe_plain_makes_control_and_bidi_characters_visible(raw: str | None, shown: str) -> None:
    assert safe_plain(raw) == shown


def test_safe_text_is_literal_and_cut_by_cell_width() -> None:
    text = safe_text("[b]markup[/b]")
    assert isinstance(text, Text) and text.plain == "[b]markup[/b]" and not text.spans
    assert safe_text("abcdefghij", limit=5).plain == "abcd…"
    assert safe_text("日本語のホスト", limit=5).cell_len <= 5
    assert safe_text("short", limit=10).plain == "short"


def test_query_terms_words_fields_and_negation() -> None:
    fields = {"hostname": "web-1", "status": "active", "ip": "2001:db8::1"}
    names = fields.keys()
    assert parse_query("web", names).matches(fields)
    assert parse_query("status:active", names).matches(fields)
    assert not parse_query("status:suspended", names).matches(fields)
    assert not parse_query("-status:active", names).matches(fields)
    assert parse_query("2001:db8", names).matches(fields)  # not a field: a plain word
    assert parse_query("status:", names).matches(fields)  # still typing
    assert not parse_query("web mail", names).matches(fields)


@pytest.mark.parametrize(
    ("hostname", "ok"),
    [
        ("web-1", True),
        ("a.b-c.example", True),
        ("Web1", True),
        ("-web", False),
        ("web-", False),
        ("web_1", False),
        ("a..b", False),
        ("", False),
        ("x" * 64, False),
    ],
)
def test_hostnames_are_checked_against_rfc_1123(hostname: str, ok: bool) -> None:
    assert (hostname_problem(hostname) is None) is ok


def _server(**fields: object) -> Server:
    base: dict[str, object] = {"id": 1, "status": "active", "instance_status": "running"}
    return Server.model_validate({**base, "hostname": "web-1", **fields})


def test_actions_that_make_no_sense_are_refused_with_a_reason() -> None:
    assert refusal(Action.RESTART, _server()) is None
    assert "already running" in (refusal(Action.POWER_ON, _server()) or "")
    assert "already stopped" in (
        refusal(Action.POWER_OFF, _server(instance_status="stopped")) or ""
    )
    creating = _server(status="creating", instance_status=None)
    assert "still being created" in (refusal(Action.RENAME, creating) or "")
    assert refusal(Action.DELETE, creating) is None
    assert "busy" in (refusal(Action.REINSTALL, _server(instance_status="restarting")) or "")


def test_the_budget_reads_like_the_header_should() -> None:
    assert BudgetView(83, 100, 360).render().plain == "reads 83/100, resets in 6m"
    assert "blocked 42s" in BudgetView(0, 100, 42, 42).render().plain
    assert short_duration(3720) == "1h 2m"


class _TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResourceTable(
            [
                Column("name", "Name", lambda r: Text(r["name"])),
                Column("state", "State", lambda r: Text(r["state"])),
            ],
            key=lambda r: r["id"],
            fields=lambda r: {"name": r["name"], "state": r["state"]},
            title="Things",
            flash_seconds=60,
        )


def _rows(n: int, **changes: str) -> list[dict[str, object]]:
    return [{"id": i, "name": f"n{i:02}", "state": changes.get(str(i), "on")} for i in range(n)]


async def test_the_table_updates_in_place_and_flags_changed_rows() -> None:
    app = _TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(ResourceTable)
        table.update_rows(_rows(30), complete=True)
        await pilot.pause()
        table.move_to(12)
        await pilot.press("space")
        table.move_to(7)
        await pilot.pause()
        table.update_rows(_rows(30, **{"3": "off"}), complete=True)
        await pilot.pause()
        assert table.current_key == "7"
        assert table.marked_keys == {"12"}
        assert table.grid.get_cell("3", "_gutter").plain == "•"
        assert table.grid.get_cell("3", "state").plain == "off"

        table.update_rows(_rows(20), complete=True)  # ten rows went away
        await pilot.pause()
        assert table.count_text == "20 of 20"
        assert table.marked_keys == {"12"}


def test_the_token_file_is_private_and_refused_when_others_can_read_it(tmp_path: Path) -> None:
    path = tmp_path / "config" / "token"
    assert read_token_file(path) is None
    write_token_file(path, "arr_secret_0123")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_token_file(path) == "arr_secret_0123"
    os.chmod(path, 0o644)
    with pytest.raises(TokenFileError, match=f"chmod 600 {path}"):
        read_token_file(path)


def test_command_line_options_become_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARIANET_BASE_URL", "https://env.example/api/v1")
    args = build_parser().parse_args(["--read-only", "--theme", "nord"])
    settings = settings_from(args)
    assert settings.read_only and settings.theme == "nord"
    assert settings.base_url == "https://env.example/api/v1"
    args = build_parser().parse_args(["--base-url", "https://cli.example/api/v1"])
    assert settings_from(args).base_url == "https://cli.example/api/v1"


def _screen_lines(app: App[None]) -> list[str]:
    """The screen from each widget's cached lines: a line not repainted would show stale."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def _line_of(app: App[None], name: str) -> str:
    return next(line for line in _screen_lines(app) if f" {name} " in line)


async def test_only_changed_lines_are_repainted_and_none_is_left_stale() -> None:
    app = _TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(ResourceTable)
        grid = table.grid
        table.update_rows(_rows(30), complete=True)
        await pilot.pause()
        table.move_to(4)
        await pilot.pause()
        first_rows = {line.split()[0] for line in _screen_lines(app)[2:14]}
        assert {"n00", "n01", "n02"} <= first_rows

        # A cursor move repaints two lines, not the grid.
        asked: list[tuple[Region, ...]] = []
        repaint = grid.refresh

        def spy(*regions: Region, **kwargs: bool) -> object:
            asked.append(regions)
            return repaint(*regions, **kwargs)

        grid.refresh = spy  # type: ignore[method-assign]
        await pilot.press("j")
        del grid.refresh
        assert grid.cursor_row == 5
        assert asked and all(asked), "a whole-grid refresh"
        assert sorted(r.y for regions in asked for r in regions) == [5, 6]  # header is line 0
        # What is on screen: the cursor's colour left n04 for n05.
        cursor = grid.get_component_rich_style("datatable--cursor").bgcolor
        strips = app.screen._compositor.render_strips()
        on_cursor = [
            "".join(seg.text for seg in strip).split()[0]
            for strip in strips[2:14]
            if any(seg.style and seg.style.bgcolor == cursor for seg in strip)
        ]
        assert on_cursor == ["n05"]

        # A changed record on screen is drawn again; the rows around it are not touched.
        table.update_rows(_rows(30, **{"2": "off"}), complete=True)
        await pilot.pause()
        assert "off" in _line_of(app, "n02")
        assert "off" not in _line_of(app, "n01") and "off" not in _line_of(app, "n03")

        # Even once the grid's cache of drawn rows was emptied (it is, when full).
        grid._segments.clear()
        table.update_rows(_rows(30, **{"1": "off", "2": "off"}), complete=True)
        await pilot.pause()
        assert "off" in _line_of(app, "n01")

        def shown_as_viewed() -> None:
            top = round(grid.scroll_y)
            names = {key: table.records[key]["name"] for key in table.visible_keys}
            shown = [line.lstrip(" •").split()[0] for line in _screen_lines(app)[2:14]]
            assert shown == [names[k] for k in table.visible_keys[top : top + 12]]

        # A renamed row moves up past the cursor's neighbours without a scroll: every line
        # whose row changed is painted again.
        rows = _rows(30, **{"2": "off"})
        rows[8]["name"] = "n05a"
        table.update_rows(rows, complete=True)
        await pilot.pause()
        assert grid.cursor_row == 5 and round(grid.scroll_y) == 0
        shown_as_viewed()

        # So is a new order that scrolls.
        table.sort_by("name", reverse=True)
        await pilot.pause()
        shown_as_viewed()


class _FooterApp(App[None]):
    BINDINGS = [("a", "alpha", "Alpha"), ("b", "beta", "Beta")]

    beta_allowed = True

    def compose(self) -> ComposeResult:
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "beta" and not self.beta_allowed else True

    def action_alpha(self) -> None: ...

    def action_beta(self) -> None: ...


async def test_the_footer_is_rebuilt_only_when_its_keys_change() -> None:
    app = _FooterApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        keys = list(app.query(FooterKey))
        assert [k.description for k in keys] == ["Alpha", "Beta"]

        for _ in range(3):  # focus, stack and idle changes signal the same keys
            app.screen.refresh_bindings()
            await pilot.pause()
        assert list(app.query(FooterKey)) == keys

        app.beta_allowed = False
        app.screen.refresh_bindings()
        await pilot.pause()
        rebuilt = list(app.query(FooterKey))
        assert rebuilt != keys
        assert [k.has_class("-disabled") for k in rebuilt] == [False, True]


def test_running_the_app_freezes_the_start_up_heap(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gc

    from arianet_tui.app import ArianetApp

    frozen: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(gc.get_count()[0]))

    async def leave(pilot: object) -> None:
        assert frozen, "the heap was not frozen before the app ran"
        app.exit()

    app = ArianetApp(None, token_path=tmp_path / "token")
    app.run(headless=True, size=(80, 24), auto_pilot=leave)
    assert len(frozen) == 1
