"""make forget, make purge and make feedback-report on the shipped endpoints.yml.

SQLite, as `make run` keeps conversations, chosen only by ``DB_NAME``; no
endpoints file of the tests' own. With no Rasa server running here (with one,
and on PostgreSQL: tests/security/test_ownership_and_erasure.py,
tests/server/test_feedback_report.py, tests/scale/test_operator_commands.py).
"""

from __future__ import annotations

import subprocess

import pytest

from harness.servers import BIN, ROOT
from tests.operator import (
    QUESTION,
    days_ago,
    make,
    rated_conversation,
    store,
    stored_rows,
)


@pytest.fixture
def database(tmp_path):
    """A SQLite file with one recent rated conversation and one 40 days old."""
    path = tmp_path / "conversations.db"
    store(
        {"dialect": "sqlite", "db": str(path)},
        rated_conversation("recent", days_ago(1)),
        rated_conversation("old", days_ago(40)),
    )
    return path


def test_forget_deletes_one_conversation_from_the_database(database):
    done = make("forget", "SENDER=recent", DB_NAME=str(database))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Deleted 6 events of that conversation.\n"
    assert stored_rows(f"sqlite:///{database}", "recent") == 0
    assert stored_rows(f"sqlite:///{database}", "old") == 6


def test_purge_deletes_what_is_older_than_the_retention(database):
    done = make("purge", DB_NAME=str(database))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Deleted 1 conversations with nothing new for 30 days.\n"
    assert stored_rows(f"sqlite:///{database}", "old") == 0
    assert stored_rows(f"sqlite:///{database}", "recent") == 6


def test_the_feedback_report_reads_the_database(database):
    done = make("feedback-report", DB_NAME=str(database))
    assert (done.returncode, done.stderr) == (0, "")
    assert "| `utter_faq/recurrence` | 0 | 2 |" in done.stdout
    unhelpful = done.stdout.split("## Answers that got a 👎")[1]
    assert f"| {QUESTION} | `recent` |" in unhelpful
    assert f"| {QUESTION} | `old` |" in unhelpful


def test_no_database_yet_is_said_plainly_and_makes_none(tmp_path):
    missing = tmp_path / "none.db"
    for target, arguments in (("forget", ["SENDER=anna"]), ("purge", [])):
        done = make(target, *arguments, DB_NAME=str(missing))
        assert done.returncode == 0, done.stderr
        assert done.stdout == "No conversations are stored yet: nothing to delete.\n"
    report = make("feedback-report", DB_NAME=str(missing))
    assert report.returncode == 0
    assert report.stdout == f"No conversations yet: {missing} does not exist.\n"
    assert not missing.exists()


@pytest.mark.parametrize(
    "target, arguments",
    [("forget", ["SENDER=recent"]), ("purge", []), ("feedback-report", [])],
)
def test_a_malformed_port_is_named_and_nothing_is_deleted(database, target, arguments):
    done = make(target, *arguments, DB_NAME=str(database), DB_PORT="54x32")
    assert done.returncode == 2
    assert done.stderr.startswith(
        "endpoints.yml, tracker_store.port ('${DB_PORT:-}'): "
        "'54x32' is not a port number (1-65535).\n"
    )
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert stored_rows(f"sqlite:///{database}", "recent") == 6


def test_the_commands_exit_with_2_on_a_bad_setting(database):
    for module, command in (
        ("assistant.stores.retention", ["forget", "recent"]),
        ("assistant.stores.retention", ["purge"]),
        ("scripts.feedback_report", []),
    ):
        done = subprocess.run(
            [str(BIN / "python"), "-m", module, *command],
            cwd=ROOT,
            env={
                "DB_NAME": str(database),
                "DB_PORT": "0",
                "RASA_URL": "http://127.0.0.1:1",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, (module, done.stderr)
        assert "tracker_store.port ('${DB_PORT:-}'): 0 is not a port number" in (
            done.stderr
        )
