"""Deleting conversations: one on request, the stale ones after the retention period."""

import pytest
import sqlalchemy as sa

from assistant.stores.retention import (
    DEFAULT_RETENTION_DAYS,
    cutoff,
    forget,
    purge,
    retention_days,
    stale_conversations,
)

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


def test_the_greeting_names_the_retention_period():
    from pathlib import Path

    import yaml

    domain = Path(__file__).resolve().parents[2] / "domain.yml"
    greeting = yaml.safe_load(domain.read_text("utf-8"))["responses"]["utter_greet"]
    danish, english = (variation["text"] for variation in greeting)
    assert f"{DEFAULT_RETENTION_DAYS} dage" in danish
    assert f"{DEFAULT_RETENTION_DAYS} days" in english
    assert "Slet samtale" in danish and "Delete conversation" in english
