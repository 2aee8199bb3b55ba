"""Start-up: process start to the first server rows painted, against a bare Textual app.

Run as ``python tests/bench/startup.py [--runs 7] [--headless]``. Each run starts two
processes, in alternating order: ``arianet-tui --demo`` and a bare Textual app (a header, a
DataTable of 50 rows, a footer), both through ``_first_paint.py``, which notes the repaint
after the first table rows appear and exits. By default both run on a pseudo-terminal of
120x36 with Textual's real driver, so both pay for writing their frames; ``--headless`` uses
the headless driver at the same size instead. The figure is the median time from just before
the process is spawned to that repaint; the target is at most 1.5x the bare app.

A third process, ``deps``, is the bare app started after importing the libraries that the
dashboard needs before its first rows (httpx, pydantic, pydantic-settings, Starlette...):
its ratio is the part of the budget that the chosen dependencies take by themselves.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import SIZE, Row, child_env, median, print_table

DRIVER = Path(__file__).with_name("_first_paint.py")
TARGET_RATIO = 1.5


def drain(fd: int) -> None:
    """Read what the app writes to its terminal until it closes, like a terminal would."""
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def start_once(kind: str, *, headless: bool, tmp: str) -> dict[str, float]:
    """One start of ``kind`` (demo or bare); times relative to the spawn, in seconds."""
    report = Path(tmp) / f"{kind}.json"
    report.unlink(missing_ok=True)
    args = [sys.executable, str(DRIVER), kind, str(report)]
    env = child_env(tmp)
    if headless:
        spawned = time.monotonic()
        done = subprocess.run([*args, "--headless"], env=env, capture_output=True, check=False)
        exited = time.monotonic()
        output = done.stderr.decode(errors="replace")
        code = done.returncode
    else:
        env.update(TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
        leader, follower = pty.openpty()
        size = struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0)
        fcntl.ioctl(follower, termios.TIOCSWINSZ, size)
        spawned = time.monotonic()
        process = subprocess.Popen(
            args, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True
        )
        os.close(follower)
        reader = threading.Thread(target=drain, args=(leader,), daemon=True)
        reader.start()
        code = process.wait(timeout=60)
        exited = time.monotonic()
        reader.join(timeout=5)
        os.close(leader)
        output = ""
    if code != 0 or not report.exists():
        raise RuntimeError(f"{kind} failed with exit code {code}\n{output[-3000:]}")
    times: dict[str, Any] = json.loads(report.read_text())
    result = {k: v - spawned for k, v in times.items() if k != "rows_shown"}
    result["exit"] = exited - spawned
    result["rows_shown"] = times["rows_shown"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="starts of each app (default 7)")
    parser.add_argument("--headless", action="store_true", help="headless driver, no pty")
    args = parser.parse_args()

    kinds = ("bare", "deps", "demo")
    results: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="arianet-bench-") as tmp:
        # One start of each first, not counted: bytecode caches and the disk cache warm up.
        for kind in kinds:
            start_once(kind, headless=args.headless, tmp=tmp)
        for run in range(args.runs):
            order = kinds if run % 2 == 0 else kinds[::-1]
            for kind in order:
                results[kind].append(start_once(kind, headless=args.headless, tmp=tmp))
            painted = ", ".join(
                f"{kind} {results[kind][-1]['painted'] * 1000:.0f} ms" for kind in kinds
            )
            print(f"run {run + 1}: {painted}", flush=True)

    def mid(kind: str, key: str) -> float:
        return median([r[key] for r in results[kind]])

    mode = "headless driver" if args.headless else f"pty {SIZE[0]}x{SIZE[1]}"
    rows = []
    labels = {
        "bare": "bare Textual app",
        "deps": "bare app after the dependencies' imports",
        "demo": "arianet-tui --demo",
    }
    for kind, label in labels.items():
        rows += [
            Row(f"{label}: interpreter up", f"{mid(kind, 'started') * 1000:.0f} ms"),
            Row(f"{label}: imports done, App.run", f"{mid(kind, 'run') * 1000:.0f} ms"),
            Row(f"{label}: app ready (first screen)", f"{mid(kind, 'app_ready') * 1000:.0f} ms"),
            Row(f"{label}: rows in the table", f"{mid(kind, 'rows') * 1000:.0f} ms"),
            Row(f"{label}: first rows painted", f"{mid(kind, 'painted') * 1000:.0f} ms"),
            Row(f"{label}: process exited", f"{mid(kind, 'exit') * 1000:.0f} ms"),
        ]
    floor = mid("deps", "painted") / mid("bare", "painted")
    rows.append(Row("ratio deps / bare, first rows (the libraries' floor)", f"{floor:.2f}x"))
    ratio = mid("demo", "painted") / mid("bare", "painted")
    rows.append(Row("ratio demo / bare, first rows", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5))
    exit_ratio = mid("demo", "exit") / mid("bare", "exit")
    rows.append(Row("ratio demo / bare, to exit", f"{exit_ratio:.2f}x"))
    print_table(
        f"start-up, medians of {args.runs} alternated runs each ({mode}); times from spawn",
        rows,
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
