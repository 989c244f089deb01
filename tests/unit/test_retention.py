"""Deleting conversations: one on request, the stale ones after the retention period."""

import asyncio
import threading
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.config.retention_setting import (
    DEFAULT_RETENTION_DAYS,
    RetentionSettingError,
    retention_days,
)
from assistant.server.strict_tracker_store import StrictTrackerStore
from assistant.stores.retention import (
    ErasureUnsupported,
    cutoff,
    delete_if_still_stale,
    forget,
    forget_in_store,
    purge,
    purge_batches,
    purge_in_store,
    stale_conversation_sizes,
    stale_conversations,
)
from assistant.stores.retention_schedule import purge_once, start_with_server
from assistant.stores.tracker_store import CachedSQLTrackerStore

DAY = 86_400.0
NOW = 1_800_000_000.0


@pytest.fixture
def connection():
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, timestamp REAL, data TEXT)"
            )
        )
        rows = [
            # old: last event 40 days ago
            ("old", NOW - 45 * DAY),
            ("old", NOW - 40 * DAY),
            # started long ago but active yesterday: kept
            ("returning", NOW - 60 * DAY),
            ("returning", NOW - 1 * DAY),
            ("new", NOW - 60),
            ("new", NOW),
        ]
        for sender, timestamp in rows:
            connection.execute(
                sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', :t, '{}')"
                ),
                {"s": sender, "t": timestamp},
            )
        yield connection


def _senders(connection):
    rows = connection.execute(sa.text("SELECT DISTINCT sender_id FROM events"))
    return sorted(row[0] for row in rows)


def test_forget_deletes_every_event_of_one_conversation(connection):
    assert forget(connection, "returning") == 2
    assert _senders(connection) == ["new", "old"]
    assert forget(connection, "nobody") == 0


def test_purge_deletes_conversations_whose_last_event_is_older(connection):
    before = cutoff(NOW, 30)
    assert stale_conversations(connection, before) == ["old"]
    assert purge(connection, before) == ["old"]
    assert _senders(connection) == ["new", "returning"]
    assert purge(connection, cutoff(NOW, 1) + 1) == ["returning"]


def test_retention_days_setting(monkeypatch):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    assert retention_days() == DEFAULT_RETENTION_DAYS == 30
    assert retention_days("7") == 7
    monkeypatch.setenv("RETENTION_DAYS", "90")
    assert retention_days() == 90
    for bad in ("0", "-3", "thirty", "1.5"):
        with pytest.raises(ValueError):
            retention_days(bad)


def test_a_bad_retention_setting_says_what_is_wrong_and_what_is_expected(
    monkeypatch,
):
    monkeypatch.setenv("RETENTION_DAYS", "30d")
    with pytest.raises(RetentionSettingError) as refused:
        retention_days()
    message = str(refused.value)
    assert "RETENTION_DAYS must be a whole number of days, at least 1" in message
    assert "'30d'" in message


def test_the_tracker_store_refuses_to_start_with_a_bad_retention(monkeypatch, tmp_path):
    monkeypatch.setenv("RETENTION_DAYS", "0")
    with pytest.raises(RetentionSettingError, match="RETENTION_DAYS"):
        CachedSQLTrackerStore(domain=DOMAIN, db=str(tmp_path / "events.db"))


def test_the_cutoff_is_the_retention_period_before_now():
    assert cutoff(NOW, 30) == NOW - 30 * DAY
    assert cutoff(NOW, 1) == NOW - DAY


def test_batches_hold_at_most_so_many_events_and_conversations():
    sizes = [("a", 800), ("b", 800), ("c", 800), ("d", 5000), ("e", 10), ("f", 10)]
    assert list(purge_batches(sizes, max_events=2000, max_conversations=10)) == [
        ["a", "b"],
        ["c"],
        ["d"],  # bigger than a batch: alone, deleted whole
        ["e", "f"],
    ]
    many = [(str(i), 1) for i in range(5)]
    assert list(purge_batches(many, max_events=100, max_conversations=2)) == [
        ["0", "1"],
        ["2", "3"],
        ["4"],
    ]
    assert list(purge_batches([])) == []


