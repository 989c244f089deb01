"""Limits: each refused request gets its status and a sentence, and nothing is stored.

Against the real Rasa server (the session's, started as `make run` starts
it): a body over 64 KB (413, Sanic's own limit, set by the launcher), a
message over 5,000 characters, metadata over 2 KB or with a key no client
sends (400); and against a server with one place and one waiting message
(``MAX_CONCURRENT_MESSAGES=1``, ``MAX_QUEUED_MESSAGES=1``), a burst of
messages that finds the queue full (503 with ``Retry-After``). Each refused
conversation is read back from the tracker store: no event of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from assistant.channels.rest import BUSY_ERROR
from harness.servers import ActionServer, RasaServer
from tests.security.helpers import stored_events


def post(bot: RasaServer, body: bytes) -> requests.Response:
    return requests.post(
        f"{bot.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )


def message(sender: str, text: str, **fields) -> bytes:
    payload = {"sender": sender, "message": text, **fields}
    return json.dumps(payload, ensure_ascii=False).encode()


def stored(bot: RasaServer, sender: str) -> list[dict]:
    """The conversation's events as the database holds them.

    Read from SQLite, not through the API, which would start a session.
    """
    return [json.loads(data) for _, data in stored_events(bot.database, sender)]


def said_by_her(bot: RasaServer, sender: str) -> list[str]:
    return [e.get("text") for e in stored(bot, sender) if e.get("event") == "user"]


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"message": "ondt " * 13_200}, 413, "exceeds the size limit"),  # 66 KB
        ({"message": "ø" * 20_000}, 400, "at most 5000 characters"),  # 40 KB
        ({"message": "x" * 5_001}, 400, "at most 5000 characters"),
        (
            {"message": "hej", "metadata": {"language": "d" * 2_100}},
            400,
            "at most 2048 bytes",
        ),
        (
            {"message": "hej", "metadata": {"language": "da", "role": "admin"}},
            400,
            '"metadata" may hold only "feedback_for", "language", not "role"',
        ),
    ],
    ids=[
        "body 66 KB",
        "5,000 characters in 40 KB",
        "5,001 characters",
        "metadata 2.1 KB",
        "unknown metadata key",
    ],
)
def test_each_limit_is_refused_clearly_and_nothing_is_stored(
    bot: RasaServer, sender, fields, status, says
):
    text = fields.pop("message")
    response = post(bot, message(sender, text, **fields))
    assert response.status_code == status, response.text[:300]
    answer = response.json()
    assert says in (answer.get("error") or answer.get("message")), answer
    assert stored(bot, sender) == []


def test_at_the_limits_the_message_is_answered(bot: RasaServer, sender):
    text = ("bækken " * 715)[:5_000]
    metadata = {"language": "da", "feedback_for": {"response": "r" * 1_900}}
    response = post(bot, message(sender, text, metadata=metadata))
    assert response.status_code == 200 and response.json()
    assert said_by_her(bot, sender) == [text]


@pytest.fixture(scope="module")
def one_place(tmp_path_factory, action_server: ActionServer) -> Iterator[RasaServer]:
    work = tmp_path_factory.mktemp("one-place")
    server = RasaServer(
        work,
        work / "one-place.db",
        action_server.url,
        action_secret=action_server.secret,
        extra_env={"MAX_CONCURRENT_MESSAGES": "1", "MAX_QUEUED_MESSAGES": "1"},
    ).start()
    yield server
    server.stop()


def test_a_full_admission_queue_answers_503_with_retry_after(one_place: RasaServer):
    senders = [f"burst-{index}" for index in range(30)]
    with ThreadPoolExecutor(len(senders)) as pool:
        answers = list(
            pool.map(
                lambda s: post(one_place, message(s, "Hvem skal jeg kontakte?")),
                senders,
            )
        )
    statuses = [answer.status_code for answer in answers]
    assert set(statuses) == {200, 503}, statuses
    for sender, answer in zip(senders, answers, strict=True):
        if answer.status_code == 503:
            assert answer.json() == {"error": BUSY_ERROR}
            assert answer.headers["Retry-After"] == "2"
            assert stored(one_place, sender) == []
        else:
            assert said_by_her(one_place, sender) == ["Hvem skal jeg kontakte?"]
    # and, the burst over, the server answers again
    assert one_place.texts("after-the-burst", "hej")
