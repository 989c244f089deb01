"""Widget conversations through a load balancer, each erased, and nothing left.

What a chat widget does behind the load balancer, for ``conversations``
conversations at once, every request to whichever server the balancer picks:

1. ``POST /webhooks/widget/session``: an id and its token;
2. a few messages to the REST channel with that id (Danish or English);
3. ``GET /webhooks/widget/history``: exactly what she said and was answered;
4. ``DELETE /webhooks/widget/conversation``: HTTP 200, ``"deleted": true``,
   and as many rows deleted as the database held;
5. afterwards the history answers no messages, through the balancer and from
   every server asked directly, and the database holds no row of any of them.

Each server named in ``server_urls`` is also asked for the history directly
before the erasure, so every server holds the conversation in memory
(``CachedSQLTrackerStore``) when another server erases it.

``erase_conversations_through`` needs only the balancer's URL and a way to
count the ``events`` rows of some conversations (``postgres_row_counter`` for a
database it can reach; e.g. ``psql`` in a container for a compose
deployment); it raises ``AssertionError`` naming the conversation and the step
that went wrong, and returns which server answered each step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests
import sqlalchemy as sa

CONVERSATIONS = 20
MESSAGES = {
    "da": ["hej", "Hvad er bækkenløsning?", "Er det farligt?"],
    "en": ["hello", "What is pelvic girdle pain?", "Is it dangerous?"],
}
STEPS = ("session", "message", "history", "erase", "history after")

RowCounter = Callable[[Sequence[str]], int]


@dataclass
class ErasedConversation:
    """One conversation's run: its id and which server answered each step."""

    sender: str
    rows_before: int = 0
    served_by: dict[str, list[str]] = field(
        default_factory=lambda: {step: [] for step in STEPS}
    )


@dataclass
class ErasureRun:
    """Every conversation of a run, and the rows left of them all."""

    conversations: list[ErasedConversation]
    rows_left: int

    def servers(self, step: str) -> set[str]:
        """The servers (``X-Served-By``) that answered ``step`` at least once."""
        return {s for c in self.conversations for s in c.served_by[step]}


def postgres_row_counter(database_url: str) -> RowCounter:
    """Counts the ``events`` rows of some conversations in that database."""

    def count(senders: Sequence[str]) -> int:
        engine = sa.create_engine(database_url)
        try:
            with engine.connect() as connection:
                query = sa.text(
                    "SELECT count(*) FROM events WHERE sender_id IN :senders"
                ).bindparams(sa.bindparam("senders", expanding=True))
                return int(
                    connection.execute(query, {"senders": list(senders)}).scalar_one()
                )
        finally:
            engine.dispose()

    return count


def _json(response: requests.Response, sender: str, step: str) -> Any:
    assert response.status_code == 200, (
        f"{sender}: {step} answered HTTP {response.status_code}: {response.text[:300]}"
    )
    return response.json()


def _history(url: str, sender: str, token: str, step: str) -> tuple[list, str]:
    response = requests.get(
        f"{url}/webhooks/widget/history",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    body = _json(response, sender, step)
    assert body["sender"] == sender, f"{sender}: {step} named {body['sender']}"
    return body["messages"], response.headers.get("X-Served-By", "")


def _one_conversation(
    base_url: str,
    index: int,
    count_rows: RowCounter,
    server_urls: Sequence[str],
) -> ErasedConversation:
    language = "da" if index % 2 == 0 else "en"
    session = requests.post(f"{base_url}/webhooks/widget/session", timeout=60)
    issued = _json(session, f"conversation {index}", "session")
    run = ErasedConversation(issued["sender"])
    sender, token = issued["sender"], issued["token"]
    run.served_by["session"].append(session.headers.get("X-Served-By", ""))

    expected = []
    for message in MESSAGES[language]:
        sent = requests.post(
            f"{base_url}/webhooks/rest/webhook",
            json={
                "sender": sender,
                "message": message,
                "metadata": {"language": language},
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        replies = [reply.get("text") for reply in _json(sent, sender, message)]
        assert replies, f"{sender}: no reply to {message!r}"
        run.served_by["message"].append(sent.headers.get("X-Served-By", ""))
        expected += [message, *replies]

    for url in [base_url, *server_urls]:  # every server now holds it in memory
        messages, server = _history(url, sender, token, "history")
        assert [m["text"] for m in messages] == expected, (
            f"{sender}: history from {url} ({server}) is not the conversation"
        )
        if url == base_url:
            run.served_by["history"].append(server)

    run.rows_before = count_rows([sender])
    assert run.rows_before > 0, f"{sender}: no row stored"
    erased = requests.delete(
        f"{base_url}/webhooks/widget/conversation",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    answer = _json(erased, sender, "erase")
    assert answer.get("deleted") is True, f"{sender}: erase answered {answer}"
    assert answer.get("deleted_events") == run.rows_before, (
        f"{sender}: {answer.get('deleted_events')} of {run.rows_before} rows deleted"
    )
    run.served_by["erase"].append(erased.headers.get("X-Served-By", ""))

    for url in [base_url, *server_urls]:
        messages, server = _history(url, sender, token, "history after erasure")
        assert messages == [], (
            f"{sender}: {url} ({server}) still shows {len(messages)} messages"
        )
        if url == base_url:
            run.served_by["history after"].append(server)
    return run


def erase_conversations_through(
    base_url: str,
    count_rows: RowCounter,
    server_urls: Sequence[str] = (),
    conversations: int = CONVERSATIONS,
) -> ErasureRun:
    """Run, erase and check ``conversations`` widget conversations at once."""
    base_url = base_url.rstrip("/")
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        runs = list(
            pool.map(
                lambda index: _one_conversation(
                    base_url, index, count_rows, server_urls
                ),
                range(conversations),
            )
        )
    senders = [run.sender for run in runs]
    assert len(set(senders)) == conversations, "a conversation id was issued twice"
    rows_left = count_rows(senders)
    assert rows_left == 0, f"{rows_left} rows of the erased conversations are left"
    return ErasureRun(runs, rows_left)
