"""Fleet scale: the servers screen over 1,000, 10,000 and 50,000 simulated servers.

Run as ``python tests/bench/fleet.py [--sizes 1000,10000,50000] [--scroll-seconds 30]``. Each
size runs in its own process (``--one N``), so memory figures are clean. The app is the demo
(in-process simulator, wall clock, 120x36 headless) with the read limit raised so that the
benchmark times the app and not the rate-limit bucket. For each size:

- first rows: ``App.run`` start (imports done, world built) to the repaint that shows rows;
- as the screen loads it (first page of 100): filter keystrokes, a 1% refresh, memory;
- loading the fleet by scrolling: ``G`` until every page is in, within ``--scroll-seconds``;
- the whole fleet in the table (every page fetched through the app's client, then handed to
  the table in one update, as after scrolling to the end): filter keystrokes, a refresh of
  the page on screen, a refresh of every row with 1% changed, memory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import random
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    SIZE,
    Row,
    after_refresh,
    demo_app,
    emit,
    first_rows,
    key_event,
    median,
    ms,
    p95,
    print_table,
    rss_mib,
    run_child,
    servers_table,
    timed_key,
    wait_until,
)

WORD = "worker-01"
PAGE_SIZE = 100
TARGET_SIZE = 10_000
# Seconds of event-loop time beyond which the every-row refresh is predicted, not run.
FULL_REFRESH_LIMIT = 60.0
TARGETS = {"first": 1.0, "filter": 0.050, "refresh": 0.030, "rss": 150.0}


# -- one size, in a child process ---------------------------------------------------------


class Arrivals:
    """Wraps the client's ``list_servers`` to note when each page is parsed and handed back."""

    def __init__(self, client: Any) -> None:
        self.times: dict[int, float] = {}
        original = client.list_servers

        async def list_servers(*args: Any, **kwargs: Any) -> Any:
            page = await original(*args, **kwargs)
            if kwargs.get("status") is None:
                self.times[kwargs.get("page", args[0] if args else 1)] = time.perf_counter()
            return page

        client.list_servers = list_servers


async def type_filter(app: Any, table: Any, text: str) -> dict[str, Any]:
    """Open the filter, type ``text`` key by key, then clear it; seconds per keystroke."""
    grid = table.grid
    opened = await timed_key(app, "/", lambda: table.filter_bar.has_focus, grid)
    keys, shown = [], []
    for n in range(1, len(text) + 1):
        typed = text[:n]
        key = text[n - 1]
        keys.append(await timed_key(app, key, lambda t=typed: table.filter_text == t, grid))
        shown.append(grid.row_count)
    cleared = await timed_key(
        app, "escape", lambda: table.filter_text == "" and grid.has_focus, grid
    )
    return {"open": opened, "keys": keys, "rows": shown, "clear": cleared}


def registered_pages(app: Any) -> list[int]:
    """The pages of the servers list the screen has feeds for."""
    prefix = "servers/page/"
    return [int(f[len(prefix) :]) for f in app.screen.feeds if f.startswith(prefix)]


