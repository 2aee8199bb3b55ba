"""What the benchmarks share: the demo app on a chosen fleet, timing of key presses and
repaints, memory, child processes and the table of figures they print."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (120, 36)
# Read limits high enough that loading a whole fleet page by page never waits on the bucket:
# the benchmarks time the app, not the documented 100 reads per 15 minutes.
UNTHROTTLED = {"read": 1_000_000, "write": 1_000_000, "public": 1_000_000}
MIB = 1024 * 1024


# -- figures -----------------------------------------------------------------------------


def rss_mib() -> float:
    """Resident memory of this process (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by nearest rank (the largest value for fewer than 20)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1)]


def ms(seconds: float | None) -> str:
    """Milliseconds, or seconds from 10 s on."""
    if seconds is None:
        return "-"
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds * 1000:.1f} ms"


@dataclass
class Row:
    """One printed figure: what, the value, the target and whether it is met (None: no target)."""

    what: str
    value: str
    target: str = ""
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "MISS")


def print_table(title: str, rows: Iterable[Row]) -> None:
    rows = list(rows)
    width = max([len(r.what) for r in rows] + [10])
    value_width = max([len(r.value) for r in rows] + [6])
    print(f"\n{title}")
    print(f"  {'figure':<{width}}  {'measured':>{value_width}}  {'target':<16} verdict")
    for row in rows:
        print(f"  {row.what:<{width}}  {row.value:>{value_width}}  {row.target:<16} {row.verdict}")


def run_child(args: Sequence[str], *, timeout: float) -> dict[str, Any]:
    """Run ``python <args>`` and return the JSON object on the last line it prints."""
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}"
            f"\n{done.stderr[-3000:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def emit(result: Mapping[str, Any]) -> None:
    """What a child process hands back to its parent: one JSON line on stdout."""
    print(json.dumps(result), flush=True)


# -- the app on a fleet -------------------------------------------------------------------


@dataclass
class Demo:
    """The dashboard over an in-process simulator, as ``--demo`` builds it, on any fleet."""

    app: Any
    sim: Any
    services: Any
    tmp: tempfile.TemporaryDirectory[str]


def demo_app(
    servers: int,
    *,
    seed: int = 7,
    limits: Mapping[str, int] | None = UNTHROTTLED,
    transport: Callable[[Any], Any] | None = None,
) -> Demo:
    """The app over ``World.demo(servers=...)`` on the wall clock, with its files in a temp dir.

    The simulator runs on a thread of its own, as with ``--demo``. ``transport`` wraps its
    transport when given (e.g. to serve a large page).
    """
    from arianet_tui.app import ArianetApp, freeze_startup_heap
    from arianet_tui.cli import build_services
    from arianet_tui.config import Settings
    from arianet_tui.live import SystemClock
    from arianet_tui.sim import World, create_app
    from arianet_tui.sim.threaded import ThreadedASGITransport

    clock = SystemClock()
    world = World.demo(seed=seed, servers=servers, clock=clock)
    sim_app = create_app(world, clock=clock, limits=limits)
    inner: Any = ThreadedASGITransport(sim_app)
    tmp = tempfile.TemporaryDirectory(prefix="arianet-bench-")
    base = Path(tmp.name)
    settings = Settings(
        token=None,
        token_file=base / "config" / "token",
        state_dir=base / "state",
        cache_dir=base / "cache",
        theme="textual-dark",
    )
    services = build_services(
        settings,
        demo=True,
        clock=clock,
        transport=transport(inner) if transport else inner,
    )
    app = ArianetApp(services)
    # ArianetApp.run freezes what exists at start-up; run_test, used here, does not.
    freeze_startup_heap()
    return Demo(app, sim_app.state.sim, services, tmp)


