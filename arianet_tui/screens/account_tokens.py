"""The API tokens table: prefix, last use, expiry, and which token this app is using."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import humanize
from rich.text import Text

from ..api import ArianetClient
from ..api.models import ApiToken
from ..widgets.resource_table import Column
from ..widgets.safe import safe_text

#: An expiry closer than this is shown as a warning.
EXPIRY_WARNING = timedelta(days=14)


def current_token_id(client: ArianetClient, tokens: Iterable[ApiToken]) -> int | None:
    """The id of the token the client sends, when exactly one listed prefix matches it.

    The client answers whether its token starts with a prefix; the token never leaves it.
    """
    found = [t.id for t in tokens if client.token_matches(t.prefix)]
    return found[0] if len(found) == 1 else None


def _when(moment: datetime | None, now: float) -> str:
    if moment is None:
        return "-"
    return humanize.naturaltime(moment, when=datetime.fromtimestamp(now, UTC))


def last_used(token: ApiToken, now: float) -> Text:
    if token.last_used is None:
        return Text("never", style="dim")
    return Text(_when(token.last_used, now))


def expiry(token: ApiToken, now: float) -> Text:
    """``in 89 days``; a warning colour within two weeks, red once expired."""
    if token.expires is None:
        return Text("never", style="dim")
    left = token.expires - datetime.fromtimestamp(now, UTC)
    if left <= timedelta(0):
        return Text(f"expired {_when(token.expires, now)}", style="bold red")
    text = Text(f"in {humanize.naturaldelta(left, months=left >= timedelta(days=90))}")
    if left < EXPIRY_WARNING:
        text.stylize("bold yellow")
        text.append(" ⚠", style="bold yellow")
    return text


def created(token: ApiToken) -> Text:
    if token.created_at is None:
        return Text("-")
    return Text(token.created_at.astimezone(UTC).strftime("%Y-%m-%d"))


def token_columns(
    now: Callable[[], float], current: Callable[[], int | None]
) -> list[Column[ApiToken]]:
    def mark(token: ApiToken) -> Text:
        return Text("●", style="bold green") if token.id == current() else Text(" ")

    def stamp(moment: datetime | None) -> float:
        return moment.timestamp() if moment else float("inf")

    return [
        Column("current", "", mark, lambda t: t.id != current()),
        Column("name", "Name", lambda t: safe_text(t.name, limit=24), lambda t: t.name.lower()),
        Column("prefix", "Prefix", lambda t: safe_text(t.prefix or "-", limit=20)),
        Column(
            "last_used", "Last used", lambda t: last_used(t, now()), lambda t: -stamp(t.last_used)
        ),
        Column("expires", "Expires", lambda t: expiry(t, now()), lambda t: stamp(t.expires)),
        Column("created", "Created", created, lambda t: stamp(t.created_at)),
    ]


def token_fields(token: ApiToken) -> dict[str, str]:
    return {"name": token.name, "prefix": token.prefix}
