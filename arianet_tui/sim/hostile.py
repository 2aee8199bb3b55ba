"""Names and messages made to break a careless terminal UI: markup, escapes and odd text."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arianet_tui.sim.world import World

HOSTILE_STRINGS = (
    "[bold red]x[/]",
    "[@click=app.quit]y[/]",
    "[link=https://example.org]z[/link]",
    "unclosed [bracket",
    "clear\x1b[2Jscreen",
    "clip\x1b]52;c;aGk=\x07board",
    "\x1b]8;;https://example.org\x07link\x1b]8;;\x07",
    "\x1b]0;title\x07",
    "carriage\rreturn",
    "bidi \u202eevil.exe",
    "h" * 300,
    "",
    "rocket 🚀 deploy ✨",
    "数据库服务器-東京",
    "tab\there",
    "del\x7fc1\x9b",
)
HOSTILE_MESSAGE = " [bold red]x[/] \x1b]8;;https://example.org\x07more\x1b]8;;\x07 \u202e["


def _spread(count: int, rng: random.Random) -> list[int]:
    """Which of ``count`` items get a hostile name: every string at least once if it fits."""
    indexes = list(range(count))
    rng.shuffle(indexes)
    return sorted(indexes[: min(count, len(HOSTILE_STRINGS))])


def make_hostile(world: World, *, seed: int) -> None:
    """Rename servers, firewalls, SSH keys, tokens and transactions with hostile strings."""
    rng = random.Random(seed ^ 0x5EED)
    strings = HOSTILE_STRINGS

    servers = list(world.servers.values())
    for n, index in enumerate(_spread(len(servers), rng)):
        servers[index].hostname = strings[n]

    for n, firewall in enumerate(world.firewalls.values()):
        firewall.name = strings[(n * 3) % len(strings)]
    for n, key in enumerate(world.ssh_keys.values()):
        key.name = strings[(n * 3 + 1) % len(strings)]
    for n, token in enumerate(world.tokens.values()):
        token.name = strings[(n * 3 + 2) % len(strings)]

    transactions = world.transactions
    for n, index in enumerate(_spread(len(transactions), rng)):
        transactions[index].description = f"Monthly server charge - {strings[n]}"

    world.error_suffix = HOSTILE_MESSAGE
