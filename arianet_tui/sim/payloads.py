"""Payloads built from the shared models in ``api/models.py`` and encoded as the API sends them.

The models keep money as Decimal, which pydantic's JSON mode would write as strings; the
reference writes numbers. So models are dumped in Python mode and made plain here: money as
JSON numbers, timestamps as ``2024-01-15T10:30:00Z``. A server's payload is kept until the
server changes, so a page of a big fleet costs little to serve again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from arianet_tui.api.models import (
    ApiToken,
    Currency,
    Firewall,
    FirewallRule,
    IpAddress,
    Pagination,
    Server,
    ServerStatus,
    SshKey,
    Transaction,
    User,
    Wallet,
)
from arianet_tui.sim.clock import to_datetime
from arianet_tui.sim.records import (
    FirewallRecord,
    ServerRecord,
    SshKeyRecord,
    TokenRecord,
    TransactionRecord,
    UserRecord,
    WalletRecord,
)
from arianet_tui.sim.world import World

_CURRENCIES = {"USD": Currency(id=1, code="USD", name="US Dollar", symbol="$")}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def dump(model: BaseModel, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """The JSON-ready payload of a model."""
    payload: dict[str, Any] = _plain(model.model_dump(mode="python", exclude=exclude))
    return payload


def encode(payload: Any) -> bytes:
    """JSON bytes of a JSON-ready payload."""
    return json.dumps(payload, ensure_ascii=False).encode()


def _when(epoch: float | None) -> datetime | None:
    return None if epoch is None else to_datetime(epoch)


def server(world: World, record: ServerRecord) -> dict[str, Any]:
    """A server's payload; shared between calls, so never to be changed by the caller."""
    key = (
        record.status,
        record.instance_status,
        record.hostname,
        record.protected,
        record.cycle,
        record.plan_id,
        record.os_id,
        tuple(record.ip_addresses),
    )
    if record.rendered is not None and record.rendered[0] == key:
        return record.rendered[1]
    catalog = world.catalog
    model = Server(
        id=record.id,
        status=record.status,
        instance_status=record.instance_status,
        hostname=record.hostname,
        ip_addresses=[IpAddress(ip=ip, type=kind) for ip, kind in record.ip_addresses],
        protected=record.protected,
        cycle=record.cycle,
        plan=catalog.plan_refs[record.plan_id],
        datacenter=catalog.regions[record.datacenter_id],
        os=catalog.os_refs[record.os_id],
        created_at=to_datetime(record.created_at),
    )
    payload = dump(model)
    record.rendered = (key, payload)
    return payload


def server_status(record: ServerRecord) -> dict[str, Any]:
    return dump(ServerStatus(status=record.status, instance_status=record.instance_status))


def pagination(page: int, limit: int, total: int) -> dict[str, Any]:
    last_page = max(1, -(-total // limit))
    return dump(Pagination(current_page=page, per_page=limit, total=total, last_page=last_page))


def user(record: UserRecord) -> dict[str, Any]:
    return dump(
        User(
            id=record.id,
            email=record.email,
            mobile=record.mobile,
            status=record.status,
            verified=record.verified,
        )
    )


def token(record: TokenRecord) -> dict[str, Any]:
    model = ApiToken(
        id=record.id,
        name=record.name,
        prefix=record.prefix,
        last_used=_when(record.last_used),
        expires=_when(record.expires),
        created_at=_when(record.created_at),
    )
    return dump(model)


def wallet(record: WalletRecord) -> dict[str, Any]:
    model = Wallet(
        id=record.id,
        balance=record.balance,
        primary=True,
        status=record.status,
        currency=_CURRENCIES[record.currency_code],
    )
    return dump(model)


def transaction(record: TransactionRecord) -> dict[str, Any]:
    model = Transaction(
        id=record.id,
        type=record.type,
        amount=record.amount,
        description=record.description,
        created_at=to_datetime(record.created_at),
    )
    return dump(model)


def ssh_key(record: SshKeyRecord) -> dict[str, Any]:
    model = SshKey(
        id=record.id,
        name=record.name,
        key=record.key,
        protected=record.protected,
        created_at=to_datetime(record.created_at),
    )
    return dump(model)


def firewall(record: FirewallRecord, *, with_created: bool = True) -> dict[str, Any]:
    """A firewall; the rule endpoints answer without ``created_at``, as the reference shows."""
    model = Firewall(
        id=record.id,
        name=record.name,
        protected=record.protected,
        rules=[
            FirewallRule(
                id=rule.id,
                protocol=rule.protocol,
                port=rule.port,
                direction=rule.direction,
                cidr=rule.cidr,
            )
            for rule in record.rules
        ],
        created_at=to_datetime(record.created_at),
    )
    return dump(model, exclude=None if with_created else {"created_at"})
