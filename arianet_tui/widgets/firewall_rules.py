"""Firewall rules: checking a new rule before it is sent, and finding a rule's position.

The API deletes a rule by its 0-based position in the firewall's list, not by its id, so a
rule the user picked must be found again in a fresh copy of the list right before deleting:
:func:`rule_position` returns where it is now, or refuses when it is gone or was changed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from ..api.models import FirewallRule
from .safe import safe_plain

PROTOCOLS = ("tcp", "udp", "icmp")
DIRECTIONS = ("in", "out")
MAX_NAME = 100


class RuleError(ValueError):
    """A rule that cannot be sent; the message says which field and why."""


class RuleMoved(Exception):
    """The chosen rule is no longer where the user saw it; the message says what changed."""


@dataclass(frozen=True)
class RuleDraft:
    """A checked rule, ready to be sent; ``cidr`` is normalised (``10.0.0.0/8``)."""

    protocol: str
    port: int | None
    direction: str
    cidr: str

    @property
    def body(self) -> dict[str, object]:
        return {
            "protocol": self.protocol,
            "port": self.port,
            "direction": self.direction,
            "cidr": self.cidr,
        }


def port_problem(protocol: str, text: str) -> str | None:
    """Why ``text`` is no port for ``protocol``, or None; ICMP takes no port."""
    text = text.strip()
    if protocol == "icmp":
        return "ICMP has no ports; leave the port empty." if text else None
    if not text:
        return f"A {protocol} rule needs a port from 1 to 65535."
    if not text.isascii() or not text.isdigit():
        return "The port is a number from 1 to 65535 (one port per rule)."
    if not 1 <= int(text) <= 65535:
        return "The port is a number from 1 to 65535."
    return None


def cidr_problem(text: str) -> str | None:
    """Why ``text`` is no network such as ``203.0.113.0/24`` or ``::/0``, or None."""
    text = text.strip()
    if not text:
        return "Enter a network such as 203.0.113.0/24, or 0.0.0.0/0 for everywhere."
    try:
        ipaddress.ip_network(text, strict=True)
    except ValueError:
        try:
            loose = ipaddress.ip_network(text, strict=False)
        except ValueError:
            return f"{text[:50]} is not an IPv4 or IPv6 network (address/prefix)."
        return f"{text[:50]} has host bits set; did you mean {loose}?"
    return None


def parse_rule(protocol: str, port: str, direction: str, cidr: str) -> RuleDraft:
    """A checked rule from the form's fields; raises RuleError with the first problem."""
    if protocol not in PROTOCOLS:
        raise RuleError("The protocol is tcp, udp or icmp.")
    if direction not in DIRECTIONS:
        raise RuleError("The direction is in or out.")
    problem = port_problem(protocol, port) or cidr_problem(cidr)
    if problem:
        raise RuleError(problem)
    network = ipaddress.ip_network(cidr.strip(), strict=True)
    number = None if protocol == "icmp" else int(port.strip())
    return RuleDraft(protocol, number, direction, str(network))


def opens_to_everyone(direction: str, cidr: str) -> bool:
    """True for an inbound rule whose network is the whole internet (a /0)."""
    try:
        network = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return False
    return direction == "in" and network.prefixlen == 0


def exposure_warning(draft: RuleDraft) -> str | None:
    """A warning for an inbound rule open to every address, or None."""
    if not opens_to_everyone(draft.direction, draft.cidr):
        return None
    what = "ping and other ICMP" if draft.protocol == "icmp" else f"port {draft.port}"
    return (
        f"This opens {what} ({draft.protocol}) to every address on the internet "
        f"({draft.cidr}). Use a narrower network unless the service is public."
    )


def name_problem(name: str, taken: Sequence[str] = ()) -> str | None:
    """Why ``name`` cannot name a firewall, or None."""
    if not name:
        return "A firewall needs a name."
    if len(name) > MAX_NAME:
        return f"A name has at most {MAX_NAME} characters."
    if any(not ch.isprintable() for ch in name):
        return "A name cannot hold control characters."
    if name in taken:
        return f"A firewall named {name} already exists."
    return None


def describe_rule(rule: FirewallRule | RuleDraft) -> str:
    """``tcp 443 in from 0.0.0.0/0`` (``out to`` for outbound rules)."""
    port = "" if rule.port is None else f" {rule.port}"
    where = "from" if rule.direction == "in" else "to"
    protocol, direction, cidr = (safe_plain(v) for v in (rule.protocol, rule.direction, rule.cidr))
    return f"{protocol}{port} {direction} {where} {cidr}"


def _same(a: FirewallRule, b: FirewallRule) -> bool:
    return (a.protocol, a.port, a.direction, a.cidr) == (b.protocol, b.port, b.direction, b.cidr)


def rule_position(rules: Sequence[FirewallRule], chosen: FirewallRule) -> int:
    """Where ``chosen`` is in a freshly read list of rules, matched by id and content.

    Raises RuleMoved when no rule has its id any more, or the rule with its id now says
    something else: deleting by position then could remove a rule the user never chose.
    """
    for index, rule in enumerate(rules):
        if rule.id != chosen.id:
            continue
        if not _same(rule, chosen):
            raise RuleMoved(
                f"Rule {describe_rule(chosen)} was changed to {describe_rule(rule)} "
                "meanwhile; nothing was deleted. Check the list and try again."
            )
        return index
    raise RuleMoved(
        f"Rule {describe_rule(chosen)} is no longer in this firewall (removed meanwhile); "
        "nothing was deleted."
    )
