"""``python -m arianet_tui.sim`` runs the simulator like ``arianet-sim``."""

import sys

from arianet_tui.sim.cli import main

sys.exit(main())
