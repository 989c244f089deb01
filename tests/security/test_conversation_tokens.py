"""Her conversation is written only by her: every message needs its token.

Against the session's real Rasa server (tests/conftest.py): the REST channel
and socket.io, reading the stored events back from its SQLite database.
"""

from __future__ import annotations

import queue
import time

import pytest
import requests
import socketio

from tests.security.helpers import (
    bearer,
    close_quickly,
    history,
    new_widget_conversation,
    stored_events,
)

SECRET_ANSWER = "Jeg er i uge 30 og har ondt om natten"


def _rest(bot, sender: str, message: str, headers: dict[str, str]):
    return requests.post(
        f"{bot.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        headers=headers,
        timeout=60,
    )


def test_a_widget_conversation_takes_messages_only_with_its_token(bot):
    sender, token = new_widget_conversation(bot)
    _, my_token = new_widget_conversation(bot)
    bot.send(sender, SECRET_ANSWER, token=token)
    before = stored_events(bot.database, sender)

    for headers in (
        {},  # her id alone: the old way
        bearer(my_token),  # another conversation's token
        bearer("v1." + sender + ".forged-signature"),
        bearer(token[:-2] + "xx"),
        {"Authorization": token},  # not a bearer header
    ):
        refused = _rest(bot, sender, "Hvem skal jeg kontakte?", headers)
        assert refused.status_code == 403, (headers, refused.text)
        assert "token" in refused.json()["error"]
        assert "uge 30" not in refused.text
    # nothing was stored, and she reads back only what she said
    assert stored_events(bot.database, sender) == before
    said = [m["text"] for m in history(bot, token).json()["messages"]]
    assert said[0] == SECRET_ANSWER and "Hvem skal jeg kontakte?" not in said


def test_other_rest_clients_need_no_token(bot, sender):
    # rasa shell, the tests, the load tests: ids the widget never signed
    assert bot.texts(sender, "Hvad er bækkenløsning?")[0].startswith("Bækkenløsning")


def _client(bot) -> tuple[socketio.Client, queue.Queue, queue.Queue, queue.Queue]:
    client = socketio.Client(reconnection=False)
    confirmed: queue.Queue = queue.Queue()
    replies: queue.Queue = queue.Queue()
    refusals: queue.Queue = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", replies.put)
    client.on("refused", refusals.put)
    client.connect(
        bot.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=10
    )
    return client, confirmed, replies, refusals


def test_a_socketio_session_request_with_her_id_does_not_join_her_room(bot):
    her, her_confirmed, her_replies, _ = _client(bot)
    thief, thief_confirmed, thief_replies, _ = _client(bot)
    try:
        her.emit("session_request", {})
        token = her_confirmed.get(timeout=10)
        conversation = token.split(".")[1]
        for stolen in (conversation, "v1." + conversation + ".AAAA"):
            thief.emit("session_request", {"session_id": stolen})
            given = thief_confirmed.get(timeout=10)
            assert given.split(".")[1] != conversation  # a new one of its own
        her.emit("user_uttered", {"message": SECRET_ANSWER, "session_id": token})
        assert her_replies.get(timeout=30)["text"]
        # her replies went to her room only
        with pytest.raises(queue.Empty):
            thief_replies.get(timeout=3)
    finally:
        close_quickly(her)
        close_quickly(thief)


def test_a_socketio_message_for_her_conversation_without_her_session_is_refused(bot):
    sender, token = new_widget_conversation(bot)
    bot.send(sender, SECRET_ANSWER, token=token)
    before = stored_events(bot.database, sender)
    thief, confirmed, replies, refusals = _client(bot)
    try:
        # no session request on this connection: her token alone is not enough
        thief.emit("user_uttered", {"message": "tak", "session_id": token})
        assert "session_request" in refusals.get(timeout=10)["error"]
        # a session of its own, then her id or token as the message's session
        thief.emit("session_request", {"session_id": sender})
        confirmed.get(timeout=10)
        for named in (sender, token):
            thief.emit("user_uttered", {"message": "tak", "session_id": named})
            assert refusals.get(timeout=10)["error"]
        with pytest.raises(queue.Empty):
            replies.get(timeout=2)
    finally:
        close_quickly(thief)
    assert stored_events(bot.database, sender) == before


def test_a_socketio_session_is_the_widget_conversation_of_its_token(bot):
    sender, token = new_widget_conversation(bot)
    client, confirmed, replies, _ = _client(bot)
    try:
        client.emit("session_request", {"session_id": token})
        assert confirmed.get(timeout=10) == token
        client.emit("user_uttered", {"message": SECRET_ANSWER, "session_id": token})
        assert replies.get(timeout=30)["text"]
    finally:
        close_quickly(client)
    # the replies go out before the turn is stored: wait for it
    said: list[str] = []
    deadline = time.monotonic() + 10
    while not said and time.monotonic() < deadline:
        time.sleep(0.2)
        said = [m["text"] for m in history(bot, token).json()["messages"]]
    assert said[0] == SECRET_ANSWER


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [("http://evil.example", False), (None, True), ("own", True)],
)
def test_socketio_checks_the_origin_like_the_http_cors(bot, origin, allowed):
    headers = {}
    if origin:
        headers["Origin"] = bot.url if origin == "own" else origin
    handshake = requests.get(
        f"{bot.url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers=headers,
        timeout=30,
    )
    assert (handshake.status_code == 200) is allowed, handshake.text
    if origin == "http://evil.example":
        assert "Access-Control-Allow-Origin" not in handshake.headers
