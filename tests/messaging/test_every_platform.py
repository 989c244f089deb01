"""The same privacy and the same single answer on Telegram, Messenger and Slack.

What WhatsApp's tests (test_whatsapp.py) show for Twilio, shown here for the
other three platforms with each one's own payloads, against the running
server: a new conversation starts with the greeting and the line saying how
to erase it on this platform; "slet" asks first and the pressed "erase"
button leaves no row; a message the platform delivers twice is answered and
stored once; a message older than the platform ever retries is not answered.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from assistant.channels.messaging import privacy, replays
from tests.messaging import test_messenger as messenger
from tests.messaging import test_slack as slack
from tests.messaging import test_telegram as telegram
from tests.messaging.messaging_platforms_fixtures import (
    fake_platforms,
    new_id,
    platform_bot,
)
from tests.security.helpers import stored_events

__all__ = ["fake_platforms", "platform_bot"]  # fixtures used by name

GREETING_DA = "Hej! Jeg er en chatbot med generel information om bækkensmerter"
WHAT_IS_PGP = "Bækkenløsning, eller bækkensmerter, er smerter"
QUIET_SECONDS = 1.0


class Platform:
    """One person on one platform: what she sends, and what she is sent."""

    name: str

    def __init__(self, bot: Any, fake: Any) -> None:
        self.bot, self.fake = bot, fake

    @property
    def conversation(self) -> str:
        raise NotImplementedError

    def message(self, text: str, age_seconds: float = 0) -> bytes:
        """Her text as the platform posts it, sent ``age_seconds`` ago."""
        raise NotImplementedError

    def press(self, payload: str) -> bytes:
        """A press on the button with this payload."""
        raise NotImplementedError

    def post(self, body: bytes) -> int:
        raise NotImplementedError

    def sent(self) -> list[dict[str, Any]]:
        """Every message sent to her: text and button payloads."""
        raise NotImplementedError

    def deliver(self, body: bytes) -> list[dict[str, Any]]:
        """Post ``body``; the messages she is sent for it."""
        before = len(self.sent())
        assert self.post(body) == 200
        return self.sent()[before:]


class Telegram(Platform):
    name = "Telegram"

    def __init__(self, bot: Any, fake: Any) -> None:
        super().__init__(bot, fake)
        self.chat = new_id()

    @property
    def conversation(self) -> str:
        return f"telegram:{self.chat}"

    def message(self, text: str, age_seconds: float = 0) -> bytes:
        update = telegram._message(self.chat, text)
        update["message"]["date"] = int(time.time() - age_seconds)
        return json.dumps(update).encode()

    def press(self, payload: str) -> bytes:
        return json.dumps(telegram._button_press(self.chat, payload)).encode()

    def post(self, body: bytes) -> int:
        return telegram._post(self.bot, body).status_code

    def sent(self) -> list[dict[str, Any]]:
        calls = self.fake.received("telegram", "sendMessage", str(self.chat))
        return [
            {
                "text": call.fields["text"],
                "payloads": [
                    button["callback_data"]
                    for row in (call.fields.get("reply_markup") or {}).get(
                        "inline_keyboard", []
                    )
                    for button in row
                ],
            }
            for call in calls
        ]


class Messenger(Platform):
    name = "Messenger"

    def __init__(self, bot: Any, fake: Any) -> None:
        super().__init__(bot, fake)
        self.psid = str(new_id())

    @property
    def conversation(self) -> str:
        return f"messenger:{self.psid}"

    def message(self, text: str, age_seconds: float = 0) -> bytes:
        body = messenger._text(self.psid, text)
        event = body["entry"][0]["messaging"][0]
        event["timestamp"] = int((time.time() - age_seconds) * 1000)
        return json.dumps(body).encode()

    def press(self, payload: str) -> bytes:
        return json.dumps(messenger._quick_reply(self.psid, "x", payload)).encode()

    def post(self, body: bytes) -> int:
        return messenger._post(self.bot, body).status_code

    def sent(self) -> list[dict[str, Any]]:
        return [
            {
                "text": message.get("text", ""),
                "payloads": [r["payload"] for r in message.get("quick_replies", [])],
            }
            for message in messenger._sent(self.fake, self.psid)
        ]


class Slack(Platform):
    name = "Slack"

    def __init__(self, bot: Any, fake: Any) -> None:
        super().__init__(bot, fake)
        self.user, self.channel = slack._ids()

    @property
    def conversation(self) -> str:
        return f"slack:{self.user}"

    def message(self, text: str, age_seconds: float = 0) -> bytes:
        return json.dumps(slack._direct_message(self.user, self.channel, text)).encode()

    def press(self, payload: str) -> bytes:
        return slack._button_press(self.user, self.channel, "x", payload)

    def post(self, body: bytes) -> int:
        is_form = body.startswith(b"payload=")
        content_type = (
            "application/x-www-form-urlencoded" if is_form else "application/json"
        )
        return slack._post(self.bot, body, content_type=content_type).status_code

    def sent(self) -> list[dict[str, Any]]:
        calls = self.fake.received("slack", "chat.postMessage", self.channel)
        return [
            {
                "text": call.fields["text"],
                "payloads": [
                    element["value"]
                    for block in call.fields.get("blocks") or []
                    if block.get("type") == "actions"
                    for element in block["elements"]
                ],
            }
            for call in calls
        ]

    def deliver(self, body: bytes) -> list[dict[str, Any]]:
        """Slack is answered in the background: wait until the bot is quiet."""
        before = len(self.sent())
        assert self.post(body) == 200
        deadline = time.monotonic() + 60
        count, quiet_since = before, time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = len(self.sent())
            if now != count:
                count, quiet_since = now, time.monotonic()
            elif count > before and time.monotonic() - quiet_since > QUIET_SECONDS:
                break
        return self.sent()[before:]


PLATFORMS: dict[str, Callable[[Any, Any], Platform]] = {
    "telegram": Telegram,
    "messenger": Messenger,
    "slack": Slack,
}


@pytest.fixture(params=list(PLATFORMS))
def her(request, platform_bot, fake_platforms) -> Platform:
    return PLATFORMS[request.param](platform_bot, fake_platforms)


# Slack signs a time with every request, checked by Rasa (test_slack.py)
@pytest.fixture(params=["telegram", "messenger"])
def her_with_a_dated_message(request, platform_bot, fake_platforms) -> Platform:
    return PLATFORMS[request.param](platform_bot, fake_platforms)


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [message["text"] for message in messages]


def _user_texts(bot: Any, conversation: str) -> list[str]:
    events = bot.tracker(conversation)["events"]
    return [event["text"] for event in events if event["event"] == "user"]


def test_a_new_conversation_starts_with_the_greeting_and_the_privacy_line(her):
    first = _texts(her.deliver(her.message("Hvad er bækkenløsning?")))
    greeting, line, *answer = first
    assert greeting.startswith(GREETING_DA), first
    assert line.startswith(
        f"Her på {her.name} sletter du samtalen ved at skrive «slet»."
    )
    assert "gemmer også beskederne" in line
    assert answer and answer[0].startswith(WHAT_IS_PGP), first

    second = _texts(her.deliver(her.message("Hvad er bækkenløsning?")))
    assert second and second[0].startswith(WHAT_IS_PGP), second
    assert not any(GREETING_DA in text or "«slet»" in text for text in second)


def test_kilde_after_an_answer_quotes_the_article_sentences_it_rests_on(her):
    her.deliver(her.message("Hvad er bækkenløsning?"))
    reply = _texts(her.deliver(her.message("kilde")))
    assert reply and reply[0].startswith(
        "Mit sidste svar bygger på disse sætninger fra artiklen:\n(25) “Mange gravide"
    ), reply


def test_slet_asks_first_and_the_pressed_erase_button_leaves_no_row(her):
    her.deliver(her.message("Hvad er bækkenløsning?"))
    assert stored_events(her.bot.database, her.conversation) != []

    [question] = her.deliver(her.message("slet"))
    assert question["text"].startswith("Vil du slette hele samtalen?")
    assert question["payloads"] == [privacy.ERASE_PAYLOAD, privacy.KEEP_PAYLOAD]

    [done] = _texts(her.deliver(her.press(privacy.ERASE_PAYLOAD)))
    assert done.startswith("Samtalen er slettet")
    assert stored_events(her.bot.database, her.conversation) == []


def test_the_keep_button_keeps_the_conversation(her):
    her.deliver(her.message("Hvad er bækkenløsning?"))
    her.deliver(her.message("glem mig"))
    [kept] = _texts(her.deliver(her.press(privacy.KEEP_PAYLOAD)))
    assert kept == "Samtalen er ikke slettet."
    assert _user_texts(her.bot, her.conversation) == [
        "/greet",
        "Hvad er bækkenløsning?",
    ]


def test_a_message_delivered_twice_is_answered_and_stored_once(her):
    body = her.message("Hvad er bækkenløsning?")
    assert her.deliver(body)
    before = stored_events(her.bot.database, her.conversation)

    assert her.post(body) == 200  # the platform's retry, or a replay
    time.sleep(QUIET_SECONDS if isinstance(her, Slack) else 0)
    assert _texts(her.sent())[-1].startswith(WHAT_IS_PGP)  # nothing more sent
    assert stored_events(her.bot.database, her.conversation) == before
    assert _user_texts(her.bot, her.conversation) == [
        "/greet",
        "Hvad er bækkenløsning?",
    ]


def test_a_message_older_than_the_platform_retries_is_not_answered(
    her_with_a_dated_message,
):
    her = her_with_a_dated_message
    old = her.message("Hvad er bækkenløsning?", replays.MAX_AGE_SECONDS + 60)
    assert her.post(old) == 200  # acknowledged, so the platform stops
    assert her.sent() == []
    assert stored_events(her.bot.database, her.conversation) == []
