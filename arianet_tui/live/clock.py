"""Time for the live layer: the wall clock, and a virtual clock that tests move by hand."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol, runtime_checkable

# 2026-01-01T00:00:00Z: a fixed start keeps fake-clock tests reproducible.
FAKE_EPOCH = 1_767_225_600.0


@runtime_checkable
class Clock(Protocol):
    """Epoch seconds and a way to wait; the scheduler needs nothing else from time."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The wall clock; callable like ``time.time`` so the client and the sim can share it."""

    def now(self) -> float:
        return time.time()

    def __call__(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class FakeClock:
    """Virtual time: ``sleep()`` returns when the test moves the clock past its wake time.

    ``run_for()`` and ``run_until()`` walk through the pending wake times in order and let the
    event loop settle after each one, so a task that sleeps, sends an in-process request and
    sleeps again behaves as it would in real time, only a simulated hour takes seconds.
    The clock is callable, so the client and the simulated service can share it.
    """

    def __init__(self, start: float = FAKE_EPOCH) -> None:
        self._now = float(start)
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __repr__(self) -> str:
        return f"FakeClock(now={self._now:.3f}, sleepers={self.sleepers})"

    def now(self) -> float:
        return self._now

    def __call__(self) -> float:
        return self._now

    @property
    def sleepers(self) -> int:
        """How many tasks are waiting on this clock."""
        return sum(1 for _, _, future in self._sleepers if not future.done())

    def next_wake(self) -> float | None:
        """The earliest wake time of a waiting task, if any."""
        self._drop_done()
        return self._sleepers[0][0] if self._sleepers else None

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + seconds, next(self._order), future))
        await future

    def advance(self, seconds: float) -> None:
        """Jump ahead at once, waking every sleeper that is due; they run at the new time."""
        if seconds < 0:
            raise ValueError("time does not run backwards")
        self._now += seconds
        self._wake_due()

    def set(self, when: float) -> None:
        """Jump to an absolute time, never backwards."""
        self.advance(max(0.0, when - self._now))

    async def run_for(self, seconds: float) -> None:
        """Move time forward by ``seconds``, waking sleepers one wake time after another."""
        await self.run_until(self._now + seconds)

    async def run_until(self, when: float) -> None:
        """Move time forward to ``when``, letting the loop settle at each wake time on the way."""
        await self.settle()
        while True:
            wake = self.next_wake()
            if wake is None or wake > when:
                break
            self._now = max(self._now, wake)
            self._wake_due()
            await self.settle()
        self._now = max(self._now, when)
        self._wake_due()
        await self.settle()

    async def settle(self, max_rounds: int = 10_000) -> None:
        """Yield to the event loop until no task is ready to run."""
        loop = asyncio.get_running_loop()
        # asyncio has no public "is the loop idle" query; its ready queue tells exactly that
        # for in-process work. Without it, a fixed number of rounds is the fallback.
        ready = getattr(loop, "_ready", None)
        quiet = 0
        for round_number in range(max_rounds):
            await asyncio.sleep(0)
            if ready is None:
                if round_number >= 200:
                    return
                continue
            quiet = 0 if ready else quiet + 1
            if quiet >= 2:
                return

    def _drop_done(self) -> None:
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)

    def _wake_due(self) -> None:
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, future = heapq.heappop(self._sleepers)
            if not future.done():
                future.set_result(None)
