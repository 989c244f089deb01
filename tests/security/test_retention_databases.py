"""Erasure and retention on Rasa's own table, in SQLite and in PostgreSQL.

Conversations are written by Rasa's ``SQLTrackerStore`` itself (its schema,
its rows); ``assistant/stores/retention.py`` deletes them; the database is read back.
PostgreSQL runs from Debian's package on 127.0.0.1 in a temporary folder (as
the ``postgres`` user when the tests run as root); without the package the
PostgreSQL case is skipped with the reason.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.retention import (
    PurgeTurn,
    cutoff,
    forget,
    purge,
    purge_in_store,
)
from harness.servers import free_port

DAY = 86_400.0
POSTGRES_BIN = Path("/usr/lib/postgresql")


def _postgres_binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(POSTGRES_BIN.glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


def _as_postgres(command: list[str]) -> list[str]:
    return (
        ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command
    )


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict]:
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL (Debian's postgresql package) is not installed")
    folder = Path(tempfile.mkdtemp(prefix="retention-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    data, port = folder / "data", free_port()
    subprocess.run(
        _as_postgres([str(binaries / "initdb"), "-D", str(data), "-A", "trust"])
        + ["-U", "postgres"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-o", options])
        + ["-w", "-l", str(folder / "log"), "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield {"dialect": "postgresql", "host": "127.0.0.1", "port": port}
    finally:
        subprocess.run(
            _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast"])
            + ["stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> SQLTrackerStore:
    if request.param == "sqlite":
        return SQLTrackerStore(Domain.empty(), db=str(tmp_path / "events.db"))
    settings = request.getfixturevalue("postgres")
    return SQLTrackerStore(
        Domain.empty(),
        dialect="postgresql",
        host=settings["host"],
        port=settings["port"],
        db="postgres",
        username="postgres",
    )


async def _conversation(store: SQLTrackerStore, sender: str, at: float) -> None:
    tracker = DialogueStateTracker.from_events(
        sender,
        [
            UserUttered("Jeg har ondt i bækkenet, uge 30", timestamp=at),
            BotUttered("Hvor er du lige nu?", timestamp=at + 1),
            SlotSet("referral_pain", "7", timestamp=at + 2),
        ],
    )
    await store.save(tracker)


def _rows(store: SQLTrackerStore, sender: str) -> int:
    with store.engine.connect() as connection:
        query = sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s")
        return int(connection.execute(query, {"s": sender}).scalar())


async def test_forget_and_purge_leave_nothing_of_those_conversations(store):
    now = time.time()
    await _conversation(store, "forgotten", now)
    await _conversation(store, "stale", now - 40 * DAY)
    await _conversation(store, "kept", now - 2 * DAY)
    assert _rows(store, "forgotten") >= 3

    with store.engine.begin() as connection:
        assert forget(connection, "forgotten") >= 3
        assert purge(connection, cutoff(now, 30)) == ["stale"]

    assert _rows(store, "forgotten") == 0 and _rows(store, "stale") == 0
    assert _rows(store, "kept") >= 3
    assert await store.retrieve("forgotten") is None
    assert await store.retrieve("stale") is None
    kept = await store.retrieve("kept")
    assert kept is not None
    assert [e.text for e in kept.events if isinstance(e, UserUttered)] == [
        "Jeg har ondt i bækkenet, uge 30"
    ]


async def test_one_server_purges_at_a_time_the_others_skip(store):
    now = time.time()
    await _conversation(store, "stale", now - 40 * DAY)
    server = SimpleNamespace(tracker_store=store, lock_store=InMemoryLockStore())
    other_server = PurgeTurn(store.engine)
    assert other_server.take(wait=False)
    try:
        if store.engine.dialect.name == "postgresql":
            # another server is purging: this one skips, nothing is touched
            assert (
                await purge_in_store(server, 30, wait_for_other_servers=False) is None
            )
            assert _rows(store, "stale") == 3
            assert not PurgeTurn(store.engine).take(wait=False)
    finally:
        other_server.give_back()
    assert await purge_in_store(server, 30, wait_for_other_servers=False) == 1
    assert _rows(store, "stale") == 0
