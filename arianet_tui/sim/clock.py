"""Time for the simulator: an injectable clock and timestamp helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]

#: 2026-01-01T00:00:00Z, the default start of a :class:`SimClock`.
DEFAULT_START = 1_767_225_600.0


class SimClock:
    """A clock that moves only when told to, so that tests on it run instantly."""

    def __init__(self, start: float = DEFAULT_START) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward and return the new time."""
        if seconds < 0:
            raise ValueError("a SimClock never goes back")
        self._now += seconds
        return self._now

    def __repr__(self) -> str:
        return f"SimClock({self._now!r})"


def to_datetime(epoch: float) -> datetime:
    """An aware UTC datetime, to the second, as the API shows timestamps."""
    return datetime.fromtimestamp(int(epoch), UTC)
