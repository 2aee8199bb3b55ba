"""What ``arianet-tui config`` prints, and the starter file ``config init`` writes."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .config import Settings, TokenFileError, env_name, read_token_file
from .settings_check import BindingInfo
from .settings_file import FILE_KEYS, PROFILE_KEYS
from .settings_load import CLI_SETTINGS, LoadedSettings, option_name


def redact(token: str) -> str:
    """A token as it may be shown: its kind prefix (``arr_``) at most, never a secret part."""
    head, sep, _ = token.partition("_")
    prefix = head + sep if sep and len(head) <= 5 and head.isalpha() else ""
    return f"{prefix}…(redacted)"


def _token_row(loaded: LoadedSettings) -> tuple[str, str]:
    token = loaded.settings.token
    if token is not None and token.get_secret_value().strip():
        return redact(token.get_secret_value().strip()), loaded.origins["token"]
    path = loaded.settings.token_file
    try:
        stored = read_token_file(path)
    except TokenFileError:
        return "(refused)", f"token file {path} can be read by others: chmod 600 {path}"
    except OSError as error:
        return "(unreadable)", f"token file {path}: {error.strerror}"
    if stored is None:
        return "(none)", f"no {env_name('token')}, no token file {path}; the app asks for one"
    return redact(stored), f"token file {_home(path)}"


def show_value(value: Any) -> str:
    """A setting's value as it would be written in the config file."""
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Path):
        return json.dumps(_home(value))
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    return json.dumps(value)


def _home(path: Path) -> str:
    home = Path.home()
    return "~/" + str(path.relative_to(home)) if path.is_relative_to(home) else str(path)


def render_settings(loaded: LoadedSettings) -> str:
    """The effective settings, one per line, each with where it came from."""
    config = loaded.config
    found = "found" if config.exists else "not found"
    profiles = ", ".join(loaded.profiles) or "none"
    rows: list[tuple[str, str, str]] = []
    for name in Settings.model_fields:
        if name == "token":
            value, origin = _token_row(loaded)
        else:
            value, origin = show_value(getattr(loaded.settings, name)), loaded.origins[name]
        rows.append((name, value, origin))
    width = max(len(name) for name, _, _ in rows)
    value_width = min(40, max(len(value) for _, value, _ in rows))
    lines = [
        f"config file: {config.path} ({loaded.config_origin}, {found})",
        f"profiles in it: {profiles}",
        "",
    ]
    for name, value, origin in rows:
        lines.append(f"{name:<{width}}  {value:<{value_width}}  {origin}".rstrip())
    return "\n".join(lines) + "\n"


def render_keys(bindings: Iterable[BindingInfo]) -> str:
    """Every binding id with its default keys, for writing a ``[keymap]``."""
    rows = sorted(bindings, key=lambda b: b.id)
    width = max((len(b.id) for b in rows), default=0)
    keys_width = max((len(b.keys) for b in rows), default=0)
    lines = [f"{b.id:<{width}}  {b.keys:<{keys_width}}  {b.description}" for b in rows]
    return "\n".join(lines) + "\n"


# -- the starter file ----------------------------------------------------------------------

#: What the starter file shows for a setting that has no default value.
_EXAMPLES = {"profile": '"sim"', "log_file": '"~/arianet-tui.log"'}

_INTRO = """\
# Arianet TUI settings. Everything here is commented out: remove the "# " in front of a
# setting to use it. The values shown are the defaults.
#
# Precedence, lowest first: the defaults, this file (its top level, then the chosen
# profile's table), ARIANET_* environment variables (ARIANET_THEME, ...), command-line
# options (--theme, ...). `arianet-tui config` shows the effective settings and where
# each one came from; `arianet-tui config keys` lists the binding ids for [keymap].
#
# The token is never written here: keep it in a token_file with mode 0600 (the first-run
# screen writes one) or in the ARIANET_TOKEN environment variable.
"""

_PROFILES = """\
# One table per account. Choose one with --profile NAME, ARIANET_PROFILE or `profile`
# above, or switch in the running app from the command palette (ctrl+p, then "profile").
# A profile may set: {keys}.
#
# [profiles.sim]
# base_url = "http://127.0.0.1:8080/api/v1"
# token_file = "sim.token"
# theme = "textual-light"
#
# [profiles.prod]
# token_file = "prod.token"
# production = true
# read_only = true
"""

_KEYMAP = """\
# Keys, by binding id (several keys: "R,ctrl+shift+r").
# [keymap]
# "servers.restart" = "R"
# "app.quit" = "ctrl+q"
"""


def starter_text() -> str:
    """A commented config file with every setting, its meaning and its default."""
    defaults = Settings.model_construct()
    parts = [_INTRO]
    for name, info in Settings.model_fields.items():
        if name not in FILE_KEYS or name == "keymap":
            continue
        value = getattr(defaults, name)
        shown = show_value(value) if value is not None else _EXAMPLES[name]
        line = f"# {name} = {shown}"
        where = f"env {env_name(name)}"
        if name in CLI_SETTINGS:
            where += f", option {option_name(name)}"
        about = textwrap.wrap(f"{info.description} [{where}]", width=88)
        parts.append("".join(f"# {text}\n" for text in about) + f"{line}\n")
    keys = ", ".join(sorted(PROFILE_KEYS))
    parts.append(_PROFILES.format(keys=keys))
    parts.append(_KEYMAP)
    return "\n".join(parts)


def write_starter(path: Path, *, force: bool = False) -> None:
    """Write :func:`starter_text` to ``path``; FileExistsError unless ``force``."""
    if path.exists() and not force:
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text(starter_text(), encoding="utf-8")
