"""The store's two statements of every message on a driver connection of its own.

On a real SQLite file: what the statements return, and that a failure is
SQLAlchemy's error without her words, leaves no transaction (no lock) behind,
and does not stop the next message. PostgreSQL's restart is
tests/server/test_postgres_store.py.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.direct_statements import DirectStatements
from assistant.stores.tracker_store import CachedSQLTrackerStore


def _store(database) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(
        domain=Domain.empty(), dialect="sqlite", db=str(database)
    )


def _turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    tracker.update(BotUttered(f"svar på {text}"))


async def _saved_conversation(
    database,
) -> tuple[CachedSQLTrackerStore, DialogueStateTracker]:
    """A store on ``database`` with Anna's conversation saved ("hej")."""
    store = _store(database)
    tracker = DialogueStateTracker.from_events("anna", [])
    _turn(tracker, "hej")
    await store.save(tracker)
    return store, tracker


def _user_texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [str(e.text) for e in tracker.events if isinstance(e, UserUttered)]


def test_a_statement_returns_its_rows_and_commits_only_when_told(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'd.db'}")
    direct = DirectStatements(engine)
    direct.run("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)", ())
    assert direct.run("INSERT INTO t (s) VALUES (?) RETURNING id", ("a",), True) == [
        (1,)
    ]
    assert direct.run("SELECT s FROM t WHERE id = ?", (1,)) == [("a",)]
    with sqlite3.connect(tmp_path / "d.db") as other:  # committed: others see it
        assert other.execute("SELECT count(*) FROM t").fetchone() == (1,)
    direct.close()


def test_each_thread_has_a_connection_of_its_own(tmp_path):
    direct = DirectStatements(sa.create_engine(f"sqlite:///{tmp_path / 'd.db'}"))
    here = direct.connection()
    there: list[object] = []
    thread = threading.Thread(target=lambda: there.append(direct.connection()))
    thread.start()
    thread.join()
    assert direct.connection() is here
    assert there and there[0] is not here
    direct.close()


async def test_a_failed_insert_is_sqlalchemys_error_without_her_words(tmp_path):
    database = tmp_path / "c.db"
    store, tracker = await _saved_conversation(database)
    assert await store.retrieve("anna") is tracker
    with sqlite3.connect(database) as other:  # the database refuses new rows
        other.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON events "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    _turn(tracker, "mit hemmelige spørgsmål")
    with pytest.raises(sa.exc.SQLAlchemyError) as raised:
        await store.save(tracker)
    assert "hemmelige" not in str(raised.value)  # the parameters are hidden
    assert "refused" in str(raised.value)
    # no transaction left open: another connection writes at once
    with sqlite3.connect(database, timeout=0.1) as other:
        other.execute("DROP TRIGGER refuse")
    # and the next message works: read back from the database, saved
    again = await store.retrieve("anna")
    assert _user_texts(again) == ["hej"]
    assert again is not None
    _turn(again, "igen")
    await store.save(again)
    assert _user_texts(await _store(database).retrieve("anna")) == ["hej", "igen"]


async def test_a_closed_connection_is_opened_anew_for_the_next_message(tmp_path):
    database = tmp_path / "c.db"
    store, tracker = await _saved_conversation(database)
    assert store._direct is not None
    closed = store._direct.connection()
    closed.close()  # as a database going away closes it
    direct = DirectStatements(store._direct.engine)
    direct._local.fairy = store._direct._local.fairy  # the same closed one
    with pytest.raises(sa.exc.DBAPIError) as raised:
        direct.run("SELECT 1", ())
    assert raised.value.connection_invalidated  # recognised as closed
    # the store reads once more, on a new connection: the message is answered
    assert _user_texts(await store.retrieve("anna")) == ["hej"]
    assert store._direct.connection() is not closed
    _turn(tracker, "igen")
    await store.save(tracker)
