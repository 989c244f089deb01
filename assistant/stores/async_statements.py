"""PostgreSQL's two statements of every message, without holding the event loop.

Every message of a conversation in progress sends PostgreSQL the freshness
read and the conditional insert (``assistant/stores/tracker_store.py``).
Through a blocking driver call, the Rasa server's one event loop waited for
each: for the round trip and for PostgreSQL's own work on the statement, about
a quarter of a reply's time under ten conversations, in which no other
conversation was served (the server used 0.74 of its core while the machine
had CPU to spare).

``AsyncStatements`` sends them on psycopg2's asynchronous connections: the
statement is sent, the loop serves other conversations, and the socket's
readiness (``loop.add_reader``) resumes the message when PostgreSQL answers.
No thread: a worker thread waking up for each result waited for the GIL the
busy loop held.

Asynchronous connections are always in autocommit: each statement is its own
transaction, which is what both statements are. One statement per connection
at a time, so the store keeps a pool of them per event loop: an idle one is
reused, a new one opened when all are busy, up to the engine's pool size plus
its overflow (Rasa's ``POSTGRESQL_POOL_SIZE`` and ``POSTGRESQL_MAX_OVERFLOW``),
after which a statement waits for a connection.

What ``DirectStatements`` keeps of SQLAlchemy is kept here:

- a driver error is raised as SQLAlchemy's (``sa.exc.DBAPIError.instance``,
  without the parameters), so the message fails with HTTP 503
  (``assistant/channels/service_errors.py``);
- a connection the database closed (a restart) is recognised by the dialect's
  own test; it and every idle connection (opened before the restart as well)
  are closed, and the error says so (``connection_invalidated``): the store
  reads once more on a new connection;
- a statement stopped half way (its task cancelled) closes its connection:
  its answer would otherwise be read by the next statement.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg2
import psycopg2.extensions
import sqlalchemy as sa

from assistant.stores.direct_statements import as_sqlalchemy_error, close_quietly


async def until_ready(connection: Any) -> None:
    """Wait, without blocking the loop, until ``connection`` finished its work."""
    loop = asyncio.get_running_loop()
    while True:
        state = connection.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        if state == psycopg2.extensions.POLL_READ:
            watch, unwatch = loop.add_reader, loop.remove_reader
        elif state == psycopg2.extensions.POLL_WRITE:
            watch, unwatch = loop.add_writer, loop.remove_writer
        else:  # libpq's own failure: psycopg2 raises before this
            raise psycopg2.OperationalError(f"unexpected poll state {state}")
        ready: asyncio.Future[None] = loop.create_future()
        socket = connection.fileno()
        watch(socket, _resolve, ready)
        try:
            await ready
        finally:
            unwatch(socket)


def _resolve(ready: asyncio.Future[None]) -> None:
    if not ready.done():  # the socket may be ready again before the task runs
        ready.set_result(None)


class _Pool:
    """The asynchronous connections of one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, limit: int) -> None:
        self.loop = loop
        self.idle: list[Any] = []
        self.slots = asyncio.Semaphore(limit)

    def close_idle(self) -> None:
        idle, self.idle = self.idle, []
        for connection in idle:
            with contextlib.suppress(Exception):
                connection.close()


class AsyncStatements:
    """Statements on asynchronous psycopg2 connections to ``engine``'s database."""

    def __init__(
        self,
        engine: sa.engine.Engine,
        connect_args: Mapping[str, Any],
        keep_idle: int,
        at_most: int,
    ) -> None:
        """Connections as ``engine`` opens them (its URL, ``connect_args``).

        ``keep_idle`` connections are kept open between messages, at most
        ``at_most`` are open at once.
        """
        self.engine = engine
        _, parameters = engine.dialect.create_connect_args(engine.url)
        self._connect = {**parameters, **connect_args}
        self._keep_idle = max(1, keep_idle)
        self._at_most = max(1, at_most)
        self._pool: _Pool | None = None

    def _loops_pool(self) -> _Pool:
        loop = asyncio.get_running_loop()
        if self._pool is None or self._pool.loop is not loop:
            if self._pool is not None:  # another loop's (a test, `rasa shell`)
                self._pool.close_idle()
            self._pool = _Pool(loop, self._at_most)
        return self._pool

    async def _open(self) -> Any:
        connection = psycopg2.connect(**self._connect, async_=True)
        try:
            await until_ready(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    async def run(self, statement: str, parameters: Sequence[Any]) -> list[Any]:
        """Run one statement (its own transaction); its rows."""
        pool = self._loops_pool()
        async with pool.slots:
            connection = None
            cursor = None
            done = False
            try:
                connection = pool.idle.pop() if pool.idle else await self._open()
                cursor = connection.cursor()
                cursor.execute(statement, tuple(parameters))
                await until_ready(connection)
                rows = cursor.fetchall() if cursor.description is not None else []
                done = True
                return list(rows)
            except self.engine.dialect.dbapi.Error as error:
                closed = connection is None or self.engine.dialect.is_disconnect(
                    error, connection, cursor
                )
                done = not closed  # a failed statement leaves its connection usable
                if closed:
                    pool.close_idle()  # opened before the restart as well
                raise as_sqlalchemy_error(
                    self.engine, statement, parameters, error, closed
                ) from error
            finally:
                close_quietly(cursor)
                if connection is not None:
                    if done and len(pool.idle) < self._keep_idle:
                        pool.idle.append(connection)
                    else:  # cancelled half way, closed, or one too many
                        with contextlib.suppress(Exception):
                            connection.close()
