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
#: Without a way to ask the client, the token used within this long is taken as the current one.
RECENT_USE = timedelta(minutes=5)


def current_token_id(client: ArianetClient, tokens: Iterable[ApiToken], now: float) -> int | None:
    """The id of the token the client sends, if it can be told.

    The client is asked whether its token starts with each token's prefix (the token itself
    never leaves the client). A client without that check leaves a guess: the token the API
    saw last, when that was moments ago, since every request marks its token as used.
    """
    listed = list(tokens)
    matches: Callable[[str], bool] | None = getattr(client, "token_matches", None)
    if callable(matches):
        # A prefix may be shown shortened, "arr_..." in the reference's own example.
        prefixes = {t.id: t.prefix.rstrip(".…") for t in listed}
        found = [t.id for t in listed if len(prefixes[t.id]) >= 8 and matches(prefixes[t.id])]
        return found[0] if len(found) == 1 else None
    # TODO: guesses by last use until ArianetClient offers token_matches(prefix); another
    # client using a different token at the same moment could be taken for this one.
    used = [t for t in listed if t.last_used is not None]
    if not used:
        return None
    latest = max(used, key=lambda t: t.last_used or datetime.min.replace(tzinfo=UTC))
    assert latest.last_used is not None
    moment = datetime.fromtimestamp(now, UTC)
    return latest.id if moment - latest.last_used <= RECENT_USE else None


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
