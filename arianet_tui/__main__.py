"""``python -m arianet_tui``: the same as the ``arianet-tui`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
