"""The config file: TOML, read once, every key checked, every mistake tied to its line.

The top level holds settings for every account; each ``[profiles.NAME]`` table holds the
settings of one account (see :data:`PROFILE_KEYS`) and wins over the top level when chosen.
A relative path in the file is taken from the file's own folder.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from .config import Settings

#: Settings that only the environment may carry.
NOT_IN_FILE = frozenset({"token"})
FILE_KEYS = frozenset(Settings.model_fields) - NOT_IN_FILE
#: What a profile may set: the account, its safety marks and its look.
PROFILE_KEYS = frozenset(
    {
        "token_file",
        "base_url",
        "read_only",
        "production",
        "theme",
        "ssh_user",
        "ssh_options",
        "refresh_interval",
        "refresh_share",
        "animations",
    }
)
PATH_KEYS = frozenset({"token_file", "state_dir", "cache_dir", "log_file"})
PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

KeyPath = tuple[str, ...]


class ConfigError(Exception):
    """Settings that cannot be used; the message names the file, the line and the key."""


@dataclass(frozen=True)
class ConfigFile:
    """A config file's checked contents; an absent file is an empty one."""

    path: Path
    exists: bool = False
    top: dict[str, Any] = field(default_factory=dict)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def where(self, *keys: str) -> str:
        """``<file>, line N`` for a key path, or just the file when the line is unknown."""
        line = self.lines.get(tuple(keys))
        return f"{self.path}, line {line}" if line else str(self.path)


def read_config(path: Path) -> ConfigFile:
    """Read and check the config file at ``path``; raises :class:`ConfigError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ConfigFile(path)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_syntax_message(path, text, error)) from None

    config = ConfigFile(path, exists=True, lines=key_lines(text))
    profiles = data.pop("profiles", {})
    config.top.update(_check_table(config, data, (), FILE_KEYS))
    if not isinstance(profiles, dict):
        raise ConfigError(f"{config.where('profiles')}: profiles must be tables, [profiles.NAME]")
    for name, table in profiles.items():
        where = ("profiles", name)
        if not PROFILE_NAME.fullmatch(name):
            raise ConfigError(
                f'{config.where(*where)}: profile name "{name}": use letters, digits, - and _'
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{config.where(*where)}: profiles.{name} must be a table")
        config.profiles[name] = _check_table(config, table, where, PROFILE_KEYS)
    return config


def _check_table(
    config: ConfigFile, table: Mapping[str, Any], where: KeyPath, allowed: frozenset[str]
) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    in_table = f" in [{'.'.join(where)}]" if where else ""
    for key, value in table.items():
        path = (*where, key)
        if key in NOT_IN_FILE:
            raise ConfigError(
                f'{config.where(*path)}: "{key}" does not belong in a file anyone may read; '
                "keep it in a token_file (mode 0600) or set ARIANET_TOKEN"
            )
        if key not in allowed:
            hint = _hint(key, allowed)
            raise ConfigError(f'{config.where(*path)}: unknown key "{key}"{in_table}; {hint}')
        if key in PATH_KEYS and isinstance(value, str):
            value = config.path.parent / Path(value).expanduser()
        try:
            checked[key] = _adapter(key).validate_python(value, strict=True)
        except ValidationError as error:
            first = error.errors()[0]
            inner = tuple(str(part) for part in first["loc"])
            at = config.where(*path, *inner) if inner else config.where(*path)
            entry = f" entry {'.'.join(inner)}" if inner else ""
            raise ConfigError(
                f'{at}: "{key}"{entry}{in_table}: {first["msg"]} (got {first["input"]!r})'
            ) from None
    return checked


def _hint(key: str, allowed: frozenset[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f'did you mean "{close[0]}"?'
    return "known keys: " + ", ".join(sorted(allowed))


@cache
def _adapter(key: str) -> TypeAdapter[Any]:
    info = Settings.model_fields[key]
    kind: Any = info.annotation
    if info.metadata:
        kind = Annotated[kind, *info.metadata]
    return TypeAdapter(kind)


def _syntax_message(path: Path, text: str, error: tomllib.TOMLDecodeError) -> str:
    reason = str(error)
    found = re.search(r"\(at line (\d+), column (\d+)\)", reason)
    if not found:
        return f"{path}: not valid TOML: {reason}"
    reason = reason[: found.start()].strip()
    number = int(found.group(1))
    lines = text.splitlines()
    source = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    key = leading_key(source)
    about = f' (key "{".".join(key)}")' if key else f" ({source!r})" if source else ""
    return f"{path}, line {number}{about}: not valid TOML: {reason}"


# -- where each key is ---------------------------------------------------------------------

_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*""")
_HEADER = re.compile(r"\s*\[\[?(.+?)\]\]?\s*(?:#.*)?$")


def _parse_key(text: str, pos: int = 0) -> tuple[KeyPath, int] | None:
    """A dotted key starting at ``pos`` and where it ends, or None."""
    parts: list[str] = []
    while True:
        match = _PART.match(text, pos)
        if not match:
            return None
        parts.append(next(group for group in match.groups() if group is not None))
        pos = match.end()
        if pos >= len(text) or text[pos] != ".":
            return tuple(parts), pos
        pos += 1


def leading_key(line: str) -> KeyPath | None:
    """The key of a ``key = value`` line, or None."""
    parsed = _parse_key(line)
    if parsed is None:
        return None
    key, end = parsed
    return key if line[end:].startswith("=") else None


def key_lines(text: str) -> dict[KeyPath, int]:
    """Each table and key of a TOML text with its line number (1-based).

    A light scan, not a parser: a line inside a multi-line string that looks like a key
    could be taken for one, which at worst points an error message at the wrong line.
    """
    found: dict[KeyPath, int] = {}
    table: KeyPath = ()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header and stripped.startswith("["):
            parsed = _parse_key(header.group(1))
            if parsed is not None and parsed[1] == len(header.group(1)):
                table = parsed[0]
                found.setdefault(table, number)
            continue
        key = leading_key(line)
        if key is not None:
            found.setdefault((*table, *key), number)
    return found
