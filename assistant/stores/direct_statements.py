"""The two statements of every message, sent on a driver connection of their own.

Every message runs the tracker store's freshness read and, for a conversation
in progress, its conditional insert (``assistant/stores/tracker_store.py``).
Through SQLAlchemy each took a pooled connection, an execution context, a
result object and the return to the pool around the driver's own call: under
ten conversations on SQLite, 30 % of a save and most of the freshness read
went to SQLAlchemy, not to the database (py-spy; a read 25 us through
SQLAlchemy against 3 us on the driver's connection).

``DirectStatements`` sends them on one driver connection per thread, opened
through the engine (so with its settings: SQLite's write-ahead log,
PostgreSQL's autocommit and pool arguments) and then detached from its pool.
What SQLAlchemy did around a statement is kept:

- a driver error is raised as SQLAlchemy's (``sa.exc.DBAPIError.instance``,
  without the parameters, as every engine of the project hides them), so
  the message fails with HTTP 503 as any other database error does
  (``assistant/channels/service_errors.py``);
- a connection the database closed (a restart) is recognised by the
  dialect's own test, closed, and the error says so
  (``connection_invalidated``): the store reads once more, and the next
  statement opens a new connection;
- a statement that fails inside a transaction is rolled back (SQLite's
  driver begins one before an INSERT), so no lock is held after it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa


class DirectStatements:
    """Statements on a driver connection of the thread's own, from ``engine``."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        """Connections made by ``engine`` (opened on first use, one per thread)."""
        self.engine = engine
        self._local = threading.local()
        self._opened: list[Any] = []  # every thread's, to close them all
        self._lock = threading.Lock()

    def connection(self) -> Any:
        """The calling thread's driver connection (opened on first use)."""
        fairy = getattr(self._local, "fairy", None)
        if fairy is None or fairy.dbapi_connection is None:
            fairy = self.engine.raw_connection()
            fairy.detach()  # ours for good: closed by ``close``, not pooled
            self._local.fairy = fairy
            with self._lock:
                self._opened.append(fairy)
        return fairy.dbapi_connection

    def run(
        self, statement: str, parameters: Sequence[Any], commit: bool = False
    ) -> list[Any]:
        """Run one statement; its rows. ``commit``: commit its transaction."""
        connection = self.connection()
        cursor = None
        try:
            cursor = connection.cursor()
            cursor.execute(statement, tuple(parameters))
            rows = cursor.fetchall() if cursor.description is not None else []
            if commit:
                connection.commit()
            return list(rows)
        except self.engine.dialect.dbapi.Error as error:
            closed = self.engine.dialect.is_disconnect(error, connection, cursor)
            if closed:
                self._forget()
            else:
                with contextlib.suppress(Exception):
                    connection.rollback()
            raise as_sqlalchemy_error(
                self.engine, statement, parameters, error, closed
            ) from error
        finally:
            close_quietly(cursor)

    def _forget(self) -> None:
        """Close the calling thread's connection (the next statement opens another)."""
        fairy = getattr(self._local, "fairy", None)
        self._local.fairy = None
        if fairy is not None:
            with self._lock:
                if fairy in self._opened:
                    self._opened.remove(fairy)
            _close_driver_connection(fairy)

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            opened, self._opened = self._opened, []
        for fairy in opened:
            _close_driver_connection(fairy)
        self._local = threading.local()


def as_sqlalchemy_error(
    engine: sa.engine.Engine,
    statement: str,
    parameters: Sequence[Any],
    error: Exception,
    connection_closed: bool,
) -> sa.exc.DBAPIError:
    """The driver's ``error`` as SQLAlchemy raises it, without the parameters."""
    return sa.exc.DBAPIError.instance(
        statement,
        parameters,
        error,
        engine.dialect.dbapi.Error,
        hide_parameters=True,
        connection_invalidated=connection_closed,
        dialect=engine.dialect,
    )


def close_quietly(cursor: Any) -> None:
    """Close a driver cursor (if any); it may already be gone with its connection."""
    if cursor is not None:
        with contextlib.suppress(Exception):
            cursor.close()


def _close_driver_connection(fairy: Any) -> None:
    """Close the driver's connection itself.

    Not the pool's wrapper's ``close``: that first rolls back, which on a
    connection the database already closed logs an error with a traceback.
    """
    with contextlib.suppress(Exception):
        fairy.dbapi_connection.close()
