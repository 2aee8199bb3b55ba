"""The fake clock: sleepers wake in the order of their wake times, in virtual time."""

from __future__ import annotations

import asyncio

import pytest

from arianet_tui.live import Clock, FakeClock, SystemClock


async def test_sleepers_wake_in_order_at_their_own_time() -> None:
    clock = FakeClock(start=1000.0)
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, seconds: float, again: float = 0.0) -> None:
        await clock.sleep(seconds)
        woke.append((name, clock.now()))
        if again:
            await clock.sleep(again)
            woke.append((name + "2", clock.now()))

    tasks = [
        asyncio.create_task(sleeper("c", 30)),
        asyncio.create_task(sleeper("a", 10, again=5)),
        asyncio.create_task(sleeper("b", 20)),
    ]
    await clock.run_for(25)
    assert woke == [("a", 1010.0), ("a2", 1015.0), ("b", 1020.0)]
    assert clock.now() == 1025.0

    await clock.run_for(10)
    assert woke[-1] == ("c", 1030.0)
    await asyncio.gather(*tasks)


async def test_advance_jumps_and_wakes_everything_due() -> None:
    clock = FakeClock(start=0.0)
    task = asyncio.create_task(clock.sleep(5))
    await clock.settle()
    assert clock.sleepers == 1
    clock.advance(10)
    await task
    assert clock() == clock.now() == 10.0
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)


async def test_a_cancelled_sleeper_is_forgotten() -> None:
    clock = FakeClock()
    task = asyncio.create_task(clock.sleep(5))
    await clock.settle()
    task.cancel()
    await clock.settle()
    assert clock.sleepers == 0
    assert clock.next_wake() is None


def test_both_clocks_are_clocks() -> None:
    assert isinstance(FakeClock(), Clock)
    assert isinstance(SystemClock(), Clock)
    assert abs(SystemClock()() - SystemClock().now()) < 1.0
