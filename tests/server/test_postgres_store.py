"""The tracker store on a real PostgreSQL: what a message costs, and a restart.

Every round trip to PostgreSQL is work for both servers and a wait for the
message, so the number of them per message is what a message of a
conversation in progress costs the cluster beyond the single process (that
the loop serves others meanwhile is test_postgres_event_loop.py). They
are counted where they arrive: PostgreSQL logs every statement of the store's
role (``log_statement = 'all'``). A database restart must not cost the next
message: the store reads once more on a new connection instead of pinging
each connection before use.
"""

from __future__ import annotations

import json
import re

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.tracker_store import (
    ROWS_PER_INSERT,
    CachedSQLTrackerStore,
    StaleConversation,
)
from harness.services import Postgres

STATEMENT = re.compile(r"LOG:  statement: (.*)")


def _statements(database: Postgres) -> list[str]:
    assert database.folder is not None
    log = (database.folder / "postgres.log").read_text(errors="replace")
    return [match.group(1) for match in STATEMENT.finditer(log)]


def _turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(UserUttered(text))
    tracker.update(ActionExecuted("utter_answer"))
    tracker.update(BotUttered(f"svar på {text}"))


@pytest.fixture
def logged(postgres_database):
    """Every statement of the store's role is logged (its new sessions)."""
    role = postgres_database.user
    postgres_database.superuser_sql(f"ALTER ROLE {role} SET log_statement = 'all'")
    yield postgres_database
    postgres_database.superuser_sql(f"ALTER ROLE {role} RESET log_statement")


async def test_a_message_in_progress_takes_two_round_trips(logged, postgres_store):
    store = postgres_store()
    tracker = DialogueStateTracker.from_events("rounds", [])
    _turn(tracker, "Hej")
    await store.save(tracker)  # the conversation exists, its copy is cached
    assert await store.retrieve("rounds") is tracker  # both pools connected

    before = len(_statements(logged))
    tracker = await store.retrieve("rounds")
    assert tracker is not None
    _turn(tracker, "Går det over efter fødslen?")
    await store.save(tracker)
    sent = _statements(logged)[before:]

    kinds = [statement.split()[0].upper() for statement in sent]
    # the freshness read, then one statement inserting the new events if
    # nothing changed since (each its own transaction: no BEGIN, no COMMIT)
    assert kinds == ["SELECT", "INSERT"], sent
    stored = await postgres_store().retrieve("rounds")  # a store without the cache
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == [
        "Hej",
        "Går det over efter fødslen?",
    ]


@pytest.mark.parametrize("cached_conversations", [200, 0])
async def test_the_first_message_after_a_database_restart_is_answered(
    postgres_database, postgres_store, cached_conversations
):
    sender = f"restart-{cached_conversations}"
    store = postgres_store(cached_conversations=cached_conversations)
    tracker = DialogueStateTracker.from_events(sender, [])
    _turn(tracker, "Hej")
    await store.save(tracker)
    assert await store.retrieve(sender) is not None  # the pool holds connections

    postgres_database.restart()  # they are closed by the server

    tracker = await store.retrieve(sender)  # no error: read again on a new one
    assert tracker is not None
    _turn(tracker, "Er det farligt?")
    await store.save(tracker)
    stored = await postgres_store(cached_conversations=0).retrieve(sender)
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == [
        "Hej",
        "Er det farligt?",
    ]


async def test_the_rows_are_those_rasas_own_store_writes(
    postgres_database, postgres_store
):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    rasas = SQLTrackerStore(Domain.empty(), **postgres_database.store_settings())
    ours = postgres_store()
    assert await ours.retrieve("ours") is None  # known new: saved as in progress
    said = DialogueStateTracker.from_events("ours", [])
    said.update(UserUttered("Hej", {"name": "greet", "confidence": 0.91}))
    for text in ("Går det over?", "Tak"):
        _turn(said, text)
        await ours.save(said)  # each turn's rows in one conditional insert
    await rasas.save(DialogueStateTracker.from_events("rasas", list(said.events)))
    with rasas.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
            "FROM events WHERE sender_id IN ('ours', 'rasas') ORDER BY id"
        ).fetchall()
    mine = [row[1:] for row in rows if row[0] == "ours"]
    theirs = [row[1:] for row in rows if row[0] == "rasas"]
    assert len(mine) == 7 and mine == theirs


async def test_a_freshness_read_leaves_its_connection_as_it_is(
    postgres_store, monkeypatch
):
    # switched to autocommit for each read and back as it was returned, a
    # read took 340 us instead of 180: its connections stay in autocommit
    store = postgres_store()
    tracker = DialogueStateTracker.from_events("switches", [])
    _turn(tracker, "Hej")
    await store.save(tracker)
    assert await store.retrieve("switches") is tracker
    switches: list[object] = []
    for engine in {store.engine, store._autocommit}:
        dialect = engine.dialect
        switch = dialect.set_isolation_level

        def counted(connection, level, switch=switch):
            switches.append(level)
            return switch(connection, level)

        monkeypatch.setattr(dialect, "set_isolation_level", counted)
    for text in ("Går det over?", "Tak"):
        assert await store.retrieve("switches") is tracker
        _turn(tracker, text)
        await store.save(tracker)
    assert switches == []


