"""Old conversations go whatever channels the server has: no widget needed.

A real Rasa server, started as `make run` starts it, on the shipped
endpoints.yml (its SQLite store at ``DB_NAME``) and the shipped
credentials.yml with only its REST channel (Rasa's ``--connector``), so no
widget channel is there, on a database that
already holds old and fresh conversations, written by Rasa's own
``SQLTrackerStore`` (or as it writes them: the bench's 100,000 old events).
The database is read back; the server's log is read for how it stopped.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
import requests
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bench.retention import conversation_is_stored, fill_database, sender_id
from harness.servers import RasaServer, free_port

DAY = 86_400.0
REST_CHANNEL = "assistant.channels.rest.ValidatedRestInput"
PURGED_WITHIN_SECONDS = 60
PURGE_LOGGED = "Deleted 1 conversations with nothing new for 30 days."


async def _conversation(store: SQLTrackerStore, sender: str, at: float) -> None:
    tracker = DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start", timestamp=at),
            SessionStarted(timestamp=at),
            ActionExecuted("action_listen", timestamp=at),
            UserUttered("Hvad er bækkenløsning?", timestamp=at + 1),
            BotUttered("Bækkenløsning er smerter i bækkenet ...", timestamp=at + 2),
            ActionExecuted("action_listen", timestamp=at + 2),
        ],
    )
    await store.save(tracker)


def _rows(database: Path, sender: str) -> int:
    with sqlite3.connect(database) as connection:
        query = "SELECT COUNT(*) FROM events WHERE sender_id = ?"
        return int(connection.execute(query, (sender,)).fetchone()[0])


def _log(server: RasaServer) -> str:
    return server.log.read_text() if server.log.exists() else ""


def _server(workdir: Path, database: Path, **environment: str) -> RasaServer:
    return RasaServer(  # the shipped endpoints.yml, DB_NAME=database
        workdir,
        database,
        f"http://127.0.0.1:{free_port()}",  # no custom action is needed here
        connector=REST_CHANNEL,  # the shipped credentials.yml, REST only
        extra_env=environment,
        enable_api=False,
    )


async def test_the_server_purges_old_conversations_without_the_widget(tmp_path):
    database = tmp_path / "conversations.db"
    store = SQLTrackerStore(Domain.empty(), db=str(database))
    await _conversation(store, "forty-days-ago", time.time() - 40 * DAY)
    await _conversation(store, "yesterday", time.time() - 1 * DAY)
    store.engine.dispose()
    assert _rows(database, "forty-days-ago") == 6 and _rows(database, "yesterday") == 6

    server = _server(tmp_path, database).start()
    try:
        assert (
            requests.post(
                f"{server.url}/webhooks/widget/session", timeout=30
            ).status_code
            == 404
        )  # no widget channel on this server
        deadline = time.monotonic() + PURGED_WITHIN_SECONDS
        # the rows go first, the log line a moment later (after the batch's
        # pause and the purge turn given back): stopping in between would
        # cancel the purge before it says what it did
        while (
            _rows(database, "forty-days-ago") or PURGE_LOGGED not in _log(server)
        ) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _rows(database, "forty-days-ago") == 0
        assert _rows(database, "yesterday") == 6
        assert server.texts("yesterday", "hej")  # and it answers as before
    finally:
        server.stop()
    log = server.log.read_text()
    assert PURGE_LOGGED in log
    assert "forty-days-ago" not in log  # no conversation ids in the log
    # stopped cleanly: the schedule was ended, not left pending
    assert "Task was destroyed but it is pending" not in log
    assert "Traceback" not in log


@pytest.mark.parametrize("bad", ["thirty", "0"])
def test_a_bad_retention_setting_stops_the_server_with_a_clear_message(tmp_path, bad):
    database = tmp_path / "conversations.db"
    server = _server(tmp_path, database, RETENTION_DAYS=bad).launch()
    assert server.process is not None
    try:
        code = server.process.wait(timeout=240)
    finally:
        server.stop()
    assert code == 2
    log = server.log.read_text()
    assert "RETENTION_DAYS must be a whole number of days, at least 1" in log
    assert f"not '{bad}'" in log
    assert "Traceback" not in log


def test_stopped_in_the_middle_of_a_purge_it_ends_cleanly_and_halves_nothing(
    tmp_path,
):
    database = tmp_path / "conversations.db"
    fill_database(database, conversations=2_000, events_per_conversation=50)
    server = _server(tmp_path, database).start()
    try:
        deadline = time.monotonic() + PURGED_WITHIN_SECONDS
        while (
            conversation_is_stored(database, sender_id(0))
            and time.monotonic() < deadline
        ):
            time.sleep(0.01)
    finally:
        server.stop()  # SIGINT, as Ctrl-C or `docker stop`
    assert server.process is not None and server.process.returncode == 0
    with sqlite3.connect(database) as connection:
        sizes = [
            events
            for (events,) in connection.execute(
                "SELECT COUNT(*) FROM events GROUP BY sender_id"
            )
        ]
    assert 0 < len(sizes) < 2_000  # stopped while purging
    assert set(sizes) == {50}  # each conversation whole or gone
    log = server.log.read_text()
    assert "Task was destroyed but it is pending" not in log
    assert "Traceback" not in log
