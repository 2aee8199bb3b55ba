"""KeysFooter: Textual's Footer, built again only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer


class KeysFooter(Footer):
    """A Footer that skips a recompose which would show the same keys.

    Footer mounts one widget per key, each run through the stylesheet (35-70 ms for the ten
    keys of the servers section), whenever the screen's bindings may have changed. A section
    signals that four times while it starts (focus, screen stack, idle), each time with the
    same keys, and the first rows waited for all four.
    """

    def __init__(self, *, compact: bool = True) -> None:
        # The palette has its own binding (":" and ctrl+p) among the keys; no second entry.
        super().__init__(compact=compact, show_command_palette=False)
        self._shown: Hashable | None = None

    def _keys(self) -> Hashable:
        app = self.app
        shown = [
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        ]
        return (self.compact, *shown)

    async def recompose(self) -> None:
        keys = self._keys()
        if keys == self._shown:
            return
        await super().recompose()
        # An empty footer (bindings not ready yet) is never taken as up to date.
        self._shown = keys if self.children else None
