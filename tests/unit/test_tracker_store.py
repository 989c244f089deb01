"""The SQL tracker store with conversations in memory, on a real SQLite file."""

import re
import sqlite3

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.tracker_store import (
    DEFAULT_CACHED_CONVERSATIONS,
    EVENT_COLUMNS,
    POSTGRESQL_FORM,
    ROWS_PER_INSERT,
    SQLITE_FORM,
    CachedSQLTrackerStore,
    ConversationCache,
    StaleConversation,
    cache_capacity,
    conditional_insert_form,
    event_row,
)

DOMAIN = Domain.from_yaml("version: '3.1'\nintents: [greet]")


def _tracker(sender: str, *texts: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    for text in texts:
        tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
        tracker.update(BotUttered(f"re: {text}"))
    return tracker


def _rows(database) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT sender_id, type_name, intent_name, action_name, data "
            "FROM events ORDER BY id"
        ).fetchall()


def _store(database) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(database))


def test_the_cache_gives_a_tracker_only_while_all_its_events_are_stored():
    cache = ConversationCache(capacity=10)
    tracker = _tracker("anna", "hej")
    cache.put(tracker, newest_event_id=7)
    assert cache.get("anna", 7) is tracker
    assert tracker is not None
    tracker.update(UserUttered("unsaved"))
    assert cache.get("anna", 7) is None
    assert len(cache) == 0


def test_the_cache_gives_a_tracker_only_at_the_newest_stored_event_id():
    cache = ConversationCache(capacity=10)
    tracker = _tracker("anna", "hej")
    cache.put(tracker, newest_event_id=7)
    assert cache.get("anna", 9) is None  # another server stored events since
    cache.put(tracker, newest_event_id=7)
    assert cache.get("anna", None) is None  # the conversation was deleted
    cache.put(tracker, newest_event_id=7)
    assert cache.get("anna", 7) is tracker


def test_the_cache_forgets_the_least_recently_used_conversation():
    cache = ConversationCache(capacity=2)
    for sender in ("a", "b"):
        cache.put(_tracker(sender), 1)
    cache.get("a", 1)
    cache.put(_tracker("c"), 1)
    assert cache.get("b", 1) is None
    assert cache.get("a", 1) is not None and cache.get("c", 1) is not None


def test_a_cache_of_capacity_zero_keeps_nothing():
    cache = ConversationCache(capacity=0)
    cache.put(_tracker("anna"), 1)
    assert len(cache) == 0 and cache.get("anna", 1) is None


def test_what_is_stored_is_known_only_for_the_very_tracker_cached():
    cache = ConversationCache(capacity=2)
    tracker = _tracker("anna", "hej")
    cache.put(tracker, 4)
    entry = cache.entry_for(tracker)
    assert entry is not None
    assert (entry.stored_events, entry.newest_event_id) == (len(tracker.events), 4)
    assert cache.entry_for(_tracker("anna", "hej")) is None


async def test_rows_are_the_same_as_rasas_own_sql_store_writes(tmp_path):
    ours, rasas = tmp_path / "ours.db", tmp_path / "rasa.db"
    tracker = _tracker("anna", "hej", "tak")
    await _store(ours).save(tracker)
    await SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(rasas)).save(tracker)
    assert _rows(ours) == _rows(rasas)
    assert len(_rows(ours)) == len(tracker.events)


async def test_each_save_adds_only_the_new_events(tmp_path):
    database = tmp_path / "c.db"
    store = _store(database)
    await store.save(_tracker("anna", "hej"))
    stored = len(_rows(database))
    retrieved = await store.retrieve("anna")
    assert retrieved is not None
    retrieved.update(UserUttered("igen"))
    await store.save(retrieved)
    await store.save(retrieved)
    texts = [row[4] for row in _rows(database)]
    assert len(texts) == stored + 1
    assert '"text": "igen"' in texts[-1]


async def test_a_new_store_on_the_same_file_reads_the_conversation_back(tmp_path):
    database = tmp_path / "c.db"
    tracker = _tracker("anna", "hej", "tak")
    await _store(database).save(tracker)
    restarted = await _store(database).retrieve("anna")
    assert restarted is not None
    assert [e.as_dict() for e in restarted.events] == [
        e.as_dict() for e in tracker.events
    ]


