"""The create-server wizard started from a plan in the catalog: region and plan chosen.

The wizard opens at its OS template step with the plan's region and the plan already
picked; ``escape`` walks back to change either. When the wizard itself accepts a preset
(``CreateServerScreen(plan=..., region=...)``) that is used instead of this subclass.
"""

from __future__ import annotations

import inspect
from typing import Any, cast

from textual import work
from textual.screen import ModalScreen

from ..api import ArianetError
from ..api.models import Plan, Region, Server
from ..widgets.safe import safe_plain, safe_text
from .create_server import CreateServerScreen, plan_order


def create_server_for(
    plan: Plan, region: Region, refresh: tuple[str, ...] = ()
) -> ModalScreen[Server | None]:
    """The wizard preset to ``plan`` in ``region``."""
    accepted = inspect.signature(CreateServerScreen).parameters
    if "plan" in accepted and "region" in accepted:
        wizard: ModalScreen[Server | None] = cast(Any, CreateServerScreen)(
            refresh=refresh, plan=plan, region=region
        )
        return wizard
    return PresetCreateServerScreen(plan, region, refresh)


class PresetCreateServerScreen(CreateServerScreen):
    """The wizard with its first two steps answered."""

    def __init__(self, plan: Plan, region: Region, refresh: tuple[str, ...] = ()) -> None:
        super().__init__(refresh=refresh)
        self.preset_plan = plan
        self.preset_region = region

    @work(exclusive=True, group="wizard-load")
    async def _load_regions(self) -> None:
        """The wizard's first load, here answering the region and plan steps too."""
        catalog = self.host.services.catalog
        region_id = self.preset_region.id
        try:
            self.regions = await catalog.regions()
            plans = await catalog.plans_for(region_id)
            self.templates = await catalog.os_for(region_id)
        except ArianetError as error:
            self.host.show_error(error, context="Plans and OS templates")
            self.dismiss(None)
            return

        self.chosen_region = next(
            (r for r in self.regions if r.id == region_id), self.preset_region
        )
        self.plans = sorted(plans, key=lambda p: plan_order(p, self.currency))
        self.chosen_plan = next((p for p in self.plans if p.id == self.preset_plan.id), None)
        if self.chosen_plan is None:
            self.notify(
                f"{safe_plain(self.preset_plan.name)} is not offered in "
                f"{safe_plain(self.chosen_region.name)} any more; choose another plan.",
                title="New server",
                severity="warning",
                markup=False,
            )
            self._show_step(1)
            self._fill([(str(p.id), self._plan_label(p)) for p in self.plans])
            return
        self._show_step(2)
        self._fill([(str(t.id), safe_text(t.name)) for t in self.templates])
