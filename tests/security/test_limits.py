"""Limits: each refused request gets its status and a sentence, and nothing is stored.

Against the real Rasa server (the session's, started as `make run` starts
it): a body over 64 KB (413, Sanic's own limit, set by the launcher), a
message over 5,000 characters, metadata over 2 KB or with a key no client
sends (400); and against a server with one place and one waiting message
(``MAX_CONCURRENT_MESSAGES=1``, ``MAX_QUEUED_MESSAGES=1``), a burst of
messages that finds the queue full (503 with ``Retry-After``). A message of
200,000 characters is refused at once on every channel: on REST (413), and
over a socket.io websocket, where engine.io closes the connection on a frame
over 64 KB without reading it; a 20,000-character message (a frame under 64
KB) gets the "too long" reply without being read. On socket.io, a message
whose ``customData`` (stored as its metadata) is over 2 KB or has a key no
client sends gets a ``refused`` event; Rasa Webchat's ``{"language": ...}``
is answered. Each refused conversation is read back from the database: no
event of it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import websockets.client
import websockets.exceptions

from assistant.channels.rest import BUSY_ERROR
from assistant.server.user_input import TOO_LONG_TEXT
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


def said_by_her(bot: RasaServer, sender: str) -> list[Any]:
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


@pytest.mark.parametrize("channel", ["rest", "callback"])
@pytest.mark.parametrize(
    "bad", ["\x00", "\n", "\ud800"], ids=["NUL", "LF", "surrogate"]
)
def test_a_conversation_id_no_store_can_hold_is_refused(
    bot: RasaServer, sender, channel, bad
):
    """A NUL in the id stopped a Rasa server on PostgreSQL (tests/attack found it)."""
    body = json.dumps({"sender": sender + bad, "message": "hej"}).encode()
    response = requests.post(
        f"{bot.url}/webhooks/{channel}/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 400, response.text[:300]
    assert "control characters" in response.json()["error"]
    if bad != "\ud800":  # SQLite cannot be asked about a lone surrogate either
        assert stored(bot, sender + bad) == []
    assert requests.get(f"{bot.url}/webhooks/rest/", timeout=10).ok


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


LONG_DENIAL = ("ikke blødning. " * 13_334)[:200_000]
SOCKET_CLOSED = "closed"


async def _socket_message(url: str, text: str, **fields: Any) -> tuple[float, str, str]:
    """Send ``text`` (and ``fields``) over a socket.io websocket in a new session.

    (seconds to the answer, the answer, the conversation's id): the answer is
    the reply's text, the ``refused`` event's error, or ``SOCKET_CLOSED`` if
    the server closed the connection. The server confirms the session with
    its token, which every message must carry.
    """
    address = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.client.connect(address, max_size=None) as socket:
        await socket.recv()  # engine.io "open"
        await socket.send("40")  # socket.io "connect"
        await socket.recv()
        await socket.send("42" + json.dumps(["session_request", {}]))
        while True:
            frame = str(await asyncio.wait_for(socket.recv(), timeout=30))
            if frame.startswith('42["session_confirm"'):
                token = json.loads(frame[2:])[1]
                break
        conversation = token.split(".")[1]
        uttered = ["user_uttered", {"message": text, "session_id": token, **fields}]
        started = time.perf_counter()
        await socket.send("42" + json.dumps(uttered, ensure_ascii=False))
        while True:
            try:
                received = await asyncio.wait_for(socket.recv(), timeout=60)
            except websockets.exceptions.ConnectionClosed:
                return time.perf_counter() - started, SOCKET_CLOSED, conversation
            frame = received if isinstance(received, str) else received.decode()
            if frame == "2":  # engine.io ping
                await socket.send("3")
            elif frame.startswith('42["refused"'):
                error = json.loads(frame[2:])[1]["error"]
                return time.perf_counter() - started, error, conversation
            elif frame.startswith("42") and "bot_uttered" in frame:
                reply = json.loads(frame[2:])[1]["text"]
                return time.perf_counter() - started, reply, conversation


def test_200000_characters_are_refused_at_once_on_every_channel(bot: RasaServer):
    started = time.perf_counter()
    response = post(bot, message("long-rest", LONG_DENIAL))
    assert response.status_code == 413
    assert time.perf_counter() - started < 0.5
    others: list[float] = []

    def meanwhile() -> None:  # another conversation, while the long one is sent
        time.sleep(0.05)
        begun = time.perf_counter()
        bot.texts("meanwhile-" + secrets.token_hex(8), "Hvad er bækkenløsning?")
        others.append(time.perf_counter() - begun)

    other = threading.Thread(target=meanwhile)
    other.start()
    seconds, answer, session = asyncio.run(_socket_message(bot.url, LONG_DENIAL))
    other.join()
    # a frame over 64 KB: engine.io closes the connection without reading it
    assert answer == SOCKET_CLOSED
    # reading it took 1.5 s of the event loop, and the other reply waited as long
    assert seconds < 0.5 and others[0] < 1.0, (seconds, others)
    assert stored(bot, session) == [] and stored(bot, "long-rest") == []


def test_a_long_message_over_socketio_gets_the_too_long_reply(bot: RasaServer):
    seconds, reply, session = asyncio.run(
        _socket_message(bot.url, LONG_DENIAL[:20_000])  # a 21 KB frame
    )
    assert reply == TOO_LONG_TEXT
    assert seconds < 0.5, seconds
    assert stored(bot, session) == []


@pytest.mark.parametrize(
    ("text", "fields", "answer"),
    [
        ("ondt " * 13_200, {}, SOCKET_CLOSED),  # a 66 KB frame
        (
            "hej",
            {"customData": {"language": "d" * 2_100}},
            "at most 2048 bytes",
        ),
        (
            "hej",
            {"customData": {"language": "da", "role": "admin"}},
            '"metadata" may hold only "feedback_for", "language", not "role"',
        ),
        ("hej", {"customData": '{"language": "da", "role": "admin"}'}, '"role"'),
        ("hej", {"customData": "{not json"}, "must be a JSON object"),
        ("hej", {"customData": ["language", "da"]}, "must be a JSON object"),
    ],
    ids=[
        "frame 66 KB",
        "customData 2.1 KB",
        "unknown customData key",
        "unknown key in customData as JSON text",
        "customData not JSON",
        "customData a list",
    ],
)
def test_each_socketio_limit_is_refused_and_nothing_is_stored(
    bot: RasaServer, text, fields, answer
):
    _, said, session = asyncio.run(_socket_message(bot.url, text, **fields))
    assert answer in said, said
    assert stored(bot, session) == []


@pytest.mark.parametrize(
    "custom_data",
    [{"language": "en"}, {}, '{"language": "en"}', None],
    ids=["Rasa Webchat's", "empty", "as JSON text", "none"],
)
def test_socketio_with_the_custom_data_clients_send_is_answered(
    bot: RasaServer, custom_data
):
    fields = {} if custom_data is None else {"customData": custom_data}
    _, reply, session = asyncio.run(
        _socket_message(bot.url, "What is pelvic girdle pain?", **fields)
    )
    assert reply not in (SOCKET_CLOSED, TOO_LONG_TEXT) and "metadata" not in reply
    said: list[Any] = []
    deadline = time.monotonic() + 10
    while not said and time.monotonic() < deadline:  # stored after the reply
        time.sleep(0.2)
        said = said_by_her(bot, session)
    assert said == ["What is pelvic girdle pain?"]
    if custom_data not in (None, {}):
        [uttered] = [e for e in stored(bot, session) if e.get("event") == "user"]
        assert uttered["metadata"]["language"] == "en"
