"""Odd messages get a normal reply: never a 5xx, a hang or silence."""

import pytest
import requests

BAD_MESSAGES = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "5,000 characters": ("bækken " * 715)[:5000],
    "emoji only": "😭😭🙏",
    "control characters": "\x00\x01\x07\x1b[31m\x7f",
    "markup": "<script>alert(1)</script>",
    "lone surrogate-like text": "\ufffd\ufeff",
}


@pytest.mark.parametrize("message", BAD_MESSAGES.values(), ids=BAD_MESSAGES.keys())
def test_odd_messages_get_a_reply(bot, sender, message):
    replies = bot.send(sender, message)
    assert replies, f"no reply to {message[:30]!r}"
    assert all(reply.get("text") for reply in replies)


def test_the_conversation_goes_on_normally_after_odd_messages(bot, sender):
    for message in BAD_MESSAGES.values():
        bot.send(sender, message)
    [reply] = bot.texts(sender, "Will the pain go away after birth?")
    assert "most women find that the pain eases" in reply


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not json", "JSON"),
        (b"[]", "JSON object"),
        (b'{"message": "hej"}', '"sender"'),
        (b'{"sender": "x"}', '"message"'),
        (b'{"message": 42, "sender": "x"}', '"message"'),
    ],
    ids=["not json", "a list", "no sender", "no message", "message not text"],
)
def test_malformed_requests_are_refused_with_a_clear_400(bot, body, says):
    response = requests.post(
        f"{bot.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
    assert says in response.json()["error"]
    assert bot.texts("after-malformed", "hej")  # and the server still answers