class RemoteSim:
    """``arianet-sim`` in a process of its own on loopback, as a remote API would be: its
    work shares neither the dashboard's event loop nor its interpreter."""

    def __init__(self, servers: int, *, seed: int = 7) -> None:
        # A one-second rate-limit window: the benchmark times the app, not the bucket.
        args = ["--port", "0", "--servers", str(servers), "--seed", str(seed), "--window", "1"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "arianet_tui.sim", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if "http://" not in line:
            self.close()
            raise RuntimeError(f"arianet-sim did not start: {line!r}")
        self.url = line.split()[3]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def remote_app(sim: RemoteSim) -> Demo:
    """The dashboard signed in to ``sim`` over real HTTP, with its files in a temp dir."""
    from arianet_tui.app import ArianetApp, freeze_startup_heap
    from arianet_tui.cli import build_services
    from arianet_tui.config import Settings
    from arianet_tui.sim import DEMO_TOKEN

    tmp = tempfile.TemporaryDirectory(prefix="arianet-bench-")
    base = Path(tmp.name)
    settings = Settings(
        token=None,
        base_url=sim.url,
        token_file=base / "config" / "token",
        state_dir=base / "state",
        cache_dir=base / "cache",
        theme="textual-dark",
    )
    services = build_services(settings, token=DEMO_TOKEN)
    app = ArianetApp(services)
    freeze_startup_heap()
    return Demo(app, None, services, tmp)


def servers_table(app: Any) -> Any | None:
    """The ResourceTable of the servers screen, when it is the screen shown."""
    found = app.screen.query("#servers-table")
    return found.first() if found else None


async def wait_until(
    predicate: Callable[[], bool], *, within: float = 30.0, interval: float = 0.001
) -> bool:
    """Poll ``predicate`` on the event loop; False when ``within`` seconds passed first."""
    deadline = time.perf_counter() + within
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(interval)
    return True


def after_refresh(widget: Any) -> Awaitable[float]:
    """The perf_counter time at which the screen has repainted after everything now pending."""
    future: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    def stamp() -> None:
        if not future.done():
            future.set_result(time.perf_counter())

    widget.call_after_refresh(stamp)
    return future


async def first_rows(app: Any, *, within: float = 60.0) -> float:
    """Wait for the servers table to show rows and be painted; returns the paint time."""
    ok = await wait_until(
        lambda: (table := servers_table(app)) is not None and table.grid.row_count > 0,
        within=within,
    )
    if not ok:
        raise TimeoutError("the servers table showed no rows")
    table = servers_table(app)
    return await after_refresh(table.grid)


KEY_NAMES = {"-": "minus", "/": "slash", " ": "space", ":": "colon", "~": "tilde"}
KEY_CHARS = {name: char for char, name in KEY_NAMES.items()}


def key_event(key: str) -> Any:
    """The event a terminal driver posts for ``key``: a character (``"/"``) or a key name."""
    from textual import events

    if len(key) == 1:
        return events.Key(KEY_NAMES.get(key, key), key)
    return events.Key(key, KEY_CHARS.get(key))


async def timed_key(
    app: Any, key: str, done: Callable[[], bool], widget: Any, *, within: float = 600.0
) -> float:
    """Seconds from a key press (posted as the terminal driver does) to the repaint that
    follows ``done()`` turning true."""
    started = time.perf_counter()
    app.post_message(key_event(key))
    if not await wait_until(done, within=within):
        raise TimeoutError(f"key {key!r} had no visible effect within {within} s")
    painted = await after_refresh(widget)
    return painted - started


class PressFromThread:
    """Presses keys from another thread at planned times, as a terminal's input thread does.

    The press time is the planned time, not when the thread got to run: a key pressed while
    the event loop (or the GIL) is busy still counts from the moment the user pressed it.
    ``arm()`` is called on the loop before each press and returns the awaitable that gives
    the repaint time of that press.
    """

    def __init__(
        self,
        app: Any,
        loop: asyncio.AbstractEventLoop,
        presses: Sequence[tuple[float, str]],
        arm: Callable[[str], Awaitable[float]],
    ) -> None:
        self.app = app
        self.loop = loop
        self.presses = presses
        self.arm = arm
        self.latencies: list[float] = []
        self.pressed_at: list[float] = []
        self.errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="bench-keys", daemon=True)

    def start(self) -> None:
        self._thread.start()

    async def wait(self) -> None:
        await asyncio.to_thread(self._thread.join)

    def _run(self) -> None:
        for at, key in self.presses:
            armed = asyncio.run_coroutine_threadsafe(self._arm(key), self.loop).result(30)
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                at = time.perf_counter()
            self.pressed_at.append(at)
            self.app.post_message(key_event(key))
            try:
                painted = armed.result(30)
            except Exception as error:
                self.errors.append(f"{key}: {error!r}")
                continue
            self.latencies.append(painted - at)

    async def _arm(self, key: str) -> concurrent.futures.Future[float]:
        relay: concurrent.futures.Future[float] = concurrent.futures.Future()
        task = asyncio.ensure_future(self.arm(key))

        def done(task: asyncio.Future[float]) -> None:
            error = None if task.cancelled() else task.exception()
            if task.cancelled() or error is not None:
                relay.set_exception(error or TimeoutError("cancelled"))
            else:
                relay.set_result(task.result())

        task.add_done_callback(done)
        return relay


def child_env(tmp: str) -> dict[str, str]:
    """The environment of a dashboard child process: its files in ``tmp``, no real token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARIANET_")}
    # Bytecode is cached, as for an installed package (pip compiles it at install time):
    # with PYTHONDONTWRITEBYTECODE set, every start would compile the project's modules
    # again (about 60 ms) while Textual's come from the caches pip wrote.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        ARIANET_STATE_DIR=str(Path(tmp) / "state"),
        ARIANET_CACHE_DIR=str(Path(tmp) / "cache"),
        ARIANET_TOKEN_FILE=str(Path(tmp) / "config" / "token"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env
