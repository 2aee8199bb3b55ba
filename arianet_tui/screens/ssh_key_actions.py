"""SSH key writes: add (paste or pick a file), rename, delete; each through the journal."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual import work

from ..api.models import SshKey
from ..widgets.safe import safe_plain, safe_text
from ..widgets.sshkey_format import describe
from .base import LiveScreen
from .context import WriteRequest, WriteResult
from .dialogs import ConfirmDialog, TextInputDialog
from .ssh_key_add import AddKeyDialog, NewKey, key_name_problem

FEED = "ssh-keys"


class SshKeyActions(LiveScreen):
    """The keys that change SSH keys; the section says which key is under the cursor."""

    def current_key(self) -> SshKey | None:
        raise NotImplementedError

    def known_fingerprints(self) -> dict[str, str]:
        """Fingerprints of the keys in the account, with their names."""
        return {}

    def key_changed(self, key: SshKey) -> None:
        """A write answered with the key's new state."""

    def key_added(self, key: SshKey) -> None:
        self.key_changed(key)

    def key_removed(self, key_id: int) -> None:
        """A key was deleted."""

    def _after(self, update: Callable[[WriteResult], None]) -> Callable[[WriteResult], None]:
        def done(result: WriteResult) -> None:
            if self.is_attached and result.ok:
                update(result)

        return done

    def _key_or_say(self) -> SshKey | None:
        key = self.current_key()
        if key is None:
            self.notify(
                "No SSH key is selected; press n to add one.", title="SSH keys", severity="warning"
            )
        return key

    def _shown(self, result: WriteResult) -> None:
        if isinstance(result.value, SshKey):
            self.key_changed(result.value)

    # -- add --------------------------------------------------------------------------------

    @work(exclusive=True, group="ssh-key-action")
    async def action_add_key(self) -> None:
        new: NewKey | None = await self.app.push_screen_wait(
            AddKeyDialog(self.known_fingerprints())
        )
        if new is None:
            return

        def show(result: WriteResult) -> None:
            if isinstance(result.value, SshKey):
                self.key_added(result.value)

        body = {"name": new.name, "key": new.line}
        request = WriteRequest(
            action="Add SSH key",
            target=new.name,
            method="POST",
            path="ssh-keys",
            call=partial(self.services.client.create_ssh_key, new.name, new.line),
            body=body,
            refresh=(FEED,),
            success=lambda key: f"added (id {getattr(key, 'id', '?')})",
        )
        self.host.submit_write(request, on_done=self._after(show))

    # -- rename -----------------------------------------------------------------------------

    @work(exclusive=True, group="ssh-key-action")
    async def action_rename(self) -> None:
        key = self._key_or_say()
        if key is None:
            return
        current = key.name

        def problem(value: str) -> str | None:
            if value == current:
                return "That is the current name."
            return key_name_problem(value)

        name = await self.app.push_screen_wait(
            TextInputDialog(
                f"Rename the SSH key {safe_plain(current)}",
                Text("New name (the key itself does not change):"),
                value=safe_plain(current),
                validate=problem,
                confirm_label="Rename",
            )
        )
        if not name:
            return
        request = WriteRequest(
            action="Rename SSH key",
            target=safe_plain(current),
            method="PUT",
            path=f"ssh-keys/{key.id}",
            call=partial(self.services.client.update_ssh_key, key.id, name),
            body={"name": name},
            refresh=(FEED,),
            success=lambda _: f"renamed to {name}",
        )
        self.host.submit_write(request, on_done=self._after(self._shown))

    # -- delete -----------------------------------------------------------------------------

    @work(exclusive=True, group="ssh-key-action")
    async def action_delete(self) -> None:
        key = self._key_or_say()
        if key is None:
            return
        name = safe_plain(key.name)
        if key.protected:
            await self.app.push_screen_wait(
                ConfirmDialog(
                    f"{name} is protected",
                    Text.assemble(
                        "The SSH key ",
                        safe_text(key.name, style="bold"),
                        " is protected, so it cannot be deleted.\n\nThe API has no call "
                        "that lifts a key's protection: lift it in the Arianet dashboard first.",
                    ),
                    confirm_label=None,
                )
            )
            return
        confirmed = await self.app.push_screen_wait(
            ConfirmDialog(
                f"Delete the SSH key {name}?",
                Text.assemble(
                    "Delete ",
                    safe_text(key.name, style="bold"),
                    f" ({_identity(key)}) from the account?\n\nIt can no longer be chosen "
                    "for servers. This cannot be undone, but the key can be added again "
                    "from its .pub file.",
                ),
                confirm_label="Delete key",
                danger=True,
            )
        )
        if not confirmed:
            return
        request = WriteRequest(
            action="Delete SSH key",
            target=name,
            method="DELETE",
            path=f"ssh-keys/{key.id}",
            call=partial(self.services.client.delete_ssh_key, key.id),
            refresh=(FEED,),
        )
        self.host.submit_write(request, on_done=self._after(lambda _: self.key_removed(key.id)))


def _identity(key: SshKey) -> str:
    found = describe(key.key)
    return f"{found.summary} {found.fingerprint}" if found else "an unreadable key"
