"""Firewalls: create, add a rule, delete a rule by its position now, delete a group."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select

from arianet_tui.api.models import FirewallRule
from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.context import Services
from arianet_tui.screens.dialogs import ConfirmDialog, TextInputDialog
from arianet_tui.screens.firewall_rule_form import RuleFormDialog
from arianet_tui.sim import SimState
from arianet_tui.sim.records import FirewallRecord
from arianet_tui.widgets.firewall_rules import (
    RuleError,
    RuleMoved,
    exposure_warning,
    parse_rule,
    rule_position,
)

from ..support import API, settle, until, writes
from .support import dialog, open_section, section, table, toasts


def by_name(sim: SimState, name: str) -> FirewallRecord:
    return next(f for f in sim.world.firewalls.values() if f.name == name)


async def show_rules(
    pilot: Pilot[None], clock: FakeClock, app: ArianetApp, firewall: FirewallRecord
) -> None:
    table(app).move_to(firewall.id)
    await pilot.press("enter")
    await until(pilot, clock, lambda: table(app, "#firewall-rules").grid.has_focus)


# -- the rules, without the app ---------------------------------------------------------------


def test_a_rule_is_checked_field_by_field() -> None:
    assert parse_rule("tcp", "22", "in", "203.0.113.0/24").body == {
        "protocol": "tcp",
        "port": 22,
        "direction": "in",
        "cidr": "203.0.113.0/24",
    }
    assert parse_rule("icmp", "", "out", "2001:db8::/32").port is None
    assert parse_rule("udp", "53", "in", "192.0.2.7").cidr == "192.0.2.7/32"
    for fields, reason in [
        (("tcp", "", "in", "10.0.0.0/8"), "needs a port"),
        (("tcp", "70000", "in", "10.0.0.0/8"), "1 to 65535"),
        (("udp", "8o", "in", "10.0.0.0/8"), "number"),
        (("icmp", "8", "in", "10.0.0.0/8"), "no ports"),
        (("tcp", "22", "in", "10.0.0.1/8"), "did you mean 10.0.0.0/8"),
        (("tcp", "22", "in", "10.0.0/33"), "not an IPv4 or IPv6 network"),
        (("sctp", "22", "in", "10.0.0.0/8"), "tcp, udp or icmp"),
        (("tcp", "22", "sideways", "10.0.0.0/8"), "in or out"),
    ]:
        with pytest.raises(RuleError, match=reason):
            parse_rule(*fields)


def test_a_rule_open_to_the_whole_internet_carries_a_warning() -> None:
    assert "every address" in (exposure_warning(parse_rule("tcp", "22", "in", "0.0.0.0/0")) or "")
    assert exposure_warning(parse_rule("udp", "53", "in", "::/0")) is not None
    assert exposure_warning(parse_rule("tcp", "443", "out", "0.0.0.0/0")) is None
    assert exposure_warning(parse_rule("tcp", "22", "in", "203.0.113.0/24")) is None


def test_the_position_is_found_by_id_and_content() -> None:
    rules = [
        FirewallRule(id=1, protocol="tcp", port=80, direction="in", cidr="0.0.0.0/0"),
        FirewallRule(id=3, protocol="tcp", port=443, direction="in", cidr="::/0"),
    ]
    assert rule_position(rules, rules[1]) == 1
    assert rule_position(rules[1:], rules[1]) == 0
    with pytest.raises(RuleMoved, match="no longer"):
        rule_position(rules[:1], rules[1])
    changed = rules[1].model_copy(update={"port": 8443})
    with pytest.raises(RuleMoved, match="changed"):
        rule_position([rules[0], changed], rules[1])


# -- in the app --------------------------------------------------------------------------------


async def test_create_a_firewall_and_cancel_sends_nothing(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "firewalls")
        await pilot.press("n")
        await dialog(pilot, clock, TextInputDialog)
        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("n")
        await dialog(pilot, clock, TextInputDialog)
        await pilot.press(*"Web Server Firewall", "enter")
        await settle(pilot, clock)
        assert writes(sim) == [], "a name already taken is refused"
        app.screen.query_one(Input).value = "Mail relay"
        await pilot.press("enter")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path, sent.body) == (
            "POST",
            f"{API}/firewalls",
            {"name": "Mail relay"},
        )
        await until(pilot, clock, lambda: "Mail relay" in section(app).firewall_names())


async def test_add_a_rule_through_the_form(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    database = by_name(sim, "Database")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "firewalls")
        table(app).move_to(database.id)
        await pilot.press("a")
        form = await dialog(pilot, clock, RuleFormDialog)
        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("a")
        form = await dialog(pilot, clock, RuleFormDialog)
        await pilot.press(*"0")
        form.query_one("#rule-cidr", Input).value = "0.0.0.0/0"
        await settle(pilot, clock)
        assert form.query_one("#confirm", Button).disabled
        assert "65535" in str(form.query_one("#dialog-reason").render())

        form.query_one("#rule-port", Input).value = "5432"
        await settle(pilot, clock)
        assert not form.query_one("#confirm", Button).disabled
        assert "every address" in str(form.query_one("#rule-warning").render())

        form.query_one("#rule-protocol", Select).value = "udp"
        form.query_one("#rule-cidr", Input).value = "198.51.100.0/24"
        await settle(pilot, clock)
        await pilot.click("#confirm")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("POST", f"{API}/firewalls/{database.id}/rules")
        assert sent.body == {
            "protocol": "udp",
            "port": 5432,
            "direction": "in",
            "cidr": "198.51.100.0/24",
        }
        rules = table(app, "#firewall-rules")
        await until(pilot, clock, lambda: len(rules.records) == len(database.rules))


async def test_delete_a_rule_sends_its_position_and_cancel_sends_nothing(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    web = by_name(sim, "Web Server Firewall")
    chosen = web.rules[2]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "firewalls")
        await show_rules(pilot, clock, app, web)
        table(app, "#firewall-rules").move_to(f"{web.id}:{chosen.id}")

        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("enter")  # Cancel has the focus
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("y")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("DELETE", f"{API}/firewalls/{web.id}/rules/2")
        assert chosen.id not in [rule.id for rule in web.rules]


async def test_a_rule_that_moved_meanwhile_is_deleted_at_its_new_position(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    web = by_name(sim, "Web Server Firewall")
    chosen = web.rules[2]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "firewalls")
        await show_rules(pilot, clock, app, web)
        table(app, "#firewall-rules").move_to(f"{web.id}:{chosen.id}")
        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)

        # Someone else removes the first rule while the dialog is open: positions shift.
        del web.rules[0]
        await pilot.press("y")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert sent.path == f"{API}/firewalls/{web.id}/rules/1"
        assert [rule.id for rule in web.rules] == [2, 4]


async def test_a_rule_gone_or_changed_meanwhile_is_not_deleted(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    web = by_name(sim, "Web Server Firewall")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "firewalls")
        await show_rules(pilot, clock, app, web)

        table(app, "#firewall-rules").move_to(f"{web.id}:{web.rules[1].id}")
        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        del web.rules[1]
        await pilot.press("y")
        await until(pilot, clock, lambda: any("Rule not deleted" in t for t in toasts(app)))

        table(app, "#firewall-rules").focus_table()
        await until(pilot, clock, lambda: len(table(app, "#firewall-rules").records) == 3)
        table(app, "#firewall-rules").move_to(f"{web.id}:{web.rules[0].id}")
        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        web.rules[0].port = 8080
        await pilot.press("y")
        await until(pilot, clock, lambda: any("changed to" in t for t in toasts(app)))
        assert writes(sim) == []
        assert len(web.rules) == 3


async def test_delete_a_firewall_and_a_protected_one_refuses(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    database, baseline = by_name(sim, "Database"), by_name(sim, "Baseline")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "firewalls")
        table(app).move_to(baseline.id)
        await pilot.press("ctrl+d")
        notice = await dialog(pilot, clock, ConfirmDialog)
        assert notice.confirm_label is None
        await pilot.press("y", "escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        table(app).move_to(database.id)
        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot, clock)
        assert writes(sim) == []
        await pilot.press("ctrl+d")
        await dialog(pilot, clock, ConfirmDialog)
        await pilot.press("y")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("DELETE", f"{API}/firewalls/{database.id}")
        await until(pilot, clock, lambda: str(database.id) not in table(app).records)


async def test_read_only_sends_no_firewall_write(
    make_services: Callable[..., Services], sim: SimState, clock: FakeClock
) -> None:
    app = ArianetApp(make_services(read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, clock, "firewalls")
        await pilot.press("n")
        await dialog(pilot, clock, TextInputDialog)
        await pilot.press(*"blocked", "enter")
        await until(pilot, clock, lambda: any("Read-only" in t for t in toasts(app)))
        assert writes(sim) == []
