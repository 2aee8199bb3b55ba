"""Arianet TUI: a terminal dashboard for the Arianet cloud API."""

__version__ = "0.1.0"