def _user_texts(store: CachedSQLTrackerStore, sender: str) -> list[str]:
    """What she wrote in the conversation, as stored."""
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' "
            "ORDER BY id",
            (sender,),
        ).fetchall()
    return [json.loads(row[0])["text"] for row in rows]


async def test_no_write_after_another_server_answered(postgres_store):
    server_a, server_b = postgres_store(), postgres_store()
    tracker = DialogueStateTracker.from_events("stale", [])
    _turn(tracker, "message 1")
    await server_a.save(tracker)
    stale = await server_a.retrieve("stale")
    on_b = await server_b.retrieve("stale")
    assert stale is not None and on_b is not None
    _turn(on_b, "message 2")
    await server_b.save(on_b)
    _turn(stale, "written after a history it never saw")
    with pytest.raises(StaleConversation):
        await server_a.save(stale)
    assert _user_texts(server_a, "stale") == ["message 1", "message 2"]
    again = await server_a.retrieve("stale")  # read back, not the stale copy
    assert again is not None and again is not stale
    _turn(again, "message 3")
    await server_a.save(again)
    assert _user_texts(server_a, "stale")[-1] == "message 3"


async def test_no_write_after_the_conversation_was_erased(postgres_store):
    store = postgres_store()
    tracker = DialogueStateTracker.from_events("erased", [])
    _turn(tracker, "message 1")
    await store.save(tracker)
    copy = await store.retrieve("erased")
    assert copy is not None
    with store.engine.begin() as connection:  # erased meanwhile
        connection.exec_driver_sql("DELETE FROM events WHERE sender_id = 'erased'")
    _turn(copy, "written after the erasure")
    with pytest.raises(StaleConversation):
        await store.save(copy)
    assert _user_texts(store, "erased") == []


async def test_no_write_over_a_conversation_another_server_began(postgres_store):
    server_a, server_b = postgres_store(), postgres_store()
    assert await server_a.retrieve("begun") is None
    assert await server_b.retrieve("begun") is None
    on_b = DialogueStateTracker.from_events("begun", [])
    _turn(on_b, "begun on b")
    await server_b.save(on_b)
    on_a = DialogueStateTracker.from_events("begun", [])
    _turn(on_a, "begun on a")
    with pytest.raises(StaleConversation):
        await server_a.save(on_a)
    assert _user_texts(server_a, "begun") == ["begun on b"]


async def test_more_new_events_than_one_insert_takes_are_saved_whole(postgres_store):
    # more rows than one statement takes go in one transaction, checked after
    store = postgres_store()
    tracker = DialogueStateTracker.from_events("long", [])
    _turn(tracker, "message 0")
    await store.save(tracker)
    assert await store.retrieve("long") is tracker
    for number in range(1, ROWS_PER_INSERT // 3 + 2):  # 3 rows a turn
        _turn(tracker, f"message {number}")
    await store.save(tracker)
    texts = _user_texts(store, "long")
    assert texts == [f"message {n}" for n in range(ROWS_PER_INSERT // 3 + 2)]
    assert await store.retrieve("long") is tracker  # and it is still current


async def test_a_new_conversation_saved_before_its_first_event_is_one_read(
    logged, postgres_store
):
    # Rasa saves a conversation it has just begun, with no event yet
    store = postgres_store()
    assert await store.retrieve("warming") is None  # connections open
    before = len(_statements(logged))
    assert await store.retrieve("begun-empty") is None
    await store.save(DialogueStateTracker.from_events("begun-empty", []))
    sent = _statements(logged)[before:]
    # two freshness reads (the retrieve, then the save's check), no transaction
    assert [statement.split()[0].upper() for statement in sent] == [
        "SELECT",
        "SELECT",
    ], sent
    tracker = await store.retrieve("begun-empty")
    assert tracker is None  # nothing stored yet: Rasa begins it again


async def test_no_empty_save_over_a_conversation_another_server_began(postgres_store):
    server_a, server_b = postgres_store(), postgres_store()
    assert await server_a.retrieve("begun-meanwhile") is None
    on_b = DialogueStateTracker.from_events("begun-meanwhile", [])
    _turn(on_b, "begun on b")
    await server_b.save(on_b)
    with pytest.raises(StaleConversation):
        await server_a.save(DialogueStateTracker.from_events("begun-meanwhile", []))
    assert _user_texts(server_a, "begun-meanwhile") == ["begun on b"]
