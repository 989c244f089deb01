"""Facebook Messenger with Meta's own page webhooks, against the running server.

Switched on by its variables in the shipped credentials.yml; the
subscription check and the page webhook (a message, a quick reply, a
postback) as Meta's Messenger Platform documentation shows them, signed with
``X-Hub-Signature-256``; the bot's replies read back from the fake Graph API
(harness/fake_platforms.py), the stored rows from the SQLite file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import pytest
import requests

from tests.messaging.messaging_platforms_fixtures import (
    FACEBOOK_APP_SECRET,
    FACEBOOK_PAGE_TOKEN,
    FACEBOOK_VERIFY_TOKEN,
    fake_platforms,
    new_id,
    platform_bot,
)
from tests.security.helpers import stored_events

__all__ = ["fake_platforms", "platform_bot"]  # fixtures used by name

PAGE_ID = "104245195837423"
WHAT_IS_PGP = "Bækkenløsning, eller bækkensmerter, er smerter"
RECURRENCE = (
    "Ifølge artiklen er der en vis evidens for, at bækkensmerter kan vende tilbage"
)
CORE_TRAINING = "Ifølge artiklen har kernemusklerne"


def _webhook(psid: str, event: dict[str, Any]) -> dict[str, Any]:
    """A page webhook with one messaging event, as in Meta's documentation."""
    return {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": int(time.time() * 1000),
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": int(time.time() * 1000),
                        **event,
                    }
                ],
            }
        ],
    }


def _text(psid: str, text: str) -> dict[str, Any]:
    return _webhook(psid, {"message": {"mid": f"m_{new_id()}", "text": text}})


def _quick_reply(psid: str, title: str, payload: str) -> dict[str, Any]:
    message = {
        "mid": f"m_{new_id()}",
        "text": title,
        "quick_reply": {"payload": payload},
    }
    return _webhook(psid, {"message": message})


def _postback(psid: str, title: str, payload: str) -> dict[str, Any]:
    postback = {"mid": f"m_{new_id()}", "title": title, "payload": payload}
    return _webhook(psid, {"postback": postback})


