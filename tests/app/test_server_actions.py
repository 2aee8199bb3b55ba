"""Every server action: its key, its dialog, confirm and cancel, and what the sim received."""

from __future__ import annotations

from textual.widgets import Button, Input, Static

from arianet_tui.app import ArianetApp
from arianet_tui.live import FakeClock
from arianet_tui.screens.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    TextInputDialog,
    TypeNameDialog,
)
from arianet_tui.sim import SimState

from .support import API, loaded, plain, press_on, running, select, settle, stopped, until, writes


def toasts(app: ArianetApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def test_restart_confirms_and_sends_one_post(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await select(pilot, clock, target.id)

        await pilot.press("r")
        await settle(pilot, clock)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused is app.screen.query_one("#cancel", Button)
        await pilot.press("n")
        await settle(pilot, clock)
        assert not isinstance(app.screen, ConfirmDialog)
        assert writes(sim) == []

        await pilot.press("r")
        await settle(pilot, clock)
        await pilot.press("enter")  # enter on the default button cancels
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("r", "y")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("POST", f"{API}/servers/{target.id}/restart")
        await until(pilot, clock, lambda: app.services.journal.entries[-1].state == "done")
        assert any("Restart initiated" in t for t in toasts(app))


async def test_power_on_a_stopped_server_sends_at_once(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = stopped(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await select(pilot, clock, target.id)
        await pilot.press("o")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("POST", f"{API}/servers/{target.id}/power-on")


async def test_power_on_a_running_server_is_refused_with_a_reason(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await press_on(pilot, clock, target.id, "o")
        assert writes(sim) == []
        assert any("already running" in t for t in toasts(app))


async def test_power_off_confirms_and_escape_cancels(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await press_on(pilot, clock, target.id, "f")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("f", "tab", "enter")  # move to the confirm button, press it
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("POST", f"{API}/servers/{target.id}/power-off")


async def test_toggle_protection_sends_and_updates_the_row(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        await select(pilot, clock, target.id)
        await pilot.press("p")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == (
            "POST",
            f"{API}/servers/{target.id}/toggle-protection",
        )
        await until(pilot, clock, lambda: table.record(str(target.id)).protected)  # type: ignore[union-attr]


async def test_rename_validates_the_hostname_before_sending(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        await press_on(pilot, clock, target.id, "e")
        dialog = app.screen
        assert isinstance(dialog, TextInputDialog)
        dialog.query_one(Input).value = "bad_name!"
        await settle(pilot, clock)
        assert dialog.query_one("#confirm", Button).disabled
        assert "letters, digits" in plain(dialog.query_one("#dialog-reason", Static).content)
        await pilot.press("enter")
        await settle(pilot, clock)
        assert app.screen is dialog and writes(sim) == []

        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("e")
        await settle(pilot, clock)
        app.screen.query_one(Input).value = "web-renamed"
        await pilot.press("enter")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path, sent.body) == (
            "POST",
            f"{API}/servers/{target.id}/rename",
            {"hostname": "web-renamed"},
        )
        await until(
            pilot,
            clock,
            lambda: table.record(str(target.id)).hostname == "web-renamed",  # type: ignore[union-attr]
        )


async def test_reinstall_picks_an_os_of_the_region_and_needs_the_hostname(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    region_os = [
        t.id
        for t in sim.world.catalog.os_templates.values()
        if t.region_id == target.datacenter_id
    ]
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await select(pilot, clock, target.id)
        await pilot.press("i")
        await until(pilot, clock, lambda: isinstance(app.screen, ChoiceDialog))
        choice = app.screen
        assert isinstance(choice, ChoiceDialog)
        assert [c[0] for c in choice.choices] == region_os
        await pilot.press("down", "enter")
        await until(pilot, clock, lambda: isinstance(app.screen, TypeNameDialog))

        # Cancel at the last step: nothing is sent.
        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("i")
        await until(pilot, clock, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("home", "down", "enter")
        await until(pilot, clock, lambda: isinstance(app.screen, TypeNameDialog))
        await pilot.press(*"wrong", "enter")
        await settle(pilot, clock)
        assert writes(sim) == []
        app.screen.query_one(Input).value = target.hostname
        await pilot.press("enter")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        expected_os = region_os[1]
        assert (sent.method, sent.path, sent.body) == (
            "POST",
            f"{API}/servers/{target.id}/reinstall",
            {"os_id": expected_os},
        )


async def test_delete_needs_the_hostname_typed(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = stopped(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        await press_on(pilot, clock, target.id, "ctrl+d")
        assert isinstance(app.screen, TypeNameDialog)
        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []

        await pilot.press("delete")
        await settle(pilot, clock)
        app.screen.query_one(Input).value = target.hostname
        await pilot.press("enter")
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("DELETE", f"{API}/servers/{target.id}")
        await until(pilot, clock, lambda: str(target.id) not in table.visible_keys)


async def test_a_protected_server_refuses_deletion_and_says_how_to_lift_it(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim, protected=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await press_on(pilot, clock, target.id, "ctrl+d")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.confirm_label is None
        body = plain(dialog.query_one("#dialog-body", Static).content)
        assert "protect" in body and "press p" in body.replace("press \n", "press ")
        await pilot.press("y")  # there is nothing to confirm
        await settle(pilot, clock)
        assert app.screen is dialog
        await pilot.press("escape")
        await settle(pilot, clock)
        assert writes(sim) == []


async def test_bulk_restart_confirms_once_and_reports_each_target(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    first = running(sim)
    second = next(
        s
        for s in sim.world.servers.values()
        if s.id != first.id and s.status == "active" and s.instance_status == "running"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        await select(pilot, clock, first.id)
        await pilot.press("space")
        await select(pilot, clock, second.id)
        await pilot.press("space")
        assert table.marked_keys == {str(first.id), str(second.id)}

        await pilot.press("r")
        await settle(pilot, clock)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await until(pilot, clock, lambda: len(writes(sim)) == 2)
        paths = sorted(r.path for r in writes(sim))
        assert paths == sorted(f"{API}/servers/{s.id}/restart" for s in (first, second))
        await until(pilot, clock, lambda: all(e.finished for e in app.services.journal.entries))
        assert len(app.services.journal.entries) == 2
        assert any("2 done, 0 failed" in t for t in toasts(app))


async def test_copy_puts_the_primary_ip_on_the_clipboard(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await press_on(pilot, clock, target.id, "c")
        assert app.clipboard == target.ip_addresses[0][0]


async def test_ssh_runs_ssh_to_the_primary_ip_as_the_configured_user(
    app: ArianetApp, sim: SimState, clock: FakeClock, monkeypatch: object
) -> None:
    import contextlib

    from arianet_tui.screens.server_actions import ServerActionScreen

    target = running(sim)
    ran: list[list[str]] = []
    ServerActionScreen.ssh_runner = staticmethod(lambda argv: ran.append(list(argv)) or 0)  # type: ignore[assignment]
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.suspend = contextlib.nullcontext  # type: ignore[method-assign]
            await loaded(pilot, clock)
            await press_on(pilot, clock, target.id, "s")
    finally:
        from arianet_tui.screens.server_actions import run_ssh

        ServerActionScreen.ssh_runner = staticmethod(run_ssh)  # type: ignore[assignment]
    assert ran == [["ssh", f"root@{target.ip_addresses[0][0]}"]]
    assert writes(sim) == []