def test_the_scan_counts_each_stale_conversations_events(connection):
    assert stale_conversation_sizes(connection, cutoff(NOW, 30)) == [("old", 2)]


def test_a_conversation_that_got_a_message_after_the_scan_is_kept_whole(
    connection,
):
    before = cutoff(NOW, 30)
    assert stale_conversations(connection, before) == ["old"]
    connection.execute(  # she writes again before the delete
        sa.text(
            "INSERT INTO events (sender_id, type_name, timestamp, data) "
            "VALUES ('old', 'user', :t, '{}')"
        ),
        {"t": NOW},
    )
    assert delete_if_still_stale(connection, ["old", "new"], before) == []
    count = sa.text("SELECT COUNT(*) FROM events WHERE sender_id = 'old'")
    assert connection.execute(count).scalar() == 3


# --- inside the server: off the event loop, in batches, under the locks ---------

DOMAIN = Domain.from_yaml("version: '3.1'\nintents: [greet]")


def _conversation(sender: str, at: float, messages: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen", timestamp=at))
    for index in range(messages):
        tracker.update(UserUttered(f"besked {index}", timestamp=at + index))
        tracker.update(BotUttered(f"svar {index}", timestamp=at + index))
    return tracker


def _server_parts(tmp_path) -> tuple[CachedSQLTrackerStore, SimpleNamespace]:
    store = CachedSQLTrackerStore(domain=DOMAIN, db=str(tmp_path / "events.db"))
    agent = SimpleNamespace(
        tracker_store=StrictTrackerStore(store), lock_store=InMemoryLockStore()
    )
    return store, agent


def _stored(store: CachedSQLTrackerStore, sender: str) -> int:
    with store.engine.connect() as connection:
        query = sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s")
        return int(connection.execute(query, {"s": sender}).scalar())


async def test_the_server_purges_in_a_worker_thread_a_batch_per_transaction(
    tmp_path,
):
    store, agent = _server_parts(tmp_path)
    old = time.time() - 40 * DAY
    for sender in ("old-1", "old-2", "old-3"):
        await store.save(_conversation(sender, old, messages=750))  # 1501 events
    await store.save(_conversation("fresh", time.time(), messages=2))
    assert await store.retrieve("old-1") is not None
    assert len(store.cache) == 4

    deletes: list[str] = []
    commits: list[str] = []

    def seen(_conn, _cursor, statement, *_):
        if statement.lstrip().upper().startswith("DELETE"):
            deletes.append(threading.current_thread().name)

    sa.event.listen(store.engine, "before_cursor_execute", seen)
    sa.event.listen(
        store.engine,
        "commit",
        lambda _: commits.append(threading.current_thread().name),
    )
    try:
        assert await purge_in_store(agent, 30) == 3
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", seen)

    assert [_stored(store, s) for s in ("old-1", "old-2", "old-3")] == [0, 0, 0]
    assert _stored(store, "fresh") == 5
    # never on the event loop's thread; one transaction per 2,000 events at most
    assert len(deletes) == 3 and threading.main_thread().name not in deletes
    assert all(name.startswith("retention") for name in deletes)
    assert len([name for name in commits if name.startswith("retention")]) >= 3
    # and the server's memory forgot them: nothing comes back from the cache
    assert len(store.cache) == 1
    assert await store.retrieve("old-1") is None


async def test_erasure_deletes_her_rows_and_the_servers_memory_of_them(tmp_path):
    store, agent = _server_parts(tmp_path)
    await store.save(_conversation("hers", time.time(), messages=2))
    await store.save(_conversation("another", time.time(), messages=1))
    assert await store.retrieve("hers") is not None  # now in the cache too

    assert await forget_in_store(agent, "hers") == 5
    assert _stored(store, "hers") == 0 and _stored(store, "another") == 3
    assert await store.retrieve("hers") is None


async def test_erasure_from_memory_deletes_the_conversation():
    memory = InMemoryTrackerStore(DOMAIN)
    await memory.save(_conversation("hers", time.time(), messages=1))
    agent = SimpleNamespace(
        tracker_store=StrictTrackerStore(memory), lock_store=InMemoryLockStore()
    )
    assert await forget_in_store(agent, "hers") == 1
    assert await memory.retrieve("hers") is None


async def test_erasure_fails_loudly_when_rasa_renames_where_it_keeps_the_store(
    tmp_path,
):
    store, agent = _server_parts(tmp_path)
    await store.save(_conversation("hers", time.time(), messages=2))
    wrapper = agent.tracker_store  # as if an upgrade renamed the private attribute
    wrapper._primary_tracker_store = vars(wrapper).pop("_tracker_store")

    with pytest.raises(ErasureUnsupported, match="_tracker_store"):
        await forget_in_store(agent, "hers")
    assert _stored(store, "hers") == 5  # nothing deleted, and nothing claimed


async def test_erasure_refuses_a_store_it_cannot_delete_from():
    class DocumentStore(TrackerStore):  # e.g. Mongo or DynamoDB
        async def save(self, tracker):
            return None

        async def retrieve(self, sender_id):
            return None

        async def keys(self):
            return []

    agent = SimpleNamespace(
        tracker_store=StrictTrackerStore(DocumentStore(DOMAIN)),
        lock_store=InMemoryLockStore(),
    )
    with pytest.raises(ErasureUnsupported, match="DocumentStore"):
        await forget_in_store(agent, "hers")


async def test_a_message_under_way_holds_the_purge_off_its_conversation(tmp_path):
    store, agent = _server_parts(tmp_path)
    await store.save(_conversation("returning", time.time() - 40 * DAY, messages=3))

    async with agent.lock_store.lock("returning"):  # her message is being handled
        tracker = await store.retrieve("returning")
        assert tracker is not None
        purging = asyncio.create_task(purge_in_store(agent, 30))
        await asyncio.sleep(0.3)  # the purge has scanned and waits for the lock
        assert not purging.done() and _stored(store, "returning") == 7
        tracker.update(UserUttered("Jeg er tilbage", timestamp=time.time()))
        await store.save(tracker)
    assert await purging == 0
    assert _stored(store, "returning") == 8  # whole: the old events and the new
    kept = await store.retrieve("returning")
    assert kept is not None and kept.latest_message.text == "Jeg er tilbage"


async def test_a_failed_scheduled_purge_is_logged_by_type_only(tmp_path, caplog):
    store, agent = _server_parts(tmp_path)
    await store.save(_conversation("secret-sender", time.time() - 40 * DAY, 1))
    store.engine.dispose()
    (tmp_path / "events.db").unlink()
    (tmp_path / "events.db").mkdir()  # the database is gone: every query fails
    store.engine = sa.create_engine(f"sqlite:///{tmp_path / 'events.db'}")

    assert await purge_once(agent, 30) is None
    [record] = [r for r in caplog.records if r.name.endswith("retention_schedule")]
    assert record.levelname == "ERROR"
    assert "OperationalError" in record.getMessage()
    assert "trying again in an hour" in record.getMessage()
    assert "secret-sender" not in caplog.text and "events.db" not in caplog.text


async def test_without_a_running_server_nothing_is_scheduled():
    assert start_with_server(30) is False


def test_the_greeting_names_the_retention_period():
    from pathlib import Path

    import yaml

    domain = Path(__file__).resolve().parents[2] / "domain.yml"
    greeting = yaml.safe_load(domain.read_text("utf-8"))["responses"]["utter_greet"]
    danish, english = (variation["text"] for variation in greeting)
    assert f"{DEFAULT_RETENTION_DAYS} dage" in danish
    assert f"{DEFAULT_RETENTION_DAYS} days" in english
    assert "Slet samtale" in danish and "Delete conversation" in english
