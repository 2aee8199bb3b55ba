"""The two header lines: who and what is shown, the read budget, and the section tabs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from .safe import safe_plain


def short_duration(seconds: float) -> str:
    """A compact duration for the header: ``42s``, ``6m``, ``1h 5m``."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h {rest // 60}m" if rest >= 60 else f"{hours}h"


@dataclass(frozen=True)
class BudgetView:
    """A rate-limit bucket as the header shows it: reads always, writes when low."""

    remaining: int
    limit: int
    #: Seconds until the window resets; None when no response has said yet.
    resets_in: float | None = None
    #: Seconds until a 429 lifts; None when requests are allowed.
    blocked_for: float | None = None
    name: str = "reads"

    @property
    def low(self) -> bool:
        return self.blocked_for is not None or self.remaining <= self.limit // 10

    def render(self) -> Text:
        text = Text(f"{self.name} {self.remaining}/{self.limit}")
        if self.blocked_for is not None:
            text.stylize("bold red")
            text.append(f", blocked {short_duration(self.blocked_for)}", style="bold red")
        elif self.resets_in is not None:
            text.append(f", resets in {short_duration(self.resets_in)}")
        if self.blocked_for is None and self.remaining <= self.limit // 10:
            text.stylize("yellow")
        return text


@dataclass(frozen=True)
class HeaderState:
    """Everything the header shows; the app builds one every second."""

    email: str | None = None
    balance: str | None = None
    budget: BudgetView | None = None
    #: Seconds since the data on screen was last read; None before the first read.
    updated_ago: float | None = None
    stale: bool = False
    demo: bool = False
    read_only: bool = False
    #: The write bucket, shown only when it runs low.
    writes: BudgetView | None = None
    #: Why the service cannot be reached, while it cannot; shown as a banner line.
    outage: str | None = None
    #: The config-file profile in use, None without one.
    profile: str | None = None
    #: The profile is marked production: the top line becomes a red band.
    production: bool = False


class AppHeader(Vertical):
    """Account, balance, read budget and data age; DEMO and READ-ONLY marks stay visible."""

    DEFAULT_CSS = """
    AppHeader {
        height: auto;
        background: $panel;
    }
    AppHeader > #header-top {
        height: 1;
    }
    AppHeader > #header-banner {
        display: none;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $warning 30%;
    }
    AppHeader.-outage > #header-banner {
        display: block;
    }
    AppHeader #header-left {
        width: 1fr;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    AppHeader #header-right {
        width: auto;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._state = HeaderState()
        self._right_width = -1

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-top"):
            yield Static(id="header-left")
            yield Static(id="header-right")
        yield Static(id="header-banner")

    def on_mount(self) -> None:
        self._paint()

    def show(self, state: HeaderState) -> None:
        """Show ``state``; before the header is mounted it is kept for the first paint."""
        if state == self._state and self.is_mounted:
            return
        self._state = state
        if self.is_mounted:
            self._paint()

    def _paint(self) -> None:
        if not self.query("#header-banner"):
            # Shown between mount and compose: on_mount paints once the children exist.
            return
        state = self._state
        left = Text(no_wrap=True, overflow="ellipsis")
        if state.demo:
            left.append(" DEMO ", style="bold black on yellow")
            left.append(" ")
        if state.read_only:
            left.append(" READ-ONLY ", style="bold white on blue")
            left.append(" ")
        if state.production:
            left.append(" PRODUCTION ", style="bold white on red")
            left.append(" ")
        if state.profile:
            left.append(state.profile, style="bold italic")
            left.append(" · ")
        left.append(safe_plain(state.email) if state.email else "…", style="bold")

        right = Text(no_wrap=True)
        if state.balance is not None:
            right.append(state.balance, style="bold")
            right.append("  ")
        if state.budget is not None:
            right.append_text(state.budget.render())
        if state.writes is not None and state.writes.low:
            right.append("  ")
            right.append_text(state.writes.render())
        right.append("  ")
        if state.updated_ago is None:
            right.append("loading…", style="dim")
        else:
            right.append(f"updated {short_duration(state.updated_ago)} ago")
        if state.stale:
            right.append(" STALE", style="bold yellow")

        # One line each: only a change in the right part's width needs a layout, which
        # costs the whole screen (10-15 ms at 120x36) on every data update otherwise.
        self.query_one("#header-left", Static).update(left, layout=False)
        resized = right.cell_len != self._right_width
        self._right_width = right.cell_len
        self.query_one("#header-right", Static).update(right, layout=resized)
        self.set_class(state.outage is not None, "-outage")
        self.set_class(state.production, "-production")
        if state.outage is not None:
            banner = Text(no_wrap=True, overflow="ellipsis")
            banner.append("Offline: ", style="bold")
            banner.append(safe_plain(state.outage))
            banner.append(" Showing the last data; retrying by itself.")
            self.query_one("#header-banner", Static).update(banner, layout=False)


class SectionTabs(Static):
    """The six sections with their keys; the current one stands out."""

    DEFAULT_CSS = """
    SectionTabs {
        height: 1;
        padding: 0 1;
        background: $boost;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, sections: Sequence[tuple[str, str]], current: str) -> None:
        super().__init__()
        self.sections = list(sections)
        self.current = current

    def on_mount(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for number, (key, title) in enumerate(self.sections, start=1):
            style = "bold reverse" if key == self.current else ""
            text.append(f" {number} ", style="bold" if key != self.current else style)
            text.append(f"{title} ", style=style)
            text.append(" ")
        self.update(text)
