"""Many conversations at once without cross-talk, and logs without her words."""

from __future__ import annotations

import json
import queue
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import requests
import socketio

from tests.security.helpers import (
    bearer,
    close_quickly,
    history,
    new_widget_conversation,
)

CONVERSATIONS = 100
QUESTIONS = [
    "Hvad er bækkenløsning?",
    "Is it dangerous for the baby?",
    "Hvilke øvelser kan jeg lave?",
    "Will it come back in my next pregnancy?",
    "tak",
]


def _turns(index: int) -> list[str]:
    """Three turns, each naming its conversation, so any mix-up shows."""
    return [
        f"{QUESTIONS[(index + turn) % len(QUESTIONS)]} (samtale {index}-{turn})"
        for turn in range(3)
    ]


def test_100_conversations_at_once_keep_exactly_their_own_messages(bot):
    prefix = f"load-{time.time_ns()}"
    replies: dict[str, list[list[str]]] = {}

    def converse(index: int) -> None:
        sender = f"{prefix}-{index}"
        with requests.Session() as session:
            for text in _turns(index):
                response = session.post(
                    f"{bot.url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": text},
                    timeout=120,
                )
                assert response.status_code == 200
                texts = [r.get("text", "") for r in response.json()]
                assert texts and all(texts), (sender, text)
                replies.setdefault(sender, []).append(texts)

    started = time.monotonic()
    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        for future in [pool.submit(converse, i) for i in range(CONVERSATIONS)]:
            future.result()
    elapsed = time.monotonic() - started

    with sqlite3.connect(bot.database) as connection:
        rows = connection.execute(
            "SELECT sender_id, type_name, data FROM events "
            "WHERE sender_id LIKE ? ORDER BY id",
            (f"{prefix}-%",),
        ).fetchall()
    stored: dict[str, list[tuple[str, str]]] = {}
    for sender, kind, data in rows:
        if kind in ("user", "bot"):
            stored.setdefault(sender, []).append((kind, json.loads(data)["text"]))
    assert len(stored) == CONVERSATIONS
    for index in range(CONVERSATIONS):
        sender = f"{prefix}-{index}"
        expected: list[tuple[str, str]] = []
        for text, answer in zip(_turns(index), replies[sender], strict=True):
            expected.append(("user", text))
            expected += [("bot", reply) for reply in answer]
        assert stored[sender] == expected, sender
    print(f"{CONVERSATIONS} conversations x 3 turns in {elapsed:.1f} s")


def test_no_message_text_in_the_logs_at_the_default_level(bot, action_server):
    words = "Ingrid-Zyxwv-ondt-i-venstre-hofte"
    # REST, with the referral check (the action server sees her answers)
    for message in (
        f"Hvem skal jeg kontakte? {words}",
        f"gravid {words}",
        f"nej {words}",
        f"uge 55 {words}",
    ):
        bot.send("log-rest", message)
    # the widget, and its history
    sender, token = new_widget_conversation(bot)
    bot.send(sender, f"Hvad er bækkenløsning? {words}", token=token)
    assert words in history(bot, token).text
    requests.delete(
        f"{bot.url}/webhooks/widget/conversation", headers=bearer(token), timeout=30
    )
    # socket.io
    client = socketio.Client(reconnection=False)
    replies: queue.Queue = queue.Queue()
    confirmed: queue.Queue = queue.Queue()
    client.on("bot_uttered", replies.put)
    client.on("session_confirm", confirmed.put)
    client.connect(bot.url, socketio_path="/socket.io", transports=["polling"])
    try:
        client.emit("session_request", {})
        session = confirmed.get(timeout=10)
        client.emit(
            "user_uttered",
            {"message": f"Is it dangerous? {words}", "session_id": session},
        )
        replies.get(timeout=30)
    finally:
        close_quickly(client)
    # a malformed request quoting the words
    requests.post(
        f"{bot.url}/webhooks/rest/webhook", data=f'{{"message": "{words}"}}', timeout=30
    )

    rasa_log = bot.log.read_text(encoding="utf-8", errors="replace")
    actions_log = (
        action_server.workdir / f"actions-{action_server.port}.log"
    ).read_text(encoding="utf-8", errors="replace")
    assert "Rasa server is up and running" in rasa_log  # the right log, and it logs
    assert words not in rasa_log
    assert words not in actions_log
