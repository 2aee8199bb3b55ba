"""Every server action, shared by the servers list and the server detail screen.

Each action checks the state first (refusing with a reason), confirms in a dialog whose
default is Cancel when it interrupts or destroys something, and sends its write through
``host.submit_write`` so it is journalled, toasted and followed.
"""

from __future__ import annotations

import subprocess
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from rich.text import Text
from textual import work
from textual.app import SuspendNotSupported
from textual.binding import Binding, BindingType

from ..api import ArianetError
from ..api.models import Server
from ..widgets.safe import safe_plain, safe_text
from .base import LiveScreen
from .context import WriteRequest, WriteResult
from .create_server import CreateServerScreen
from .dialogs import ChoiceDialog, ConfirmDialog, TextInputDialog, TypeNameDialog
from .server_rules import Action, hostname_problem, name_of, refusal, server_line

SERVER_BINDINGS: list[BindingType] = [
    Binding("n", "new_server", "New", tooltip="Create a server", id="servers.new"),
    Binding(
        "r", "restart", "Restart", tooltip="Restart (marked or current)", id="servers.restart"
    ),
    Binding("o", "power_on", "On", tooltip="Power on (marked or current)", id="servers.power_on"),
    Binding(
        "f", "power_off", "Off", tooltip="Power off (marked or current)", id="servers.power_off"
    ),
    Binding(
        "i",
        "reinstall",
        "Reinstall",
        show=False,
        tooltip="Reinstall the OS",
        id="servers.reinstall",
    ),
    Binding(
        "p",
        "protect",
        "Protect",
        show=False,
        tooltip="Toggle deletion protection (marked or current)",
        id="servers.protect",
    ),
    Binding(
        "e",
        "rename",
        "Rename",
        show=False,
        tooltip="Rename (change the hostname)",
        id="servers.rename",
    ),
    Binding("ctrl+d,delete", "delete", "Delete", key_display="^d", id="servers.delete"),
    Binding("s", "ssh", "SSH", show=False, tooltip="ssh to the primary IP", id="servers.ssh"),
    Binding(
        "c", "copy_ip", "Copy IP", show=False, tooltip="Copy the primary IP", id="servers.copy_ip"
    ),
]


def run_ssh(argv: Sequence[str]) -> int:
    """Run ssh in the foreground while the app is suspended; returns its exit status."""
    return subprocess.run(list(argv), check=False).returncode


