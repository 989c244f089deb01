"""Slack with its own Events API and interaction payloads, against the running server.

Switched on by its variables in the shipped credentials.yml; requests as
Slack's documentation shows them (``url_verification``, an ``event_callback``
with a direct message, a ``block_actions`` button press), signed as Slack
signs them; the bot's replies (sent in the background, as Slack wants an
answer within three seconds) read back from the fake Web API
(harness/fake_platforms.py), the stored rows from the SQLite file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from tests.messaging.messaging_platforms_fixtures import (
    SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET,
    fake_platforms,
    new_id,
    platform_bot,
)
from tests.security.helpers import stored_events

__all__ = ["fake_platforms", "platform_bot"]  # fixtures used by name

TEAM = "T061EG9R6"
WHAT_IS_PGP = "Bækkenløsning, eller bækkensmerter, er smerter"
RECURRENCE = (
    "Ifølge artiklen er der en vis evidens for, at bækkensmerter kan vende tilbage"
)


def _direct_message(user: str, channel: str, text: str) -> dict[str, Any]:
    """An event_callback with a message.im event, as in Slack's documentation."""
    ts = f"{time.time():.6f}"
    return {
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "team_id": TEAM,
        "api_app_id": "A0PNCHHK2",
        "event": {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im",
        },
        "type": "event_callback",
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM,
                "user_id": "U0BOTUSER",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "event_id": f"Ev{new_id()}",
        "event_time": int(time.time()),
    }


