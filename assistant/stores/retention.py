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
  Rasa server itself once an hour (``assistant/channels/web_widget.py``).

Inside the Rasa server ``forget_in_store`` also drops the conversation from
the tracker store's memory (``CachedSQLTrackerStore.cache``), holding the
conversation's lock so no message of hers is half-way through. Run from the
command line (``python -m assistant.stores.retention``), it first asks a running
server to do it (so its memory is cleared too) and works on the database
directly when no server answers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from assistant.stores.endpoints import DEFAULT_ENDPOINTS, database_url, exit_on_error

RETENTION_ENVIRONMENT_VARIABLE = "RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
SECONDS_PER_DAY = 86_400
PURGE_INTERVAL_SECONDS = 3_600
_BATCH = 500

EVENTS = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))


def retention_days(value: str | None = None) -> int:
    """The retention period in days: ``value`` or ``RETENTION_DAYS``, else 30.

    Anything that is not a whole number of at least one day is refused with
    ``ValueError``: a typo must not delete every conversation.
    """
    raw = value if value is not None else os.environ.get(RETENTION_ENVIRONMENT_VARIABLE)
    if raw is None or not str(raw).strip():
        return DEFAULT_RETENTION_DAYS
    days = int(str(raw).strip())
    if days < 1:
        raise ValueError(f"the retention period must be at least 1 day, not {days}")
    return days


def cutoff(now: float, days: int) -> float:
    """The timestamp before which a conversation's last event makes it stale."""
    return now - days * SECONDS_PER_DAY


def forget(connection: sa.engine.Connection, sender_id: str) -> int:
    """Delete every event of one conversation; how many rows went."""
    result = connection.execute(
        sa.delete(EVENTS).where(EVENTS.c.sender_id == sender_id)
    )
    return int(result.rowcount or 0)


def stale_conversations(connection: sa.engine.Connection, before: float) -> list[str]:
    """The conversations whose last event is older than ``before``."""
    query = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < before)
    )
    return [str(row[0]) for row in connection.execute(query)]


def purge(connection: sa.engine.Connection, before: float) -> list[str]:
    """Delete every conversation whose last event is older than ``before``."""
    senders = stale_conversations(connection, before)
    for start in range(0, len(senders), _BATCH):
        batch = senders[start : start + _BATCH]
        connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(batch)))
    return senders


# --- inside the Rasa server ---------------------------------------------------


def _stores(tracker_store: Any) -> Iterable[Any]:
    """The stores behind Rasa's ``FailSafeTrackerStore`` (and its fallback)."""
    inner = getattr(tracker_store, "_tracker_store", None)
    if inner is None:
        yield tracker_store
        return
    yield inner
    fallback = getattr(tracker_store, "_fallback_tracker_store", None)
    if fallback is not None:
        yield fallback


def _forget_everywhere(tracker_store: Any, sender_ids: Sequence[str]) -> int:
    rows = 0
    for store in _stores(tracker_store):
        engine = getattr(store, "engine", None)
        if engine is not None:
            with engine.begin() as connection:
                rows += sum(forget(connection, sender) for sender in sender_ids)
        memory = getattr(store, "store", None)  # InMemoryTrackerStore
        if isinstance(memory, dict):
            for sender in sender_ids:
                rows += memory.pop(sender, None) is not None
        cache = getattr(store, "cache", None)  # CachedSQLTrackerStore
        if cache is not None:
            for sender in sender_ids:
                cache.forget(sender)
    return rows


async def forget_in_store(agent: Any, sender_id: str) -> int:
    """Delete a conversation from the running server's store and memory."""
    async with agent.lock_store.lock(sender_id):
        return _forget_everywhere(agent.tracker_store, [sender_id])


async def purge_in_store(agent: Any, days: int, now: float | None = None) -> int:
    """Delete the stale conversations from the running server's store."""
    before = cutoff(time.time() if now is None else now, days)
    deleted: list[str] = []
    for store in _stores(agent.tracker_store):
        engine = getattr(store, "engine", None)
        if engine is not None:
            with engine.begin() as connection:
                deleted += purge(connection, before)
        cache = getattr(store, "cache", None)
        if cache is not None:
            for sender in deleted:
                cache.forget(sender)
    return len(deleted)


# --- the command line (make forget, make purge) ---------------------------------


def _database(endpoints: str) -> sa.engine.Engine | None:
    """The tracker store's database; None if its SQLite file does not exist.

    A bad endpoints file exits with its message and code 2.
    """
    url = exit_on_error(lambda: database_url(endpoints))
    engine = sa.create_engine(url)
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

    from assistant.channels.widget_auth import load_secret

    try:
        response = requests.post(
            f"{server.rstrip('/')}/webhooks/widget/operator/{path}",
            json=body,
            headers={"Authorization": f"Bearer {load_secret()}"},
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
