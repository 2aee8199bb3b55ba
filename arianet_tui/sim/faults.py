"""Fault injection options, the named profiles, and the seeded dice that pick a fault."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any, ClassVar


@dataclass(frozen=True)
class Fault:
    """The fault chosen for one request."""

    #: ``drop``, ``error``, ``rate_limit``, ``malformed`` or ``slow_body``.
    kind: str
    #: For a drop or an error on a write: True when the world was changed first.
    after: bool = False
    #: ``html`` or ``json`` for an error; ``truncated`` or ``wrong_types`` for a malformed body.
    variant: str = ""

    @property
    def label(self) -> str:
        parts = [self.kind, self.variant, "after" if self.after else ""]
        return ":".join(part for part in parts if part)


@dataclass
class Faults:
    """What goes wrong and how often; rates are shares of requests from 0 to 1."""

    # One request gets at most one of drop, error, rate_limit, malformed and slow_body;
    # latency comes on top of any of them.

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    #: Answer 5xx: an HTML 502 page for ``html_error_share`` of them, a JSON error otherwise.
    error_rate: float = 0.0
    html_error_share: float = 0.5
    #: Answer 429 with a short Retry-After although the bucket is not empty.
    rate_limit_rate: float = 0.0
    #: Close the connection without an answer.
    drop_rate: float = 0.0
    #: Answer 200 with a truncated JSON body or with values of the wrong type.
    malformed_rate: float = 0.0
    #: Send the body in ``slow_body_chunks`` pieces with a pause before each.
    slow_body_rate: float = 0.0
    slow_body_chunks: int = 4
    slow_body_pause_ms: float = 250.0
    #: Of the writes hit by an error or a drop, the share processed before the fault.
    after_processing_share: float = 0.5
    seed: int = 0
    #: Every request is dropped, as in an outage.
    down: bool = False

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "none": {},
        "slow": {
            "latency_ms": 400.0,
            "jitter_ms": 300.0,
            "slow_body_rate": 0.3,
            "slow_body_pause_ms": 150.0,
        },
        "flaky": {
            "latency_ms": 50.0,
            "jitter_ms": 50.0,
            "error_rate": 0.1,
            "drop_rate": 0.05,
        },
        "ratelimit": {"rate_limit_rate": 0.3},
        "chaos": {
            "latency_ms": 100.0,
            "jitter_ms": 150.0,
            "error_rate": 0.08,
            "drop_rate": 0.04,
            "rate_limit_rate": 0.05,
            "malformed_rate": 0.04,
            "slow_body_rate": 0.05,
            "slow_body_pause_ms": 100.0,
        },
    }

    @classmethod
    def profile(cls, name: str, **overrides: Any) -> Faults:
        """The options of a named profile: none, slow, flaky, ratelimit or chaos."""
        if name not in cls.PROFILES:
            names = ", ".join(cls.PROFILES)
            raise ValueError(f"unknown fault profile {name!r}; choose one of: {names}")
        return replace(cls(), **{**cls.PROFILES[name], **overrides})

    def delay(self, rng: random.Random) -> float:
        """Seconds to wait before answering."""
        if self.latency_ms <= 0 and self.jitter_ms <= 0:
            return 0.0
        return max(0.0, self.latency_ms + rng.uniform(0.0, self.jitter_ms)) / 1000.0

    def roll(self, rng: random.Random, *, write: bool) -> Fault | None:
        """The fault for one request, if any."""
        draw = rng.random()
        rates = (
            ("drop", self.drop_rate),
            ("error", self.error_rate),
            ("rate_limit", self.rate_limit_rate),
            ("malformed", self.malformed_rate),
            ("slow_body", self.slow_body_rate),
        )
        for kind, rate in rates:
            if draw < rate:
                return self._detail(kind, rng, write=write)
            draw -= rate
        return None

    def _detail(self, kind: str, rng: random.Random, *, write: bool) -> Fault:
        after = write and kind in ("drop", "error") and rng.random() < self.after_processing_share
        variant = ""
        if kind == "error":
            variant = "html" if rng.random() < self.html_error_share else "json"
        elif kind == "malformed":
            variant = rng.choice(("truncated", "wrong_types"))
        return Fault(kind, after, variant)
