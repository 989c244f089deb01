"""The SQL tracker store: SQLite for one server, PostgreSQL for several.

This store writes every event to the database exactly as Rasa's
``SQLTrackerStore`` does (same table, same rows, committed before the reply
goes out), with three differences:

- **Conversations in progress are kept in memory, but only served when
  provably current.** Before a cached tracker is used, one indexed query asks
  for the newest stored event id of that conversation; the copy is used only
  if it holds exactly that many stored events and was saved or read at that
  very id. Anything else (another server or process answered a message, a
  conversation was deleted, an error left events unsaved) reads the
  conversation back from the database, as Rasa would. So the cache is right
  under any routing: one server, several servers behind any load balancer,
  several Sanic workers.
- **A new conversation is known to have nothing stored.** When the
  freshness query finds no event, Rasa begins a tracker; its first save
  writes all of it without asking how many of its events are stored (Rasa's
  count), under the same check as a cached copy's: if another server began
  the conversation in between, nothing is written.
- **Never a write after a stale copy.** Saving a tracker that came from the
  cache checks that the conversation's stored events are still the ones the
  copy was read at (the insert's own condition, in one statement; for a save
  of more rows than one insert takes, in its transaction, after it); if
  someone else wrote in between, nothing is written (the statement inserts
  nothing, or the transaction is
  rolled back) and ``StaleConversation`` is raised (the
  message fails with a clear error and the client may send it again), instead
  of appending events after a history this copy never saw.
- **No silent fallback to memory.** Rasa wraps every tracker store in a
  ``FailSafeTrackerStore`` that, when the database fails, starts a new empty
  conversation and keeps it in memory, where it is lost on restart and
  invisible to the other servers. ``StrictTrackerStore`` takes its place
  (``assistant/server/strict_tracker_store.py``, installed when the server
  starts):
  a database error fails the message
  (``assistant/channels/service_errors.py`` turns it into HTTP 503); nothing committed
  is touched, and the next message works once the database is back: a
  read that finds its connection closed by a database restart is read once
  more, on a new connection (SQLAlchemy then drops every pooled connection
  of before the restart), instead of a ping before each use of a connection.
- **A data error is an error, not a shutdown.** Rasa's ``session_scope`` takes
  any ``ValueError`` raised while a session is open for a missing PostgreSQL
  schema and stops the server; PostgreSQL's driver raises one for a string
  holding a NUL, so one message with such a conversation id stopped a server.
  Here only the schema check itself can stop it; any other error fails the
  message it belongs to.

Conversations with nothing new for ``RETENTION_DAYS`` are deleted by the
server at start and every hour, whatever channels it serves: this store, which
every server has, checks the setting when Rasa creates it (a bad value stops
the server with a clear message) and starts the schedule
(``assistant/stores/retention_schedule.py``).

A message costs PostgreSQL two round trips, each its own transaction on a
connection that stays in autocommit (one more per server): the freshness
query, then one INSERT of the new events that inserts them only if the
conversation's newest stored event is still the one the copy was read at
(``_insert_if_current``). Rasa's way took nine (a ping before each of the
two connections, the read in a transaction of its own, and BEGIN, insert
and COMMIT), and this store's own five before (the freshness query, then
BEGIN, the insert, a check after it, COMMIT): a message's retrieve and save
took 0.33 ms of CPU and 0.85 ms in all, against 0.55 and 1.4 ms with five.

On PostgreSQL both go on psycopg2's asynchronous connections
(``assistant/stores/async_statements.py``): while PostgreSQL works on one
conversation's statement the event loop serves the others. Sent as blocking
calls they held the loop: under ten conversations the server used 0.74 of
its core while the machine had CPU to spare. A worker thread for them was
measured before and gave nothing (its handoffs cost 0.1-0.2 ms of CPU a
message and waited for the GIL). On
SQLite they go on a driver connection of the store's own, without
SQLAlchemy around each (``assistant/stores/direct_statements.py``): SQLite's
work is the server's own CPU anyway.

On SQLite the same conditional insert (SQLite 3.35 and later: RETURNING) is
one statement and a COMMIT where the insert, the check after it and the
COMMIT took three (under ten conversations the check was a fifth of a save,
py-spy).

New events go in with one multi-row insert instead of one ORM object each,
its SQL written once per number of rows (``_insert``).
SQLite keeps one open connection and runs in write-ahead-log mode with
``synchronous=NORMAL``. Settings may come from the environment
(``"${NAME:-default}"`` in endpoints.yml, see ``assistant/config/endpoints.py``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import (
    SQLTrackerStore,
    create_engine_kwargs,
    ensure_schema_exists,
)
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from assistant.config import retention_setting
from assistant.config.endpoints import settings_from_environment
from assistant.server import rasa_patches
from assistant.stores import retention_schedule
from assistant.stores.async_statements import AsyncStatements
from assistant.stores.direct_statements import DirectStatements
from assistant.stores.log_privacy import ENGINE_PRIVACY

# conversations in progress at once, with room to spare; about 90 KB each
DEFAULT_CACHED_CONVERSATIONS = 200
CACHE_ENVIRONMENT_VARIABLE = "TRACKER_CACHE_CONVERSATIONS"


# (sender_id, id) on Rasa's events table: a conversation's newest event id in
# one index probe (defined once: it belongs to the table's metadata)
SENDER_ID_INDEX = sa.Index(
    "ix_events_sender_id_id",
    SQLTrackerStore.SQLEvent.__table__.c.sender_id,
    SQLTrackerStore.SQLEvent.__table__.c.id,
)


class StaleConversation(RasaException):
    """Another server or process stored events after this copy was read."""


@dataclass
class CachedConversation:
    """A tracker with how many of its events are stored, as of which event id."""

    tracker: DialogueStateTracker
    stored_events: int
    newest_event_id: int | None


class ConversationCache:
    """The last ``capacity`` trackers, each with the stored state it matches."""

    def __init__(self, capacity: int) -> None:
        """An empty cache of at most ``capacity`` conversations (0: none)."""
        self.capacity = capacity
        self._entries: OrderedDict[str, CachedConversation] = OrderedDict()
        # conversations the database held no event of when last asked
        self._found_empty: OrderedDict[str, None] = OrderedDict()

    def get(
        self, sender_id: str, newest_event_id: int | None
    ) -> DialogueStateTracker | None:
        """The cached tracker, if it is exactly what is stored right now.

        ``newest_event_id`` is the id of the conversation's newest event in the
        database (None: it has none).
        """
        entry = self._entries.get(sender_id)
        if entry is None:
            return None
        if (
            newest_event_id is None
            or entry.newest_event_id != newest_event_id
            or len(entry.tracker.events) != entry.stored_events
        ):
            del self._entries[sender_id]
            return None
        self._entries.move_to_end(sender_id)
        return entry.tracker

    def entry_for(self, tracker: DialogueStateTracker) -> CachedConversation | None:
        """What is known to be stored of this very tracker, if it is cached."""
        entry = self._entries.get(tracker.sender_id)
        if entry is None or entry.tracker is not tracker:
            return None
        return entry

    def put(self, tracker: DialogueStateTracker, newest_event_id: int | None) -> None:
        """Remember the tracker, all its events stored, the newest at that id."""
        if self.capacity < 1:
            return
        self._found_empty.pop(tracker.sender_id, None)  # it has events now
        self._entries[tracker.sender_id] = CachedConversation(
            tracker, len(tracker.events), newest_event_id
        )
        self._entries.move_to_end(tracker.sender_id)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def found_empty(self, sender_id: str) -> None:
        """Remember that the database holds no event of this conversation."""
        if self.capacity < 1:
            return
        self._found_empty[sender_id] = None
        self._found_empty.move_to_end(sender_id)
        while len(self._found_empty) > self.capacity:
            self._found_empty.popitem(last=False)

    def new_conversation(
        self, tracker: DialogueStateTracker
    ) -> CachedConversation | None:
        """A tracker begun where the database held none: nothing of it stored.

        Once: the conversation is then known by its entry (``put``).
        """
        if self._found_empty.pop(tracker.sender_id, False) is None:
            return CachedConversation(tracker, 0, None)
        return None

    def forget(self, sender_id: str) -> None:
        """Drop a conversation (its next message reads the database)."""
        self._entries.pop(sender_id, None)
        self._found_empty.pop(sender_id, None)

    def __len__(self) -> int:
        """How many conversations are cached."""
        return len(self._entries)


def cache_capacity(configured: int | str | None, from_environment: str | None) -> int:
    """How many conversations to keep in memory: environment, else config."""
    for value in (from_environment, configured):
        if value is None or value == "":
            continue
        try:
            return max(0, int(value))
        except ValueError:
            continue
    return DEFAULT_CACHED_CONVERSATIONS


def _sqlite_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# the columns event_row fills (the id comes from the database), in order
EVENT_COLUMNS = (
    "sender_id",
    "type_name",
    "timestamp",
    "intent_name",
    "action_name",
    "data",
)
# a positional placeholder in the driver's parameter style
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
# rows in one INSERT: 3,000 parameters, far below SQLite's and PostgreSQL's limits
ROWS_PER_INSERT = 500


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


@dataclass(frozen=True)
class ConditionalInsertForm:
    """How one dialect writes the conditional insert (``conditional_insert_sql``)."""

    placeholder: str
    # a row of values; PostgreSQL infers text for an untyped timestamp
    row: str
    # null-safe equality (SQLite's IS; PostgreSQL's IS NOT DISTINCT FROM)
    same_as: str
    # whether its transaction is committed (not on an autocommit connection)
    commits: bool


POSTGRESQL_FORM = ConditionalInsertForm(
    "%s",
    "(%s, %s, CAST(%s AS DOUBLE PRECISION), %s, %s, %s)",
    "IS NOT DISTINCT FROM",
    commits=False,
)
SQLITE_FORM = ConditionalInsertForm("?", "(?, ?, ?, ?, ?, ?)", "IS", commits=True)
# the first SQLite with RETURNING
SQLITE_RETURNING = (3, 35, 0)


def conditional_insert_form(
    dialect: str, paramstyle: str, sqlite_version: tuple[int, ...]
) -> ConditionalInsertForm | None:
    """The dialect's form of the conditional insert (None: the check after it)."""
    if dialect == "postgresql" and paramstyle in ("format", "pyformat"):
        return POSTGRESQL_FORM
    if (
        dialect == "sqlite"
        and paramstyle == "qmark"
        and sqlite_version >= SQLITE_RETURNING
    ):
        return SQLITE_FORM
    return None


