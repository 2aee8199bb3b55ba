"""Which server actions make sense in which state, and what a valid hostname is.

The API would refuse most of these too, but a refusal on screen with its reason is faster
and costs no request from the write budget.
"""

from __future__ import annotations

import re
from enum import StrEnum

from rich.text import Text

from ..api.models import Server
from ..widgets.safe import safe_text


class Action(StrEnum):
    RESTART = "Restart"
    POWER_ON = "Power on"
    POWER_OFF = "Power off"
    REINSTALL = "Reinstall"
    PROTECT = "Toggle protection"
    RENAME = "Rename"
    DELETE = "Delete"


_NEEDS_ACTIVE = {Action.RESTART, Action.POWER_ON, Action.POWER_OFF, Action.REINSTALL}
# fullmatch, not match: with match, "$" would also accept a trailing line break.
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)


def name_of(server: Server) -> str:
    return server.hostname or f"server {server.id}"


def refusal(action: Action, server: Server) -> str | None:
    """Why ``action`` makes no sense for ``server`` now, or None when it may go ahead."""
    name = name_of(server)
    power = server.instance_status
    creating = server.status in ("creating", "request_creating")
    if creating and action is not Action.DELETE:
        return f"{name} is still being created; wait until it is active."
    if action in _NEEDS_ACTIVE:
        if server.status != "active":
            return f"{name} is {server.status}; only an active server can be {_verb(action)}."
        if server.in_transition:
            return f"{name} is busy ({power}); wait until it settles."
    if action is Action.POWER_ON and power != "stopped":
        return f"{name} is already {power or 'on'}."
    if action is Action.POWER_OFF and power != "running":
        return f"{name} is already {power or 'off'}."
    if action is Action.RESTART and power != "running":
        return f"{name} is {power}; power it on instead (o)."
    return None


def _verb(action: Action) -> str:
    return {
        Action.RESTART: "restarted",
        Action.POWER_ON: "powered on",
        Action.POWER_OFF: "powered off",
        Action.REINSTALL: "reinstalled",
    }.get(action, "changed")


def hostname_problem(value: str) -> str | None:
    """Why ``value`` is not a valid RFC 1123 hostname, or None when it is."""
    if not value:
        return "A hostname cannot be empty."
    if len(value) > 253:
        return "A hostname has at most 253 characters."
    for label in value.split("."):
        if not label:
            return "A hostname cannot have empty parts (two dots, or a dot at an end)."
        if len(label) > 63:
            return "Each part between dots has at most 63 characters."
        if not _LABEL.fullmatch(label):
            if label.startswith("-") or label.endswith("-"):
                return "A part cannot start or end with a hyphen."
            return "Use only letters, digits, hyphens and dots."
    return None


def server_line(server: Server) -> Text:
    """``web-1 (203.0.113.5)`` for dialogs and lists of targets."""
    line = safe_text(name_of(server), style="bold")
    line.append_text(Text(" ("))
    line.append_text(safe_text(server.primary_ip or "no IP yet"))
    line.append(")")
    return line
