"""Telegram with its own Update JSON, against the running server.

Switched on by its variables in the shipped credentials.yml; updates as
Telegram's Bot API documentation shows them (``message``, ``callback_query``)
with the ``X-Telegram-Bot-Api-Secret-Token`` header; the bot's replies read
back from the fake Bot API (harness/fake_platforms.py), the stored rows from
the SQLite file.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from typing import Any

import pytest
import requests

from harness.servers import BIN, ROOT
from tests.messaging.messaging_platforms_fixtures import (
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK,
    fake_platforms,
    new_id,
    platform_bot,
)
from tests.security.helpers import stored_events

__all__ = ["fake_platforms", "platform_bot"]  # fixtures used by name

HEADER = "X-Telegram-Bot-Api-Secret-Token"
WHAT_IS_PGP = "Bækkenløsning, eller bækkensmerter, er smerter"
RECURRENCE = (
    "Ifølge artiklen er der en vis evidens for, at bækkensmerter kan vende tilbage"
)


def _message(chat_id: int, text: str) -> dict[str, Any]:
    """An Update with a private message, as in Telegram's documentation."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "da"}
    return {
        "update_id": new_id(),
        "message": {
            "message_id": 1365,
            "from": user,
            "chat": {"id": chat_id, "first_name": "Test", "type": "private"},
            "date": int(time.time()),
            "text": text,
        },
    }


