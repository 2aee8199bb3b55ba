"""Firewall writes: create a group, add a rule, delete a rule, delete a group.

Deleting a rule is the delicate one: the API takes the rule's 0-based position, and the list
may have changed since it was shown. So after the confirmation the firewall is read again,
the chosen rule is found in it by id and content, and its position *now* is sent; when it is
gone or was changed nothing is sent and the user is told why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import work

from ..api import ArianetError
from ..api.models import Firewall, FirewallRule
from ..widgets.firewall_rules import RuleMoved, describe_rule, name_problem, rule_position
from ..widgets.safe import safe_plain, safe_text
from .base import LiveScreen
from .context import WriteRequest, WriteResult
from .dialogs import ConfirmDialog, TextInputDialog
from .firewall_rule_form import RuleFormDialog

FEED = "firewalls"


@dataclass(frozen=True)
class ShownRule:
    """A rule as the user saw it: its firewall and the position it had then."""

    firewall: Firewall
    index: int
    rule: FirewallRule

    @property
    def key(self) -> str:
        return f"{self.firewall.id}:{self.rule.id}"


class FirewallActions(LiveScreen):
    """The keys that change firewalls; the section says what is under the cursor."""

    # -- what the section provides ----------------------------------------------------------

    def current_firewall(self) -> Firewall | None:
        raise NotImplementedError

    def current_rule(self) -> ShownRule | None:
        """The rule under the cursor when the rules table has the focus."""
        raise NotImplementedError

    def firewall_names(self) -> list[str]:
        return []

    def firewall_changed(self, firewall: Firewall) -> None:
        """A write answered with the firewall's new state."""

    def firewall_created(self, firewall: Firewall) -> None:
        self.firewall_changed(firewall)

    def firewall_removed(self, firewall_id: int) -> None:
        """A firewall was deleted."""

    # -- helpers ----------------------------------------------------------------------------

    def _after(self, update: Callable[[WriteResult], None]) -> Callable[[WriteResult], None]:
        """Run ``update`` after a write only while this screen is still there to show it."""

        def done(result: WriteResult) -> None:
            if self.is_attached and result.ok:
                update(result)

        return done

    def _firewall_or_say(self) -> Firewall | None:
        firewall = self.current_firewall()
        if firewall is None:
            self.notify(
                "No firewall is selected; press n to create one.",
                title="Firewalls",
                severity="warning",
            )
        return firewall

    # -- create a firewall ------------------------------------------------------------------

    @work(exclusive=True, group="firewall-action")
    async def action_new_firewall(self) -> None:
        taken = self.firewall_names()
        name = await self.app.push_screen_wait(
            TextInputDialog(
                "New firewall",
                Text("A name for the new firewall group; add its rules afterwards with a."),
                placeholder="web servers",
                validate=lambda value: name_problem(value, taken),
                confirm_label="Create",
            )
        )
        if not name:
            return

        def show(result: WriteResult) -> None:
            if isinstance(result.value, Firewall):
                self.firewall_created(result.value)

        request = WriteRequest(
            action="Create firewall",
            target=name,
            method="POST",
            path="firewalls",
            call=partial(self.services.client.create_firewall, name),
            body={"name": name},
            refresh=(FEED,),
            success=lambda firewall: f"created (id {getattr(firewall, 'id', '?')})",
        )
        self.host.submit_write(request, on_done=self._after(show))

    # -- add a rule -------------------------------------------------------------------------

    @work(exclusive=True, group="firewall-action")
    async def action_add_rule(self) -> None:
        firewall = self._firewall_or_say()
        if firewall is None:
            return
        name = safe_plain(firewall.name)
        draft = await self.app.push_screen_wait(RuleFormDialog(name))
        if draft is None:
            return
        request = WriteRequest(
            action="Add rule",
            target=name,
            method="POST",
            path=f"firewalls/{firewall.id}/rules",
            call=partial(self.services.client.add_firewall_rule, firewall.id, **draft.body),
            body=draft.body,
            refresh=(FEED,),
            success=lambda _: f"added {describe_rule(draft)}",
        )
        self.host.submit_write(request, on_done=self._after(self._show_firewall))

    def _show_firewall(self, result: WriteResult) -> None:
        if isinstance(result.value, Firewall):
            self.firewall_changed(result.value)

    # -- delete -----------------------------------------------------------------------------

    def action_delete(self) -> None:
        shown = self.current_rule()
        if shown is not None:
            self._delete_rule(shown)
        else:
            self._delete_firewall()

    @work(exclusive=True, group="firewall-action")
    async def _delete_rule(self, shown: ShownRule) -> None:
        name = safe_plain(shown.firewall.name)
        what = describe_rule(shown.rule)
        confirmed = await self.app.push_screen_wait(
            ConfirmDialog(
                f"Delete a rule of {name}?",
                Text.assemble(
                    "Delete rule ",
                    (f"#{shown.index}", "bold"),
                    ": ",
                    safe_text(what, style="bold"),
                    "?\n\nTraffic that only this rule allowed is blocked from then on.",
                ),
                confirm_label="Delete rule",
                danger=True,
            )
        )
        if not confirmed:
            return

        # The position is only meaningful in the list as it is now: read it again.
        client = self.services.client
        try:
            fresh = await client.get_firewall(shown.firewall.id)
        except ArianetError as error:
            self.host.show_error(error, context=f"Reading {name} before deleting the rule")
            return
        try:
            position = rule_position(fresh.rules, shown.rule)
        except RuleMoved as moved:
            self.firewall_changed(fresh)
            self.notify(str(moved), title="Rule not deleted", severity="warning", markup=False)
            return

        request = WriteRequest(
            action="Delete rule",
            target=name,
            method="DELETE",
            path=f"firewalls/{fresh.id}/rules/{position}",
            call=partial(client.delete_firewall_rule, fresh.id, position),
            refresh=(FEED,),
            success=lambda _: f"deleted {what}",
        )
        self.host.submit_write(request, on_done=self._after(self._show_firewall))

    @work(exclusive=True, group="firewall-action")
    async def _delete_firewall(self) -> None:
        firewall = self._firewall_or_say()
        if firewall is None:
            return
        name = safe_plain(firewall.name)
        if firewall.protected:
            await self.app.push_screen_wait(
                ConfirmDialog(
                    f"{name} is protected",
                    Text.assemble(
                        safe_text(firewall.name, style="bold"),
                        " is protected, so it cannot be deleted.\n\nThe API has no call "
                        "that lifts a firewall's protection: lift it in the Arianet dashboard "
                        "first. Its rules can still be changed here.",
                    ),
                    confirm_label=None,
                )
            )
            return
        count = len(firewall.rules)
        rules = f"its {count} rule{'s' if count != 1 else ''}" if count else "it (it has no rules)"
        confirmed = await self.app.push_screen_wait(
            ConfirmDialog(
                f"Delete {name}?",
                Text.assemble(
                    "Delete the firewall ",
                    safe_text(firewall.name, style="bold"),
                    f" and {rules}?\n\nThis cannot be undone.",
                ),
                confirm_label="Delete firewall",
                danger=True,
            )
        )
        if not confirmed:
            return
        request = WriteRequest(
            action="Delete firewall",
            target=name,
            method="DELETE",
            path=f"firewalls/{firewall.id}",
            call=partial(self.services.client.delete_firewall, firewall.id),
            refresh=(FEED,),
        )
        self.host.submit_write(
            request, on_done=self._after(lambda _: self.firewall_removed(firewall.id))
        )