def conditional_insert_sql(form: ConditionalInsertForm, table: str, rows: int) -> str:
    """An INSERT of ``rows`` rows, only if the newest stored event is as given.

    It inserts them only if the conversation's newest stored event is still
    the one the copy was read at, and returns their ids. Its parameters:
    each row's ``EVENT_COLUMNS``, then the sender id and the newest event id
    the copy was read at (None: the copy saw none).
    """
    return (
        f"INSERT INTO {table} ({', '.join(EVENT_COLUMNS)}) "
        f"SELECT * FROM (VALUES {', '.join([form.row] * rows)}) AS new_events "
        f"WHERE (SELECT max(id) FROM {table} WHERE sender_id = {form.placeholder}) "
        f"{form.same_as} {form.placeholder} RETURNING id"
    )


class CachedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that serves current conversations from memory."""

    def __init__(
        self,
        *args: Any,
        cached_conversations: int | str | None = None,
        **kwargs: Any,
    ) -> None:
        """Rasa's SQL store; settings may name environment variables.

        Inside a running server it also installs the project's patches of
        Rasa (if the launcher has not) and starts the hourly purge.
        """
        self.retention_days = (
            retention_setting.retention_days()
        )  # bad: the server stops
        settings = settings_from_environment(kwargs)
        settings["dialect"] = settings.get("dialect") or "sqlite"
        if settings.get("db") is None:
            settings.pop("db", None)
        super().__init__(*args, **settings)
        self.cache = ConversationCache(
            cache_capacity(
                cached_conversations, os.environ.get(CACHE_ENVIRONMENT_VARIABLE)
            )
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
                **ENGINE_PRIVACY,
            )
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
        else:
            # Rasa's pool settings (POSTGRESQL_POOL_SIZE, POSTGRESQL_SCHEMA, ...);
            # no ping before each use: retrieve reads again after a restart
            rasa_engine.dispose()
            self.engine = sa.create_engine(
                rasa_engine.url,
                **create_engine_kwargs(rasa_engine.url),
                **ENGINE_PRIVACY,
            )
        # the freshness query outside any transaction (SQLite's driver begins
        # none for a read; PostgreSQL's would send BEGIN and ROLLBACK around
        # it), on connections of their own that stay in autocommit: switched
        # per use (execution_options), each read also set the connection
        # back as it was returned, 340 against 180 us a read. PostgreSQL's
        # conditional insert (``_insert_if_current``) runs on them too: one
        # statement is its own transaction, no BEGIN and COMMIT around it.
        # Both now go on a driver connection this engine opens
        # (``DirectStatements``); the engine remains for other databases
        self._autocommit: sa.engine.Engine = (
            self.engine
            if self.engine.dialect.name == "sqlite"
            else sa.create_engine(
                self.engine.url,
                **create_engine_kwargs(self.engine.url),
                **ENGINE_PRIVACY,
                isolation_level="AUTOCOMMIT",
            )
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        # built once: an ORM query built on every call cost 0.16 ms in
        # SQLAlchemy's statement building, this one 0.03 ms (three a message)
        self._newest_event_statement = sa.select(sa.func.max(self.SQLEvent.id)).where(
            self.SQLEvent.sender_id == sa.bindparam("sender_id")
        )
        self._insert_statement = self.SQLEvent.__table__.insert()
        self._events_table = self.engine.dialect.identifier_preparer.format_table(
            self.SQLEvent.__table__
        )
        self._insert_sql: dict[int, str] = {}  # rows -> the driver's SQL
        # a cached copy's rows in one statement (``_write``): PostgreSQL, and
        # SQLite from 3.35 (RETURNING)
        self._conditional_insert = conditional_insert_form(
            self.engine.dialect.name,
            self.engine.dialect.paramstyle,
            sqlite3.sqlite_version_info,
        )
        self._conditional_insert_sql: dict[int, str] = {}
        # the freshness read and the conditional insert on a driver connection
        # of their own, without SQLAlchemy around each (``direct_statements.py``)
        # on PostgreSQL (psycopg2) on asynchronous connections, so the event
        # loop serves other conversations while PostgreSQL works on them
        # (``async_statements.py``); SQLite's work is the server's own anyway
        self._direct: DirectStatements | None = None
        self._async: AsyncStatements | None = None
        if self._conditional_insert is not None:
            if self.engine.dialect.driver == "psycopg2":
                pool = create_engine_kwargs(self.engine.url)
                self._async = AsyncStatements(
                    self.engine,
                    pool.get("connect_args", {}),
                    keep_idle=pool["pool_size"],
                    at_most=pool["pool_size"] + pool["max_overflow"],
                )
            else:
                self._direct = DirectStatements(self._autocommit)
        self._newest_event_sql = (
            f"SELECT max(id) FROM {self._events_table} "
            f"WHERE sender_id = {self._conditional_insert.placeholder}"
            if self._conditional_insert is not None
            else ""
        )
        # after a cached copy's new events are inserted: the newest id, how
        # many rows are newer than the copy, and the newest the copy had seen
        # (three probes of the (sender_id, id) index: the count reads only the
        # rows after the copy, so the check costs the same late in a long
        # conversation; one aggregate over all its rows grew with it)
        event_id = self.SQLEvent.id
        read_at = sa.bindparam("read_at")
        of_sender = self.SQLEvent.sender_id == sa.bindparam("sender_id")
        self._after_insert_statement = sa.select(
            sa.select(sa.func.max(event_id)).where(of_sender).scalar_subquery(),
            sa.select(sa.func.count())
            .where(of_sender, event_id > read_at)
            .scalar_subquery(),
            sa.select(sa.func.max(event_id))
            .where(of_sender, event_id <= read_at)
            .scalar_subquery(),
        )
        self._create_sender_index()
        if retention_schedule.running_server() is not None:
            # Rasa creates the stores of endpoints.yml as the server starts,
            # before the model: a plain `rasa run` or `rasa shell` on the
            # shipped files gets the message path's patches too (the
            # launcher has installed them all already)
            rasa_patches.install_after_files_read(os.environ)
        retention_schedule.start_with_server(self.retention_days)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's session scope, stopping the server only for a missing schema."""
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError:
                with super().session_scope():  # Rasa's message, and its exit
                    pass
            yield session
        finally:
            session.close()

    def _create_sender_index(self) -> None:
        """(sender_id, id): the newest event of a conversation in one probe.

        A new database gets it with Rasa's table; this adds it to an old one.
        """
        try:
            SENDER_ID_INDEX.create(self.engine, checkfirst=True)
        except sa.exc.DBAPIError:
            pass  # another server created it at the same moment, or no database yet

    def _newest_event_id(self, session: Any, sender_id: str) -> int | None:
        return (
            session.connection()
            .execute(self._newest_event_statement, {"sender_id": sender_id})
            .scalar()
        )

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's current session, from memory if provably current.

        A read that finds its connection closed (the database restarted since
        the connection was last used) is read once more: SQLAlchemy has then
        dropped every pooled connection of before the restart, so the second
        read, and the save after it, get new ones. A read changes nothing, so
        reading twice is safe; a save is never repeated.
        """
        try:
            return await self._retrieve_current(sender_id)
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            # SQLAlchemy dropped the pool that failed (the autocommit one, on
            # PostgreSQL); the transactions' pool (Rasa's session, a save of
            # more rows than one insert takes) is as old
            if self._autocommit is not self.engine:
                self.engine.dispose()
            return await self._retrieve_current(sender_id)

    async def _retrieve_current(self, sender_id: str) -> DialogueStateTracker | None:
        if self.cache.capacity < 1:
            return await super().retrieve(sender_id)
        newest = await self._newest_stored(sender_id)
        cached = self.cache.get(sender_id, newest)
        if cached is not None:
            return cached
        if newest is None:
            self.cache.found_empty(sender_id)  # Rasa now begins a tracker
            return None
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self.cache.put(tracker, newest)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events in one insert, then remember the tracker."""
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        entry = self.cache.entry_for(tracker) or self.cache.new_conversation(tracker)
        try:
            if entry is None:  # Rasa's count of the events it has stored
                with self.session_scope() as session:
                    new_events = super()._additional_events(session, tracker)
                    rows = [event_row(sender_id, event) for event in new_events]
                    if rows:
                        self._insert(session.connection(), rows)
                    newest = self._newest_event_id(session, sender_id)
                    session.commit()
            else:
                # a connection's own transaction, not an ORM session: the
                # session's bookkeeping around its connection and commit was
                # a fifth of a save (py-spy, one conversation)
                new_events = itertools.islice(tracker.events, entry.stored_events, None)
                rows = [event_row(sender_id, event) for event in new_events]
                newest = await self._write(sender_id, rows, entry.newest_event_id)
        except Exception:
            self.cache.forget(sender_id)
            raise
        self.cache.put(tracker, newest)

    async def _newest_stored(self, sender_id: str) -> int | None:
        """The id of the conversation's newest stored event (None: none)."""
        if self._conditional_insert is not None:
            rows = await self._run_statement(self._newest_event_sql, (sender_id,))
            newest: int | None = rows[0][0]
            return newest
        with self._autocommit.connect() as connection:
            return connection.execute(
                self._newest_event_statement, {"sender_id": sender_id}
            ).scalar()

    async def _run_statement(
        self, statement: str, parameters: Sequence[Any], commit: bool = False
    ) -> list[Any]:
        """One statement on the store's own connections; its rows.

        ``commit``: SQLite's driver began a transaction for it; PostgreSQL's
        asynchronous connections are in autocommit.
        """
        if self._async is not None:
            return await self._async.run(statement, parameters)
        assert self._direct is not None
        return self._direct.run(statement, parameters, commit=commit)

    async def _write(
        self, sender_id: str, rows: list[dict[str, Any]], read_at: int | None
    ) -> int | None:
        """Insert a known copy's new rows; the newest event id once committed.

        One statement inserts them only if the conversation's newest stored
        event is still ``read_at`` (``_insert_if_current``): on PostgreSQL one
        round trip, its own transaction, where BEGIN, the insert, the check
        after it and COMMIT took four; on SQLite the statement and its
        COMMIT. A save of no new rows (Rasa saves a conversation it has just
        begun before its first event) is the freshness read alone, the same
        condition. On other databases, and for a save of more rows than one
        insert takes, the check runs after the insert in the same
        transaction.
        """
        if self._conditional_insert is not None and len(rows) <= ROWS_PER_INSERT:
            if rows:
                return await self._insert_if_current(sender_id, rows, read_at)
            newest = await self._newest_stored(sender_id)
            if newest != read_at:
                raise StaleConversation(
                    f"Conversation '{sender_id}' changed in the database (newest "
                    f"event {newest}, this copy was read at {read_at}); nothing "
                    "was written."
                )
            return newest
        with self.engine.begin() as connection:
            if rows:
                self._insert(connection, rows)
            return self._newest_after_writing(connection, sender_id, read_at, len(rows))

    async def _insert_if_current(
        self, sender_id: str, rows: list[dict[str, Any]], read_at: int | None
    ) -> int:
        """The rows in one conditional insert; ``StaleConversation`` if none went in.

        The condition is the check ``_newest_after_writing`` makes: the rows
        up to ``read_at`` as the copy saw them (the newest of them is
        ``read_at``), none newer. A statement is atomic: all rows or none.
        """
        form = self._conditional_insert
        assert form is not None
        statement = self._conditional_insert_sql.get(len(rows))
        if statement is None:
            statement = conditional_insert_sql(form, self._events_table, len(rows))
            self._conditional_insert_sql[len(rows)] = statement
        values = (
            *(row[column] for row in rows for column in EVENT_COLUMNS),
            sender_id,
            read_at,
        )
        # PostgreSQL: one statement on an autocommit connection is its own
        # transaction; SQLite's driver begins one before an INSERT, committed here
        inserted = await self._run_statement(statement, values, commit=form.commits)
        if not inserted:
            raise StaleConversation(
                f"Conversation '{sender_id}' changed in the database (this "
                f"copy was read at {read_at}); nothing was written."
            )
        return max(row[0] for row in inserted)

    def _insert(self, connection: Any, rows: list[dict[str, Any]]) -> None:
        """The rows in one multi-row INSERT, written in the driver's SQL.

        SQLAlchemy's executemany built every row's parameters anew from the
        compiled statement (3 % of the server's CPU under load, a profile of
        ten conversations); the driver's SQL is written once per number of
        rows, and SQLAlchemy still runs it (its errors, and a connection lost
        with the database). A database other than SQLite and PostgreSQL gets
        SQLAlchemy's executemany.
        """
        placeholder = _PLACEHOLDERS.get(self.engine.dialect.paramstyle)
        if self.engine.dialect.name not in ("sqlite", "postgresql") or not placeholder:
            connection.execute(self._insert_statement, rows)
            return
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            statement = self._insert_sql.get(len(chunk))
            if statement is None:
                one_row = "(" + ", ".join([placeholder] * len(EVENT_COLUMNS)) + ")"
                statement = (
                    f"INSERT INTO {self._events_table} ({', '.join(EVENT_COLUMNS)}) "
                    f"VALUES {', '.join([one_row] * len(chunk))}"
                )
                self._insert_sql[len(chunk)] = statement
            values = tuple(row[column] for row in chunk for column in EVENT_COLUMNS)
            connection.exec_driver_sql(statement, values)

    def _newest_after_writing(
        self, connection: Any, sender_id: str, read_at: int | None, written: int
    ) -> int | None:
        """The newest event id once a cached copy's ``written`` rows are inserted.

        ``StaleConversation`` (and the transaction, never committed, is
        rolled back) unless the rows up to ``read_at`` are as the copy saw them and
        the only newer rows are its own: one query, where a check before the
        insert and another after it took two round trips.
        """
        newest, newer, seen = connection.execute(
            self._after_insert_statement,
            {"sender_id": sender_id, "read_at": read_at or 0},
        ).one()
        if newer != written or seen != read_at:
            before = seen if newer == written else "newer rows"
            raise StaleConversation(
                f"Conversation '{sender_id}' changed in the database (newest "
                f"event {before}, this copy was read at {read_at}); nothing "
                "was written."
            )
        return newest