def _button_press(chat_id: int, data: str) -> dict[str, Any]:
    """An Update with a callback_query from an inline keyboard button."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Test"}
    return {
        "update_id": new_id(),
        "callback_query": {
            "id": str(new_id()),
            "from": user,
            "message": {
                "message_id": 1366,
                "from": {"id": 123456789, "is_bot": True, "first_name": "Bot"},
                "chat": {"id": chat_id, "first_name": "Test", "type": "private"},
                "date": 1441645533,
                "text": "Vælg et emne",
            },
            "chat_instance": "-1234567890",
            "data": data,
        },
    }


def _post(bot, body: Any, secret: str | None = TELEGRAM_SECRET) -> requests.Response:
    headers = {HEADER: secret} if secret is not None else {}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(
        f"{bot.url}/webhooks/telegram/webhook",
        data=data,
        headers={"Content-Type": "application/json", **headers},
        timeout=60,
    )


def _texts(fake, chat_id: int) -> list[str]:
    return [
        c.fields["text"] for c in fake.received("telegram", "sendMessage", str(chat_id))
    ]


def test_the_webhook_is_set_at_start_with_the_secret_token(
    platform_bot, fake_platforms
):
    [call] = [
        c
        for c in fake_platforms.received("telegram", "setWebhook")
        if c.fields["url"] == TELEGRAM_WEBHOOK
    ]
    assert call.token == TELEGRAM_TOKEN
    assert call.fields["secret_token"] == TELEGRAM_SECRET
    assert json.loads(call.fields["allowed_updates"]) == ["message", "callback_query"]


def test_a_danish_question_is_answered_in_danish_as_telegram_chat(
    platform_bot, fake_platforms
):
    chat = new_id()
    answer = _post(platform_bot, _message(chat, "Hvad er bækkenløsning?"))
    assert answer.status_code == 200
    texts = _texts(fake_platforms, chat)
    assert any(text.startswith(WHAT_IS_PGP) for text in texts), texts
    said = [
        e["text"]
        for e in platform_bot.tracker(f"telegram:{chat}")["events"]
        if e["event"] == "user"
    ]
    assert said == ["/greet", "Hvad er bækkenløsning?"]  # greeted first
    assert fake_platforms.received("telegram", "getMe") == []  # never per update


def test_the_help_menu_is_an_inline_keyboard_and_a_pressed_button_is_answered(
    platform_bot, fake_platforms
):
    chat = new_id()
    assert (
        _post(platform_bot, _message(chat, "hvad kan du hjælpe med")).status_code == 200
    )
    [menu] = [
        c
        for c in fake_platforms.received("telegram", "sendMessage", str(chat))
        if "reply_markup" in c.fields
    ]
    rows = menu.fields["reply_markup"]["inline_keyboard"]
    buttons = [button for row in rows for button in row]
    assert "Kommer det igen ved næste graviditet?" in [b["text"] for b in buttons]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)

    before = len(_texts(fake_platforms, chat))
    press = _button_press(chat, "/faq/recurrence")
    assert _post(platform_bot, press).status_code == 200
    answered = fake_platforms.received("telegram", "answerCallbackQuery")
    assert press["callback_query"]["id"] in [
        c.fields["callback_query_id"] for c in answered
    ]
    answer = _texts(fake_platforms, chat)[before:]
    assert answer and answer[0].startswith(RECURRENCE), answer


def test_start_greets_her(platform_bot, fake_platforms):
    chat = new_id()
    assert _post(platform_bot, _message(chat, "/start")).status_code == 200
    assert _texts(fake_platforms, chat), "no greeting"
    intents = [
        e["parse_data"]["intent"]["name"]
        for e in platform_bot.tracker(f"telegram:{chat}")["events"]
        if e["event"] == "user"
    ]
    assert intents == ["greet"]


def test_an_urgent_message_gets_112_first(platform_bot, fake_platforms):
    chat = new_id()
    assert (
        _post(platform_bot, _message(chat, "jeg har ondt i brystet")).status_code == 200
    )
    texts = _texts(fake_platforms, chat)
    assert texts and texts[0].startswith("⚠️ VIGTIGT\nRing 112 nu."), texts


@pytest.mark.parametrize(
    "secret", [None, "", "wrong", TELEGRAM_SECRET[:-1], TELEGRAM_SECRET + "x"]
)
def test_an_update_without_the_secret_token_is_refused_and_not_stored(
    platform_bot, fake_platforms, secret
):
    chat = new_id()
    answer = _post(platform_bot, _message(chat, "Hvad er bækkenløsning?"), secret)
    assert answer.status_code == 403
    assert stored_events(platform_bot.database, f"telegram:{chat}") == []
    assert stored_events(platform_bot.database, str(chat)) == []
    assert _texts(fake_platforms, chat) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"message": {"text": "no update_id"}}',
        {"update_id": 1, "message": {"text": "no chat"}},
        {"update_id": 1, "message": {"chat": {"id": "12"}, "text": "id as text"}},
        {"update_id": 1, "callback_query": {"id": "1", "data": "/faq/recurrence"}},
        {"update_id": 1, "callback_query": ["not", "an", "object"]},
    ],
)
def test_a_malformed_update_gets_400(platform_bot, body):
    answer = _post(platform_bot, body)
    assert answer.status_code == 400, answer.text


def test_an_update_it_does_not_answer_is_acknowledged_and_not_stored(
    platform_bot, fake_platforms
):
    chat = new_id()
    edited = _message(chat, "Hvad er bækkenløsning?")
    edited["edited_message"] = edited.pop("message")
    assert _post(platform_bot, edited).status_code == 200
    sticker = _message(chat, "")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "x", "width": 1, "height": 1}
    assert _post(platform_bot, sticker).status_code == 200
    assert stored_events(platform_bot.database, f"telegram:{chat}") == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_set_webhook_is_not_a_public_route(platform_bot, fake_platforms, method):
    before = len(fake_platforms.received("telegram", "setWebhook"))
    answer = requests.request(
        method, f"{platform_bot.url}/webhooks/telegram/set_webhook", timeout=30
    )
    assert answer.status_code == 404
    assert len(fake_platforms.received("telegram", "setWebhook")) == before


def test_the_documented_command_sets_the_webhook_with_the_secret_token(fake_platforms):
    hook = "https://bot.example.org/other/webhooks/telegram/webhook"
    environment = {
        **os.environ,
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": "another-secret",
        "TELEGRAM_WEBHOOK_URL": hook,
        "TELEGRAM_API_URL": fake_platforms.telegram_api_url,
    }
    command = [str(BIN / "python"), "-m", "assistant.channels.messaging.telegram"]
    done = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    [call] = [
        c
        for c in fake_platforms.received("telegram", "setWebhook")
        if c.fields["url"] == hook
    ]
    assert call.fields["secret_token"] == "another-secret"
    del environment["TELEGRAM_SECRET_TOKEN"]
    refused = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True)
    assert refused.returncode == 2
    assert b"TELEGRAM_SECRET_TOKEN" in refused.stderr
