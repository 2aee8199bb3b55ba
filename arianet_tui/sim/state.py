"""What a test reads and steers: the world, the request log, the write counts, the faults."""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

from arianet_tui.sim.clock import Clock
from arianet_tui.sim.faults import Faults
from arianet_tui.sim.limiter import RateLimiter
from arianet_tui.sim.world import World

REDACTED = "Bearer <redacted>"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the simulator received it, and how it answered."""

    method: str
    path: str
    query: dict[str, str]
    #: Lower-case names; the Authorization value is redacted.
    headers: dict[str, str]
    #: The parsed JSON body, the raw text when it was not JSON, or None when empty.
    body: Any
    #: The status answered; None when the connection was dropped.
    status: int | None
    bucket: str
    time: float
    #: The injected fault (``drop``, ``error:html:after``, ...) or None.
    fault: str | None = None


class SimState:
    """The state behind ``app.state.sim``; tests may change ``faults`` and ``down`` at will."""

    def __init__(
        self,
        world: World,
        *,
        token: str,
        limiter: RateLimiter,
        faults: Faults | None = None,
        log_size: int = 1000,
    ) -> None:
        self.world = world
        self.token = token
        self.limiter = limiter
        self.requests: deque[RecordedRequest] = deque(maxlen=log_size)
        #: Writes received, by (method, path), whatever became of them.
        self.write_counts: Counter[tuple[str, str]] = Counter()
        self.faults = faults or Faults()

    @property
    def clock(self) -> Clock:
        return self.world.clock

    @property
    def faults(self) -> Faults:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        # New options restart the dice from their seed.
        self._faults = faults
        self.rng = random.Random(faults.seed)

    @property
    def down(self) -> bool:
        """True while every request is dropped, as in an outage."""
        return self._faults.down

    @down.setter
    def down(self, value: bool) -> None:
        self._faults.down = value

    def reset_log(self) -> None:
        """Forget the requests received and the write counts."""
        self.requests.clear()
        self.write_counts.clear()

    def writes(self, method: str, path: str) -> int:
        """How many times a write was received, e.g. ``writes("POST", "/api/v1/servers")``."""
        return self.write_counts[(method, path)]

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def log(self, record: RecordedRequest) -> None:
        self.requests.append(record)
