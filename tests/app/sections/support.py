"""Helpers for the section tests: open a section, read its tables, find dialogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TextArea

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.base import SectionScreen
from arianet_tui.widgets.resource_table import ResourceTable

from ..support import loaded, settle, until

S = TypeVar("S", bound=Screen[Any])

SECTION_KEYS = {"firewalls": "2", "ssh_keys": "3", "billing": "4", "catalog": "5", "account": "6"}
TABLES = {
    "firewalls": "#firewalls-table",
    "ssh_keys": "#ssh-keys-table",
    "billing": "#transactions-table",
    "catalog": "#catalog-plans",
    "account": "#account-tokens",
}


def section(app: App[Any]) -> Any:
    """The section screen under any dialogs (typed loosely: each section has its own API)."""
    return next(s for s in reversed(app.screen_stack) if isinstance(s, SectionScreen))


def table(app: App[Any], selector: str | None = None) -> ResourceTable[Any]:
    screen: SectionScreen = section(app)
    return screen.query_one(selector or TABLES[screen.SECTION], ResourceTable)


async def open_section(
    pilot: Pilot[None], clock: FakeClock, name: str, ready: Callable[[], object] | None = None
) -> ResourceTable[Any]:
    """Start the app, go to a section and wait until its main table has rows."""
    app = pilot.app
    assert isinstance(app, ArianetApp)
    await loaded(pilot, clock)
    await pilot.press(SECTION_KEYS[name])
    await until(pilot, clock, lambda: app.current_mode == name)
    await until(pilot, clock, ready or (lambda: table(app).visible_keys))
    await settle(pilot, clock)
    return table(app)


async def dialog(pilot: Pilot[None], clock: FakeClock, kind: type[S]) -> S:
    """Wait for a dialog of ``kind`` on top and return it."""
    await until(pilot, clock, lambda: isinstance(pilot.app.screen, kind))
    await settle(pilot, clock, 2)
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


def steady(app: ArianetApp) -> None:
    """Stop cursor blink and toasts so a screenshot is the same every run."""
    for screen in app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
    app.clear_notifications()


def toasts(app: ArianetApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]