def sha256_signature(body: bytes, secret: str = FACEBOOK_APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(bot, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    if headers is None:
        headers = {"X-Hub-Signature-256": sha256_signature(data)}
    return requests.post(
        f"{bot.url}/webhooks/facebook/webhook",
        data=data,
        headers={"Content-Type": "application/json", **headers},
        timeout=60,
    )


def _sent(fake, psid: str) -> list[dict[str, Any]]:
    calls = fake.received("messenger", "me/messages", psid)
    assert all(c.token == FACEBOOK_PAGE_TOKEN for c in calls)
    return [c.fields["message"] for c in calls if "message" in c.fields]


def test_the_subscription_check_answers_only_the_verify_token(platform_bot):
    url = f"{platform_bot.url}/webhooks/facebook/webhook"
    right = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    answer = requests.get(
        url, params={**right, "hub.verify_token": FACEBOOK_VERIFY_TOKEN}, timeout=30
    )
    assert (answer.status_code, answer.text) == (200, "1158201444")
    for wrong in ("", "wrong", FACEBOOK_VERIFY_TOKEN[:-1]):
        answer = requests.get(
            url, params={**right, "hub.verify_token": wrong}, timeout=30
        )
        assert answer.status_code == 403
        assert "1158201444" not in answer.text


def test_a_danish_question_is_answered_in_danish(platform_bot, fake_platforms):
    psid = str(new_id())
    answer = _post(platform_bot, _text(psid, "Hvad er bækkenløsning?"))
    assert answer.status_code == 200
    texts = [m.get("text", "") for m in _sent(fake_platforms, psid)]
    assert any(text.startswith(WHAT_IS_PGP) for text in texts), texts
    assert all(len(text) <= 2000 for text in texts)
    said = [
        e["text"]
        for e in platform_bot.tracker(f"messenger:{psid}")["events"]
        if e["event"] == "user"
    ]
    assert said == ["/greet", "Hvad er bækkenløsning?"]  # greeted first


def test_the_help_menu_is_quick_replies_and_a_chosen_one_is_answered(
    platform_bot, fake_platforms
):
    psid = str(new_id())
    assert _post(platform_bot, _text(psid, "hvad kan du hjælpe med")).status_code == 200
    [menu] = [m for m in _sent(fake_platforms, psid) if "quick_replies" in m]
    replies = menu["quick_replies"]
    assert 1 <= len(replies) <= 13
    assert all(len(reply["title"]) <= 20 for reply in replies)
    # the whole titles, numbered, in the text she reads
    assert "Kommer det igen ved næste graviditet?" in menu["text"]
    [recurrence] = [r for r in replies if r["payload"] == "/faq/recurrence"]

    before = len(_sent(fake_platforms, psid))
    chosen = _quick_reply(psid, recurrence["title"], recurrence["payload"])
    assert _post(platform_bot, chosen).status_code == 200
    answer = _sent(fake_platforms, psid)[before:]
    assert answer and answer[0]["text"].startswith(RECURRENCE), answer

    before = len(_sent(fake_platforms, psid))
    pressed = _postback(psid, "Hjælper det at træne kernen?", "/faq/core_training")
    assert _post(platform_bot, pressed).status_code == 200
    answer = _sent(fake_platforms, psid)[before:]
    assert answer and answer[0]["text"].startswith(CORE_TRAINING), answer


def test_an_urgent_message_gets_112_first(platform_bot, fake_platforms):
    psid = str(new_id())
    assert _post(platform_bot, _text(psid, "jeg har ondt i brystet")).status_code == 200
    texts = [m.get("text", "") for m in _sent(fake_platforms, psid)]
    assert texts and texts[0].startswith("⚠️ VIGTIGT\nRing 112 nu."), texts


def _forged_headers(body: bytes) -> list[dict[str, str]]:
    sha1 = (
        "sha1=" + hmac.new(FACEBOOK_APP_SECRET.encode(), body, hashlib.sha1).hexdigest()
    )
    right = sha256_signature(body)
    return [
        {},
        {"X-Hub-Signature": sha1},  # Rasa's check: SHA-1 alone is not enough here
        {"X-Hub-Signature-256": sha256_signature(body, "not the app secret")},
        {"X-Hub-Signature-256": right[:-1] + ("0" if right[-1] != "0" else "1")},
        {"X-Hub-Signature-256": right.removeprefix("sha256=")},
        {"X-Hub-Signature-256": right.replace("sha256=", "sha1=")},
    ]


@pytest.mark.parametrize("forgery", range(6))
def test_a_request_without_metas_signature_is_refused_and_not_stored(
    platform_bot, fake_platforms, forgery
):
    psid = str(new_id())
    body = json.dumps(_text(psid, "Hvad er bækkenløsning?")).encode()
    answer = _post(platform_bot, body, _forged_headers(body)[forgery])
    assert answer.status_code == 403
    assert stored_events(platform_bot.database, f"messenger:{psid}") == []
    assert stored_events(platform_bot.database, psid) == []
    assert _sent(fake_platforms, psid) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"object": "instagram", "entry": []}',
        b'{"object": "page", "entry": "not a list"}',
        b'{"object": "page", "entry": [{"messaging": {"not": "a list"}}]}',
        b'{"object": "page", "entry": [{"messaging": [{"message": {"text": "x"}}]}]}',
    ],
)
def test_a_malformed_webhook_gets_400(platform_bot, body):
    answer = _post(platform_bot, body)
    assert answer.status_code == 400, answer.text


def test_echoes_and_reads_are_acknowledged_and_not_stored(platform_bot):
    psid = str(new_id())
    echo = _webhook(psid, {"message": {"mid": "m_1", "text": "hi", "is_echo": True}})
    read = _webhook(psid, {"read": {"watermark": 1458668856253}})
    for body in (echo, read):
        assert _post(platform_bot, body).status_code == 200
    assert stored_events(platform_bot.database, f"messenger:{psid}") == []
