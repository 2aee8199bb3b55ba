"""``arianet-tui``: parse the options, load the settings, find the token, run the app.

``arianet-tui config`` prints the effective settings instead, ``config init`` writes a
starter config file and ``config keys`` lists the binding ids a ``[keymap]`` can remap.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from . import __version__
from .api import DEFAULT_BASE_URL, ArianetClient, ArianetError
from .config import Settings, TokenFileError, default_config_dir, read_token_file
from .live import ActivityJournal, CatalogCache, RefreshScheduler, SystemClock
from .live.clock import Clock
from .screens.context import Services
from .screens.first_run import FirstRunChoice
from .screens.profile_switch import ProfileError, ProfileSwitch
from .serve import DEFAULT_PORT, serve
from .settings_file import ConfigError
from .settings_load import CLI_SETTINGS, CONFIG_ENV, LoadedSettings, config_location
from .settings_load import load_settings as _load_settings

log = logging.getLogger("arianet_tui.cli")

DEMO_BASE_URL = "http://127.0.0.1/api/v1"
#: Exit status for unusable settings: a bad config file, variable, option or token file.
EXIT_SETTINGS = 2


def _port(text: str) -> int:
    port = int(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a TCP port (1-65535)")
    return port


def _settings_options() -> argparse.ArgumentParser:
    """The options that set settings; shared by the app and ``config``, unset when absent."""
    options = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    options.add_argument(
        "--config",
        metavar="PATH",
        type=Path,
        help=f"the config file (env {CONFIG_ENV}; default {default_config_dir()}/config.toml)",
    )
    options.add_argument(
        "--profile",
        metavar="NAME",
        help="a [profiles.NAME] table of the config file (env ARIANET_PROFILE)",
    )
    options.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API root (env ARIANET_BASE_URL; default {DEFAULT_BASE_URL})",
    )
    options.add_argument(
        "--read-only", action="store_true", help="refuse every write, in the client itself"
    )
    options.add_argument("--theme", metavar="NAME", help="any Textual theme (env ARIANET_THEME)")
    options.add_argument("--log-file", metavar="PATH", type=Path, help="where to write the log")
    options.add_argument(
        "--log-level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="how much to log (default INFO)",
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    settings_options = _settings_options()
    parser = argparse.ArgumentParser(
        prog="arianet-tui",
        description="A keyboard-driven terminal dashboard for the Arianet cloud API.",
        epilog="The token comes from ARIANET_TOKEN, else the profile's token file, else the "
        "first-run screen asks for it. Settings: arianet-tui config.",
        parents=[settings_options],
    )
    parser.add_argument(
        "--demo", action="store_true", help="run against the built-in simulated service"
    )
    parser.add_argument(
        "--serve",
        nargs="?",
        const=DEFAULT_PORT,
        type=_port,
        metavar="PORT",
        help=f"serve the dashboard to a browser on 127.0.0.1 (default port {DEFAULT_PORT})",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    config = commands.add_parser(
        "config",
        parents=[settings_options],
        help="print the effective settings and where each came from",
        description="Print the effective settings and where each came from (token redacted).",
    )
    actions = config.add_subparsers(dest="config_command", metavar="ACTION")
    init = actions.add_parser("init", help="write a commented starter config file")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    actions.add_parser("keys", help="list the binding ids that a [keymap] table can remap")
    return parser


def cli_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line, by setting name."""
    return {name: getattr(args, name) for name in CLI_SETTINGS if hasattr(args, name)}


def load_settings(args: argparse.Namespace) -> LoadedSettings:
    """Defaults, config file, environment and the options in ``args``; see settings_load."""
    return _load_settings(cli_settings(args), config_path=getattr(args, "config", None))


def settings_from(args: argparse.Namespace) -> Settings:
    """The effective settings for parsed command-line options."""
    return load_settings(args).settings


def setup_logging(settings: Settings) -> None:
    """Log to a file only: the screen belongs to the dashboard."""
    path = settings.log_path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("arianet_tui")
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    root.propagate = False


