"""Right to erasure and retention: deleting conversations from the store.

Rasa keeps every event of every conversation in one table, ``events``
(``SQLTrackerStore``; ``assistant/stores/tracker_store.py`` writes the same rows).
Deleting a conversation deletes all of its rows; nothing else holds it.
The statements are plain SQLAlchemy Core on that table, so they run the same
on SQLite and PostgreSQL.

- ``forget``: every event of one conversation (she asks, with the widget's
  "delete my conversation", or an operator runs ``make forget SENDER=...``).
- ``purge``: every conversation whose last event is older than the
  retention period (``RETENTION_DAYS``, default 30): ``make purge``, and the
  Rasa server itself at start and once an hour, whatever channels it serves
  (``assistant/stores/retention_schedule.py``).

A purge deletes a batch of conversations per transaction (``purge_batches``:
at most ``BATCH_EVENTS`` events, ``BATCH_CONVERSATIONS`` conversations), and
each delete checks again that the conversation is still stale
(``delete_if_still_stale``), so a message stored after the scan keeps its
conversation whole. On PostgreSQL one server purges at a time
(``PurgeTurn``, an advisory lock); the others skip that hour.

Inside the Rasa server ``forget_in_store`` and ``purge_in_store`` also drop the
conversations from the tracker store's memory (``CachedSQLTrackerStore.cache``),
holding each conversation's lock so no message of hers is half-way through;
``purge_in_store`` runs its SQL in a worker thread, one batch at a time, so
replies go on meanwhile. Run from the command line (``python -m
assistant.stores.retention``), it first asks a running server to do it (so its
memory is cleared too) and works on the database directly when no server
answers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
from rasa.shared.exceptions import RasaException

from assistant.config.endpoints import DEFAULT_ENDPOINTS, database_url, exit_on_error
from assistant.config.retention_setting import retention_days
from assistant.stores.log_privacy import ENGINE_PRIVACY

SECONDS_PER_DAY = 86_400
PURGE_INTERVAL_SECONDS = 3_600
# one transaction deletes at most this much; SQLite lets nobody else write
# meanwhile (a reply waits for it), so a batch is a few milliseconds' work
BATCH_EVENTS = 2_000
BATCH_CONVERSATIONS = 200
# between two batches, long enough for waiting replies to be stored
PAUSE_BETWEEN_BATCHES_SECONDS = 0.02
# PostgreSQL advisory lock key: one purge at a time among the servers
PURGE_LOCK_KEY = zlib.crc32(b"assistant.stores.retention.purge")

EVENTS = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))


def cutoff(now: float, days: int) -> float:
    """The timestamp before which a conversation's last event makes it stale."""
    return now - days * SECONDS_PER_DAY


def forget(connection: sa.engine.Connection, sender_id: str) -> int:
    """Delete every event of one conversation; how many rows went."""
    result = connection.execute(
        sa.delete(EVENTS).where(EVENTS.c.sender_id == sender_id)
    )
    return int(result.rowcount or 0)


def stale_conversation_sizes(
    connection: sa.engine.Connection, before: float
) -> list[tuple[str, int]]:
    """(conversation, number of events) of those whose last event is older."""
    query = (
        sa.select(EVENTS.c.sender_id, sa.func.count())
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < before)
        .order_by(EVENTS.c.sender_id)
    )
    return [(str(sender), int(events)) for sender, events in connection.execute(query)]


def stale_conversations(connection: sa.engine.Connection, before: float) -> list[str]:
    """The conversations whose last event is older than ``before``."""
    return [sender for sender, _ in stale_conversation_sizes(connection, before)]


