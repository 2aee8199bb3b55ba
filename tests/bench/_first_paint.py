"""Child process of ``startup.py``: start an app, note when its first table rows are painted,
then exit.

``python tests/bench/_first_paint.py demo|bare|deps REPORT [--headless]`` runs either the real
entry point, ``arianet-tui --demo`` (``arianet_tui.cli.main``), or a bare Textual app with a
header, a 50-row DataTable and a footer (``deps``: the same after importing DEPENDENCIES).
All run the same way: ``App.run`` is wrapped so that it also starts a watcher, which waits
for the first table (a DataTable, or the dashboard's virtual grid) of the shown screen to
have rows, then for the repaint after that, and exits. The times (``time.monotonic``, one
clock for every process on Linux) go to the JSON file REPORT, since the terminal belongs to
the app.
"""

from __future__ import annotations

import time

STARTED = time.monotonic()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (120, 36)
BARE_ROWS = 50


def bare_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable(cursor_type="row")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Hostname", "Status", "IP", "Plan", "Region")
            for n in range(BARE_ROWS):
                table.add_row(f"web-{n:03d}", "active", f"10.0.0.{n}", "small", "fra1")
            table.focus()

    return Bare()


#: What ``arianet-tui --demo`` cannot paint its first rows without, beyond Textual: the
#: client (httpx, stamina), the models (pydantic), the settings (pydantic-settings,
#: platformdirs) and the in-process simulator (Starlette). ``deps`` imports them, then runs
#: the bare app: the floor that the chosen libraries set.
DEPENDENCIES = (
    "httpx",
    "stamina",
    "pydantic",
    "pydantic_settings",
    "platformdirs",
    "humanize",
    "starlette.applications",
    "starlette.routing",
    "starlette.responses",
)


def import_dependencies() -> None:
    import importlib

    # As the dashboard does (arianet_tui/__init__.py): httpx's CLI is kept out.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    for name in DEPENDENCIES:
        importlib.import_module(name)
    from pydantic import BaseModel, TypeAdapter

    # A first model and adapter, as the client builds them (pydantic loads its plugins).
    class Probe(BaseModel):
        id: int

    TypeAdapter(list[Probe]).validate_json(b'[{"id": 1}]')


def main() -> int:
    kind, report = sys.argv[1], sys.argv[2]
    headless = "--headless" in sys.argv[3:]
    times: dict[str, float] = {"started": STARTED}

    from textual.app import App
    from textual.widgets import DataTable  # noqa: F401 - imported by both apps alike

    times["textual_imported"] = time.monotonic()

    async def watch(pilot: Any) -> None:
        app = pilot.app
        times["app_ready"] = time.monotonic()
        while True:
            # A DataTable, or the dashboard's virtual grid: anything with rows.
            tables = [
                t
                for t in app.screen.query("*")
                if isinstance(getattr(t, "row_count", None), int) and t.row_count > 0
            ]
            if tables:
                break
            await asyncio.sleep(0.001)
        times["rows"] = time.monotonic()
        painted: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        tables[0].call_after_refresh(lambda: painted.set_result(time.monotonic()))
        times["painted"] = await painted
        times["rows_shown"] = tables[0].row_count
        app.exit()

    original_run = App.run

    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        times["run"] = time.monotonic()
        if headless:
            kwargs.update(headless=True, size=SIZE)
        return original_run(self, *args, auto_pilot=watch, **kwargs)

    App.run = run  # type: ignore[method-assign]
    if kind in ("bare", "deps"):
        if kind == "deps":
            import_dependencies()
        bare_app().run()
        code = 0
    else:
        from arianet_tui.cli import main as cli_main

        code = cli_main(["--demo"])
    times["exited_run"] = time.monotonic()
    with open(report, "w") as out:
        json.dump(times, out)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
