"""Rasa's wrapper around the tracker store, without its silent fallback to memory.

Rasa wraps every tracker store in a ``FailSafeTrackerStore`` that, when the
database fails, starts a new empty conversation and keeps it in memory,
where it is lost on restart and invisible to the other servers.
``StrictTrackerStore`` takes its place (``rasa_patches.install_at_start``):
a database error fails the message, which the channels answer with HTTP 503
(``assistant/channels/service_errors.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker


class StrictTrackerStore(FailSafeTrackerStore):
    """Rasa's wrapper around the tracker store, minus the fallback to memory.

    Errors of the real store reach the caller: the message fails and is
    answered with an error, instead of being kept where nobody finds it again.
    """

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The primary store's tracker; its errors propagate."""
        return await self._tracker_store.retrieve(sender_id)

    async def retrieve_full_tracker(
        self, sender_id: str
    ) -> DialogueStateTracker | None:
        """The primary store's full tracker; its errors propagate."""
        return await self._tracker_store.retrieve_full_tracker(sender_id)

    async def keys(self) -> Iterable[str]:
        """The primary store's conversation ids; its errors propagate."""
        return await self._tracker_store.keys()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save in the primary store; its errors propagate."""
        await self._tracker_store.save(tracker)