def purge_batches(
    sizes: Iterable[tuple[str, int]],
    max_events: int = BATCH_EVENTS,
    max_conversations: int = BATCH_CONVERSATIONS,
) -> Iterator[list[str]]:
    """The conversations in batches of at most ``max_events`` events in all.

    A batch also holds at most ``max_conversations``; a conversation bigger
    than ``max_events`` is a batch of its own (it is deleted whole or not).
    """
    batch: list[str] = []
    events = 0
    for sender, size in sizes:
        if batch and (events + size > max_events or len(batch) >= max_conversations):
            yield batch
            batch, events = [], 0
        batch.append(sender)
        events += size
    if batch:
        yield batch


def delete_if_still_stale(
    connection: sa.engine.Connection, senders: Sequence[str], before: float
) -> list[str]:
    """Delete those of ``senders`` whose last event is still older than ``before``.

    The check is part of the delete, so a message stored since the scan keeps
    its whole conversation. Returns the conversations that went.
    """
    if not senders:
        return []
    still_stale = (
        sa.select(EVENTS.c.sender_id)
        .where(EVENTS.c.sender_id.in_(senders))
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < before)
    )
    connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(still_stale)))
    remaining = sa.select(EVENTS.c.sender_id).where(EVENTS.c.sender_id.in_(senders))
    kept = {str(row[0]) for row in connection.execute(remaining.distinct())}
    return [sender for sender in senders if sender not in kept]


def purge(connection: sa.engine.Connection, before: float) -> list[str]:
    """Delete every conversation whose last event is older than ``before``."""
    deleted: list[str] = []
    for batch in purge_batches(stale_conversation_sizes(connection, before)):
        deleted += delete_if_still_stale(connection, batch, before)
    return deleted


class PurgeTurn:
    """A process's turn to purge: on PostgreSQL a session advisory lock.

    Several servers on one PostgreSQL would each purge every hour; with the
    lock one does, and the others skip (or, for an operator's ``make purge``,
    wait). SQLite has one server: always its turn. Its connection is held
    from ``take`` to ``give_back``; if that server dies, PostgreSQL ends the
    lock with the connection.
    """

    def __init__(self, engine: sa.engine.Engine) -> None:
        """Nobody's turn yet."""
        self.engine = engine
        self._connection: sa.engine.Connection | None = None

    def take(self, wait: bool) -> bool:
        """True if it is this process's turn (``wait``: until it is)."""
        if self.engine.dialect.name != "postgresql":
            return True
        connection = self.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        )
        function = sa.func.pg_advisory_lock if wait else sa.func.pg_try_advisory_lock
        try:
            taken = connection.execute(sa.select(function(PURGE_LOCK_KEY))).scalar()
        except BaseException:
            connection.close()
            raise
        if wait or taken:
            self._connection = connection
            return True
        connection.close()
        return False

    def give_back(self) -> None:
        """End the turn (nothing if it was never taken)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(sa.select(sa.func.pg_advisory_unlock(PURGE_LOCK_KEY)))
        finally:
            connection.close()


# --- inside the Rasa server ---------------------------------------------------


class ErasureUnsupported(RasaException):
    """The server's tracker store is of a shape erasure does not know.

    Raised before anything is deleted: erasing nothing and answering
    "deleted" would tell her something untrue.
    """


# where Rasa's FailSafeTrackerStore keeps its stores (Rasa 3.6.21; private,
# so read strictly: a rename in an upgrade fails erasure loudly)
FAIL_SAFE_STORE_ATTRIBUTES = ("_tracker_store", "_fallback_tracker_store")


def _stores(tracker_store: Any) -> list[Any]:
    """The stores that may hold a conversation, each one erasure can delete from.

    Behind Rasa's ``FailSafeTrackerStore`` (``StrictTrackerStore`` too): the
    database store and the memory Rasa may have fallen back to. Raises
    ``ErasureUnsupported`` when the wrapper no longer keeps them where Rasa
    3.6.21 does, or when a store is neither SQL nor in memory.
    """
    from rasa.core.tracker_store import (  # Rasa's core: only in the server
        FailSafeTrackerStore,
        InMemoryTrackerStore,
        SQLTrackerStore,
    )

    stores = [tracker_store]
    if isinstance(tracker_store, FailSafeTrackerStore):
        held = vars(tracker_store)
        missing = [name for name in FAIL_SAFE_STORE_ATTRIBUTES if name not in held]
        if missing:
            raise ErasureUnsupported(
                f"Rasa's FailSafeTrackerStore has no {', '.join(missing)} (read as "
                "in Rasa 3.6.21): nothing was deleted. Update "
                "assistant/stores/retention.py for this Rasa version."
            )
        stores = [held[name] for name in FAIL_SAFE_STORE_ATTRIBUTES]
        stores = [store for store in stores if store is not None]
    for store in stores:
        if not isinstance(store, (SQLTrackerStore, InMemoryTrackerStore)):
            raise ErasureUnsupported(
                f"Conversations cannot be erased from a {type(store).__name__} "
                "(only from SQL and in-memory tracker stores): nothing was deleted."
            )
    return stores


def _forget_everywhere(tracker_store: Any, sender_ids: Sequence[str]) -> int:
    from rasa.core.tracker_store import SQLTrackerStore

    rows = 0
    for store in _stores(tracker_store):
        if isinstance(store, SQLTrackerStore):
            with store.engine.begin() as connection:
                rows += sum(forget(connection, sender) for sender in sender_ids)
            cache = getattr(store, "cache", None)  # CachedSQLTrackerStore's
            if cache is not None:
                for sender in sender_ids:
                    cache.forget(sender)
        else:  # InMemoryTrackerStore
            for sender in sender_ids:
                rows += store.store.pop(sender, None) is not None
    return rows


async def forget_in_store(agent: Any, sender_id: str) -> int:
    """Delete a conversation from the running server's store and memory."""
    async with agent.lock_store.lock(sender_id):
        return _forget_everywhere(agent.tracker_store, [sender_id])


