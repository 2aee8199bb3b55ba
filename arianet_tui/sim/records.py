"""The mutable records the simulated world keeps, one per resource."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Timings:
    """How many seconds each server transition takes before it settles."""

    create: float = 8.0
    power_off: float = 3.0
    power_on: float = 3.0
    restart: float = 4.0
    reinstall: float = 6.0


@dataclass(slots=True)
class Pending:
    """A transition under way: at ``settles_at`` the server reaches its target state."""

    action: str
    settles_at: float
    os_id: int | None = None


@dataclass(slots=True)
class ServerRecord:
    id: int
    hostname: str
    status: str
    instance_status: str | None
    plan_id: int
    datacenter_id: int
    os_id: int
    created_at: float
    ip_addresses: list[tuple[str, str]] = field(default_factory=list)
    protected: bool = False
    cycle: str | None = "monthly"
    project_id: int | None = None
    pending: Pending | None = None
    #: The last payload and the state it was made from.
    rendered: tuple[tuple[object, ...], dict[str, Any]] | None = None


@dataclass(slots=True)
class UserRecord:
    id: int
    email: str
    mobile: str | None
    status: str = "active"
    verified: bool = True


@dataclass(slots=True)
class TokenRecord:
    id: int
    name: str
    secret: str
    created_at: float
    last_used: float | None = None
    expires: float | None = None

    @property
    def prefix(self) -> str:
        return self.secret[:16]


@dataclass(slots=True)
class SshKeyRecord:
    id: int
    name: str
    key: str
    created_at: float
    protected: bool = False


@dataclass(slots=True)
class RuleRecord:
    id: int
    protocol: str
    port: int | None
    direction: str
    cidr: str


@dataclass(slots=True)
class FirewallRecord:
    id: int
    name: str
    created_at: float
    rules: list[RuleRecord] = field(default_factory=list)
    protected: bool = False
    next_rule_id: int = 1

    def add_rule(self, protocol: str, port: int | None, direction: str, cidr: str) -> None:
        self.rules.append(RuleRecord(self.next_rule_id, protocol, port, direction, cidr))
        self.next_rule_id += 1


@dataclass(slots=True)
class TransactionRecord:
    id: int
    type: str
    amount: Decimal
    description: str
    created_at: float


@dataclass(slots=True)
class WalletRecord:
    id: int = 1
    balance: Decimal = Decimal("0.00")
    status: str = "active"
    currency_code: str = "USD"