async def test_events_added_but_never_saved_are_not_served_from_memory(tmp_path):
    store = _store(tmp_path / "c.db")
    await store.save(_tracker("anna", "hej"))
    cached = await store.retrieve("anna")
    assert cached is not None
    cached.update(UserUttered("lost halfway"))  # an error before the save
    again = await store.retrieve("anna")
    assert again is not None and again is not cached
    assert "lost halfway" not in [getattr(e, "text", None) for e in again.events]


async def test_an_unknown_conversation_is_none(tmp_path):
    assert await _store(tmp_path / "c.db").retrieve("nobody") is None


def test_sqlite_runs_with_a_write_ahead_log(tmp_path):
    database = tmp_path / "c.db"
    store = _store(database)
    with store.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"


def test_the_cache_size_comes_from_the_environment_else_the_config():
    assert cache_capacity(None, None) == DEFAULT_CACHED_CONVERSATIONS
    assert cache_capacity(50, None) == 50
    assert cache_capacity(50, "0") == 0
    assert cache_capacity("30", "") == 30
    assert cache_capacity(None, "not a number") == DEFAULT_CACHED_CONVERSATIONS
    assert cache_capacity(None, "-3") == 0


async def test_a_store_without_cache_still_stores_and_reads_back(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_CACHE_CONVERSATIONS", "0")
    database = tmp_path / "c.db"
    store = _store(database)
    await store.save(_tracker("anna", "hej"))
    assert len(store.cache) == 0
    retrieved = await store.retrieve("anna")
    assert retrieved is not None
    retrieved.update(UserUttered("igen"))
    await store.save(retrieved)
    assert len(_rows(database)) == len(retrieved.events)


def _texts(tracker) -> list:
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


async def test_a_conversation_answered_by_another_server_is_read_back(tmp_path):
    # two servers (stores) on one database; message 2 goes to the other one
    database = tmp_path / "c.db"
    server_a, server_b = _store(database), _store(database)
    await server_a.save(_tracker("anna", "message 1"))
    assert await server_a.retrieve("anna") is not None  # cached on A
    on_b = await server_b.retrieve("anna")
    assert on_b is not None
    on_b.update(UserUttered("message 2"))
    await server_b.save(on_b)
    on_a = await server_a.retrieve("anna")  # message 3 back on A
    assert on_a is not None
    assert _texts(on_a) == ["message 1", "message 2"]
    on_a.update(UserUttered("message 3"))
    await server_a.save(on_a)
    texts = [row[4] for row in _rows(database) if row[1] == "user"]
    assert ['"message 1"' in t for t in texts] == [True, False, False]
    assert ['"message 3"' in t for t in texts] == [False, False, True]


async def test_no_write_after_a_stale_copy(tmp_path):
    database = tmp_path / "c.db"
    server_a, server_b = _store(database), _store(database)
    await server_a.save(_tracker("anna", "message 1"))
    stale = await server_a.retrieve("anna")
    on_b = await server_b.retrieve("anna")
    assert stale is not None and on_b is not None
    on_b.update(UserUttered("message 2"))
    await server_b.save(on_b)
    stored = _rows(database)
    stale.update(UserUttered("written after a history it never saw"))
    with pytest.raises(StaleConversation):
        await server_a.save(stale)
    assert _rows(database) == stored
    again = await server_a.retrieve("anna")
    assert again is not None and _texts(again) == ["message 1", "message 2"]


async def test_no_write_after_the_conversation_was_erased(tmp_path):
    database = tmp_path / "c.db"
    store = _store(database)
    await store.save(_tracker("anna", "message 1"))
    copy = await store.retrieve("anna")
    assert copy is not None
    with sqlite3.connect(database) as connection:  # erased meanwhile
        connection.execute("DELETE FROM events WHERE sender_id = 'anna'")
    copy.update(UserUttered("written after the erasure"))
    with pytest.raises(StaleConversation):
        await store.save(copy)
    assert [row for row in _rows(database) if row[1] != "session_started"] == []


async def test_saving_a_cached_conversation_takes_one_statement(tmp_path):
    # the conditional insert: no check after it (SQLite 3.35+, RETURNING)
    store = _store(tmp_path / "c.db")
    await store.save(_tracker("anna", "message 1"))
    tracker = await store.retrieve("anna")
    assert tracker is not None
    tracker.update(UserUttered("message 2"))
    statements = _statements_of(store)
    await store.save(tracker)
    assert statements == ["BEGIN", "INSERT", "COMMIT"]


async def test_saving_a_cached_or_new_conversation_opens_no_orm_session(tmp_path):
    # the save is a connection's own transaction: an ORM session's
    # bookkeeping was a fifth of a save; only a tracker the cache does not
    # know (Rasa's count of stored events) takes a session
    store = _store(tmp_path / "c.db")
    sessions: list[object] = []
    sa.event.listen(store.sessionmaker, "after_begin", lambda *args: sessions.append(1))
    assert await store.retrieve("anna") is None
    await store.save(_tracker("anna", "message 1"))
    tracker = await store.retrieve("anna")
    assert tracker is not None
    tracker.update(UserUttered("message 2"))
    await store.save(tracker)
    assert sessions == []
    assert _texts(await _store(tmp_path / "c.db").retrieve("anna")) == [
        "message 1",
        "message 2",
    ]
    store.cache.forget("anna")
    tracker.update(UserUttered("message 3"))
    await store.save(tracker)  # not in the cache: Rasa's count, in a session
    assert sessions == [1]


async def test_a_deleted_conversation_is_not_served_from_memory(tmp_path):
    database = tmp_path / "c.db"
    store = _store(database)
    await store.save(_tracker("anna", "hej"))
    assert await store.retrieve("anna") is not None
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM events WHERE sender_id = 'anna'")
    assert await store.retrieve("anna") is None


async def test_the_next_message_starts_from_the_tracker_in_memory(tmp_path):
    store = _store(tmp_path / "c.db")
    tracker = _tracker("anna", "hej")
    await store.save(tracker)
    assert await store.retrieve("anna") is tracker


def test_an_older_database_gets_the_index_for_the_newest_event_query(tmp_path):
    database = tmp_path / "old.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) "
            "NOT NULL, type_name VARCHAR(255) NOT NULL, timestamp FLOAT, "
            "intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
        )
    _store(database)
    with sqlite3.connect(database) as connection:
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT max(id) FROM events WHERE sender_id = 'a'"
        ).fetchall()
    assert "ix_events_sender_id_id" in str(plan)


