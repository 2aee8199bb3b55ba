"""The form that adds a firewall rule: checked field by field before anything is sent."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ..widgets.firewall_rules import (
    DIRECTIONS,
    PROTOCOLS,
    RuleDraft,
    RuleError,
    exposure_warning,
    parse_rule,
)
from .dialogs import _Dialog

_DIRECTION_LABELS = {"in": "in (to the servers)", "out": "out (from the servers)"}


class RuleFormDialog(_Dialog):
    """Protocol, port, direction and network; dismisses with a :class:`RuleDraft` or None.

    The Add button stays disabled while a field is wrong, with the reason under the form;
    an inbound rule open to the whole internet is allowed but carries a warning.
    """

    DEFAULT_CSS = """
    RuleFormDialog .rule-form--row {
        height: auto;
    }
    RuleFormDialog .rule-form--field {
        width: 1fr;
        height: auto;
    }
    RuleFormDialog .rule-form--field Label {
        color: $text-muted;
        padding-left: 1;
    }
    RuleFormDialog #rule-warning {
        color: $warning;
        text-style: bold;
        height: auto;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, firewall_name: str) -> None:
        super().__init__(
            f"Add a rule to {firewall_name}",
            Text("Allows the traffic that matches all four fields."),
        )

    def compose_fields(self) -> ComposeResult:
        with Horizontal(classes="rule-form--row"):
            with Vertical(classes="rule-form--field"):
                yield Label("Protocol")
                yield Select(
                    [(p, p) for p in PROTOCOLS], value="tcp", allow_blank=False, id="rule-protocol"
                )
            with Vertical(classes="rule-form--field"):
                yield Label("Direction")
                yield Select(
                    [(_DIRECTION_LABELS[d], d) for d in DIRECTIONS],
                    value="in",
                    allow_blank=False,
                    id="rule-direction",
                )
        with Horizontal(classes="rule-form--row"):
            with Vertical(classes="rule-form--field"):
                yield Label("Port")
                yield Input(placeholder="1-65535", max_length=5, id="rule-port")
            with Vertical(classes="rule-form--field"):
                yield Label("Network (CIDR)")
                yield Input(placeholder="203.0.113.0/24", id="rule-cidr")
        yield Static("", id="dialog-reason")
        yield Static("", id="rule-warning")

    def compose_buttons(self) -> ComposeResult:
        yield Button("Cancel", id="cancel")
        yield Button("Add rule", id="confirm", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#rule-port", Input).focus()

    # -- reading the form -------------------------------------------------------------------

    def _value(self, selector: str) -> str:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else ""

    def draft(self) -> RuleDraft:
        """The rule the form describes; raises RuleError while a field is wrong."""
        return parse_rule(
            self._value("#rule-protocol"),
            self.query_one("#rule-port", Input).value,
            self._value("#rule-direction"),
            self.query_one("#rule-cidr", Input).value,
        )

    def _check(self) -> RuleDraft | None:
        reason = self.query_one("#dialog-reason", Static)
        warning = self.query_one("#rule-warning", Static)
        port = self.query_one("#rule-port", Input)
        cidr = self.query_one("#rule-cidr", Input)
        untouched = not port.value and not cidr.value
        try:
            draft = self.draft()
        except RuleError as error:
            reason.update("" if untouched else Text(str(error)))
            warning.update("")
            self.query_one("#confirm", Button).disabled = True
            return None
        reason.update("")
        warning.update(Text(exposure_warning(draft) or ""))
        self.query_one("#confirm", Button).disabled = False
        return draft

    # -- events -----------------------------------------------------------------------------

    @on(Select.Changed, "#rule-protocol")
    def _protocol_changed(self, event: Select.Changed) -> None:
        port = self.query_one("#rule-port", Input)
        icmp = event.value == "icmp"
        if icmp:
            port.value = ""
        port.disabled = icmp
        port.placeholder = "none for icmp" if icmp else "1-65535"
        self._check()

    @on(Select.Changed, "#rule-direction")
    @on(Input.Changed)
    def _changed(self) -> None:
        self._check()

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def _accept(self) -> None:
        draft = self._check()
        if draft is None:
            # Say what is wrong even when the user has not typed anything yet.
            try:
                self.draft()
            except RuleError as error:
                self.query_one("#dialog-reason", Static).update(Text(str(error)))
            return
        self.dismiss(draft)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
