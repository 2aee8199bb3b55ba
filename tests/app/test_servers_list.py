"""The servers list: live refresh in place, filter, sort, unknown outcomes, read-only, create."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, Static

from arianet_tui.app import ArianetApp
from arianet_tui.cli import build_services
from arianet_tui.config import Settings
from arianet_tui.live import FakeClock
from arianet_tui.screens.activity import ActivityScreen
from arianet_tui.screens.context import Services
from arianet_tui.screens.create_server import CreateServerScreen
from arianet_tui.screens.dialogs import ConfirmDialog
from arianet_tui.screens.firewalls import FirewallsScreen
from arianet_tui.screens.help import KeysHelp
from arianet_tui.screens.server_detail import ServerDetailScreen
from arianet_tui.sim import Faults, SimState, World, create_app

from .support import API, loaded, plain, press_on, reads_of, running, select, settle, until, writes


def toasts(app: ArianetApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def test_the_first_read_is_the_servers_list_and_the_header_follows(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        reads = [r.path.removeprefix(API) for r in sim.requests if r.method == "GET"]
        assert reads[0] == "/servers"
        assert {"/auth/me", "/balance"} <= set(reads[1:])


async def test_a_refresh_updates_rows_in_place_keeping_cursor_and_marks(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        keys = table.visible_keys
        await select(pilot, clock, int(keys[6]))
        table.move_to(keys[2])
        await pilot.press("space")  # marks row 2, the cursor moves on to row 3
        await select(pilot, clock, int(keys[5]))
        scroll = table.grid.scroll_y

        changed = sim.world.servers[int(keys[5])]
        changed.instance_status = "stopped" if changed.instance_status == "running" else "running"
        page_reads = len(reads_of(sim, "/servers"))
        await pilot.press("ctrl+r")
        await until(pilot, clock, lambda: len(reads_of(sim, "/servers")) > page_reads)
        await settle(pilot, clock)

        assert table.current_key == keys[5]
        assert table.marked_keys == {keys[2]}
        assert table.visible_keys == keys
        assert table.grid.scroll_y == scroll
        record = table.record(keys[5])
        assert record is not None and record.instance_status == changed.instance_status  # type: ignore[attr-defined]


async def test_filter_narrows_as_you_type_and_escape_clears_it(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    active = sum(1 for s in sim.world.servers.values() if s.status == "active")
    total = len(sim.world.servers)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        await pilot.press("slash", *"status:active")
        await settle(pilot, clock)
        assert len(table.visible_keys) == active
        assert table.count_text == f"{active} of {total}"

        await pilot.press("enter")  # back to the list, the filter kept
        await settle(pilot, clock)
        assert table.grid.has_focus
        assert len(table.visible_keys) == active

        await pilot.press("slash", "escape")
        await settle(pilot, clock)
        assert len(table.visible_keys) == total
        assert table.filter_text == ""


async def test_keys_typed_in_a_burst_after_slash_go_to_the_filter(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    # As a paste or tmux send-keys delivers them: all queued before the first is handled.
    ssh_calls: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        app.screen.action_ssh = lambda: ssh_calls.append(1)  # type: ignore[attr-defined]
        for key, character in [
            ("slash", "/"),
            ("s", "s"),
            ("s", "s"),
            ("h", "h"),
            ("slash", "/"),
            ("x", "x"),
        ]:
            app.post_message(events.Key(key, character))
        await settle(pilot, clock)
        assert table.filter_text == "ssh/x"
        assert ssh_calls == []
        assert not [r for r in sim.requests if r.method != "GET"]


async def test_filter_matches_words_over_hostname_ip_region_and_plan(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    ip = target.ip_addresses[0][0]
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        await pilot.press("slash", *ip)
        await settle(pilot, clock)
        assert str(target.id) in table.visible_keys
        assert len(table.visible_keys) < len(sim.world.servers)
        await pilot.press("escape")  # escape in the bar clears the filter
        await settle(pilot, clock)
        assert len(table.visible_keys) == len(sim.world.servers)


async def test_sort_keys_change_the_order(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        by_name = table.visible_keys
        await pilot.press("greater_than_sign")
        await settle(pilot, clock)
        assert table.sort_column == "status"
        await pilot.press("less_than_sign", "tilde")
        await settle(pilot, clock)
        assert table.sort_column == "hostname" and table.sort_reverse
        assert table.visible_keys == list(reversed(by_name))


async def test_an_unknown_outcome_rereads_and_never_resends(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    path = f"{API}/servers/{target.id}/restart"
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await press_on(pilot, clock, target.id, "r")
        # The write is processed, then the service answers 500.
        sim.faults = Faults(error_rate=1.0, after_processing_share=1.0, html_error_share=0.0)
        await pilot.press("y")
        await until(pilot, clock, lambda: app.services.journal.entries)
        await until(pilot, clock, lambda: app.services.journal.entries[-1].finished)
        sim.faults = Faults()
        assert app.services.journal.entries[-1].state == "unknown"
        assert any(t.startswith("Unknown, verify") for t in toasts(app))

        def rereads() -> int:
            paths = (f"{API}/servers", f"{API}/servers/{target.id}")
            return sum(1 for r in sim.requests if r.method == "GET" and r.path.startswith(paths))

        before = rereads()
        await clock.run_for(5)
        await until(pilot, clock, lambda: rereads() > before)
        await clock.run_for(30)
        await settle(pilot, clock)
        assert sim.writes("POST", path) == 1


async def test_read_only_refuses_writes_with_a_clear_message(
    make_services: Callable[..., Services], sim: SimState, clock: FakeClock
) -> None:
    app = ArianetApp(make_services(read_only=True))
    target = running(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await select(pilot, clock, target.id)
        await pilot.press("r", "y")
        await until(pilot, clock, lambda: any("Read-only" in t for t in toasts(app)))
        assert writes(sim) == []
        assert app.header_state().read_only


async def test_the_create_wizard_sends_one_post_and_follows_the_server(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        await pilot.press("n")
        await until(pilot, clock, lambda: isinstance(app.screen, CreateServerScreen))
        wizard = app.screen
        assert isinstance(wizard, CreateServerScreen)
        await until(pilot, clock, lambda: wizard.regions)
        await pilot.press("enter")  # region
        await until(pilot, clock, lambda: wizard.plans and wizard.step == 1)
        assert wizard.plans[0].recommended
        await pilot.press("enter")  # plan
        await settle(pilot, clock)
        await pilot.press("enter")  # OS template
        await settle(pilot, clock)
        assert wizard.step == 3
        await pilot.press(*"bad_name", "enter")
        await settle(pilot, clock)
        assert wizard.step == 3
        wizard.query_one(Input).value = "web-9"
        await pilot.press("enter")
        await settle(pilot, clock)
        assert wizard.step == 4
        await pilot.press("enter")  # Create has the focus on the summary
        await until(pilot, clock, lambda: writes(sim))
        (sent,) = writes(sim)
        assert (sent.method, sent.path) == ("POST", f"{API}/servers")
        assert sent.body == {
            "plan_id": wizard.chosen_plan.id,  # type: ignore[union-attr]
            "datacenter_id": wizard.chosen_region.id,  # type: ignore[union-attr]
            "os_id": wizard.chosen_os.id,  # type: ignore[union-attr]
            "hostname": "web-9",
        }
        await until(pilot, clock, lambda: not isinstance(app.screen, CreateServerScreen))
        created = max(sim.world.servers)
        assert str(created) in table.visible_keys
        assert created in app.services.scheduler.followed
        assert sim.writes("POST", f"{API}/servers") == 1


async def test_cancelling_the_wizard_sends_nothing(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await pilot.press("n")
        await until(pilot, clock, lambda: isinstance(app.screen, CreateServerScreen))
        await until(pilot, clock, lambda: app.screen.regions)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, clock)
        await pilot.press("escape", "escape")
        await settle(pilot, clock)
        assert not isinstance(app.screen, CreateServerScreen)
        assert writes(sim) == []


async def test_enter_opens_the_detail_view_where_actions_work_too(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    target = running(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await select(pilot, clock, target.id)
        await pilot.press("enter")
        await until(pilot, clock, lambda: isinstance(app.screen, ServerDetailScreen))
        detail = app.screen
        await until(pilot, clock, lambda: detail.plan is not None)  # type: ignore[attr-defined]
        body = plain(detail.query_one("#server-detail-body", Static).content)
        for ip, _ in target.ip_addresses:
            assert ip in body
        await pilot.press("r")
        await settle(pilot, clock)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await until(pilot, clock, lambda: writes(sim))
        assert writes(sim)[0].path == f"{API}/servers/{target.id}/restart"
        await pilot.press("escape")
        await settle(pilot, clock)
        assert app.screen is app.screen_stack[0]


async def test_sections_keys_help_palette_and_activity(
    app: ArianetApp, sim: SimState, clock: FakeClock
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, clock)
        await pilot.press("2")
        await settle(pilot, clock)
        assert isinstance(app.screen, FirewallsScreen)
        await pilot.press("1")
        await settle(pilot, clock)
        assert app.current_mode == "servers"

        await pilot.press("question_mark")
        await settle(pilot, clock)
        assert isinstance(app.screen, KeysHelp)
        help_text = plain(app.screen.query_one(Static).content)
        assert "Restart" in help_text and "Delete" in help_text
        await pilot.press("escape")

        await pilot.press("colon")
        await settle(pilot, clock)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"go to fire", "enter")
        await settle(pilot, clock)
        assert app.current_mode == "firewalls"

        await pilot.press("A")
        await settle(pilot, clock)
        assert isinstance(app.screen, ActivityScreen)
        await pilot.press("escape")
        await settle(pilot, clock)
        assert not isinstance(app.screen, ActivityScreen)


async def test_a_large_fleet_is_loaded_page_by_page_as_you_scroll(
    settings: Settings, clock: FakeClock
) -> None:
    sim_app = create_app(World.demo(seed=7, servers=250, clock=clock), clock=clock)
    services = build_services(
        settings, demo=True, clock=clock, transport=httpx.ASGITransport(app=sim_app)
    )
    sim = sim_app.state.sim
    app = ArianetApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot, clock)
        assert len(table.visible_keys) == 100
        assert table.count_text == "100 of 250 (100 loaded)"
        pages = [r.query.get("page") for r in reads_of(sim, "/servers")]
        assert pages == ["1"]

        await pilot.press("G")  # to the last loaded row: the next page follows, and so on
        await until(pilot, clock, lambda: len(table.visible_keys) == 250)
        lists = reads_of(sim, "/servers")
        assert [(r.query["page"], r.query["limit"]) for r in lists] == [
            ("1", "100"),
            ("2", "100"),
            ("3", "100"),
        ]

        # Narrowed to one server of the last page, only that page is on screen: ctrl+r
        # re-reads it alone, not every page loaded.
        last = max(sim.world.servers.values(), key=lambda s: s.id)
        await pilot.press("slash", *last.hostname, "enter")
        await settle(pilot, clock)
        ids = sorted(sim.world.servers)
        on_screen = {str(ids.index(int(key)) // 100 + 1) for key in table.visible_keys}
        assert "3" in on_screen
        assert len(on_screen) < 3
        sim.reset_log()
        await pilot.press("ctrl+r")
        await until(pilot, clock, lambda: reads_of(sim, "/servers"))
        await settle(pilot, clock)
        assert {r.query["page"] for r in reads_of(sim, "/servers")} == on_screen
