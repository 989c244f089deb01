"""make forget, make purge and make feedback-report on PostgreSQL.

The shipped endpoints.yml, pointed at the database only by the DB_* variables
(``harness.services.Postgres.environment``), as in production: first with no
Rasa server running, then with one running on that database (the commands
then ask it, so it forgets from memory too).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from harness.servers import ActionServer, RasaServer
from tests.operator import (
    DAY,
    QUESTION,
    days_ago,
    make,
    rated_conversation,
    store,
    stored_rows,
)


def test_the_commands_work_on_postgresql_with_no_server(postgres):
    recent, old = f"recent-{uuid.uuid4().hex}", f"old-{uuid.uuid4().hex}"
    store(
        postgres.store_settings(),
        rated_conversation(recent, days_ago(1)),
        rated_conversation(old, days_ago(40)),
    )
    environment = postgres.environment()

    report = make("feedback-report", **environment)
    assert (report.returncode, report.stderr) == (0, "")
    assert f"| {QUESTION} | `{recent}` |" in report.stdout
    assert f"| {QUESTION} | `{old}` |" in report.stdout

    purged = make("purge", **environment)
    assert (purged.returncode, purged.stderr) == (0, "")
    assert purged.stdout == "Deleted 1 conversations with nothing new for 30 days.\n"
    assert stored_rows(postgres.url(), old) == 0
    assert stored_rows(postgres.url(), recent) == 6

    forgotten = make("forget", f"SENDER={recent}", **environment)
    assert (forgotten.returncode, forgotten.stderr) == (0, "")
    assert forgotten.stdout == "Deleted 6 events of that conversation.\n"
    assert stored_rows(postgres.url(), recent) == 0


def test_a_wrong_password_is_a_message_not_a_traceback(postgres):
    wrong = {**postgres.environment(), "DB_PASSWORD": "wrong-password"}
    done = make("forget", "SENDER=anna", **wrong)
    assert done.returncode != 0
    assert done.stderr.startswith("Cannot use the tracker store: ")
    assert "password authentication failed" in done.stderr
    assert "wrong-password" not in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def bot_on_postgres(tmp_path, postgres) -> Iterator[RasaServer]:
    actions = ActionServer(tmp_path).start()
    bot = RasaServer(
        tmp_path, tmp_path / "unused.db", actions.url, extra_env=postgres.environment()
    ).start()
    try:
        yield bot
    finally:
        bot.stop()
        actions.stop()


def test_the_commands_ask_the_running_server_on_postgresql(postgres, bot_on_postgres):
    bot = bot_on_postgres
    mine, old = f"mine-{uuid.uuid4().hex}", f"old-{uuid.uuid4().hex}"
    for sender in (mine, old):
        bot.send(sender, "Hvad er bækkenløsning?")
    assert not (bot.workdir / "unused.db").exists()  # PostgreSQL it is
    environment = {
        **postgres.environment(),
        "RASA_URL": bot.url,
        "OPERATOR_TOKEN_FILE": str(bot.workdir / "operator-token"),
    }

    rows = stored_rows(postgres.url(), mine)
    forgotten = make("forget", f"SENDER={mine}", **environment)
    assert (forgotten.returncode, forgotten.stderr) == (0, "")
    assert forgotten.stdout == f"Deleted {rows} events of that conversation.\n"
    assert stored_rows(postgres.url(), mine) == 0
    said = [e for e in bot.tracker(mine)["events"] if e["event"] == "user"]
    assert said == []  # not in the server's memory either

    engine = sa.create_engine(postgres.url())
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE events SET timestamp = timestamp - :age WHERE sender_id = :s"
            ),
            {"age": 40 * DAY, "s": old},
        )
    engine.dispose()
    purged = make("purge", **environment)
    assert (purged.returncode, purged.stderr) == (0, "")
    assert purged.stdout == "Deleted 1 conversations with nothing new for 30 days.\n"
    assert stored_rows(postgres.url(), old) == 0
    bot.send(old, "hej")  # the server forgot it too: it starts afresh
    said = [e["text"] for e in bot.tracker(old)["events"] if e["event"] == "user"]
    assert said == ["hej"]
