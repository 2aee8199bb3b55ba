"""Status, power state and age as short coloured text.

Colours follow meaning (running green, stopped dim, on its way cyan, failed red) and use
the 16 basic ANSI colours, so they read the same on any terminal; each value also carries
a symbol, so the meaning survives without colour.
"""

from __future__ import annotations

from datetime import UTC, datetime

import humanize
from rich.text import Text

from ..api.models import TRANSITIONAL_POWER_STATES, TRANSITIONAL_STATUSES
from .safe import safe_plain

RUNNING = ("●", "green")
STOPPED = ("○", "bright_black")
MOVING = ("◐", "cyan")
FAILED = ("✗", "red")
OTHER = ("?", "yellow")

_STATUS = {
    "active": RUNNING,
    "suspended": STOPPED,
    "terminated": FAILED,
    "failed": FAILED,
}
_POWER = {
    "running": RUNNING,
    "stopped": STOPPED,
    "off": STOPPED,
    "error": FAILED,
    "failed": FAILED,
}


def _badge(value: str, symbol: str, colour: str) -> Text:
    return Text.assemble((symbol, colour), " ", (value, colour), no_wrap=True, end="")


def status_badge(status: str | None) -> Text:
    """A server's ``status`` with its symbol and colour; unknown values show as sent."""
    value = safe_plain(status or "-")
    if status in TRANSITIONAL_STATUSES:
        return _badge(value, *MOVING)
    return _badge(value, *_STATUS.get(status or "", OTHER))


def power_badge(instance_status: str | None) -> Text:
    """A server's power state (``instance_status``); none yet while it is being created."""
    if not instance_status:
        return Text("-", style="bright_black", end="")
    value = safe_plain(instance_status)
    if instance_status in TRANSITIONAL_POWER_STATES:
        return _badge(value, *MOVING)
    return _badge(value, *_POWER.get(instance_status, OTHER))


def age(created_at: datetime | None, now: float) -> str:
    """How long ago, in words and to its largest unit: ``3 months``, ``1 year``."""
    if created_at is None:
        return "-"
    delta = datetime.fromtimestamp(now, UTC) - created_at
    if delta.total_seconds() < 60:
        return "just now"
    return humanize.naturaldelta(delta).split(",")[0]
