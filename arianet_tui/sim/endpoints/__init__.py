"""Every endpoint of the reference, as routes under the API root."""

from __future__ import annotations

from starlette.routing import BaseRoute

from arianet_tui.sim.endpoints import auth, billing, catalog, firewalls, servers, ssh_keys

ROUTES: list[BaseRoute] = [
    *auth.ROUTES,
    *servers.ROUTES,
    *billing.ROUTES,
    *ssh_keys.ROUTES,
    *firewalls.ROUTES,
    *catalog.ROUTES,
]
