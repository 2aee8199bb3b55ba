"""The simulated account: servers and their transitions, tokens, keys, firewalls and money.

Transitions are computed from the clock: an action stores when it settles, and every read of
the world first applies the transitions that are due, so a test on a manual clock runs
instantly. Servers are kept in a dict by id in creation order, which is id order.
"""

from __future__ import annotations

import heapq
import time
from decimal import Decimal
from itertools import islice

from arianet_tui.sim.addresses import AddressAllocator
from arianet_tui.sim.catalog import Catalog
from arianet_tui.sim.clock import Clock
from arianet_tui.sim.errors import Forbidden, InvalidRequest, InvalidState, NotFound
from arianet_tui.sim.records import (
    FirewallRecord,
    Pending,
    ServerRecord,
    SshKeyRecord,
    Timings,
    TokenRecord,
    TransactionRecord,
    UserRecord,
    WalletRecord,
)

# Where an action leaves the power state while it runs, and where it settles.
_RUNNING = {
    "power_off": "stopping",
    "power_on": "starting",
    "restart": "restarting",
    "reinstall": "reinstalling",
}
_SETTLED = {
    "power_off": "stopped",
    "power_on": "running",
    "restart": "running",
    "reinstall": "running",
}


class World:
    """Everything one simulated account holds, with the operations of the API on it."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        catalog: Catalog | None = None,
        timings: Timings | None = None,
    ) -> None:
        self.clock: Clock = clock or time.time
        self.catalog = catalog or Catalog.standard()
        self.timings = timings or Timings()
        self.user = UserRecord(id=12345, email="demo@arianet.example", mobile="+15555550123")
        self.tokens: dict[int, TokenRecord] = {}
        #: The token the app accepts as the one it was given.
        self.current_token_id = 0
        self.servers: dict[int, ServerRecord] = {}
        self.ssh_keys: dict[int, SshKeyRecord] = {}
        self.firewalls: dict[int, FirewallRecord] = {}
        self.wallet = WalletRecord()
        self.transactions: list[TransactionRecord] = []
        #: Appended to every error message; the hostile world puts markup and escapes here.
        self.error_suffix = ""
        self.addresses = AddressAllocator()
        self._next_id = {"server": 10001, "ssh_key": 1001, "firewall": 2001, "transaction": 5001}
        self._due: list[tuple[float, int, int]] = []
        self._sequence = 0

    @classmethod
    def demo(cls, seed: int = 7, servers: int = 24, clock: Clock | None = None) -> World:
        """The realistic demo account, the same for the same seed and clock."""
        from arianet_tui.sim.seed import populate

        world = cls(clock=clock)
        populate(world, seed=seed, servers=servers)
        return world

    @classmethod
    def hostile(cls, seed: int = 7, servers: int = 24, clock: Clock | None = None) -> World:
        """The demo account with names and messages made of markup, escapes and odd text."""
        from arianet_tui.sim.hostile import make_hostile

        world = cls.demo(seed=seed, servers=servers, clock=clock)
        make_hostile(world, seed=seed)
        return world

    def now(self) -> float:
        return self.clock()

    def new_id(self, kind: str) -> int:
        value = self._next_id[kind]
        self._next_id[kind] = value + 1
        return value

    # Transitions

    def schedule(self, server: ServerRecord, action: str, seconds: float, **extra: int) -> None:
        """Start a transition of a server that settles ``seconds`` from now."""
        settles_at = self.now() + seconds
        server.pending = Pending(action, settles_at, extra.get("os_id"))
        if action in _RUNNING:
            server.instance_status = _RUNNING[action]
        self._sequence += 1
        heapq.heappush(self._due, (settles_at, self._sequence, server.id))

    def settle(self) -> None:
        """Apply every transition that is due, in the order they settle."""
        now = self.now()
        while self._due and self._due[0][0] <= now:
            _, _, server_id = heapq.heappop(self._due)
            server = self.servers.get(server_id)
            if server is None or server.pending is None or server.pending.settles_at > now:
                continue
            self._finish(server, server.pending)

    def _finish(self, server: ServerRecord, pending: Pending) -> None:
        server.pending = None
        if pending.action == "create":
            server.status = "active"
            server.instance_status = "running"
            server.cycle = "monthly"
            self.assign_addresses(server, secondary=False, ipv6=True)
            charge = self.catalog.hourly_usd(server.plan_id)
            self.add_transaction(
                "debit",
                charge,
                f"Server charge (first hour) - {server.hostname}",
                pending.settles_at,
            )
            return
        if pending.action == "reinstall" and pending.os_id is not None:
            server.os_id = pending.os_id
        server.instance_status = _SETTLED[pending.action]

    def assign_addresses(self, server: ServerRecord, *, secondary: bool, ipv6: bool) -> None:
        server.ip_addresses = [(self.addresses.next_v4(), "primary")]
        if secondary:
            server.ip_addresses.append((self.addresses.next_v4(), "secondary"))
        if ipv6:
            server.ip_addresses.append((self.addresses.next_v6(server.datacenter_id), "secondary"))

    # Servers

    def server(self, server_id: int) -> ServerRecord:
        self.settle()
        server = self.servers.get(server_id)
        if server is None:
            raise NotFound(f"Server {server_id} not found")
        return server

    def list_servers(
        self, page: int, limit: int, status: str | None = None
    ) -> tuple[list[ServerRecord], int]:
        """One page of servers in id order and the total that match."""
        self.settle()
        start = (page - 1) * limit
        if status is None:
            return list(islice(self.servers.values(), start, start + limit)), len(self.servers)
        matching = [s for s in self.servers.values() if s.status == status]
        return matching[start : start + limit], len(matching)

    def create_server(
        self,
        *,
        plan_id: int,
        datacenter_id: int,
        os_id: int,
        hostname: str | None = None,
        project_id: int | None = None,
    ) -> ServerRecord:
        catalog = self.catalog
        if datacenter_id not in catalog.regions:
            raise InvalidRequest(f"Datacenter {datacenter_id} does not exist")
        if plan_id not in catalog.plans:
            raise InvalidRequest(f"Plan {plan_id} does not exist")
        if os_id not in catalog.os_templates:
            raise InvalidRequest(f"OS template {os_id} does not exist")
        region = catalog.regions[datacenter_id].name
        if catalog.plan_datacenter(plan_id) != datacenter_id:
            raise InvalidRequest(f"Plan {plan_id} is not available in {region}")
        if catalog.os_templates[os_id].region_id != datacenter_id:
            raise InvalidRequest(f"OS template {os_id} is not available in {region}")

        server_id = self.new_id("server")
        server = ServerRecord(
            id=server_id,
            hostname=hostname or f"server-{server_id}",
            status="creating",
            instance_status=None,
            plan_id=plan_id,
            datacenter_id=datacenter_id,
            os_id=os_id,
            created_at=self.now(),
            cycle=None,
            project_id=project_id,
        )
        self.servers[server_id] = server
        self.schedule(server, "create", self.timings.create)
        return server

    def _operable(self, server: ServerRecord) -> None:
        if server.status == "creating":
            raise InvalidState(f"Server {server.id} is still being created")
        if server.status != "active":
            raise InvalidState(f"Server {server.id} is {server.status}")
        if server.pending is not None:
            raise InvalidState(f"Server {server.id} is busy ({server.instance_status})")

    def delete_server(self, server_id: int) -> None:
        server = self.server(server_id)
        if server.protected:
            raise Forbidden(f"Server {server_id} is protected; turn off its protection first")
        del self.servers[server_id]

    def power_on(self, server_id: int) -> None:
        server = self.server(server_id)
        self._operable(server)
        if server.instance_status != "stopped":
            raise InvalidState(f"Server {server_id} is already {server.instance_status}")
        self.schedule(server, "power_on", self.timings.power_on)

    def power_off(self, server_id: int) -> None:
        server = self.server(server_id)
        self._operable(server)
        if server.instance_status != "running":
            raise InvalidState(f"Server {server_id} is already {server.instance_status}")
        self.schedule(server, "power_off", self.timings.power_off)

    def restart(self, server_id: int) -> None:
        server = self.server(server_id)
        self._operable(server)
        if server.instance_status != "running":
            raise InvalidState(f"Server {server_id} is {server.instance_status}; power it on")
        self.schedule(server, "restart", self.timings.restart)

    def reinstall(self, server_id: int, os_id: int) -> None:
        server = self.server(server_id)
        template = self.catalog.os_templates.get(os_id)
        if template is None or template.region_id != server.datacenter_id:
            region = self.catalog.regions[server.datacenter_id].name
            raise InvalidRequest(f"OS template {os_id} is not available in {region}")
        self._operable(server)
        self.schedule(server, "reinstall", self.timings.reinstall, os_id=os_id)

    def rename(self, server_id: int, hostname: str) -> ServerRecord:
        server = self.server(server_id)
        if server.status == "creating":
            raise InvalidState(f"Server {server_id} is still being created")
        server.hostname = hostname
        return server

    def toggle_protection(self, server_id: int) -> bool:
        server = self.server(server_id)
        if server.status == "creating":
            raise InvalidState(f"Server {server_id} is still being created")
        server.protected = not server.protected
        return server.protected

    # Tokens

    def authenticate(self, secret: str) -> TokenRecord | None:
        """The live token with this secret, marked as used now; None when there is none."""
        now = self.now()
        for token in self.tokens.values():
            if token.secret == secret and (token.expires is None or token.expires > now):
                token.last_used = now
                return token
        return None

    def knows_token(self, secret: str) -> bool:
        return any(token.secret == secret for token in self.tokens.values())

    def revoke_token(self, token_id: int) -> None:
        if self.tokens.pop(token_id, None) is None:
            raise NotFound(f"Token {token_id} not found")

    # SSH keys

    def ssh_key(self, key_id: int) -> SshKeyRecord:
        key = self.ssh_keys.get(key_id)
        if key is None:
            raise NotFound(f"SSH key {key_id} not found")
        return key

    def add_ssh_key(self, name: str, key: str) -> SshKeyRecord:
        record = SshKeyRecord(self.new_id("ssh_key"), name, key, self.now())
        self.ssh_keys[record.id] = record
        return record

    def delete_ssh_key(self, key_id: int) -> None:
        if self.ssh_key(key_id).protected:
            raise Forbidden(f"SSH key {key_id} is protected and cannot be deleted")
        del self.ssh_keys[key_id]

    # Firewalls

    def firewall(self, firewall_id: int) -> FirewallRecord:
        firewall = self.firewalls.get(firewall_id)
        if firewall is None:
            raise NotFound(f"Firewall {firewall_id} not found")
        return firewall

    def add_firewall(self, name: str) -> FirewallRecord:
        record = FirewallRecord(self.new_id("firewall"), name, self.now())
        self.firewalls[record.id] = record
        return record

    def delete_firewall_rule(self, firewall_id: int, index: int) -> FirewallRecord:
        firewall = self.firewall(firewall_id)
        if not 0 <= index < len(firewall.rules):
            raise NotFound(f"Firewall {firewall_id} has no rule at index {index}")
        del firewall.rules[index]
        return firewall

    def delete_firewall(self, firewall_id: int) -> None:
        if self.firewall(firewall_id).protected:
            raise Forbidden(f"Firewall {firewall_id} is protected and cannot be deleted")
        del self.firewalls[firewall_id]

    # Billing

    def add_transaction(
        self, kind: str, amount: Decimal, description: str, at: float | None = None
    ) -> TransactionRecord:
        """Record a debit or credit and move the balance by it."""
        record = TransactionRecord(
            self.new_id("transaction"), kind, amount, description, self.now() if at is None else at
        )
        self.transactions.append(record)
        self.wallet.balance += -amount if kind == "debit" else amount
        return record

    def transactions_page(self, page: int, limit: int) -> tuple[list[TransactionRecord], int]:
        """One page of transactions, newest first, and how many there are."""
        self.settle()
        total = len(self.transactions)
        start = min(total, (page - 1) * limit)
        stop = min(total, start + limit)
        return [self.transactions[total - 1 - i] for i in range(start, stop)], total