# one thread does every purge's SQL, so two purges in one process never overlap
_PURGE_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="retention")


async def purge_in_store(
    agent: Any,
    days: int,
    now: float | None = None,
    wait_for_other_servers: bool = True,
) -> int | None:
    """Delete the stale conversations from the running server's store.

    The scan and the deletes run in a worker thread, one batch per
    transaction, so the event loop keeps answering; each batch holds its
    conversations' locks, and the store's memory forgets them (on the loop)
    before the locks are let go. Returns how many conversations went, or
    None when another server is purging and ``wait_for_other_servers`` is
    False. Cancelled (the server stops), it ends after the batch under way.
    """
    before = cutoff(time.time() if now is None else now, days)
    deleted = 0
    for store in _stores(agent.tracker_store):
        engine = getattr(store, "engine", None)  # in memory: nothing is old
        if engine is None:
            continue
        gone = await _purge_store_off_the_loop(
            store, engine, agent.lock_store, before, wait_for_other_servers
        )
        if gone is None:
            return None
        deleted += gone
    return deleted


async def _in_purge_thread(function: Any, *arguments: Any) -> Any:
    """Run ``function`` in the purge thread; a cancel waits for it to end."""
    future = asyncio.get_running_loop().run_in_executor(
        _PURGE_THREAD, function, *arguments
    )
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await future  # the SQL under way ends before the loop does
        raise


def _scan(engine: sa.engine.Engine, before: float) -> list[tuple[str, int]]:
    with engine.connect() as connection:
        return stale_conversation_sizes(connection, before)


def _delete_batch(
    engine: sa.engine.Engine, senders: Sequence[str], before: float
) -> list[str]:
    with engine.begin() as connection:
        return delete_if_still_stale(connection, senders, before)


