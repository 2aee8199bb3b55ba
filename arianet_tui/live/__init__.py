"""The live layer: refresh scheduling within the rate limits, the catalog cache, the journal.

Nothing here imports Textual, the screens or the widgets; the app wires these to the UI.
"""

from .budget import BucketBudget
from .cache import CatalogCache
from .clock import Clock, FakeClock, SystemClock
from .follow import in_transition
from .journal import ActivityJournal, JournalEntry, curl_command
from .scheduler import Feed, FeedInfo, RefreshScheduler, SchedulerStatus, SentRequest

__all__ = [
    "ActivityJournal",
    "BucketBudget",
    "CatalogCache",
    "Clock",
    "FakeClock",
    "Feed",
    "FeedInfo",
    "JournalEntry",
    "RefreshScheduler",
    "SchedulerStatus",
    "SentRequest",
    "SystemClock",
    "curl_command",
    "in_transition",
]