def _button_press(user: str, channel: str, title: str, value: str) -> bytes:
    """A block_actions interaction, form-encoded as Slack posts it."""
    ts = f"{time.time():.6f}"
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "test", "team_id": TEAM},
        "api_app_id": "A0PNCHHK2",
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "container": {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": f"{new_id()}.1395872398",  # one per press
        "team": {"id": TEAM, "domain": "example"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": ts, "text": "Vælg et emne"},
        "response_url": "https://hooks.slack.com/actions/T061EG9R6/1/x",
        "actions": [
            {
                "action_id": "a1",
                "block_id": "b1",
                "text": {"type": "plain_text", "text": title},
                "value": value,
                "type": "button",
                "action_ts": ts,
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def _signed(
    body: bytes, timestamp: int | None = None, secret: str = SLACK_SIGNING_SECRET
):
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(
        secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256
    ).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def _post(
    bot,
    body: Any,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
) -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(
        f"{bot.url}/webhooks/slack/webhook",
        data=data,
        headers={
            "Content-Type": content_type,
            **(_signed(data) if headers is None else headers),
        },
        timeout=60,
    )


def _texts_until(fake, channel: str, until) -> list[str]:
    calls = fake.wait_for(
        "slack",
        "chat.postMessage",
        channel,
        lambda c: until([x.fields["text"] for x in c]),
    )
    assert all(c.token == SLACK_BOT_TOKEN for c in calls)
    return [c.fields["text"] for c in calls]


def _ids() -> tuple[str, str]:
    number = new_id()
    return f"U{number}", f"D{number}"


def test_the_events_url_is_verified(platform_bot):
    body = {
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }
    answer = _post(platform_bot, body)
    assert answer.status_code == 200
    assert answer.json() == {"challenge": body["challenge"]}


def test_a_danish_question_is_answered_in_danish(platform_bot, fake_platforms):
    user, channel = _ids()
    answer = _post(
        platform_bot, _direct_message(user, channel, "Hvad er bækkenløsning?")
    )
    assert answer.status_code == 200
    texts = _texts_until(
        fake_platforms, channel, lambda t: any(x.startswith(WHAT_IS_PGP) for x in t)
    )
    assert any(text.startswith(WHAT_IS_PGP) for text in texts), texts
    said = [
        e["text"]
        for e in platform_bot.tracker(f"slack:{user}")["events"]
        if e["event"] == "user"
    ]
    assert said == ["/greet", "Hvad er bækkenløsning?"]  # greeted first


def test_the_help_menu_is_blocks_with_buttons_and_a_pressed_one_is_answered(
    platform_bot, fake_platforms
):
    user, channel = _ids()
    message = _direct_message(user, channel, "hvad kan du hjælpe med")
    assert _post(platform_bot, message).status_code == 200
    calls = fake_platforms.wait_for(
        "slack",
        "chat.postMessage",
        channel,
        lambda c: any("blocks" in x.fields for x in c),
    )
    [menu] = [c.fields for c in calls if "blocks" in c.fields]
    [section, actions] = menu["blocks"]
    assert section["text"]["text"] == menu["text"]
    values = {b["value"]: b["text"]["text"] for b in actions["elements"]}
    assert values["/faq/recurrence"] == "Kommer det igen ved næste graviditet?"

    before = len(calls)
    press = _button_press(user, channel, values["/faq/recurrence"], "/faq/recurrence")
    answer = _post(
        platform_bot, press, content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    texts = _texts_until(
        fake_platforms, channel, lambda t: any(x.startswith(RECURRENCE) for x in t)
    )[before:]
    assert texts and texts[0].startswith(RECURRENCE), texts


def test_an_urgent_message_gets_112_first(platform_bot, fake_platforms):
    user, channel = _ids()
    message = _direct_message(user, channel, "jeg har ondt i brystet")
    assert _post(platform_bot, message).status_code == 200
    texts = _texts_until(fake_platforms, channel, bool)
    assert texts and texts[0].startswith("⚠️ VIGTIGT\nRing 112 nu."), texts


def _forgeries(body: bytes) -> list[dict[str, str]]:
    right = _signed(body)
    signature = right["X-Slack-Signature"]
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    return [
        {},
        {"X-Slack-Request-Timestamp": right["X-Slack-Request-Timestamp"]},
        _signed(body, secret="not the signing secret"),
        {**right, "X-Slack-Signature": flipped},
        _signed(body + b" "),  # signed for another body
    ]


@pytest.mark.parametrize("forgery", range(5))
def test_an_unsigned_request_is_refused_and_not_stored(
    platform_bot, fake_platforms, forgery
):
    user, channel = _ids()
    body = json.dumps(_direct_message(user, channel, "Hvad er bækkenløsning?")).encode()
    answer = _post(platform_bot, body, _forgeries(body)[forgery])
    assert answer.status_code == 403
    time.sleep(1)  # a message would be answered in the background
    assert stored_events(platform_bot.database, f"slack:{user}") == []
    assert stored_events(platform_bot.database, user) == []
    assert fake_platforms.received("slack", "chat.postMessage", channel) == []


@pytest.mark.parametrize("age_seconds", [301, 600, 86_400, -600])
def test_a_replay_outside_five_minutes_is_refused_and_not_stored(
    platform_bot, fake_platforms, age_seconds
):
    user, channel = _ids()
    body = json.dumps(_direct_message(user, channel, "Hvad er bækkenløsning?")).encode()
    headers = _signed(body, timestamp=int(time.time()) - age_seconds)
    answer = _post(platform_bot, body, headers)
    assert answer.status_code == 403
    time.sleep(1)
    assert stored_events(platform_bot.database, f"slack:{user}") == []
    assert fake_platforms.received("slack", "chat.postMessage", channel) == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"", "application/json"),
        (b"not json", "application/json"),
        (b"[]", "application/json"),
        (b'{"type": "event_callback", "event": "not an object"}', "application/json"),
        (b"payload=not-json", "application/x-www-form-urlencoded"),
        (b"other=field", "application/x-www-form-urlencoded"),
        (b'payload={"type": "block_actions"}', "application/x-www-form-urlencoded"),
        (b"<xml/>", "text/xml"),
    ],
)
def test_a_malformed_request_gets_400(platform_bot, body, content_type):
    answer = _post(platform_bot, body, content_type=content_type)
    assert answer.status_code == 400, answer.text
