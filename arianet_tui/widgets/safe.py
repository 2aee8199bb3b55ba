"""The one place where text from the API enters the UI.

Every string the API sends is untrusted: it is shown as literal text (never parsed as
markup), and characters that could move the cursor, recolour the terminal or reorder the
line are replaced by visible escapes such as ``\\x1b`` or ``<U+202E>``.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text

# C0 controls except tab and newline, DEL, and the C1 block.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidi embeddings, overrides and isolates, which can make text read in another order.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROL}{_BIDI}]")
ELLIPSIS = "…"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def safe_plain(value: object) -> str:
    """The value as a plain string with every unsafe character made visible."""
    if value is None:
        return ""
    return _UNSAFE.sub(_escape, str(value))


def truncate_cells(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` terminal cells, ending with an ellipsis if cut."""
    if limit <= 0:
        return ""
    if cell_len(text) <= limit:
        return text
    kept: list[str] = []
    width = 0
    for char in text:
        char_width = cell_len(char)
        if width + char_width > limit - 1:
            break
        kept.append(char)
        width += char_width
    return "".join(kept) + ELLIPSIS


def safe_text(value: object, *, limit: int | None = None, style: str = "") -> Text:
    """A literal :class:`~rich.text.Text` for an API value, cut to ``limit`` cells if given.

    Tables pass ``limit`` so one long hostname cannot push every other column away; detail
    views leave it out and show the whole value.
    """
    plain = safe_plain(value)
    if limit is not None:
        return Text(truncate_cells(plain, limit), style=style, end="", no_wrap=True)
    # Fold, so a container that crops with an ellipsis (a Rich table column) shows it all.
    return Text(plain, style=style, end="", overflow="fold")
