"""The public catalog: regions (datacenters), plans with prices, and OS templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from arianet_tui.api.models import (
    OsRef,
    OsTemplate,
    Plan,
    PlanPrice,
    PlanRef,
    PlanSpecs,
    Region,
)

# id, name, display name, country, price factor against the US price
_REGIONS = (
    (1, "us-east-1", "US East (N. Virginia)", "US", "1.00"),
    (2, "eu-west-1", "EU West (Ireland)", "IE", "1.05"),
    (3, "ap-southeast-1", "Asia Pacific (Singapore)", "SG", "1.15"),
    (4, "sa-east-1", "South America (São Paulo)", "BR", "1.20"),
)

# name, vCPUs, memory GB, storage GB, US monthly price in USD, recommended
_PLAN_SHAPES = (
    ("Starter 1GB", 1, 1, 25, "6.00", False),
    ("Standard 2GB", 1, 2, 50, "12.00", True),
    ("Standard 4GB", 2, 4, 80, "24.00", True),
    ("Performance 8GB", 4, 8, 160, "48.00", False),
    ("Performance 16GB", 4, 16, 320, "96.00", False),
    ("Performance 32GB", 8, 32, 640, "192.00", False),
)

_OS_NAMES = (
    "Ubuntu 22.04 LTS",
    "Ubuntu 24.04 LTS",
    "Debian 12",
    "Rocky Linux 9",
    "AlmaLinux 9",
)
# A few templates only some regions offer, so that the lists differ per region.
_EXTRA_OS = {1: ("Fedora 41", "Debian 11"), 2: ("Debian 11",), 3: ("Fedora 41",)}

_EUR_PER_USD = Decimal("0.92")
_HOURS_PER_MONTH = Decimal(730)
_CENT = Decimal("0.01")
_MILLI = Decimal("0.0001")
_OS_ID_BASE = 100


def _money(value: Decimal, step: Decimal = _CENT) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _price(code: str, monthly: Decimal) -> PlanPrice:
    return PlanPrice(
        code=code.lower(),
        currency=code,
        hourly=_money(monthly / _HOURS_PER_MONTH, _MILLI),
        monthly=_money(monthly),
        yearly=_money(monthly * 10),
    )


@dataclass(frozen=True)
class Catalog:
    """Everything the public endpoints list, with lookups by id."""

    regions: dict[int, Region] = field(default_factory=dict)
    plans: dict[int, Plan] = field(default_factory=dict)
    os_templates: dict[int, OsTemplate] = field(default_factory=dict)
    plan_refs: dict[int, PlanRef] = field(default_factory=dict)
    os_refs: dict[int, OsRef] = field(default_factory=dict)

    @classmethod
    def standard(cls) -> Catalog:
        """Four regions, six plans and five to seven OS templates in each."""
        catalog = cls()
        plan_id = 1
        os_id = _OS_ID_BASE + 1
        for region_id, name, display_name, country, factor in _REGIONS:
            region = Region(id=region_id, name=name, display_name=display_name, country=country)
            catalog.regions[region_id] = region
            for plan_name, cpus, memory, storage, usd, recommended in _PLAN_SHAPES:
                monthly = Decimal(usd) * Decimal(factor)
                catalog.plans[plan_id] = Plan(
                    id=plan_id,
                    name=plan_name,
                    recommended=recommended,
                    cycle="monthly",
                    specs=PlanSpecs(
                        cpu=f"{cpus} vCPU",
                        memory=f"{memory} GB",
                        storage=f"{storage} GB SSD",
                    ),
                    prices=[_price("USD", monthly), _price("EUR", monthly * _EUR_PER_USD)],
                    datacenter=region,
                )
                catalog.plan_refs[plan_id] = PlanRef(id=plan_id, name=plan_name)
                plan_id += 1
            for os_name in _OS_NAMES + _EXTRA_OS.get(region_id, ()):
                catalog.os_templates[os_id] = OsTemplate(
                    id=os_id, name=os_name, region_id=region_id
                )
                catalog.os_refs[os_id] = OsRef(id=os_id, name=os_name)
                os_id += 1
        return catalog

    def plans_in(self, datacenter_id: int) -> list[Plan]:
        return [
            p for p in self.plans.values() if p.datacenter and p.datacenter.id == datacenter_id
        ]

    def os_in(self, datacenter_id: int) -> list[OsTemplate]:
        return [o for o in self.os_templates.values() if o.region_id == datacenter_id]

    def plan_datacenter(self, plan_id: int) -> int:
        datacenter = self.plans[plan_id].datacenter
        return datacenter.id if datacenter else 0

    def hourly_usd(self, plan_id: int) -> Decimal:
        price = self.plans[plan_id].price_in("USD")
        return price.hourly if price else Decimal(0)

    def monthly_usd(self, plan_id: int) -> Decimal:
        price = self.plans[plan_id].price_in("USD")
        return price.monthly if price else Decimal(0)
