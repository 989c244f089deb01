"""The SQL tracker store, with the conversations in progress kept in memory.

Rasa's ``SQLTrackerStore`` reads a conversation's every event back from the
database and rebuilds the tracker from JSON for each message, and counts the
stored events again before each save: profiled with py-spy during
`make bench`, a third of the Rasa server's time per reply. This store writes
every event to the database exactly as Rasa's does (same table, same rows,
committed before the reply goes out), and also keeps the most recently used
trackers in memory, so the next message of a conversation starts from the
tracker it left.

A cached tracker is used only while it holds exactly the events that were
stored; if anything added events without saving them (an error halfway
through a message), the conversation is read back from the database, as
Rasa would. Rasa serves one process per tracker store, and with the in-memory
lock store it handles one message per conversation at a time, so the cache
cannot go stale behind the database's back. With several Sanic workers
(``SANIC_WORKERS`` > 1, which needs a Redis lock store) nothing is cached.

New events go in with one multi-row insert instead of one ORM object each.
SQLite keeps one open connection and runs in write-ahead-log mode with
``synchronous=NORMAL``: a commit no longer waits for the disk twice. A crash
of the bot loses nothing; a power cut can lose the last replies' events, not
the database.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

# conversations in progress at once, with room to spare; about 90 KB each
DEFAULT_CACHED_CONVERSATIONS = 200


class ConversationCache:
    """The last ``capacity`` trackers, each with how many events are stored."""

    def __init__(self, capacity: int) -> None:
        """An empty cache of at most ``capacity`` conversations."""
        self.capacity = capacity
        self._entries: OrderedDict[str, tuple[DialogueStateTracker, int]] = (
            OrderedDict()
        )

    def get(self, sender_id: str) -> DialogueStateTracker | None:
        """The cached tracker, if every one of its events is stored."""
        entry = self._entries.get(sender_id)
        if entry is None:
            return None
        tracker, stored = entry
        if len(tracker.events) != stored:
            del self._entries[sender_id]
            return None
        self._entries.move_to_end(sender_id)
        return tracker

    def stored_events(self, tracker: DialogueStateTracker) -> int | None:
        """How many of this very tracker's events are stored, if known."""
        entry = self._entries.get(tracker.sender_id)
        if entry is None or entry[0] is not tracker:
            return None
        return entry[1]

    def put(self, tracker: DialogueStateTracker) -> None:
        """Remember the tracker with all its events stored."""
        self._entries[tracker.sender_id] = (tracker, len(tracker.events))
        self._entries.move_to_end(tracker.sender_id)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def forget(self, sender_id: str) -> None:
        """Drop a conversation (its next message reads the database)."""
        self._entries.pop(sender_id, None)

    def __len__(self) -> int:
        """How many conversations are cached."""
        return len(self._entries)


def _sqlite_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def event_row(sender_id: str, event: Event) -> dict[str, Any]:
    """The ``events`` table row Rasa's ``SQLTrackerStore`` writes for an event."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def cache_capacity(configured: int | None, sanic_workers: str | None) -> int:
    """How many conversations to keep in memory: none with several workers.

    With a Redis lock store Rasa can run several Sanic worker processes, each
    with its own store; a conversation's next message may then reach another
    process, and a tracker cached here could miss events stored there.
    """
    try:
        workers = int(sanic_workers or 1)
    except ValueError:
        workers = 1
    if workers > 1:
        return 0
    return int(configured if configured is not None else DEFAULT_CACHED_CONVERSATIONS)


class CachedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that keeps conversations in progress in memory."""

    def __init__(
        self, *args: Any, cached_conversations: int | None = None, **kwargs: Any
    ) -> None:
        """Rasa's SQL store; ``cached_conversations`` bounds the cache."""
        super().__init__(*args, **kwargs)
        self.cache = ConversationCache(
            cache_capacity(cached_conversations, os.environ.get("SANIC_WORKERS"))
        )
        rasa_engine: sa.engine.Engine = self.engine  # type: ignore[has-type]
        if rasa_engine.dialect.name == "sqlite":
            # one kept connection (Rasa's engine opens one per query), in WAL mode
            rasa_engine.dispose()
            self.engine = sa.create_engine(
                rasa_engine.url,
                poolclass=sa.pool.QueuePool,
                pool_size=1,
                connect_args={"check_same_thread": False},
            )
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's current session, from memory if it is there."""
        cached = self.cache.get(sender_id)
        if cached is not None:
            return cached
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self.cache.put(tracker)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events in one insert, then remember the tracker."""
        await self.stream_events(tracker)
        try:
            with self.session_scope() as session:
                rows = [
                    event_row(tracker.sender_id, event)
                    for event in self._additional_events(session, tracker)
                ]
                if rows:
                    session.execute(self.SQLEvent.__table__.insert(), rows)
                    session.commit()
        except Exception:
            self.cache.forget(tracker.sender_id)
            raise
        self.cache.put(tracker)

    def _additional_events(
        self, session: Any, tracker: DialogueStateTracker
    ) -> Iterator:
        """The events not stored yet, without counting rows when we know."""
        stored = self.cache.stored_events(tracker)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))
