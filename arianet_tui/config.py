"""The settings model and the token file.

Settings come, in rising precedence, from their defaults, the config file (a TOML file read
by ``settings_file``; a chosen ``[profiles.NAME]`` table over its top level), ``ARIANET_*``
environment variables and command-line options. ``settings_load`` puts the layers together
and remembers where each value came from.

The token file lives in the user's config directory, is written atomically with mode 0600
and is refused when anyone but its owner could read it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_cache_dir, user_config_dir, user_state_dir
from pydantic import Field, SecretStr, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .api import DEFAULT_BASE_URL

APP_NAME = "arianet-tui"
ENV_PREFIX = "ARIANET_"

Animations = Literal["auto", "full", "basic", "none"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


def default_config_dir() -> Path:
    return Path(user_config_dir(APP_NAME))


@dataclass(frozen=True)
class FileLayer:
    """What the config file adds below the environment, for one :class:`Settings` build."""

    values: Mapping[str, Any] = field(default_factory=dict)
    #: Settings whose environment variables are ignored (the account, on a profile switch).
    skip_env: frozenset[str] = frozenset()


_FILE_LAYER: ContextVar[FileLayer | None] = ContextVar("arianet_file_layer", default=None)
_NO_FILE = FileLayer()


def _current_layer() -> FileLayer:
    return _FILE_LAYER.get() or _NO_FILE


@contextlib.contextmanager
def file_layer(layer: FileLayer) -> Iterator[None]:
    """Feed ``layer`` to every :class:`Settings` built inside the ``with`` block."""
    token = _FILE_LAYER.set(layer)
    try:
        yield
    finally:
        _FILE_LAYER.reset(token)


class _ConfigFileSource(PydanticBaseSettingsSource):
    """The config file's values, already read and checked line by line."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return _current_layer().values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_current_layer().values)


class _EnvSource(PydanticBaseSettingsSource):
    """The ``ARIANET_*`` variables, minus those the current build was told to skip."""

    def __init__(self, settings_cls: type[BaseSettings], env: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self._env = env

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self._env.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        skip = _current_layer().skip_env
        return {key: value for key, value in self._env().items() if key not in skip}


class Settings(BaseSettings):
    """Everything the dashboard can be told; ``settings_load`` explains the layers."""

    # Descriptions are given in Field(), not read from attribute docstrings: pydantic finds
    # those through inspect.getsource, about 90 ms at every start.
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid")

    profile: str | None = Field(
        default=None,
        description=(
            "The [profiles.NAME] table of the config file in use; none means the top level only."
        ),
    )
    token: SecretStr | None = Field(
        default=None,
        description="The API token; environment only (ARIANET_TOKEN), never in the config file.",
    )
    token_file: Path = Field(
        default_factory=lambda: default_config_dir() / "token",
        description="The file holding the token (mode 0600), written by the first-run screen.",
    )
    base_url: str = Field(
        default=DEFAULT_BASE_URL,
        description="The API root; plain http:// only for loopback hosts.",
    )
    read_only: bool = Field(default=False, description="Refuse every write in the client itself.")
    production: bool = Field(
        default=False, description="Mark the account as production: a red band across the header."
    )
    theme: str = Field(
        default="textual-dark",
        description="Any Textual theme, such as textual-light, nord or gruvbox.",
    )
    ssh_user: str = Field(
        default="root", description="The user that the s key logs in as on a server."
    )
    ssh_options: list[str] = Field(
        default_factory=list, description='Extra ssh arguments, such as ["-i", "~/.ssh/work"].'
    )
    refresh_interval: float = Field(
        default=12.0,
        ge=3.0,
        le=3600.0,
        description=(
            "Seconds between background refreshes of what is on screen, when the budget allows."
        ),
    )
    refresh_share: float = Field(
        default=0.8,
        ge=0.1,
        le=0.8,
        description=(
            "The share of each rate-limit bucket that background refreshes may use (0.1 to 0.8)."
        ),
    )
    animations: Animations = Field(
        default="auto",
        description=(
            "auto, full, basic or none; auto turns them off over SSH and in small terminals."
        ),
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description=(
            'Binding id to keys, such as "servers.restart" = "R"; arianet-tui '
            "config keys lists ids."
        ),
    )
    state_dir: Path = Field(
        default_factory=lambda: Path(user_state_dir(APP_NAME)),
        description="Where the audit file and the log go.",
    )
    cache_dir: Path = Field(
        default_factory=lambda: Path(user_cache_dir(APP_NAME)),
        description="Where regions, plans and OS templates are cached for a day.",
    )
    log_file: Path | None = Field(
        default=None, description="The log file; unset means arianet-tui.log in state_dir."
    )
    log_level: LogLevel = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")

    @field_validator("token_file", "state_dir", "cache_dir", "log_file")
    @classmethod
    def _expand_home(cls, path: Path | None) -> Path | None:
        return path.expanduser() if path is not None else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Earlier sources win: options, then the environment, then the config file.
        return (
            init_settings,
            _EnvSource(settings_cls, env_settings),
            _ConfigFileSource(settings_cls),
        )

    @property
    def audit_path(self) -> Path:
        return self.state_dir / "audit.jsonl"

    @property
    def log_path(self) -> Path:
        return self.log_file or self.state_dir / "arianet-tui.log"


def env_name(setting: str) -> str:
    """The environment variable of a setting: ``base_url`` is ``ARIANET_BASE_URL``."""
    return ENV_PREFIX + setting.upper()


class TokenFileError(Exception):
    """The token file exists but cannot be used; the message says how to fix it."""


def read_token_file(path: Path) -> str | None:
    """The token stored at ``path``, None when there is none.

    Raises TokenFileError when others can read the file, with the chmod that fixes it.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise TokenFileError(
            f"The token file {path} can be read by other users, so it is not used. "
            f"Run: chmod 600 {path}"
        )
    token = path.read_text(encoding="utf-8").strip()
    return token or None


def write_token_file(path: Path, token: str) -> None:
    """Store the token atomically: a 0600 temporary file renamed over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".token-", text=True)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token.strip() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