class ServerActionScreen(LiveScreen):
    """A screen whose keys act on servers; subclasses say which servers and keep rows fresh."""

    BINDINGS = SERVER_BINDINGS
    #: Replaced in tests, so pressing ``s`` starts no real ssh.
    ssh_runner: Callable[[Sequence[str]], int] = staticmethod(run_ssh)

    # -- what subclasses provide ------------------------------------------------------------

    def current_server(self) -> Server | None:
        """The server under the cursor (or the one shown)."""
        raise NotImplementedError

    def bulk_targets(self) -> list[Server]:
        """The marked servers, else the current one."""
        server = self.current_server()
        return [server] if server is not None else []

    def server_changed(self, server: Server) -> None:
        """A write changed a server: show the new version at once."""

    def server_removed(self, server_id: int) -> None:
        """A server was deleted."""

    def server_created(self, server: Server) -> None:
        """The create wizard made a server."""
        self.server_changed(server)

    def feeds_to_reread(self, server: Server) -> tuple[str, ...]:
        """Feeds that show ``server``, re-read when a write's outcome is unknown."""
        return tuple(self.feeds)

    # -- helpers ----------------------------------------------------------------------------

    def _refuse(self, action: Action, reason: str) -> None:
        self.notify(reason, title=f"{action} refused", severity="warning", markup=False)

    def _request(
        self,
        action: Action,
        server: Server,
        path_tail: str,
        call: Callable[[], Awaitable[Any]],
        *,
        method: str = "POST",
        body: dict[str, Any] | None = None,
        success: Callable[[Any], str] | None = None,
    ) -> WriteRequest:
        path = f"servers/{server.id}" + (f"/{path_tail}" if path_tail else "")
        return WriteRequest(
            action=str(action),
            target=safe_plain(name_of(server)),
            method=method,
            path=path,
            call=call,
            body=body,
            server_id=server.id,
            refresh=self.feeds_to_reread(server),
            success=success,
        )

    def _current_or_say(self) -> Server | None:
        server = self.current_server()
        if server is None:
            self.notify("No server is selected.", severity="warning")
        return server

    def _after(self, update: Callable[[WriteResult], None]) -> Callable[[WriteResult], None]:
        """Run ``update`` after a write only if this screen is still there to show it."""

        def done(result: WriteResult) -> None:
            if self.is_attached:
                update(result)

        return done

    # -- restart, power on, power off, protection: one or many ------------------------------

    def action_restart(self) -> None:
        self._bulk(Action.RESTART, "restart", "restart_server", confirm_one=True)

    def action_power_on(self) -> None:
        self._bulk(Action.POWER_ON, "power-on", "power_on_server", confirm_one=False)

    def action_power_off(self) -> None:
        self._bulk(Action.POWER_OFF, "power-off", "power_off_server", confirm_one=True)

    def action_protect(self) -> None:
        self._bulk(Action.PROTECT, "toggle-protection", "toggle_protection", confirm_one=False)

    @work(exclusive=True, group="server-action")
    async def _bulk(
        self, action: Action, path_tail: str, method: str, *, confirm_one: bool
    ) -> None:
        targets = self.bulk_targets()
        if not targets:
            self.notify("No server is selected.", severity="warning")
            return
        allowed = [s for s in targets if refusal(action, s) is None]
        refused = [(s, refusal(action, s) or "") for s in targets if refusal(action, s)]
        if not allowed:
            reasons = "\n".join(reason for _, reason in refused[:5])
            self._refuse(action, reasons)
            return
        if len(targets) > 1 or confirm_one:
            dialog = ConfirmDialog(
                _bulk_title(action, allowed),
                _bulk_body(action, allowed, refused),
                confirm_label=str(action),
                danger=action in (Action.POWER_OFF, Action.RESTART),
            )
            if not await self.app.push_screen_wait(dialog):
                return

        client = self.services.client
        requests = [
            self._request(
                action,
                server,
                path_tail,
                partial(getattr(client, method), server.id),
                success=_protection_message if action is Action.PROTECT else None,
            )
            for server in allowed
        ]
        by_name = {safe_plain(name_of(s)): s for s in allowed}

        def show(result: WriteResult) -> None:
            server = by_name.get(result.target)
            if server is not None and result.ok and action is Action.PROTECT:
                self.server_changed(server.model_copy(update={"protected": bool(result.value)}))

        def show_all(results: list[WriteResult]) -> None:
            if self.is_attached:
                for result in results:
                    show(result)

        if len(requests) == 1:
            self.host.submit_write(requests[0], on_done=self._after(show))
        else:
            self.host.submit_bulk(str(action), requests, on_done=show_all)

    # -- rename -----------------------------------------------------------------------------

    @work(exclusive=True, group="server-action")
    async def action_rename(self) -> None:
        server = self._current_or_say()
        if server is None:
            return
        if reason := refusal(Action.RENAME, server):
            self._refuse(Action.RENAME, reason)
            return
        current = server.hostname or ""
        dialog = TextInputDialog(
            f"Rename {safe_plain(name_of(server))}",
            Text("New hostname (letters, digits, hyphens; dots between parts):"),
            value=safe_plain(current),
            validate=lambda value: (
                "That is the current hostname." if value == current else hostname_problem(value)
            ),
            confirm_label="Rename",
        )
        hostname = await self.app.push_screen_wait(dialog)
        if not hostname:
            return

        def show(result: WriteResult) -> None:
            if result.ok:
                self.server_changed(server.model_copy(update={"hostname": hostname}))

        request = self._request(
            Action.RENAME,
            server,
            "rename",
            partial(self.services.client.rename_server, server.id, hostname),
            body={"hostname": hostname},
            success=lambda _: f"renamed to {hostname}",
        )
        self.host.submit_write(request, on_done=self._after(show))

    # -- reinstall --------------------------------------------------------------------------

    @work(exclusive=True, group="server-action")
    async def action_reinstall(self) -> None:
        server = self._current_or_say()
        if server is None:
            return
        if reason := refusal(Action.REINSTALL, server):
            self._refuse(Action.REINSTALL, reason)
            return
        if server.datacenter is None:
            self._refuse(Action.REINSTALL, f"{name_of(server)} has no known region.")
            return
        try:
            templates = await self.services.catalog.os_for(server.datacenter.id)
        except ArianetError as error:
            self.host.show_error(error, context="OS templates")
            return
        if not templates:
            self._refuse(Action.REINSTALL, "The region of this server offers no OS template.")
            return
        current_os = server.os.id if server.os else None
        choices = [
            (t.id, safe_text(t.name + (" (installed now)" if t.id == current_os else "")))
            for t in templates
        ]
        os_id = await self.app.push_screen_wait(
            ChoiceDialog(
                f"Reinstall {safe_plain(name_of(server))}: choose the OS",
                Text.assemble("OS templates of ", safe_text(server.datacenter.name), ":"),
                choices,
                selected=current_os,
                confirm_label="Next",
            )
        )
        if os_id is None:
            return
        chosen = next(t for t in templates if t.id == os_id)
        body = Text.assemble(
            "Reinstall ",
            server_line(server),
            " with ",
            safe_text(chosen.name, style="bold"),
            "?\n\nEverything on its disk is erased: files, databases, users and keys. "
            "The hostname and IP addresses stay.",
        )
        confirmed = await self.app.push_screen_wait(
            TypeNameDialog(
                f"Reinstall {safe_plain(name_of(server))}",
                body,
                safe_plain(name_of(server)),
                confirm_label="Reinstall",
            )
        )
        if not confirmed:
            return
        request = self._request(
            Action.REINSTALL,
            server,
            "reinstall",
            partial(self.services.client.reinstall_server, server.id, os_id),
            body={"os_id": os_id},
        )
        self.host.submit_write(request)

    # -- delete -----------------------------------------------------------------------------

    @work(exclusive=True, group="server-action")
    async def action_delete(self) -> None:
        server = self._current_or_say()
        if server is None:
            return
        name = safe_plain(name_of(server))
        if server.protected:
            await self.app.push_screen_wait(
                ConfirmDialog(
                    f"{name} is protected",
                    Text.assemble(
                        server_line(server),
                        " has deletion protection on, so it cannot be deleted.\n\n"
                        "To delete it, first lift the protection: press ",
                        ("p", "bold"),
                        " (toggle protection), then delete it again.",
                    ),
                    confirm_label=None,
                )
            )
            return
        body = Text.assemble(
            "Delete ",
            server_line(server),
            "?\n\n",
            _details(server),
            "\n\nThis is permanent: its disk and all data on it are lost, and its IP "
            "addresses are released.",
        )
        confirmed = await self.app.push_screen_wait(
            TypeNameDialog(f"Delete {name}", body, name, confirm_label="Delete")
        )
        if not confirmed:
            return

        def show(result: WriteResult) -> None:
            if result.ok:
                self.server_removed(server.id)

        request = self._request(
            Action.DELETE,
            server,
            "",
            partial(self.services.client.delete_server, server.id),
            method="DELETE",
        )
        request.server_id = None
        self.host.submit_write(request, on_done=self._after(show))

    # -- create, ssh, copy ------------------------------------------------------------------

    @work(exclusive=True, group="server-action")
    async def action_new_server(self) -> None:
        created = await self.app.push_screen_wait(CreateServerScreen(refresh=tuple(self.feeds)))
        if isinstance(created, Server):
            self.server_created(created)

    def action_ssh(self) -> None:
        server = self._current_or_say()
        if server is None:
            return
        ip = server.primary_ip
        if not ip:
            self.notify(f"{name_of(server)} has no IP address yet.", markup=False)
            return
        settings = self.services.settings
        argv = ["ssh", *settings.ssh_options, f"{settings.ssh_user}@{ip}"]
        try:
            with self.app.suspend():
                status = self.ssh_runner(argv)
        except SuspendNotSupported:
            self.notify(
                f"This terminal cannot hand over to ssh; run: {' '.join(argv)}",
                title="SSH",
                severity="warning",
                markup=False,
            )
            return
        except OSError as error:
            self.notify(f"Cannot run ssh: {error}", title="SSH", severity="error", markup=False)
            return
        if status not in (0, None):
            self.notify(f"ssh exited with status {status}.", title="SSH", markup=False)

    def action_copy_ip(self) -> None:
        server = self._current_or_say()
        if server is None:
            return
        # Only the sanitised address: a pasted escape sequence would run in the user's shell.
        ip = safe_plain(server.primary_ip)
        if not ip:
            self.notify(f"{safe_plain(name_of(server))} has no IP address yet.", markup=False)
            return
        self.app.copy_to_clipboard(ip)
        self.notify(f"Copied {ip}", title="Clipboard", markup=False)


