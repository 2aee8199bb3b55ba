"""The filter language of every list: words and ``key:value`` terms, all of which must match.

- ``web`` keeps rows where any field contains ``web`` (case-insensitive).
- ``status:active`` keeps rows whose ``status`` field starts with ``active``; the key must be
  one of the table's field names, otherwise the term is plain text (so an IPv6 address
  such as ``2001:db8::1`` still works as a word).
- A leading ``-`` negates a term: ``-status:active`` or ``-staging``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One term of a query: a word anywhere, or a value at the start of one field."""

    value: str
    field: str | None = None
    negated: bool = False

    def matches(self, fields: Mapping[str, str], everything: str) -> bool:
        if self.field is None:
            found = self.value in everything
        else:
            found = fields.get(self.field, "").startswith(self.value)
        return found != self.negated


@dataclass(frozen=True)
class Query:
    """A parsed filter; an empty query matches every row."""

    text: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matches(self, fields: Mapping[str, str], everything: str | None = None) -> bool:
        """True when every term matches; ``fields`` must already be lower-case."""
        if not self.terms:
            return True
        if everything is None:
            everything = "\n".join(fields.values())
        return all(term.matches(fields, everything) for term in self.terms)


def parse_query(text: str, field_names: Collection[str] = ()) -> Query:
    """Parse what the user typed into the filter bar."""
    terms: list[Term] = []
    for word in text.lower().split():
        negated = word.startswith("-") and len(word) > 1
        if negated:
            word = word[1:]
        key, sep, value = word.partition(":")
        if sep and key in field_names:
            if value:
                terms.append(Term(value, key, negated))
            continue
        terms.append(Term(word, None, negated))
    return Query(text, tuple(terms))
