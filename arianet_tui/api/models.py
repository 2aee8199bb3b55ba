"""Pydantic models for every data model of the Arianet API reference.

The models are lenient where a newer API might differ: unknown fields are ignored, and an
unknown ``status`` or ``instance_status`` is kept as the string the API sent. Money is kept
as :class:`~decimal.Decimal` so that sums of prices do not drift.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _assume_utc(value: datetime) -> datetime:
    """Read a timestamp without an offset as UTC, so every datetime compares."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


Timestamp = Annotated[datetime, AfterValidator(_assume_utc)]

# Server statuses the reference lists for the `status` filter of GET /servers.
SERVER_STATUSES = (
    "active",
    "suspended",
    "creating",
    "failed",
    "terminated",
    "pending",
    "request_creating",
    "request_suspend",
    "request_unsuspend",
    "request_activate",
)
# States in which a server is on its way somewhere and worth following closely.
TRANSITIONAL_STATUSES = frozenset(
    {
        "creating",
        "pending",
        "request_creating",
        "request_suspend",
        "request_unsuspend",
        "request_activate",
    }
)
TRANSITIONAL_POWER_STATES = frozenset(
    {"starting", "stopping", "restarting", "rebooting", "reinstalling", "provisioning"}
)


class ApiModel(BaseModel):
    """Base of every payload model: ignores unknown fields and is immutable."""

    # defer_build: validators are built on first use, not at import (about 80 ms saved
    # before the first paint).
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class User(ApiModel):
    id: int
    email: str
    mobile: str | None = None
    status: str = "unknown"
    verified: bool = False


class IpAddress(ApiModel):
    ip: str
    type: str = "primary"


class PlanRef(ApiModel):
    id: int
    name: str


class Region(ApiModel):
    """A datacenter; the UI calls it a region."""

    id: int
    name: str
    display_name: str = ""
    country: str = ""


Datacenter = Region


class OsRef(ApiModel):
    id: int
    name: str


class Server(ApiModel):
    id: int
    status: str
    instance_status: str | None = None
    hostname: str | None = None
    ip_addresses: list[IpAddress] = Field(default_factory=list)
    protected: bool = False
    cycle: str | None = None
    plan: PlanRef | None = None
    datacenter: Region | None = None
    os: OsRef | None = None
    created_at: Timestamp | None = None

    @property
    def primary_ip(self) -> str | None:
        """The address typed ``primary``, else the first one, else None."""
        for address in self.ip_addresses:
            if address.type == "primary":
                return address.ip
        return self.ip_addresses[0].ip if self.ip_addresses else None

    @property
    def in_transition(self) -> bool:
        """True while the server is being created or is changing state."""
        return (
            self.status in TRANSITIONAL_STATUSES
            or (self.instance_status or "") in TRANSITIONAL_POWER_STATES
        )


class ServerStatus(ApiModel):
    status: str
    instance_status: str | None = None


class Currency(ApiModel):
    id: int
    code: str
    name: str = ""
    symbol: str = ""


class Wallet(ApiModel):
    id: int
    balance: Decimal
    primary: bool = True
    status: str = "unknown"
    currency: Currency


class Transaction(ApiModel):
    id: int
    type: str
    amount: Decimal
    description: str = ""
    created_at: Timestamp | None = None


class PlanSpecs(ApiModel):
    cpu: str = ""
    memory: str = ""
    storage: str = ""


class PlanPrice(ApiModel):
    code: str
    currency: str
    hourly: Decimal
    monthly: Decimal
    yearly: Decimal | None = None


class Plan(ApiModel):
    id: int
    name: str
    recommended: bool = False
    cycle: str | None = None
    specs: PlanSpecs = Field(default_factory=PlanSpecs)
    prices: list[PlanPrice] = Field(default_factory=list)
    datacenter: Region | None = None

    def price_in(self, currency: str) -> PlanPrice | None:
        """The price in a currency code (``USD`` or ``usd``), else the first one listed."""
        wanted = currency.lower()
        for price in self.prices:
            if price.code.lower() == wanted or price.currency.lower() == wanted:
                return price
        return self.prices[0] if self.prices else None


class OsTemplate(ApiModel):
    id: int
    name: str
    region_id: int | None = None


class ApiToken(ApiModel):
    id: int
    name: str
    prefix: str = ""
    last_used: Timestamp | None = None
    expires: Timestamp | None = None
    created_at: Timestamp | None = None


class SshKey(ApiModel):
    id: int
    name: str
    key: str
    protected: bool = False
    created_at: Timestamp | None = None


class FirewallRule(ApiModel):
    id: int
    protocol: str
    port: int | None = None
    direction: str
    cidr: str


class Firewall(ApiModel):
    id: int
    name: str
    protected: bool = False
    rules: list[FirewallRule] = Field(default_factory=list)
    created_at: Timestamp | None = None


class Pagination(ApiModel):
    current_page: int
    per_page: int
    total: int
    last_page: int


T = TypeVar("T")


class Page(ApiModel, Generic[T]):
    """One page of a paged list: the rows and where they stand in the whole."""

    data: list[T]
    pagination: Pagination


class DataList(ApiModel, Generic[T]):
    """The ``{"data": [...]}`` envelope of the unpaged lists."""

    data: list[T]


class TokenList(ApiModel):
    tokens: list[ApiToken]


class Message(ApiModel):
    message: str = ""


class RenameResult(ApiModel):
    id: int
    hostname: str


class ProtectionResult(ApiModel):
    protected: bool


class ErrorBody(ApiModel):
    """The error body every failing endpoint returns."""

    error: str = "UNKNOWN"
    message: str = ""
    status: int | None = None
