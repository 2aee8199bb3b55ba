"""The SSH keys section: every key with its type and fingerprint, the whole key below.

Fingerprints are computed here from the key itself (SHA-256, as ``ssh-keygen -l`` prints
them), so they can be compared with ``ssh-keygen -l -f ~/.ssh/id_ed25519.pub`` at a glance.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..api.models import SshKey
from ..widgets.badges import age
from ..widgets.resource_table import Column, ResourceTable
from ..widgets.safe import safe_plain, safe_text
from ..widgets.sshkey_format import describe as parsed
from ..widgets.table_state import failure_note
from .base import SectionScreen
from .dialogs import ConfirmDialog
from .ssh_key_actions import FEED, SshKeyActions

EMPTY = "No SSH keys yet: press n to add one (paste it, or pick a ~/.ssh/*.pub file)."


def key_type(key: SshKey) -> str:
    found = parsed(key.key)
    return found.summary if found else "unreadable"


def key_fingerprint(key: SshKey) -> str:
    found = parsed(key.key)
    return found.fingerprint if found else "-"


def key_columns(now: Callable[[], float]) -> list[Column[SshKey]]:
    return [
        Column("name", "Name", lambda k: safe_text(k.name, limit=24), lambda k: k.name.lower()),
        Column("type", "Type", lambda k: Text(key_type(k))),
        Column(
            "protected",
            "Prot",
            lambda k: Text("yes", style="bold") if k.protected else Text("-", style="dim"),
            lambda k: not k.protected,
        ),
        Column(
            "age",
            "Age",
            lambda k: Text(age(k.created_at, now())),
            lambda k: -(k.created_at.timestamp() if k.created_at else 0.0),
        ),
        Column("fingerprint", "Fingerprint", lambda k: Text(key_fingerprint(k))),
    ]


def key_fields(key: SshKey) -> dict[str, str]:
    found = parsed(key.key)
    return {
        "name": key.name,
        "type": key_type(key),
        "fingerprint": key_fingerprint(key),
        "comment": found.comment if found else "",
    }


def key_details(key: SshKey, now: float, *, whole_key: bool = True) -> Table:
    """Every field of one key, for the panel under the list and the detail dialog."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    found = parsed(key.key)
    grid.add_row("Name", safe_text(key.name, style="bold"))
    if found is None:
        grid.add_row("Type", Text("not a readable OpenSSH public key", style="yellow"))
    else:
        bits = f", {found.bits} bits" if found.bits else ""
        grid.add_row("Type", Text(f"{found.label}{bits}  ({found.key_type})"))
        grid.add_row("Fingerprint", Text(found.fingerprint, style="bold"))
        grid.add_row("Comment", safe_text(found.comment or "-"))
    added = "-"
    if key.created_at is not None:
        when = key.created_at.astimezone(UTC).strftime("%Y-%m-%d")
        added = f"{when} ({age(key.created_at, now)} ago)"
    protection = "  protected: cannot be deleted" if key.protected else ""
    grid.add_row("Added", Text(added + protection))
    if whole_key:
        grid.add_row("Public key", safe_text(key.key))
    return grid


class SshKeysScreen(SshKeyActions, SectionScreen):
    """Section 3: the account's SSH keys."""

    SECTION = "ssh_keys"
    TITLE = "SSH keys"
    data_feed = FEED

    DEFAULT_CSS = """
    SshKeysScreen #ssh-keys-table {
        height: 1fr;
    }
    SshKeysScreen #ssh-key-detail {
        height: 11;
        border-top: solid $panel-lighten-2;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("n", "add_key", "Add", id="ssh_keys.add"),
        Binding("e", "rename", "Rename", id="ssh_keys.rename"),
        Binding("ctrl+d,delete", "delete", "Delete", key_display="^d", id="ssh_keys.delete"),
        Binding("c", "copy_key", "Copy key", show=False, id="ssh_keys.copy"),
    ]

    def compose_body(self) -> ComposeResult:
        yield ResourceTable(
            key_columns(self.services.clock),
            key=lambda k: k.id,
            fields=key_fields,
            title="SSH keys",
            sort="name",
            empty_text="Loading SSH keys…",
            id="ssh-keys-table",
        )
        with VerticalScroll(id="ssh-key-detail"):
            yield Static(id="ssh-key-detail-body")

    @property
    def table(self) -> ResourceTable[SshKey]:
        return self.query_one("#ssh-keys-table", ResourceTable)

    def register_feeds(self) -> None:
        self.add_feed(FEED, self.services.client.list_ssh_keys, self._got, on_error=self._failed)
        self.table.focus_table()

    def _got(self, keys: list[SshKey]) -> None:
        self.table.update_rows(keys, complete=True)
        self.table.set_note("")
        if not keys:
            self.table.set_empty_text(EMPTY)
        self._show_detail(self.table.current)

    def _failed(self, error: Exception) -> None:
        self.table.set_note(failure_note(error))
        if not self.table.records:
            self.table.set_empty_text("Could not load the SSH keys; ctrl+r tries again.")
        self.feed_failed(error)

    def _show_detail(self, key: SshKey | None) -> None:
        body = self.query_one("#ssh-key-detail-body", Static)
        if key is None:
            body.update(Text("Select a key to see it whole.", style="dim"))
        else:
            body.update(key_details(key, self.services.clock()))

    @on(ResourceTable.RowHighlighted)
    def _highlighted(self, event: ResourceTable.RowHighlighted) -> None:
        self._show_detail(event.record)

    @on(ResourceTable.RowOpened)
    def _opened(self, event: ResourceTable.RowOpened) -> None:
        key: SshKey = event.record
        self.app.push_screen(
            ConfirmDialog(
                f"SSH key {safe_plain(key.name)}",
                key_details(key, self.services.clock()),
                confirm_label=None,
            )
        )

    def action_copy_key(self) -> None:
        key = self.current_key()
        if key is not None:
            self.app.copy_to_clipboard(safe_plain(key.key))
            self.notify(
                f"Copied the public key {safe_plain(key.name)}", title="Clipboard", markup=False
            )

    # -- SshKeyActions ----------------------------------------------------------------------

    def current_key(self) -> SshKey | None:
        return self.table.current

    def known_fingerprints(self) -> dict[str, str]:
        return {
            key_fingerprint(key): safe_plain(key.name)
            for key in self.table.records.values()
            if parsed(key.key) is not None
        }

    def key_changed(self, key: SshKey) -> None:
        self.table.update_rows([key])
        self._show_detail(self.table.current)

    def key_added(self, key: SshKey) -> None:
        self.table.update_rows([key])
        self.table.move_to(key.id)
        self._show_detail(self.table.current)

    def key_removed(self, key_id: int) -> None:
        self.table.remove_rows([key_id])
        if not self.table.records:
            self.table.set_empty_text(EMPTY)
        self._show_detail(self.table.current)
