"""The operator commands as an operator runs them, and conversations to run them on.

``make forget SENDER=...``, ``make purge`` and ``make feedback-report`` run in
the repository with the shipped endpoints.yml: which database they use comes
only from the environment (``DB_NAME`` for SQLite, the ``DB_*`` variables for
PostgreSQL), which running server they ask from ``RASA_URL``. Conversations are
written by Rasa's own ``SQLTrackerStore`` (its table, its rows).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from harness.servers import ROOT, free_port

DAY = 86_400.0
QUESTION = "Kommer bækkenløsning igen ved næste graviditet?"
# settings of the caller's shell that would point the commands elsewhere
_FOREIGN = (
    "DB_",
    "REDIS_",
    "RASA_URL",
    "RETENTION_DAYS",
    "WIDGET_SECRET",
    "OPERATOR_TOKEN",
)


# Every target runs `make install` first when requirements.txt is newer than
# this stamp (a fresh checkout or worktree, a pull that changed it): pip then
# writes to stderr ("WARNING: Location ... is ignored") and the first command
# of the run failed its empty-stderr check. The tests run in that very .venv,
# so the commands are run on it as it is (make -o: never remade).
INSTALLED_STAMP = ".venv/bin/.installed"


def make_command(target: str, *arguments: str) -> list[str]:
    """``make -s <target> <arguments>``, without reinstalling the packages."""
    return [
        "make",
        "-s",
        "--no-print-directory",
        "-o",
        INSTALLED_STAMP,
        target,
        *arguments,
    ]


def make(target: str, *arguments: str, **environ: str) -> subprocess.CompletedProcess:
    """``make -s <target> <arguments>`` in the repository, with ``environ`` set.

    No server is asked unless ``RASA_URL`` names one (the default, 5005, may
    be someone else's bot on this machine).
    """
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN)}
    return subprocess.run(
        make_command(target, *arguments),
        cwd=ROOT,
        env={"RASA_URL": f"http://127.0.0.1:{free_port()}", **clean, **environ},
        capture_output=True,
        text=True,
        timeout=180,
    )


def rated_conversation(sender: str, at: float) -> DialogueStateTracker:
    """A FAQ answer she gave a 👎, and a question the bot asked back."""
    events: list[Event] = [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered(QUESTION, intent={"name": "faq"}, timestamp=at + 1),
        BotUttered(
            "Det kan komme igen ...",
            metadata={"utter_action": "utter_faq/recurrence"},
            timestamp=at + 2,
        ),
        UserUttered(
            "/feedback_unhelpful",
            intent={"name": "feedback_unhelpful"},
            metadata={"feedback_for": {"response": "utter_faq/recurrence"}},
            timestamp=at + 3,
        ),
        UserUttered(
            "jeg har et spørgsmål om bækkenet",
            intent={"name": "nlu_fallback"},
            timestamp=at + 4,
        ),
        ActionExecuted("action_suggest_topics", timestamp=at + 5),
    ]
    return DialogueStateTracker.from_events(sender, events)


def store(settings: dict[str, Any], *trackers: DialogueStateTracker) -> None:
    """Save conversations with Rasa's SQL store (``settings``: its arguments)."""
    rasa_store = SQLTrackerStore(Domain.empty(), **settings)
    for tracker in trackers:
        asyncio.run(rasa_store.save(tracker))
    rasa_store.engine.dispose()


def stored_rows(url: Any, sender: str) -> int:
    """How many rows of a conversation the database holds."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    sa.text("SELECT count(*) FROM events WHERE sender_id = :s"),
                    {"s": sender},
                ).scalar_one()
            )
    finally:
        engine.dispose()


def days_ago(days: float) -> float:
    """A timestamp ``days`` days back."""
    return time.time() - days * DAY
