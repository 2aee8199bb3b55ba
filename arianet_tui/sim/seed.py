"""The demo account: a fleet in mixed states, tokens, SSH keys, firewalls and a wallet history.

Everything comes from one seeded RNG and the world's clock, so a seed gives the same account.
"""

from __future__ import annotations

import random
from bisect import bisect
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from arianet_tui.sim.records import FirewallRecord, ServerRecord, SshKeyRecord, TokenRecord
from arianet_tui.sim.sshkeys import ed25519_key, rsa_key

if TYPE_CHECKING:
    from arianet_tui.sim.world import World

DEMO_TOKEN = "arr_demo0123456789abcdef"  # noqa: S105 - public, for the demo only

DAY = 86_400.0
BALANCE = Decimal("412.37")
HISTORY_MONTHS = 4
# Monthly charges are itemised for this many servers; the rest of a big fleet is one line.
ITEMISED_SERVERS = 30

_HOSTNAMES = (
    "web-1",
    "web-2",
    "web-3",
    "api-1",
    "api-2",
    "db-primary",
    "db-replica",
    "cache-1",
    "worker-1",
    "worker-2",
    "worker-3",
    "queue-1",
    "lb-1",
    "lb-2",
    "search-1",
    "monitoring",
    "ci-runner-1",
    "ci-runner-2",
    "vpn-gw",
    "mail-1",
    "staging-web",
    "staging-api",
    "backup-1",
    "bastion",
)
_ROLES = ("web", "api", "worker", "db", "cache", "queue", "search", "edge", "batch", "ci-runner")
# Regions weighted so that most of the fleet sits in the first two; small plans are common.
_REGION_WEIGHTS = (5, 4, 2, 1)
_PLAN_WEIGHTS = (4, 6, 5, 3, 2, 1)


def _cumulative(weights: tuple[int, ...]) -> list[float]:
    total = 0.0
    sums = []
    for weight in weights:
        total += weight
        sums.append(total)
    return sums


def _pick(rng: random.Random, items: list[int], cumulative: list[float]) -> int:
    """A weighted choice, cheaper than ``rng.choices`` for one item at a time."""
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