async def _purge_store_off_the_loop(
    store: Any,
    engine: sa.engine.Engine,
    lock_store: Any,
    before: float,
    wait_for_other_servers: bool,
) -> int | None:
    turn = PurgeTurn(engine)
    if not await _in_purge_thread(turn.take, wait_for_other_servers):
        return None
    try:
        sizes = await _in_purge_thread(_scan, engine, before)
        deleted = 0
        cache = getattr(store, "cache", None)
        for batch in purge_batches(sizes):
            async with contextlib.AsyncExitStack() as locks:
                for sender in batch:
                    await locks.enter_async_context(lock_store.lock(sender))
                gone = await _in_purge_thread(_delete_batch, engine, batch, before)
                if cache is not None:
                    for sender in gone:
                        cache.forget(sender)
            deleted += len(gone)
            await asyncio.sleep(PAUSE_BETWEEN_BATCHES_SECONDS)
        return deleted
    finally:
        await _in_purge_thread(turn.give_back)


# --- the command line (make forget, make purge) ---------------------------------


def _database(endpoints: str) -> sa.engine.Engine | None:
    """The tracker store's database; None if its SQLite file does not exist.

    A bad endpoints file exits with its message and code 2.
    """
    url = exit_on_error(lambda: database_url(endpoints))
    engine = sa.create_engine(url, **ENGINE_PRIVACY)
    database = engine.url.database or ""
    if engine.dialect.name == "sqlite" and not os.path.exists(database):
        return None  # connecting would make an empty file
    return engine


def _on_the_database(endpoints: str, change: Any) -> Any:
    """``change(connection)`` in one transaction; exits when there is nothing."""
    engine = _database(endpoints)
    if engine is None:
        print("No conversations are stored yet: nothing to delete.")
        raise SystemExit(0)
    try:
        with engine.begin() as connection:
            return change(connection)
    except sa.exc.OperationalError as error:
        print(f"Cannot use the tracker store: {error.orig}", file=sys.stderr)
        raise SystemExit(1) from None


def _ask_server(server: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
    """POST an operator request to a running server; None if none answers."""
    import requests

    from assistant.config.secrets import load_operator_token

    try:
        response = requests.post(
            f"{server.rstrip('/')}/webhooks/widget/operator/{path}",
            json=body,
            headers={"Authorization": f"Bearer {load_operator_token()}"},
            timeout=60,
        )
    except requests.ConnectionError:
        return None
    if response.status_code != 200:
        raise SystemExit(
            f"The server refused: HTTP {response.status_code} {response.text}"
        )
    return dict(response.json())


def main(argv: Sequence[str] | None = None) -> int:
    """``forget SENDER`` or ``purge [--days N]``; prints what was deleted."""
    parser = argparse.ArgumentParser(prog="python -m assistant.stores.retention")
    parser.add_argument("--endpoints", default=DEFAULT_ENDPOINTS)
    parser.add_argument(
        "--server",
        default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
        help="a running bot to ask first (so it forgets from memory too)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    forget_parser = commands.add_parser("forget", help="delete one conversation")
    forget_parser.add_argument("sender")
    purge_parser = commands.add_parser("purge", help="delete stale conversations")
    purge_parser.add_argument("--days", default=None)
    arguments = parser.parse_args(argv)

    if arguments.command == "forget":
        if not arguments.sender.strip():
            raise SystemExit("Name the conversation: make forget SENDER=<id>")
        answer = _ask_server(arguments.server, "forget", {"sender": arguments.sender})
        if answer is None:
            deleted = _on_the_database(
                arguments.endpoints,
                lambda connection: forget(connection, arguments.sender),
            )
            answer = {"deleted_events": deleted}
        print(f"Deleted {answer['deleted_events']} events of that conversation.")
        return 0

    days = retention_days(arguments.days)
    answer = _ask_server(arguments.server, "purge", {"days": days})
    if answer is None:
        senders = _on_the_database(
            arguments.endpoints,
            lambda connection: purge(connection, cutoff(time.time(), days)),
        )
        answer = {"deleted_conversations": len(senders)}
    print(
        f"Deleted {answer['deleted_conversations']} conversations "
        f"with nothing new for {days} days."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