def build_services(
    settings: Settings,
    *,
    token: str | None = None,
    demo: bool = False,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Services:
    """The client, scheduler, journal and catalog cache for one account (or the demo).

    The demo serves the simulator in-process (no network), on a thread of its own so that
    its work stays off the dashboard's event loop; tests pass their own ``transport`` and
    ``clock`` the same way.
    """
    clock = clock or SystemClock()
    now = clock.now
    base_url = settings.base_url
    audit_path = settings.audit_path
    if demo:
        from .sim import DEMO_TOKEN, World, create_app
        from .sim.threaded import ThreadedASGITransport

        if transport is None:
            world = World.demo(seed=7, servers=24, clock=now)
            transport = ThreadedASGITransport(create_app(world, clock=now))
        token, base_url = DEMO_TOKEN, DEMO_BASE_URL
        audit_path = settings.state_dir / "demo-audit.jsonl"
    client = ArianetClient(
        token=token,
        base_url=base_url,
        transport=transport,
        read_only=settings.read_only,
        clock=now,
    )
    scheduler = RefreshScheduler(
        client,
        clock=clock,
        background_share=settings.refresh_share,
        target_interval=settings.refresh_interval,
    )
    return Services(
        client=client,
        scheduler=scheduler,
        journal=ActivityJournal(base_url=client.base_url, audit_path=audit_path, clock=now),
        catalog=CatalogCache(client, cache_dir=settings.cache_dir, clock=now),
        settings=settings,
        clock=now,
        demo=demo,
    )


def find_token(settings: Settings) -> str | None:
    """ARIANET_TOKEN, else the token file; None when neither has one."""
    if settings.token is not None and settings.token.get_secret_value().strip():
        return settings.token.get_secret_value().strip()
    return read_token_file(settings.token_file)


def profile_switch(
    loaded: LoadedSettings,
    *,
    clock: Clock | None = None,
    transport_for: Callable[[str], httpx.AsyncBaseTransport] | None = None,
) -> ProfileSwitch | None:
    """How the running app opens another profile of the config file; None without profiles.

    ``transport_for`` gives the transport for a base URL (tests serve a simulator there).
    """
    if not loaded.profiles:
        return None

    def build(name: str) -> Services:
        try:
            settings = loaded.for_profile(name).settings
            token = find_token(settings)
        except (ConfigError, TokenFileError) as error:
            raise ProfileError(str(error)) from None
        if token is None:
            raise ProfileError(
                f"Profile {name} has no token: put it in {settings.token_file} (mode 0600) "
                "or name another file with token_file in the profile."
            )
        transport = transport_for(settings.base_url) if transport_for else None
        log.info("opening profile %s (%s)", name, settings.base_url)
        return build_services(settings, token=token, clock=clock, transport=transport)

    return ProfileSwitch(loaded.profiles, build)


def _say(message: str) -> None:
    print(f"arianet-tui: {message}", file=sys.stderr)


def _config_command(args: argparse.Namespace) -> int:
    from .settings_check import check_ui_settings, known_bindings
    from .settings_report import render_keys, render_settings, write_starter

    if args.config_command == "keys":
        print(render_keys(known_bindings().values()), end="")
        return 0
    if args.config_command == "init":
        path, _ = config_location(getattr(args, "config", None))
        try:
            write_starter(path, force=args.force)
        except FileExistsError:
            _say(f"{path} exists already; add --force to replace it")
            return 1
        print(f"Wrote {path}: every setting, commented out. Check it with: arianet-tui config")
        return 0
    loaded = load_settings(args)
    print(render_settings(loaded), end="")
    check_ui_settings(loaded)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        if args.command == "config":
            return _config_command(args)
        loaded = load_settings(args)
        from .settings_check import check_ui_settings

        check_ui_settings(loaded)
        if args.serve is not None:
            return serve(argv, args.serve)
        settings = loaded.settings
        setup_logging(settings)
        token = None if args.demo else find_token(settings)
    except (ConfigError, TokenFileError) as error:
        _say(str(error))
        return EXIT_SETTINGS
    except OSError as error:
        _say(str(error))
        return EXIT_SETTINGS
    return _run(args, loaded, token)


def _run(args: argparse.Namespace, loaded: LoadedSettings, token: str | None) -> int:
    from .app import ArianetApp

    settings = loaded.settings
    if args.demo:
        # The demo is no account: a profile's name or production band would mislead.
        settings = settings.model_copy(update={"profile": None, "production": False})

    def connect(choice: FirstRunChoice) -> Services:
        return build_services(settings, token=choice.token, demo=choice.demo)

    try:
        services = (
            build_services(settings, token=token, demo=args.demo) if args.demo or token else None
        )
    except ArianetError as error:
        _say(str(error))
        return EXIT_SETTINGS
    log.info(
        "starting (demo=%s, profile=%s, read_only=%s, pid=%s)",
        args.demo,
        settings.profile,
        settings.read_only,
        os.getpid(),
    )
    app = ArianetApp(
        services,
        connect=connect,
        token_path=settings.token_file,
        theme=settings.theme,
        profiles=profile_switch(loaded),
        keymap=settings.keymap,
        animations=settings.animations,
    )
    app.run()
    return 0
