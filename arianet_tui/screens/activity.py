"""The activity panel: every write of this session, its state, timing and curl command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..live.journal import ActivityJournal, JournalEntry
from ..widgets.resource_table import Column, ResourceTable
from ..widgets.safe import safe_text

STATE_STYLES = {
    "queued": "dim",
    "running": "cyan",
    "done": "green",
    "failed": "bold red",
    "unknown": "bold yellow",
}


def _state(entry: JournalEntry) -> Text:
    label = "unknown, verify" if entry.state == "unknown" else entry.state
    return Text(label, style=STATE_STYLES.get(entry.state, ""))


def _took(entry: JournalEntry) -> Text:
    duration = entry.duration
    return Text("" if duration is None else f"{duration:.1f}s", justify="right")


COLUMNS: list[Column[JournalEntry]] = [
    Column("id", "#", lambda e: Text(str(e.id), justify="right"), sort_key=lambda e: e.id),
    Column("state", "State", _state),
    Column("action", "Action", lambda e: safe_text(e.action, limit=16)),
    Column("target", "Target", lambda e: safe_text(e.target, limit=24)),
    Column("took", "Took", _took, sort_key=lambda e: e.duration or 0.0),
    Column("message", "Message", lambda e: safe_text(e.message, limit=40)),
]


def _fields(entry: JournalEntry) -> dict[str, str]:
    return {
        "action": entry.action,
        "target": entry.target,
        "state": entry.state,
        "method": entry.method,
        "path": entry.path,
        "message": entry.message,
    }


class ActivityScreen(ModalScreen[None]):
    """The journal as a table, newest first; the curl of the row under the cursor below."""

    DEFAULT_CSS = """
    ActivityScreen {
        align: center middle;
        background: $background 60%;
    }
    ActivityScreen > #activity {
        width: 100%;
        height: 100%;
        border: thick $primary 80%;
        background: $surface;
    }
    ActivityScreen #activity-detail {
        height: auto;
        max-height: 6;
        padding: 0 1;
        background: $panel;
    }
    """

    BINDINGS = [
        Binding("escape,A", "dismiss", "Close", id="activity.close"),
    ]

    def __init__(self, journal: ActivityJournal) -> None:
        super().__init__()
        self.journal = journal
        self._unsubscribe: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="activity") as box:
            box.border_title = "Activity"
            box.border_subtitle = "escape closes"
            yield ResourceTable(
                COLUMNS,
                key=lambda e: e.id,
                fields=_fields,
                title="Writes",
                sort="id",
                empty_text="No writes yet in this session.",
                id="activity-table",
            )
            yield Static(id="activity-detail")

    def on_mount(self) -> None:
        table = self.table
        table.sort_by("id", reverse=True)
        table.update_rows(self.journal.entries)
        table.focus_table()
        self._unsubscribe = self.journal.subscribe(self._entry_changed)
        self._show_detail(table.current)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    @property
    def table(self) -> ResourceTable[JournalEntry]:
        return self.query_one("#activity-table", ResourceTable)

    def _entry_changed(self, entry: JournalEntry) -> None:
        self.table.update_rows([entry])
        if self.table.current_key == str(entry.id):
            self._show_detail(entry)

    @on(ResourceTable.RowHighlighted)
    def _highlighted(self, event: ResourceTable.RowHighlighted) -> None:
        self._show_detail(event.record)

    def _show_detail(self, entry: Any) -> None:
        detail = self.query_one("#activity-detail", Static)
        if not isinstance(entry, JournalEntry):
            detail.update("")
            return
        text = Text.assemble(
            (f"{entry.method} /{entry.path}", "bold"),
            "  ",
            _state(entry),
            "\n",
        )
        if entry.message:
            text.append_text(safe_text(entry.message))
            text.append("\n")
        text.append_text(safe_text(entry.curl, style="dim"))
        detail.update(text)
