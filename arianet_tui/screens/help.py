"""``?``: the keys of the screen the user is on, grouped by where they work."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def keys_table(screen: Screen[object]) -> Table:
    """The keys in reach on ``screen``: its own first, then its widgets', the app's last.

    Only bindings with an id and a description are listed: they are the dashboard's own,
    not the generic scrolling keys every Textual widget has.
    """
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    app = screen.app
    keys: dict[tuple[int, str], list[str]] = {}
    described: dict[tuple[int, str], tuple[int, str]] = {}
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not binding.description or not binding.id:
            continue
        rank = 0 if node is screen else 2 if node is app else 1
        slot = (id(node), binding.action)
        display = binding.key_display or app.get_key_display(binding) or key
        keys.setdefault(slot, []).append(display)
        described[slot] = (rank, binding.tooltip or binding.description)
    for slot in sorted(described, key=lambda s: described[s][0]):
        table.add_row(" ".join(dict.fromkeys(keys[slot])), Text(described[slot][1]))
    return table


class KeysHelp(ModalScreen[None]):
    """A list of the keys that work on the screen below; any of escape, ? or q closes it."""

    DEFAULT_CSS = """
    KeysHelp {
        align: center middle;
        background: $background 60%;
    }
    KeysHelp > VerticalScroll {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary 80%;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.table = keys_table(screen)
        self.title_text = f"Keys: {screen.title or type(screen).__name__}"

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = self.title_text
            scroll.border_subtitle = "escape closes"
            yield Static(self.table)
