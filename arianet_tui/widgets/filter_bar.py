"""A one-line filter input: narrows as you type, ``enter`` keeps it, ``escape`` clears it."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """The filter input of a list; hidden while empty and unfocused."""

    DEFAULT_CSS = """
    FilterBar {
        dock: bottom;
        height: 1;
        border: none;
        padding: 0 1;
        display: none;
        background: $boost;
    }
    FilterBar:focus {
        border: none;
        background: $primary 20%;
    }
    FilterBar.-active {
        display: block;
    }
    """

    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", id="filter.clear"),
    ]

    class QueryChanged(Message):
        """The filter text changed; the list narrows at once."""

        def __init__(self, bar: FilterBar, query: str) -> None:
            super().__init__()
            self.bar = bar
            self.query = query

        @property
        def control(self) -> FilterBar:
            return self.bar

    class Done(Message):
        """The user left the filter bar; ``query`` is kept (empty after ``escape``)."""

        def __init__(self, bar: FilterBar, query: str) -> None:
            super().__init__()
            self.bar = bar
            self.query = query

        @property
        def control(self) -> FilterBar:
            return self.bar

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(
            placeholder=placeholder or "filter: words or key:value, e.g. status:active",
            id=id,
            select_on_focus=False,
        )

    def open(self) -> None:
        """Show the bar and put the cursor in it."""
        self.add_class("-active")
        # Focus now, not on the next idle: keys typed right after "/" (a paste, a fast
        # typist over SSH) must reach the filter, never the list's bindings such as "s".
        self.screen.set_focus(self)
        self.cursor_position = len(self.value)

    def clear_filter(self) -> None:
        """Empty the filter and hide the bar without moving focus."""
        self.remove_class("-active")
        if self.value:
            self.value = ""

    def action_clear_filter(self) -> None:
        self.clear_filter()
        self.post_message(self.Done(self, ""))

    @on(Input.Changed)
    def _relay_change(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(self, event.value))

    @on(Input.Submitted)
    def _relay_submit(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.value:
            self.remove_class("-active")
        self.post_message(self.Done(self, self.value))
