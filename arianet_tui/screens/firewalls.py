"""The firewalls section: firewall groups above, the rules of the highlighted one below.

One feed (``GET /firewalls``) carries every group with its rules. ``enter`` moves into the
rules, ``escape`` back to the groups; ``ctrl+d`` deletes what the cursor is on.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from ..api.models import Firewall
from ..widgets.badges import age
from ..widgets.firewall_rules import opens_to_everyone
from ..widgets.resource_table import Column, ResourceTable
from ..widgets.safe import safe_plain, safe_text
from ..widgets.table_state import failure_note
from .base import SectionScreen
from .firewall_actions import FEED, FirewallActions, ShownRule


def _protection(protected: bool) -> Text:
    return Text("protected", style="bold") if protected else Text("-", style="dim")


def firewall_columns(now: Callable[[], float]) -> list[Column[Firewall]]:
    return [
        Column(
            "name",
            "Name",
            lambda f: safe_text(f.name, limit=32),
            sort_key=lambda f: f.name.lower(),
        ),
        Column("rules", "Rules", lambda f: Text(str(len(f.rules))), lambda f: len(f.rules)),
        Column(
            "protected", "Protection", lambda f: _protection(f.protected), lambda f: f.protected
        ),
        Column(
            "age",
            "Age",
            lambda f: Text(age(f.created_at, now())),
            lambda f: -(f.created_at.timestamp() if f.created_at else 0.0),
        ),
    ]


def _exposure(shown: ShownRule) -> Text:
    rule = shown.rule
    if opens_to_everyone(rule.direction, rule.cidr):
        return Text("⚠ open to all", style="yellow")
    return Text("")


RULE_COLUMNS: list[Column[ShownRule]] = [
    Column("index", "#", lambda r: Text(str(r.index)), lambda r: r.index),
    Column("protocol", "Protocol", lambda r: safe_text(r.rule.protocol, limit=8)),
    Column(
        "port",
        "Port",
        lambda r: Text("-" if r.rule.port is None else str(r.rule.port)),
        lambda r: r.rule.port or 0,
    ),
    Column("direction", "Direction", lambda r: safe_text(r.rule.direction, limit=9)),
    Column("cidr", "CIDR", lambda r: safe_text(r.rule.cidr, limit=43)),
    Column(
        "exposure", "", _exposure, lambda r: not opens_to_everyone(r.rule.direction, r.rule.cidr)
    ),
]


def rule_fields(shown: ShownRule) -> dict[str, str]:
    rule = shown.rule
    return {
        "protocol": rule.protocol,
        "port": "" if rule.port is None else str(rule.port),
        "direction": rule.direction,
        "cidr": rule.cidr,
    }


class FirewallsScreen(FirewallActions, SectionScreen):
    """Section 2: firewall groups and their rules."""

    SECTION = "firewalls"
    TITLE = "Firewalls"
    data_feed = FEED

    DEFAULT_CSS = """
    FirewallsScreen #firewalls-table {
        height: 2fr;
        min-height: 6;
    }
    FirewallsScreen #firewall-rules {
        height: 3fr;
    }
    """

    BINDINGS = [
        Binding("n", "new_firewall", "New firewall", id="firewalls.new"),
        Binding("a", "add_rule", "Add rule", id="firewalls.add_rule"),
        Binding("ctrl+d,delete", "delete", "Delete", key_display="^d", id="firewalls.delete"),
        Binding("escape", "back_to_groups", "Back to firewalls", show=False, id="firewalls.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown_id: int | None = None

    def compose_body(self) -> ComposeResult:
        yield ResourceTable(
            firewall_columns(self.services.clock),
            key=lambda f: f.id,
            fields=lambda f: {"name": f.name, "protected": "yes" if f.protected else "no"},
            title="Firewalls",
            sort="name",
            empty_text="Loading firewalls…",
            id="firewalls-table",
        )
        yield ResourceTable(
            RULE_COLUMNS,
            key=lambda r: r.key,
            fields=rule_fields,
            title="Rules",
            sort="index",
            empty_text="Choose a firewall above to see its rules.",
            id="firewall-rules",
        )

    @property
    def table(self) -> ResourceTable[Firewall]:
        return self.query_one("#firewalls-table", ResourceTable)

    @property
    def rules_table(self) -> ResourceTable[ShownRule]:
        return self.query_one("#firewall-rules", ResourceTable)

    # -- feeds ------------------------------------------------------------------------------

    def register_feeds(self) -> None:
        self.add_feed(FEED, self.services.client.list_firewalls, self._got, on_error=self._failed)
        self.table.focus_table()

    def _got(self, firewalls: list[Firewall]) -> None:
        table = self.table
        table.update_rows(firewalls, complete=True)
        table.set_note("")
        if not firewalls:
            table.set_empty_text("No firewalls yet: press n to create one.")
        self._show_rules(table.current)

    def _failed(self, error: Exception) -> None:
        self.table.set_note(failure_note(error))
        if not self.table.records:
            self.table.set_empty_text("Could not load the firewalls; ctrl+r tries again.")
        self.feed_failed(error)

    # -- the rules of one firewall ----------------------------------------------------------

    def _show_rules(self, firewall: Firewall | None) -> None:
        rules = self.rules_table
        self.shown_id = firewall.id if firewall else None
        if firewall is None:
            rules.title = "Rules"
            rules.update_rows([], complete=True)
            return
        rules.title = f"Rules of {safe_plain(firewall.name)}"
        shown = [ShownRule(firewall, i, rule) for i, rule in enumerate(firewall.rules)]
        rules.update_rows(shown, complete=True)
        rules.set_note("protected" if firewall.protected else "")
        if not shown:
            rules.set_empty_text("No rules yet: press a to add one.")

    @on(ResourceTable.RowHighlighted, "#firewalls-table")
    def _highlighted(self, event: ResourceTable.RowHighlighted) -> None:
        if event.record is None or event.record.id != self.shown_id:
            self._show_rules(event.record)

    @on(ResourceTable.RowOpened, "#firewalls-table")
    def _opened(self, event: ResourceTable.RowOpened) -> None:
        self._show_rules(event.record)
        self.rules_table.focus_table()

    def action_back_to_groups(self) -> None:
        self.table.focus_table()

    # -- FirewallActions --------------------------------------------------------------------

    def current_firewall(self) -> Firewall | None:
        return self.table.current

    def current_rule(self) -> ShownRule | None:
        if not self.rules_table.grid.has_focus:
            return None
        return self.rules_table.current

    def firewall_names(self) -> list[str]:
        return [firewall.name for firewall in self.table.records.values()]

    def firewall_changed(self, firewall: Firewall) -> None:
        old = self.table.record(str(firewall.id))
        if firewall.created_at is None and old is not None:
            # Rule changes answer without created_at; keep the one the list gave.
            firewall = firewall.model_copy(update={"created_at": old.created_at})
        self.table.update_rows([firewall])
        if firewall.id == self.shown_id or self.shown_id is None:
            self._show_rules(firewall)

    def firewall_created(self, firewall: Firewall) -> None:
        self.table.update_rows([firewall])
        self.table.move_to(firewall.id)
        self._show_rules(firewall)

    def firewall_removed(self, firewall_id: int) -> None:
        self.table.remove_rows([firewall_id])
        if not self.table.records:
            self.table.set_empty_text("No firewalls yet: press n to create one.")
        self._show_rules(self.table.current)
