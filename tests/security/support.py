"""What the terminal would receive: the screen as raw output and as plain lines."""

from __future__ import annotations

import re
from typing import Any

from textual.app import App

# What Textual itself writes while painting: colours (SGR) and cursor moves (CUP).
_PAINT = re.compile(r"\x1b\[[0-9;:]*[mH]")
# The hostile names of the simulator, as they must appear on screen.
LITERAL_MARKUP = "[bold red]x[/]"


def terminal_output(app: App[Any]) -> str:
    """The bytes a real driver would write to paint the whole current screen."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


def screen_lines(app: App[Any]) -> list[str]:
    """The screen as the user reads it: one plain string per terminal line."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


def foreign_escapes(output: str) -> list[str]:
    """Control characters left once the colours and cursor moves of painting are removed."""
    rest = _PAINT.sub("", output)
    return [repr(rest[max(0, m.start() - 20) : m.end() + 20]) for m in _UNSAFE.finditer(rest)]


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_clean(app: App[Any]) -> str:
    """The screen holds no escape, BEL, OSC or bidi override; returns its plain text."""
    output = terminal_output(app)
    assert foreign_escapes(output) == []
    text = screen_text(app)
    assert _UNSAFE.search(text) is None
    return text


class WriteLog:
    """Everything written to the driver, such as Textual's clipboard escape (OSC 52)."""

    def __init__(self, app: App[Any]) -> None:
        self.data: list[str] = []
        driver = app._driver
        assert driver is not None
        original = driver.write

        def write(data: str) -> None:
            self.data.append(data)
            original(data)

        driver.write = write  # type: ignore[method-assign]

    @property
    def text(self) -> str:
        return "".join(self.data)