def _states(count: int, rng: random.Random) -> list[tuple[str, str | None]]:
    """Status and power state for each server: mostly running, a few of every other kind."""
    creating = min(2, count // 6) + count // 5000
    failed = 1 if count >= 5 else 0
    failed += count // 2000
    suspended = failed
    stopped = round(count * 0.15)
    kinds: list[tuple[tuple[str, str | None], int]] = [
        (("creating", None), creating),
        (("failed", None), failed),
        (("suspended", "stopped"), suspended),
        (("active", "stopped"), stopped),
    ]
    states = [state for state, times in kinds for _ in range(times)][:count]
    states += [("active", "running")] * (count - len(states))
    rng.shuffle(states)
    return states


def _hostname(index: int) -> str:
    if index < len(_HOSTNAMES):
        return _HOSTNAMES[index]
    role = _ROLES[index % len(_ROLES)]
    return f"{role}-{index // len(_ROLES):03d}"


def _add_servers(world: World, rng: random.Random, count: int) -> None:
    now = world.now()
    catalog = world.catalog
    region_ids = list(catalog.regions)
    plans = {r: [p.id for p in catalog.plans_in(r)] for r in region_ids}
    systems = {r: [o.id for o in catalog.os_in(r)] for r in region_ids}
    region_sums = _cumulative(_REGION_WEIGHTS)
    plan_sums = _cumulative(_PLAN_WEIGHTS)
    states = _states(count, rng)
    ages = sorted((rng.uniform(1.0, 420.0) * DAY for _ in range(count)), reverse=True)
    creating_seen = 0

    for index in range(count):
        region = _pick(rng, region_ids, region_sums)
        status, power = states[index]
        server = ServerRecord(
            id=world.new_id("server"),
            hostname=_hostname(index),
            status=status,
            instance_status=power,
            plan_id=_pick(rng, plans[region], plan_sums),
            datacenter_id=region,
            os_id=rng.choice(systems[region]),
            created_at=float(int(now - ages[index])),
        )
        world.servers[server.id] = server
        if status == "creating":
            # Created moments ago: each one comes up a little later than the one before.
            server.created_at = float(int(now)) - 5.0
            server.cycle = None
            world.schedule(server, "create", 15.0 + 30.0 * creating_seen)
            creating_seen += 1
        elif status != "failed":
            roll = rng.random()
            world.assign_addresses(server, secondary=roll < 0.25, ipv6=roll > 0.6)

    active = [s for s in world.servers.values() if s.status == "active"]
    for server in rng.sample(active, min(len(active), max(2, count // 10))):
        server.protected = True


def _add_tokens(world: World, rng: random.Random) -> None:
    now = world.now()
    specs = (
        ("Arianet dashboard", DEMO_TOKEN, 120, 0, 90),
        ("CI pipeline", None, 300, 2, 3),
        ("Backup script", None, 500, 21, None),
    )
    for token_id, (name, secret, age, idle, lifetime) in enumerate(specs, start=1):
        world.tokens[token_id] = TokenRecord(
            id=token_id,
            name=name,
            secret=secret or "arr_" + rng.randbytes(12).hex(),
            created_at=float(int(now - age * DAY)),
            last_used=float(int(now - idle * DAY - rng.uniform(60, 3600))),
            expires=None if lifetime is None else float(int(now + lifetime * DAY)),
        )
    world.current_token_id = 1


def _add_ssh_keys(world: World, rng: random.Random) -> None:
    now = world.now()
    specs = (
        ("Laptop", ed25519_key(rng, "demo@laptop"), 200, False),
        ("CI deploy key", rsa_key(rng, "ci@arianet.example"), 310, True),
        ("Backup server", ed25519_key(rng, "backup@vault"), 150, False),
        ("Old workstation", rsa_key(rng, "demo@workstation"), 400, False),
    )
    for name, key, age, protected in specs:
        key_id = world.new_id("ssh_key")
        created = float(int(now - age * DAY))
        world.ssh_keys[key_id] = SshKeyRecord(key_id, name, key, created, protected)


def _add_firewalls(world: World) -> None:
    now = world.now()
    web = FirewallRecord(world.new_id("firewall"), "Web Server Firewall", now - 180 * DAY)
    web.add_rule("tcp", 80, "in", "0.0.0.0/0")
    web.add_rule("tcp", 443, "in", "0.0.0.0/0")
    web.add_rule("tcp", 443, "in", "::/0")
    web.add_rule("tcp", 22, "in", "203.0.113.0/24")

    database = FirewallRecord(world.new_id("firewall"), "Database", now - 170 * DAY)
    database.add_rule("tcp", 5432, "in", "198.51.100.0/24")
    database.add_rule("tcp", 3306, "in", "198.51.100.0/24")
    database.add_rule("tcp", 6379, "in", "198.51.100.0/24")
    database.add_rule("icmp", None, "in", "0.0.0.0/0")
    # A removed rule leaves a gap: rule ids are not positions.
    del database.rules[1]

    baseline = FirewallRecord(world.new_id("firewall"), "Baseline", now - 400 * DAY)
    baseline.protected = True
    baseline.add_rule("icmp", None, "in", "0.0.0.0/0")
    baseline.add_rule("tcp", 22, "in", "192.0.2.0/24")
    baseline.add_rule("udp", 51820, "in", "0.0.0.0/0")
    baseline.add_rule("tcp", 443, "out", "0.0.0.0/0")
    baseline.add_rule("udp", 53, "out", "0.0.0.0/0")

    for firewall in (web, database, baseline):
        firewall.created_at = float(int(firewall.created_at))
        world.firewalls[firewall.id] = firewall


def _month_starts(now: float, months: int) -> list[datetime]:
    """The first day of each of the last ``months`` months, oldest first."""
    first = datetime.fromtimestamp(now, UTC).replace(day=1, hour=0, minute=0, second=0)
    first = first.replace(microsecond=0)
    starts = []
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return starts[::-1]


def _add_transactions(world: World, rng: random.Random) -> None:
    entries: list[tuple[float, str, Decimal, str]] = []
    servers = list(world.servers.values())
    itemised = servers[:ITEMISED_SERVERS]
    rest = servers[ITEMISED_SERVERS:]
    rest_monthly = sum((world.catalog.monthly_usd(s.plan_id) for s in rest), Decimal(0))

    for month in _month_starts(world.now(), HISTORY_MONTHS):
        at = month.timestamp() + 900
        for server in itemised:
            if server.created_at < at and server.status != "creating":
                amount = world.catalog.monthly_usd(server.plan_id)
                entries.append((at, "debit", amount, f"Monthly server charge - {server.hostname}"))
            at += 1
        if rest:
            label = f"Monthly server charges - {len(rest):,} more servers"
            entries.append((at, "debit", rest_monthly, label))
        top_up = Decimal(rng.choice((100, 250, 500)))
        day = rng.randint(3, 20)
        entries.append((month.timestamp() + day * DAY, "credit", top_up, "Top-up by card"))
        backups = Decimal(rng.randint(40, 160)) * Decimal("0.05")
        entries.append((month.timestamp() + 27 * DAY, "debit", backups, "Backup storage"))

    entries.sort(key=lambda entry: entry[0])
    moved = sum((a if kind == "credit" else -a for _, kind, a, _ in entries), Decimal(0))
    opening = BALANCE - moved
    if opening > 0:
        first_at = entries[0][0] - DAY if entries else world.now()
        entries.insert(0, (first_at, "credit", opening, "Account credit applied"))
    for at, kind, amount, description in entries:
        world.add_transaction(kind, amount, description, at)
    world.wallet.balance = BALANCE


def populate(world: World, *, seed: int, servers: int) -> None:
    """Fill an empty world with the demo account."""
    rng = random.Random(seed)
    _add_tokens(world, rng)
    _add_ssh_keys(world, rng)
    _add_firewalls(world)
    _add_servers(world, rng, servers)
    _add_transactions(world, rng)
