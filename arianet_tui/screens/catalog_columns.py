"""The columns of the catalog: plans with their specs and every price, and OS templates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import partial

from rich.text import Text

from ..api.models import OsTemplate, Plan, PlanPrice, Region
from ..widgets.money import money
from ..widgets.resource_table import Column
from ..widgets.safe import safe_plain, safe_text

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]i?B)?", re.IGNORECASE)
_UNIT = {"k": 1 / 1024 / 1024, "m": 1 / 1024, "g": 1.0, "t": 1024.0}
#: Sorts after every real price, so plans without one go last.
NO_PRICE = Decimal("Infinity")


def size_in_gb(spec: str) -> float:
    """``16 GB`` → 16.0, ``512 MB`` → 0.5; unreadable specs sort last."""
    found = _NUMBER.search(spec or "")
    if not found:
        return float("inf")
    unit = (found.group(2) or "GB")[0].lower()
    return float(found.group(1)) * _UNIT.get(unit, 1.0)


def currencies(plans: Iterable[Plan], first: str | None = None) -> list[str]:
    """Every currency the plans are priced in, the wallet's first, then by name."""
    codes = {price.currency.upper() for plan in plans for price in plan.prices}
    ordered = sorted(codes)
    if first and first.upper() in codes:
        ordered.remove(first.upper())
        ordered.insert(0, first.upper())
    return ordered


def _price(plan: Plan, code: str) -> PlanPrice | None:
    for price in plan.prices:
        if price.currency.upper() == code:
            return price
    return None


def _price_columns(code: str, symbols: Mapping[str, str]) -> list[Column[Plan]]:
    symbol = symbols.get(code, "")
    shown = safe_plain(code)

    def cell(plan: Plan, field: str, places: int) -> Text:
        price = _price(plan, code)
        amount = getattr(price, field, None) if price else None
        if amount is None:
            return Text("-", style="dim")
        return Text(money(amount, shown, symbol, places=places), no_wrap=True)

    def key(plan: Plan, field: str) -> Decimal:
        price = _price(plan, code)
        amount = getattr(price, field, None) if price else None
        return amount if isinstance(amount, Decimal) else NO_PRICE

    fields = (("mo", "monthly", 2), ("h", "hourly", 4), ("yr", "yearly", 2))
    return [
        Column(
            f"{code}-{suffix}",
            f"{shown}/{suffix}",
            partial(cell, field=name, places=places),
            partial(key, field=name),
        )
        for suffix, name, places in fields
    ]


def region_name(plan: Plan, regions: Mapping[int, Region]) -> str:
    if plan.datacenter is None:
        return "-"
    return regions.get(plan.datacenter.id, plan.datacenter).name


def plan_columns(
    codes: list[str],
    symbols: Mapping[str, str],
    regions: Mapping[int, Region],
) -> list[Column[Plan]]:
    """Specs, then hourly, monthly and yearly prices in each currency in ``codes``."""

    def recommended_first(plan: Plan) -> tuple[bool, Decimal, str]:
        price = _price(plan, codes[0]) if codes else None
        return (not plan.recommended, price.monthly if price else NO_PRICE, plan.name)

    columns: list[Column[Plan]] = [
        Column(
            "recommended",
            "★",
            lambda p: Text("★", style="bold yellow") if p.recommended else Text(" "),
            recommended_first,
        ),
        Column("name", "Plan", lambda p: safe_text(p.name, limit=20), lambda p: p.name.lower()),
        Column(
            "region",
            "Region",
            lambda p: safe_text(region_name(p, regions), limit=16),
        ),
        Column("cpu", "CPU", lambda p: safe_text(p.specs.cpu or "-", limit=10)),
        Column(
            "memory",
            "Memory",
            lambda p: safe_text(p.specs.memory or "-", limit=10),
            lambda p: size_in_gb(p.specs.memory),
        ),
        Column(
            "storage",
            "Storage",
            lambda p: safe_text(p.specs.storage or "-", limit=14),
            lambda p: size_in_gb(p.specs.storage),
        ),
    ]
    for code in codes:
        columns.extend(_price_columns(code, symbols))
    return columns


def plan_fields(plan: Plan) -> dict[str, str]:
    return {
        "name": plan.name,
        "region": plan.datacenter.name if plan.datacenter else "",
        "cpu": plan.specs.cpu,
        "memory": plan.specs.memory,
        "storage": plan.specs.storage,
        "recommended": "yes" if plan.recommended else "no",
    }


def os_columns(regions: Mapping[int, Region]) -> list[Column[OsTemplate]]:
    def where(template: OsTemplate) -> str:
        region = regions.get(template.region_id) if template.region_id is not None else None
        return region.name if region else "-"

    return [
        Column(
            "region",
            "Region",
            lambda t: safe_text(where(t), limit=16),
            lambda t: (where(t), t.name.lower()),
        ),
        Column("name", "OS template", lambda t: safe_text(t.name, limit=32), lambda t: t.name),
        Column("id", "ID", lambda t: Text(str(t.id)), lambda t: t.id),
    ]


def os_fields(template: OsTemplate) -> dict[str, str]:
    return {"name": template.name, "id": str(template.id)}
