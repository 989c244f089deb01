"""While PostgreSQL works on one conversation's statement, the others are served.

The Rasa server is one event loop: a store call that blocks it stops every
conversation on that server until PostgreSQL answers. Here PostgreSQL is made
slow on purpose: another connection holds the events table locked for a
while, so the store's freshness read or insert waits for it. Meanwhile a
second task of the same loop (standing for the other conversations) must keep
running, the statement must finish with the right answer once the table is
free, and a statement given up half way (its message cancelled) must not
leave its connection's answer to the next statement.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator

import psycopg2
import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from harness.services import Postgres
from tests.event_loop import loop_kept_running, ticks_while

HELD_SECONDS = 1.0


def _turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(UserUttered(text))
    tracker.update(ActionExecuted("utter_answer"))
    tracker.update(BotUttered(f"svar på {text}"))


def _texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [str(e.text) for e in tracker.events if isinstance(e, UserUttered)]


@contextlib.contextmanager
def events_locked(database: Postgres, seconds: float) -> Iterator[threading.Thread]:
    """The events table locked by another connection for ``seconds``.

    Released by a thread of its own: a test whose loop is blocked cannot.
    """
    settings = database.store_settings()
    holder = psycopg2.connect(
        host=settings["host"],
        port=settings["port"],
        dbname=settings["db"],
        user=settings["username"],
        password=settings["password"],
    )
    holder.cursor().execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")

    def release() -> None:
        time.sleep(seconds)
        holder.rollback()
        holder.close()

    releaser = threading.Thread(target=release)
    releaser.start()
    try:
        yield releaser
    finally:
        releaser.join()


async def _saved(store, sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender, [])
    _turn(tracker, "Hej")
    await store.save(tracker)
    assert await store.retrieve(sender) is tracker  # cached, connections open
    return tracker


async def test_the_loop_serves_others_while_a_freshness_read_waits(
    postgres_database, postgres_store
):
    store = postgres_store()
    tracker = await _saved(store, "read-waits")
    with events_locked(postgres_database, HELD_SECONDS):
        started = time.monotonic()
        read = asyncio.ensure_future(store.retrieve("read-waits"))
        ticks = await ticks_while(read)
        waited = time.monotonic() - started
    assert await read is tracker  # the answer once the table was free
    assert waited >= HELD_SECONDS * 0.8
    # blocked, the loop runs the other task once or twice in that second
    assert loop_kept_running(ticks, waited), (ticks, waited)


async def test_the_loop_serves_others_while_a_save_waits(
    postgres_database, postgres_store
):
    store = postgres_store()
    tracker = await _saved(store, "save-waits")
    _turn(tracker, "Går det over efter fødslen?")
    with events_locked(postgres_database, HELD_SECONDS):
        started = time.monotonic()
        save = asyncio.ensure_future(store.save(tracker))
        ticks = await ticks_while(save)
        waited = time.monotonic() - started
    await save
    assert waited >= HELD_SECONDS * 0.8
    assert loop_kept_running(ticks, waited), (ticks, waited)
    stored = await postgres_store(cached_conversations=0).retrieve("save-waits")
    assert _texts(stored) == ["Hej", "Går det over efter fødslen?"]


async def test_a_read_given_up_half_way_leaves_no_answer_behind(
    postgres_database, postgres_store
):
    store = postgres_store()
    await _saved(store, "given-up")
    other = DialogueStateTracker.from_events("other", [])
    _turn(other, "Hej fra en anden")
    await store.save(other)
    with events_locked(postgres_database, HELD_SECONDS):
        read = asyncio.ensure_future(store.retrieve("given-up"))
        await asyncio.sleep(0.2)  # sent, waiting for the table
        read.cancel()
        with pytest.raises(asyncio.CancelledError):
            await read
    # the next statements get their own answers, not the abandoned read's
    for _ in range(3):
        assert _texts(await store.retrieve("other")) == ["Hej fra en anden"]
        assert _texts(await store.retrieve("given-up")) == ["Hej"]


async def test_waiting_statements_open_no_more_connections_than_the_pool_allows(
    postgres_database, postgres_store, monkeypatch
):
    monkeypatch.setenv("SQL_POOL_SIZE", "1")
    monkeypatch.setenv("SQL_MAX_OVERFLOW", "1")
    store = postgres_store()
    senders = [f"pool-{number}" for number in range(5)]
    for sender in senders:
        tracker = DialogueStateTracker.from_events(sender, [])
        _turn(tracker, f"Hej fra {sender}")
        await store.save(tracker)
    with events_locked(postgres_database, HELD_SECONDS):
        reads = [asyncio.ensure_future(store.retrieve(s)) for s in senders]
        await asyncio.sleep(0.5)  # every read has started
        assert _statements_waiting(postgres_database) == 2  # the others wait their turn
        found = await asyncio.gather(*reads)
    assert [_texts(tracker) for tracker in found] == [
        [f"Hej fra {sender}"] for sender in senders
    ]


def _statements_waiting(database: Postgres) -> int:
    """How many statements of the store's role wait for a lock."""
    settings = database.store_settings()
    with contextlib.closing(
        psycopg2.connect(
            host=settings["host"],
            port=settings["port"],
            dbname=settings["db"],
            user=settings["username"],
            password=settings["password"],
        )
    ) as watcher:
        cursor = watcher.cursor()
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE usename = %s AND wait_event_type = 'Lock'",
            (settings["username"],),
        )
        (count,) = cursor.fetchone()
    return int(count)
