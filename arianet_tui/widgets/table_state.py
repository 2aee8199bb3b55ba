"""What a ResourceTable says when it has no rows: loading, empty with what to do, or failed."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from .resource_table import ResourceTable
from .safe import safe_plain, truncate_cells


def set_empty_text(table: ResourceTable[Any], text: str) -> None:
    """Replace the table's empty-state line, such as "No SSH keys yet: press n to add one"."""
    setter = getattr(table, "set_empty_text", None)
    if callable(setter):
        setter(text)
    else:
        for line in table.query(".resource-table--empty").results(Static):
            line.update(Text(text))
    # A table that never had a row is not marked empty by itself, so its line stays hidden.
    table.set_class(not table.visible_keys, "-empty")


def failure_note(error: Exception) -> str:
    """The info-line note after a failed read: the last good rows stay, marked stale."""
    return f"stale: {truncate_cells(safe_plain(error), 60)}; ctrl+r retries"