def test_the_check_after_a_save_reads_only_the_new_rows(tmp_path):
    # the stale-copy check counts the rows after the copy by a range of the
    # (sender_id, id) index, not by reading every row of the conversation
    store = _store(tmp_path / "bot.db")
    statement = store._after_insert_statement.compile(dialect=store.engine.dialect)
    with store.engine.connect() as connection:
        plan = [
            row[3]
            for row in connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", ("her", "her", 7, "her", 7)
            )
        ]
    searches = [step for step in plan if step.startswith("SEARCH events")]
    assert len(searches) == 3 and all("INDEX" in step for step in searches), plan
    # by rowid (Rasa's sender index) or by id (the project's): both ranges
    assert any(re.search(r"\b(rowid|id)>\?", step) for step in searches), plan


def test_the_insert_fills_every_column_but_the_id_as_event_row_does():
    row = event_row("anna", UserUttered("hej", {"name": "greet"}))
    assert tuple(row) == EVENT_COLUMNS
    table = SQLTrackerStore.SQLEvent.__table__
    assert {column.name for column in table.columns} == {"id", *EVENT_COLUMNS}


async def test_a_save_of_more_rows_than_one_insert_takes_stores_them_all(tmp_path):
    texts = [f"spørgsmål {n}" for n in range(ROWS_PER_INSERT)]  # 2 events each
    tracker = _tracker("anna", *texts)
    ours, rasas = tmp_path / "ours.db", tmp_path / "rasa.db"
    await _store(ours).save(tracker)
    await SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(rasas)).save(tracker)
    assert len(_rows(ours)) == len(tracker.events) > 2 * ROWS_PER_INSERT
    assert _rows(ours) == _rows(rasas)  # in order, ids included


