"""One simulated hour at the documented limits: what the refresh scheduler sends, and how fresh.

Run as ``python tests/bench/refresh_budget.py [--minutes N] [--seed N]``. It plays the hour of
``tests/live/hour.py`` (the servers list on screen, every other section visited four times,
two servers acted on) against the simulator on a fake clock, and prints its figures.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from live.hour import HourReport, run_hour


def show(report: HourReport, minutes: float) -> None:
    print(f"one simulated hour ({minutes:g} min) in {report.real_seconds:.2f} s of real time")
    print("requests per bucket per 15-minute window (the simulator's fixed windows):")
    for bucket, counts in report.reads_per_window.items():
        print(f"  {bucket:<7} {counts}")
    background = report.background_per_window
    allowance = 80
    print(f"  read, background only {background} (allowance {allowance} per window)")
    print(f"  read, asked by the user {report.user_per_window}")
    print(f"429 answers: {report.rate_limited}")
    print(
        f"servers list age while on screen: median {report.age_median:.1f} s, "
        f"p95 {report.age_p95:.1f} s, max {max(report.ages):.1f} s "
        f"({len(report.ages)} one-second samples)"
    )
    lags = report.settle_lags
    print(
        f"transitional servers seen settled after the simulator settled them: "
        f"{', '.join(f'{lag:.1f} s' for lag in lags)} "
        f"(median {statistics.median(lags):.1f} s, max {max(lags):.1f} s)"
    )
    for error in report.errors:
        print(f"problem: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    report = asyncio.run(run_hour(args.minutes, seed=args.seed))
    show(report, args.minutes)
    ok = (
        report.rate_limited == 0
        and max(report.background_per_window) <= 80
        and report.age_median <= 15.0
        and not report.errors
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