async def page_refresh(
    app: Any, sim: Any, arrivals: Arrivals, share: float, rounds: int = 5
) -> dict[str, Any]:
    """``rounds`` times: change ``share`` of the rows on the cursor's page (the cursor's row
    among them) in the simulator, press ctrl+r (the screen re-reads the pages on screen),
    and time from the arrival of the last page to the repaint that shows the changes.
    Medians; 2.2 s between rounds so that the flash of changed rows is over."""
    table = servers_table(app)
    ids = list(sim.world.servers)
    cursor = table.current_key
    pages = registered_pages(app)
    page = ids.index(int(cursor)) // PAGE_SIZE + 1 if cursor is not None else 1
    if page not in pages:
        raise RuntimeError(f"the cursor's page {page} is not refreshed by the screen")
    on_page = [sid for sid in ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    candidates = [sid for sid in on_page if str(sid) in table.records]
    changed = random.Random(1).sample(candidates, max(1, round(len(candidates) * share)))
    if cursor is not None and int(cursor) not in changed:
        changed[0] = int(cursor)
    scheduler = app.screen.services.scheduler
    times: list[tuple[float, float]] = []
    kept = True
    for n in range(rounds):
        if n:
            await asyncio.sleep(2.2)
        wanted = {p for p in pages if scheduler.feed_info(f"servers/page/{p}").visible}
        before = {sid: sim.world.servers[sid].instance_status for sid in changed}
        change_power(sim, changed)
        arrivals.times.clear()

        def shown(wanted: set[int] = wanted, before: dict[int, str] = before) -> bool:
            records = table.records
            return wanted <= set(arrivals.times) and all(
                records[str(sid)].instance_status != before[sid] for sid in changed
            )

        requested = time.perf_counter()
        async with painted_when(table, shown) as painted:
            app.post_message(key_event("ctrl+r"))
        kept = kept and table.current_key == cursor
        times.append((painted.at - max(arrivals.times.values()), painted.at - requested))
    return {
        "changed": len(changed),
        "pages": len(pages),
        "rows": len(table.records),
        "arrival_to_paint": median([t for t, _ in times]),
        "arrival_to_paint_all": [t for t, _ in times],
        "request_to_paint": median([t for _, t in times]),
        "cursor_kept": kept,
    }


class Painted:
    at: float = float("nan")


@contextlib.asynccontextmanager
async def painted_when(table: Any, done: Callable[[], bool]) -> AsyncIterator[Painted]:
    """Time the first repaint after the update of ``table`` that makes ``done()`` true.

    The stamp is asked for inside that update (``call_after_refresh``), so it falls on the
    frame that shows it, not on a later one that a polling loop would catch."""
    painted = Painted()
    stamped = asyncio.get_running_loop().create_future()
    original = table.update_rows

    asked: list[bool] = []

    def update_rows(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        if not asked and done():
            asked.append(True)
            table.grid.call_after_refresh(lambda: stamped.set_result(time.perf_counter()))

    table.update_rows = update_rows
    try:
        yield painted
        painted.at = await asyncio.wait_for(stamped, timeout=600)
    finally:
        del table.update_rows


def change_power(sim: Any, ids: list[int]) -> None:
    """Flip the power state of these servers in the simulated world."""
    for server_id in ids:
        record = sim.world.servers[server_id]
        record.instance_status = "stopped" if record.instance_status == "running" else "running"


async def full_refresh(app: Any, share: float) -> dict[str, Any]:
    """Hand the table every row again with ``share`` of them changed, as one update."""
    table = servers_table(app)
    records = table.records
    cursor = table.current_key
    keys = random.Random(2).sample(sorted(records), max(1, round(len(records) * share)))
    if cursor is not None and cursor not in keys:
        keys[0] = cursor
    fresh = dict(records)
    for key in keys:
        old = fresh[key]
        power = "stopped" if old.instance_status == "running" else "running"
        fresh[key] = old.model_copy(update={"instance_status": power})
    rows = list(fresh.values())
    started = time.perf_counter()
    table.update_rows(rows)
    updated = time.perf_counter()
    painted = await after_refresh(table.grid)
    return {
        "changed": len(keys),
        "update": updated - started,
        "to_paint": painted - started,
        "cursor_kept": table.current_key == cursor,
    }


async def fill_table(app: Any, services: Any, total: int) -> dict[str, Any]:
    """Fetch every page through the app's client, then give the table all rows at once."""
    table = servers_table(app)
    started = time.perf_counter()
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    servers: list[Any] = []
    for page in range(1, pages + 1):
        servers += (await services.client.list_servers(page=page, limit=PAGE_SIZE)).data
    fetched = time.perf_counter()
    table.update_rows(servers)
    updated = time.perf_counter()
    painted = await after_refresh(table.grid)
    return {
        "fetch_parse": fetched - started,
        "update": updated - fetched,
        "to_paint": painted - fetched,
        "rows": table.grid.row_count,
    }


async def move_cursor(app: Any, table: Any, rows: int) -> None:
    for _ in range(rows):
        row = table.grid.cursor_row
        await timed_key(app, "j", lambda r=row: table.grid.cursor_row == r + 1, table.grid)


async def measure(servers: int) -> dict[str, Any]:
    """Everything but the load by scrolling, on one app over ``servers`` servers."""
    result: dict[str, Any] = {"servers": servers, "rss_start": rss_mib()}
    built = time.perf_counter()
    demo = demo_app(servers)
    result["world_build"] = time.perf_counter() - built
    gc.collect()
    result["rss_world"] = rss_mib()
    app, sim, services = demo.app, demo.sim, demo.services
    arrivals = Arrivals(services.client)

    async with app.run_test(size=SIZE):
        started = time.perf_counter()
        result["first_rows"] = await first_rows(app) - started
        table = servers_table(app)
        result["first_count"] = table.count_text
        result["rss_first"] = rss_mib()
        await move_cursor(app, table, 5)
        result["page_filter"] = await type_filter(app, table, WORD)
        result["page_refresh"] = await page_refresh(app, sim, arrivals, 0.01)
        # Let the flash of changed rows end, so later figures do not include it.
        await asyncio.sleep(2.2)

        result["fill"] = await fill_table(app, services, servers)
        gc.collect()
        result["rss_full"] = rss_mib()
        # The cursor on a row of the first page, which the screen keeps refreshing.
        table.move_to(next(iter(sim.world.servers.values())).id + 50)
        await after_refresh(table.grid)
        result["full_filter"] = await type_filter(app, table, WORD)
        result["full_page_refresh"] = await page_refresh(app, sim, arrivals, 0.01)
        await asyncio.sleep(2.2)
        # The cost grows with the rows changed; skip what would take minutes, and say so.
        page = result["full_page_refresh"]
        per_row = page["arrival_to_paint"] / page["changed"]
        predicted = per_row * round(len(table.records) * 0.01)
        result["full_refresh"] = (
            await full_refresh(app, 0.01)
            if predicted < FULL_REFRESH_LIMIT
            else {"skipped": predicted, "changed": round(len(table.records) * 0.01)}
        )
        result["rss_end"] = rss_mib()
        app.exit()
    demo.tmp.cleanup()
    return result


async def measure_scroll(servers: int, seconds: float) -> dict[str, Any]:
    """Press ``G`` whenever the last page has arrived, until every row is in or time is up."""
    demo = demo_app(servers)
    app = demo.app
    async with app.run_test(size=SIZE):
        await first_rows(app)
        table = servers_table(app)
        started = time.perf_counter()
        progress: list[tuple[int, float]] = []
        while len(table.records) < servers and time.perf_counter() - started < seconds:
            loaded = len(table.records)
            app.post_message(key_event("G"))
            left = seconds - (time.perf_counter() - started)
            await wait_until(lambda n=loaded: len(table.records) > n, within=max(0.1, left))
            progress.append((len(table.records), time.perf_counter() - started))
        painted = await after_refresh(table.grid)
        rows = len(table.records)
        gc.collect()
        rss = rss_mib()
        app.exit()
    demo.tmp.cleanup()
    last = progress[-6:]
    each = (last[-1][1] - last[0][1]) / (len(last) - 1) if len(last) > 1 else float("nan")
    return {
        "rows": rows,
        "seconds": painted - started,
        "complete": rows >= servers,
        "last_page_seconds": each,
        "rss": rss,
    }


# -- the parent: every size, then the table ---------------------------------------------


def verdict(value: float, target: float, size: int) -> bool | None:
    return value <= target if size == TARGET_SIZE else None


def size_rows(r: dict[str, Any]) -> list[Row]:
    n = r["servers"]
    at = f"{n:,}: "
    pf, ff = r["page_filter"], r["full_filter"]
    pr, fr, full = r["page_refresh"], r["full_page_refresh"], r["full_refresh"]
    scroll, fill = r["scroll"], r["fill"]
    target = n == TARGET_SIZE
    app_first = r["rss_first"] - r["rss_world"]
    app_full = r["rss_full"] - r["rss_world"]
    scroll_text = f"{scroll['rows']:,} rows in {scroll['seconds']:.1f} s" + (
        "" if scroll["complete"] else " (stopped)"
    )
    return [
        Row(f"{at}world built (simulator, not the app)", f"{r['world_build']:.2f} s"),
        Row(
            f"{at}first rows painted",
            f"{r['first_rows']:.3f} s",
            "< 1 s" if target else "",
            verdict(r["first_rows"], TARGETS["first"], n),
        ),
        Row(f"{at}  table then says", r["first_count"]),
        Row(
            f"{at}first page: filter key, median",
            ms(median(pf["keys"])),
            "< 50 ms" if target else "",
            verdict(median(pf["keys"]), TARGETS["filter"], n),
        ),
        Row(f"{at}first page: filter key, p95", ms(p95(pf["keys"]))),
        Row(
            f"{at}first page: 1% refresh, data to paint",
            ms(pr["arrival_to_paint"]),
            "< 30 ms" if target else "",
            verdict(pr["arrival_to_paint"], TARGETS["refresh"], n),
        ),
        Row(f"{at}  each of the rounds", rounds(pr)),
        Row(f"{at}  rows changed / held, cursor kept", changes(pr)),
        Row(
            f"{at}RSS after first rows (all)",
            f"{r['rss_first']:.0f} MiB",
            "< 150 MiB" if target else "",
            verdict(r["rss_first"], TARGETS["rss"], n),
        ),
        Row(f"{at}  of which the simulator's world", f"{r['rss_world']:.0f} MiB"),
        Row(f"{at}  of which the app", f"{app_first:.0f} MiB"),
        Row(f"{at}load by scrolling (G)", scroll_text),
        Row(f"{at}  last pages, each", ms(scroll["last_page_seconds"])),
        Row(f"{at}whole fleet: fetch + parse all pages", f"{fill['fetch_parse']:.2f} s"),
        Row(f"{at}whole fleet: table update, to paint", f"{fill['to_paint']:.2f} s"),
        Row(
            f"{at}whole fleet: filter key, median",
            ms(median(ff["keys"])),
            "< 50 ms" if target else "",
            verdict(median(ff["keys"]), TARGETS["filter"], n),
        ),
        Row(f"{at}whole fleet: filter key, p95", ms(p95(ff["keys"]))),
        Row(f"{at}whole fleet: clear filter (escape)", ms(ff["clear"])),
        Row(
            f"{at}whole fleet: page on screen refreshed",
            ms(fr["arrival_to_paint"]),
            "< 30 ms" if target else "",
            verdict(fr["arrival_to_paint"], TARGETS["refresh"], n),
        ),
        Row(f"{at}  each of the rounds", rounds(fr)),
        Row(f"{at}  rows changed / held, cursor kept", changes(fr)),
        full_row(at, full, n),
        Row(f"{at}  rows changed / held, cursor kept", changes(full, n)),
        Row(
            f"{at}RSS, whole fleet in the table",
            f"{r['rss_full']:.0f} MiB",
            "< 150 MiB" if target else "",
            verdict(r["rss_full"], TARGETS["rss"], n),
        ),
        Row(f"{at}  of which the app", f"{app_full:.0f} MiB"),
    ]


def rounds(figures: dict[str, Any]) -> str:
    return " ".join(f"{t * 1e3:.0f}" for t in figures["arrival_to_paint_all"]) + " ms"


def changes(figures: dict[str, Any], rows: int | None = None) -> str:
    kept = figures.get("cursor_kept")
    held = figures.get("rows", rows)
    return f"{figures['changed']} / {held}, " + ("-" if kept is None else "yes" if kept else "NO")


def full_row(at: str, full: dict[str, Any], n: int) -> Row:
    what = f"{at}whole fleet: every row, 1% changed"
    target = "< 30 ms" if n == TARGET_SIZE else ""
    if "skipped" in full:
        value = f"~{full['skipped']:.0f} s (predicted)"
        return Row(what, value, target, False if n == TARGET_SIZE else None)
    seconds = full["to_paint"]
    return Row(what, ms(seconds), target, verdict(seconds, TARGETS["refresh"], n))


def _full(r: dict[str, Any]) -> float:
    full = r["full_refresh"]
    return float(full["skipped"] if "skipped" in full else full["to_paint"])


GROWTH = (
    ("first rows (s)", lambda r: r["first_rows"]),
    ("first page: filter key, median (ms)", lambda r: median(r["page_filter"]["keys"]) * 1e3),
    ("first page: 1% refresh (ms)", lambda r: r["page_refresh"]["arrival_to_paint"] * 1e3),
    ("load by scrolling, last pages (ms)", lambda r: r["scroll"]["last_page_seconds"] * 1e3),
    ("whole fleet: table update (s)", lambda r: r["fill"]["to_paint"]),
    ("whole fleet: filter key, median (ms)", lambda r: median(r["full_filter"]["keys"]) * 1e3),
    ("whole fleet: page refresh (ms)", lambda r: r["full_page_refresh"]["arrival_to_paint"] * 1e3),
    ("whole fleet: 1% of every row (s)", _full),
    ("RSS after first rows (MiB)", lambda r: r["rss_first"]),
    ("RSS, whole fleet in the table (MiB)", lambda r: r["rss_full"]),
)


def print_growth(results: list[dict[str, Any]]) -> None:
    sizes = [r["servers"] for r in results]
    print(f"\ngrowth with the fleet: the figure at each size (and x the figure at {sizes[0]:,})")
    header = "".join(f"{n:>20,}" for n in sizes)
    print(f"  {'figure':<38}{header}")
    for label, figure in GROWTH:
        base = figure(results[0])
        cells = []
        for r in results:
            value = figure(r)
            factor = f"({value / base:.1f}x)" if base else ""
            cells.append(f"{value:>11.4g} {factor:>8}")
        print(f"  {label:<38}{''.join(cells)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--scroll-seconds", type=float, default=30.0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scroll", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        emit(asyncio.run(measure(args.one)))
        return 0
    if args.scroll:
        emit(asyncio.run(measure_scroll(args.scroll, args.scroll_seconds)))
        return 0

    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        result = run_child([__file__, "--one", str(size)], timeout=1800)
        scroll = ["--scroll", str(size), "--scroll-seconds", str(args.scroll_seconds)]
        result["scroll"] = run_child([__file__, *scroll], timeout=1800)
        print(f"{size:,} servers measured in {time.perf_counter() - started:.0f} s", flush=True)
        results.append(result)
        print_table(f"fleet of {size:,} servers", size_rows(result))
    if len(results) > 1:
        print_growth(results)
    target = [r for r in results if r["servers"] == TARGET_SIZE]
    misses = [row for r in target for row in size_rows(r) if row.ok is False]
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
