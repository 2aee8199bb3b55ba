"""Put the settings layers together and remember where each value came from.

Rising precedence: defaults, the config file's top level, the chosen profile's table,
``ARIANET_*`` environment variables, command-line options. The profile is the one named by
``--profile``, else ``ARIANET_PROFILE``, else ``profile = "NAME"`` at the top of the file.

A profile chosen from the running app starts from the same layers, except that the account
(token, token file, base URL) comes only from the profile: a token meant for one account
must never be sent to another.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import EnvSettingsSource, SettingsError

from .config import FileLayer, Settings, default_config_dir, env_name, file_layer
from .settings_file import ConfigError, ConfigFile, read_config

CONFIG_ENV = "ARIANET_CONFIG"
CONFIG_NAME = "config.toml"
#: The settings that have a command-line option (``option_name`` spells it).
CLI_SETTINGS = ("profile", "base_url", "read_only", "theme", "log_file", "log_level")
#: What names the account; on a profile switch only the profile may set these.
ACCOUNT_KEYS = frozenset({"token", "token_file", "base_url"})


def option_name(setting: str) -> str:
    """The command-line option of a setting: ``base_url`` is ``--base-url``."""
    return "--" + setting.replace("_", "-")


def config_location(option: Path | None = None) -> tuple[Path, str]:
    """The config file to read and why: ``--config``, ``ARIANET_CONFIG`` or the default."""
    if option is not None:
        return option.expanduser(), "option --config"
    from_env = os.environ.get(CONFIG_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser(), f"environment {CONFIG_ENV}"
    return default_config_dir() / CONFIG_NAME, "default location"


@dataclass(frozen=True)
class LoadedSettings:
    """The effective settings, the config file they read, and where each value came from."""

    settings: Settings
    config: ConfigFile
    #: Why this config file: an option, an environment variable or the default location.
    config_origin: str
    #: Setting name to its origin, such as ``environment ARIANET_THEME``.
    origins: Mapping[str, str]
    #: The command-line options given, kept for reloading another profile.
    cli: Mapping[str, Any] = field(default_factory=dict)

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(self.config.profiles)

    def where(self, setting: str, *inner: str) -> str:
        """Where a setting was given, for an error message: a file line, a variable, an option."""
        if setting in self.cli:
            return f"option {option_name(setting)}"
        origin = self.origins.get(setting, "default")
        if origin.startswith("environment"):
            return env_name(setting)
        profile = self.settings.profile
        if profile and setting in self.config.profiles.get(profile, {}):
            return self.config.where("profiles", profile, setting, *inner)
        if setting in self.config.top:
            return self.config.where(setting, *inner)
        return origin

    def for_profile(self, name: str) -> LoadedSettings:
        """The settings of another profile of the same file, for a switch in the running app."""
        kept = {key: value for key, value in self.cli.items() if key not in ACCOUNT_KEYS}
        return load_settings(
            {**kept, "profile": name},
            config_path=self.config.path,
            config_origin=self.config_origin,
            switching=True,
        )


def load_settings(
    cli: Mapping[str, Any] | None = None,
    *,
    config_path: Path | None = None,
    config_origin: str | None = None,
    switching: bool = False,
) -> LoadedSettings:
    """Read the config file and the environment under the command-line options ``cli``.

    ``config_path`` is the ``--config`` option. ``switching`` ignores the account's
    environment variables (see the module docstring). Raises :class:`ConfigError` with a
    message naming the file, line and key, or the variable or option, at fault.
    """
    cli = {key: value for key, value in (cli or {}).items() if value is not None}
    path, origin = config_location(config_path)
    config = read_config(path)
    skip_env = ACCOUNT_KEYS | {"profile"} if switching else frozenset()
    try:
        env = {key for key in EnvSettingsSource(Settings)() if key not in skip_env}
    except SettingsError as error:
        found = re.search(r'field "(\w+)"', str(error))
        variable = env_name(found.group(1)) if found else "environment"
        raise ConfigError(
            f"{variable}: cannot be read; lists and tables are written as JSON"
        ) from None

    profile = _chosen_profile(config, cli, env)
    profile_values = config.profiles.get(profile, {}) if profile else {}
    values = {**config.top, **profile_values}
    try:
        with file_layer(FileLayer(values, frozenset(skip_env))):
            settings = Settings(**cli)
    except ValidationError as error:
        raise ConfigError(_explain(error, cli, env)) from None

    origins: dict[str, str] = {}
    for name in Settings.model_fields:
        if name in cli:
            origins[name] = f"option {option_name(name)}"
        elif name in env:
            origins[name] = f"environment {env_name(name)}"
        elif name in profile_values:
            origins[name] = _file_origin(config, ("profiles", str(profile), name))
        elif name in config.top:
            origins[name] = _file_origin(config, (name,))
        else:
            origins[name] = "default"
    return LoadedSettings(settings, config, config_origin or origin, origins, cli)


def _chosen_profile(config: ConfigFile, cli: Mapping[str, Any], env: set[str]) -> str | None:
    if "profile" in cli:
        name, where = cli["profile"], "option --profile"
    elif "profile" in env:
        name, where = os.environ[env_name("profile")], env_name("profile")
    elif "profile" in config.top:
        name, where = config.top["profile"], config.where("profile")
    else:
        return None
    if not name or name in config.profiles:
        return str(name) or None
    known = ", ".join(config.profiles) or "none yet"
    raise ConfigError(
        f'{where}: no profile "{name}" in {config.path} (profiles there: {known}); '
        f"add a [profiles.{name}] table"
    )


def _file_origin(config: ConfigFile, keys: tuple[str, ...]) -> str:
    line = config.lines.get(keys)
    table = f" [{'.'.join(keys[:-1])}]" if len(keys) > 1 else ""
    return f"config file{table}, line {line}" if line else f"config file{table}"


def _explain(error: ValidationError, cli: Mapping[str, Any], env: set[str]) -> str:
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    if name in cli:
        where = f"option {option_name(name)}"
    elif name in env:
        where = env_name(name)
    else:
        where = "settings"
    shown = "" if name == "token" else f" (got {first['input']!r})"
    return f'{where}: "{name}": {first["msg"]}{shown}'
