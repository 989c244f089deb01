"""Error paths log the error's type and a hash of the conversation, never her words."""

import asyncio
import hashlib
import logging
import sqlite3
from collections.abc import Awaitable
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.channels.service_errors import refusing_when_unavailable
from assistant.stores import retention
from assistant.stores.lock_store import AtomicRedisLockStore
from assistant.stores.log_privacy import (
    conversation_reference,
    error_kind,
    reference_key,
)
from assistant.stores.tracker_store import CachedSQLTrackerStore

WORDS = "Ingrid-Qwxyz-ondt-i-hoften"
SENDER = "+4512345678"


def test_a_reference_is_stable_short_and_not_the_id():
    reference = conversation_reference(SENDER)
    assert reference == conversation_reference(SENDER)
    assert reference != conversation_reference("+4512345679")
    assert SENDER not in reference and "12345678" not in reference
    assert len(reference) == 14


def test_a_reference_is_keyed_by_the_servers_secret():
    ours, theirs = reference_key("a" * 64), reference_key("b" * 64)
    reference = conversation_reference(SENDER, ours)
    # every server with the same secret: the same reference
    assert reference == conversation_reference(SENDER, reference_key("a" * 64))
    assert reference != conversation_reference(SENDER, theirs)
    # not the plain hash, which hashing every phone number would undo
    unkeyed = "c-" + hashlib.sha256(SENDER.encode()).hexdigest()[:12]
    assert reference != unkeyed and conversation_reference(SENDER) != unkeyed
    # nor the widget's token signature: a key of its own
    assert reference_key("a" * 64) != ("a" * 64).encode()


def test_the_kind_of_an_error_is_its_types_only():
    try:
        try:
            raise ConnectionError(f"no redis for lock:{SENDER}")
        except ConnectionError as cause:
            raise LockError(f"lock of {SENDER}") from cause
    except LockError as error:
        assert error_kind(error) == "LockError < ConnectionError"


def test_the_tracker_stores_engine_hides_the_failed_inserts_parameters(tmp_path):
    store = CachedSQLTrackerStore(
        domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "c.db")
    )
    with sqlite3.connect(tmp_path / "c.db") as connection:
        connection.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON events "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    tracker = DialogueStateTracker(SENDER, [])
    tracker.update(UserUttered(WORDS))
    with pytest.raises(sa.exc.SQLAlchemyError) as raised:
        asyncio.run(store.save(tracker))
    assert "INSERT" in str(raised.value)  # the statement, not its values
    assert WORDS not in str(raised.value) and SENDER not in str(raised.value)


def test_the_operator_commands_engine_hides_parameters(tmp_path, monkeypatch):
    monkeypatch.setattr(retention, "database_url", lambda _: "sqlite:///:memory:")
    monkeypatch.setattr(retention.os.path, "exists", lambda _: True)
    engine = retention._database("endpoints.yml")
    assert engine is not None and engine.hide_parameters


def test_redis_down_is_a_lock_error_that_names_no_conversation():
    store = AtomicRedisLockStore(host="127.0.0.1", port=1, socket_timeout=1)
    with pytest.raises(LockError) as raised:
        store.issue_ticket(SENDER)
    assert SENDER not in str(raised.value)
    assert "ConnectionError" in str(raised.value)


def _run(awaitable: Awaitable[Any]) -> Any:
    async def main() -> Any:
        return await awaitable

    return asyncio.run(main())


def _message() -> UserMessage:
    return UserMessage(f"Jeg har {WORDS}", CollectingOutputChannel(), SENDER)


def _fails_with(error: BaseException):
    async def on_new_message(message: UserMessage) -> None:
        raise error

    return on_new_message


def _database_error() -> sa.exc.DBAPIError:
    return sa.exc.OperationalError(
        "INSERT INTO events (sender_id, data) VALUES (?, ?)",
        (SENDER, f'{{"text": "{WORDS}"}}'),
        sqlite3.OperationalError(f"disk I/O error near {WORDS}"),
    )


@pytest.mark.parametrize(
    "error",
    [
        _database_error(),
        LockError(f"Could not acquire lock for conversation_id '{SENDER}'."),
        ValueError(f"a bug that quotes her: {WORDS}"),
    ],
    ids=["database", "lock store", "any other failure"],
)
def test_a_failed_message_is_logged_without_her_words_or_her_id(error, caplog):
    handle = refusing_when_unavailable(_fails_with(error), apologise=False)
    with caplog.at_level(logging.DEBUG):
        assert _run(handle(_message())) is None
    logged = caplog.text
    assert type(error).__name__ in logged
    assert conversation_reference(SENDER) in logged
    assert WORDS not in logged and SENDER not in logged


def test_a_cancelled_message_is_logged_without_her_words(caplog):
    cancelled = _fails_with(asyncio.CancelledError())
    rest = refusing_when_unavailable(cancelled, apologise=False, stop_on_cancel=False)
    with caplog.at_level(logging.DEBUG):
        assert _run(rest(_message())) is None  # REST: ended here, as Rasa does
        socket = refusing_when_unavailable(cancelled, apologise=True)
        with pytest.raises(asyncio.CancelledError):
            _run(socket(_message()))
    assert "cancelled" in caplog.text
    assert WORDS not in caplog.text and SENDER not in caplog.text