def _statements_of(store) -> list[str]:
    """What the store sends SQLite from now on: through SQLAlchemy's engine
    and on its own driver connection (the driver's trace: BEGIN and COMMIT too)."""
    sent: list[str] = []
    sa.event.listen(
        store.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *rest: sent.append(statement.split()[0]),
    )
    store._direct.connection().set_trace_callback(
        lambda statement: sent.append(statement.split()[0])
    )
    return sent


async def test_a_new_conversation_is_saved_without_counting_its_rows(tmp_path):
    # Rasa begins a tracker where the store found none: nothing of it is
    # stored, so the save does not ask how many of its events are
    store = _store(tmp_path / "c.db")
    assert await store.retrieve("anna") is None
    statements = _statements_of(store)
    await store.save(_tracker("anna", "message 1"))
    assert statements == ["BEGIN", "INSERT", "COMMIT"]
    assert _texts(await store.retrieve("anna")) == ["message 1"]


async def test_no_write_over_a_conversation_another_server_began(tmp_path):
    database = tmp_path / "c.db"
    server_a, server_b = _store(database), _store(database)
    assert await server_a.retrieve("anna") is None
    assert await server_b.retrieve("anna") is None
    await server_b.save(_tracker("anna", "begun on b"))
    stored = _rows(database)
    with pytest.raises(StaleConversation):
        await server_a.save(_tracker("anna", "begun on a"))
    assert _rows(database) == stored  # nothing appended after b's history
    again = await server_a.retrieve("anna")
    assert again is not None and _texts(again) == ["begun on b"]


def test_a_conversation_found_empty_is_new_once_and_only_until_it_has_events():
    cache = ConversationCache(10)
    first, second = _tracker("anna", "hej"), _tracker("anna", "igen")
    cache.found_empty("anna")
    entry = cache.new_conversation(first)
    assert entry is not None and entry.stored_events == 0
    assert cache.new_conversation(second) is None  # once
    cache.found_empty("anna")
    cache.put(_tracker("anna", "read back"), 7)  # read from the database after
    assert cache.new_conversation(second) is None
    assert ConversationCache(0).new_conversation(first) is None


@pytest.mark.parametrize(
    ("dialect", "paramstyle", "version", "form"),
    [
        ("postgresql", "pyformat", (3, 40, 1), POSTGRESQL_FORM),
        ("postgresql", "format", (3, 0, 0), POSTGRESQL_FORM),
        ("postgresql", "qmark", (3, 40, 1), None),
        ("sqlite", "qmark", (3, 40, 1), SQLITE_FORM),
        ("sqlite", "qmark", (3, 35, 0), SQLITE_FORM),
        ("sqlite", "qmark", (3, 34, 1), None),  # no RETURNING yet
        ("sqlite", "named", (3, 40, 1), None),
        ("mysql", "format", (3, 40, 1), None),
        ("oracle", "named", (3, 40, 1), None),
    ],
)
def test_which_databases_take_the_conditional_insert(
    dialect, paramstyle, version, form
):
    assert conditional_insert_form(dialect, paramstyle, version) is form


@pytest.mark.parametrize("turns", [1, 3, ROWS_PER_INSERT // 2])
async def test_every_row_of_a_conditional_insert_goes_in(tmp_path, turns):
    # the insert's condition reads the table it writes: the rows it inserts
    # must not change its answer half way (all rows or none)
    ours, rasas = tmp_path / "ours.db", tmp_path / "rasa.db"
    store = _store(ours)
    rasa = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(rasas))
    tracker = _tracker("anna", "first")
    await store.save(tracker)
    await rasa.save(tracker)
    cached = await store.retrieve("anna")
    assert cached is tracker and cached is not None
    for n in range(turns):
        cached.update(UserUttered(f"spørgsmål {n}", {"name": "greet"}))
        cached.update(BotUttered(f"svar {n}"))
    statements = _statements_of(store)
    await store.save(tracker)
    await rasa.save(tracker)
    assert statements == ["BEGIN", "INSERT", "COMMIT"]
    assert _rows(ours) == _rows(rasas)
    assert await store.retrieve("anna") is tracker  # the newest id is known