def _protection_message(value: Any) -> str:
    return "protection on" if value else "protection off"


def _bulk_title(action: Action, servers: list[Server]) -> str:
    if len(servers) == 1:
        return f"{action} {safe_plain(name_of(servers[0]))}?"
    return f"{action} {len(servers)} servers?"


_EFFECT = {
    Action.RESTART: "Each server reboots: running programs stop and connections drop.",
    Action.POWER_OFF: "Each server stops at once: running programs stop and it is "
    "unreachable until powered on.",
    Action.POWER_ON: "Each server starts.",
    Action.PROTECT: "Protection is switched on where it is off and off where it is on.",
}


def _bulk_body(action: Action, allowed: list[Server], refused: list[tuple[Server, str]]) -> Text:
    body = Text(_EFFECT.get(action, ""))
    body.append("\n")
    for server in allowed[:8]:
        body.append("\n  ")
        body.append_text(server_line(server))
        if action is Action.PROTECT:
            body.append(" → unprotect" if server.protected else " → protect")
    if len(allowed) > 8:
        body.append(f"\n  and {len(allowed) - 8} more")
    if refused:
        body.append(f"\n\nSkipped ({len(refused)}):", style="yellow")
        for _, reason in refused[:4]:
            body.append("\n  ")
            body.append_text(safe_text(reason, style="yellow"))
    return body


def _details(server: Server) -> Text:
    """Plan, region and addresses of a server, one per line, for destructive dialogs."""
    text = Text()
    plan = server.plan.name if server.plan else "-"
    region = server.datacenter.name if server.datacenter else "-"
    text.append("Plan ")
    text.append_text(safe_text(plan))
    text.append(" in ")
    text.append_text(safe_text(region))
    addresses = ", ".join(safe_plain(a.ip) for a in server.ip_addresses) or "none"
    text.append(f"\nIP addresses: {addresses}")
    return text
