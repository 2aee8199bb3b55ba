"""What a table says after a failed read: the last good rows stay, marked stale."""

from __future__ import annotations

from .safe import safe_plain, truncate_cells


def failure_note(error: Exception) -> str:
    """The info-line note after a failed read: the last good rows stay, marked stale."""
    return f"stale: {truncate_cells(safe_plain(error), 60)}; ctrl+r retries"
