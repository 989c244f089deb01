"""Telegram, Messenger and Slack: the parts that need no server.

The switch (a channel is on only with all its variables), the pieces a long
answer is cut into, and what each channel reads from a platform's request.
The channels against a running server: tests/messaging/.
"""

import hashlib
import hmac
import inspect
import json
import logging
from pathlib import Path

import pytest
from rasa.core.channels.facebook import FacebookInput
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.core.channels.telegram import TelegramInput

from assistant.channels.messaging import messenger, slack, telegram
from assistant.channels.messaging.pieces import fit_title, split_text, utf16_length
from assistant.channels.messaging.senders import namespaced
from assistant.config import credentials
from assistant.config.credentials import is_switched_on

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("settings", "on"),
    [
        (None, False),
        ({}, False),
        ({"access_token": "1:a"}, False),
        ({"access_token": "1:a", "secret_token": ""}, False),
        ({"access_token": "1:a", "secret_token": None}, False),
        ({"access_token": "1:a", "secret_token": "s"}, True),
    ],
)
def test_a_channel_is_on_only_with_every_setting(settings, on):
    assert is_switched_on(settings, ("access_token", "secret_token")) is on


def _names(channels) -> list[str]:
    return [channel.name() for channel in channels]


def test_the_shipped_file_leaves_platforms_off_and_names_their_variables(
    monkeypatch, caplog
):
    for name in ("TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with caplog.at_level(logging.INFO, logger=credentials.__name__):
        channels = credentials.create_http_input_channels(
            None, str(ROOT / "credentials.yml")
        )
    assert "telegram" not in _names(channels)
    assert (
        "The telegram channel is off: set TELEGRAM_SECRET_TOKEN, TELEGRAM_TOKEN to"
        in (caplog.text)
    )


def test_setting_the_variables_switches_telegram_on(monkeypatch, caplog):
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456:" + "a" * 35)
    monkeypatch.setenv("TELEGRAM_SECRET_TOKEN", "the-secret-value")
    with caplog.at_level(logging.INFO, logger=credentials.__name__):
        channels = credentials.create_http_input_channels(
            None, str(ROOT / "credentials.yml")
        )
    assert "telegram" in _names(channels)
    assert "the-secret-value" not in caplog.text


def test_a_token_without_its_secret_leaves_telegram_off(monkeypatch, caplog):
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456:" + "a" * 35)
    monkeypatch.delenv("TELEGRAM_SECRET_TOKEN", raising=False)
    with caplog.at_level(logging.INFO, logger=credentials.__name__):
        channels = credentials.create_http_input_channels(
            None, str(ROOT / "credentials.yml")
        )
    assert "telegram" not in _names(channels)
    assert (
        "The telegram channel is off: set TELEGRAM_SECRET_TOKEN to switch it on."
        in caplog.text
    )


def test_sender_ids_are_namespaced_per_channel():
    assert namespaced("telegram", "123456") == "telegram:123456"
    assert telegram.chat_id_of("telegram:-100123") == "-100123"


def test_long_answers_are_cut_at_paragraphs_within_the_limit():
    paragraph = "Bækkenløsning gør ondt. " * 40  # 960 characters
    text = "\n\n".join([paragraph.strip()] * 6)
    pieces = split_text(text, 2000)
    assert all(len(piece) <= 2000 for piece in pieces)
    assert len(pieces) == 3
    assert all(piece.endswith("ondt.") for piece in pieces)  # whole paragraphs
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_a_text_without_spaces_is_cut_hard_and_emoji_count_two_for_telegram():
    assert split_text("æ" * 10, 4) == ["ææææ", "ææææ", "ææ"]
    assert utf16_length("🤰" * 3) == 6
    assert split_text("🤰" * 3, 4, utf16_length) == ["🤰🤰", "🤰"]


def test_titles_are_shortened_with_an_ellipsis():
    assert (
        fit_title("Kommer det igen ved næste graviditet?", 20) == "Kommer det igen ved…"
    )
    assert fit_title("Hvem skal jeg kontakte?", 23) == "Hvem skal jeg kontakte?"


def _update(**fields) -> bytes:
    return json.dumps({"update_id": 10000, **fields}).encode()


CHAT = {"id": 1111111, "type": "private", "first_name": "Test"}


def test_telegram_reads_a_message_and_a_button_press():
    message = {"message_id": 1, "date": 1, "chat": CHAT, "text": "Hej"}
    assert telegram.read_update(_update(message=message)) == (
        1111111,
        "Hej",
        None,
        10000,
        1,
    )
    query = {"id": "4382", "from": CHAT, "message": message, "data": "/faq/recurrence"}
    assert telegram.read_update(_update(callback_query=query)) == (
        1111111,
        "/faq/recurrence",
        "4382",
        10000,
        None,  # a press has no date of its own
    )


def _chat_text_and_press(body: bytes, bot_name: str | None = None) -> tuple:
    update = telegram.read_update(body, bot_name)
    assert update is not None
    return (update.chat_id, update.text, update.callback_query_id)


def test_telegram_start_is_her_greeting_and_the_bots_name_is_taken_out():
    start = {"message_id": 1, "date": 1, "chat": CHAT, "text": "/start"}
    assert _chat_text_and_press(_update(message=start)) == (1111111, "/greet", None)
    linked = {**start, "text": "/start@pgp_bot campaign-1"}
    assert _chat_text_and_press(_update(message=linked)) == (
        1111111,
        "/greet",
        None,
    )
    only_name = {**start, "text": " @pgp_bot "}
    assert telegram.read_update(_update(message=only_name), "pgp_bot") is None
    named = {**start, "text": "@pgp_bot hvad er bækkenløsning?"}
    assert _chat_text_and_press(_update(message=named), "pgp_bot") == (
        1111111,
        "hvad er bækkenløsning?",
        None,
    )


@pytest.mark.parametrize(
    "update",
    [
        _update(edited_message={"message_id": 1, "date": 1, "chat": CHAT, "text": "x"}),
        _update(message={"message_id": 1, "date": 1, "chat": CHAT, "sticker": {}}),
        _update(poll={"id": "1"}),
    ],
)
def test_telegram_drops_updates_it_does_not_answer(update):
    assert telegram.read_update(update) is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"message": {"text": "no update_id"}}',
        _update(message={"text": "no chat"}),
        _update(message={"chat": {"id": "1"}, "text": "chat id not a number"}),
        _update(callback_query="x"),
        _update(callback_query={"id": "1", "data": "/faq/x"}),
        "\udcff".encode("utf-8", "surrogatepass"),
    ],
)
def test_telegram_refuses_what_is_not_an_update(body):
    with pytest.raises(telegram.MalformedUpdate):
        telegram.read_update(body)


def test_telegrams_secret_token_is_compared_in_constant_time(monkeypatch):
    compared = []
    original = hmac.compare_digest

    def watched(a, b):
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", watched)
    assert telegram.secret_matches("s" * 32, "s" * 32)
    assert not telegram.secret_matches("s" * 31 + "x", "s" * 32)
    assert not telegram.secret_matches(None, "s" * 32)
    assert not telegram.secret_matches("", "")
    assert len(compared) == 2


def _page(*events) -> bytes:
    return json.dumps(
        {"object": "page", "entry": [{"id": "1", "messaging": list(events)}]}
    ).encode()


def test_messenger_reads_messages_quick_replies_and_postbacks_of_every_entry():
    body = _page(
        {
            "sender": {"id": "p1"},
            "timestamp": 1458692752478,
            "message": {"mid": "m1", "text": "Hej"},
        },
        {
            "sender": {"id": "p1"},
            "message": {"text": "Ja", "quick_reply": {"payload": "/affirm"}},
        },
        {"sender": {"id": "p2"}, "postback": {"title": "Start", "payload": "/greet"}},
        {"sender": {"id": "p1"}, "message": {"text": "echo", "is_echo": True}},
        {"sender": {"id": "p1"}, "read": {"watermark": 1}},
    )
    assert messenger.read_events(body) == [
        ("p1", "Hej", "m1", 1458692752.478),
        ("p1", "/affirm", None, None),
        ("p2", "/greet", None, None),
    ]


def test_messengers_signature_is_sha256_of_the_raw_body_in_constant_time(monkeypatch):
    compared = []
    original = hmac.compare_digest

    def watched(a, b):
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", watched)
    body = _page()
    right = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert messenger.signature_matches("app-secret", body, right)
    assert not messenger.signature_matches("app-secret", body + b" ", right)
    sha1 = "sha1=" + hmac.new(b"app-secret", body, hashlib.sha1).hexdigest()
    assert not messenger.signature_matches("app-secret", body, sha1)
    assert not messenger.signature_matches("app-secret", body, None)
    assert len(compared) == 3
    assert messenger.token_matches("verify-me", "verify-me")
    assert not messenger.token_matches("verify-m", "verify-me")


def test_messenger_quick_replies_keep_its_limits():
    buttons = [
        {"title": f"Emne nummer {n} om bækkenet", "payload": f"/faq/t{n}"}
        for n in range(15)
    ]
    text, replies = messenger.quick_replies_for("Vælg:", buttons)
    assert len(replies) == 13
    assert all(len(reply["title"]) <= 20 for reply in replies)
    assert replies[0]["title"].startswith("1. ")
    assert "13. Emne nummer 12 om bækkenet" in text
    short = [{"title": "Ja", "payload": "/affirm"}]
    assert messenger.quick_replies_for("Vælg:", short) == (
        "Vælg:",
        [{"content_type": "text", "title": "Ja", "payload": "/affirm"}],
    )


def test_slack_bodies_are_read_from_json_or_the_payload_field():
    assert slack.read_body("application/json", b'{"type": "x"}') == {"type": "x"}
    form = b"payload=%7B%22type%22%3A%22block_actions%22%7D"
    assert slack.read_body("application/x-www-form-urlencoded", form) == {
        "type": "block_actions"
    }
    assert slack.read_body("application/json", b"[1]") is None
    assert slack.read_body("application/x-www-form-urlencoded", b"a=b") is None
    assert slack.read_body("text/plain", b"{}") is None


@pytest.mark.parametrize(
    ("function", "parameters"),
    [
        (SlackInput.is_request_from_slack_authentic, ["self", "request"]),
        (
            SlackInput.process_message,
            ["self", "request", "on_new_message", "text", "sender_id", "metadata"],
        ),
        (SlackInput._is_user_message, ["slack_event"]),
        (SlackInput._sanitize_user_message, ["text", "uids_to_remove"]),
        (SlackInput._is_supported_channel, ["self", "slack_event", "metadata"]),
        (SlackBot._post_message, ["self", "channel", "kwargs"]),
        (SlackBot.__init__, ["self", "token", "slack_channel", "thread_id", "proxy"]),
        (
            FacebookInput.__init__,
            ["self", "fb_verify", "fb_secret", "fb_access_token"],
        ),
        (
            TelegramInput.__init__,
            ["self", "access_token", "verify", "webhook_url", "debug_mode"],
        ),
    ],
)
def test_the_rasa_internals_the_channels_use_have_their_3_6_signatures(
    function, parameters
):
    assert list(inspect.signature(function).parameters) == parameters


@pytest.mark.parametrize(
    ("channel_class", "settings"),
    [
        ("assistant.channels.messaging.telegram.SecureTelegramInput",
         {"access_token": "${TELEGRAM_TOKEN:-}",
          "secret_token": "${TELEGRAM_SECRET_TOKEN:-}"}),
        ("assistant.channels.messaging.messenger.SignedMessengerInput",
         {"verify": "${FACEBOOK_VERIFY_TOKEN:-}", "secret": "${FACEBOOK_APP_SECRET:-}",
          "page-access-token": "${FACEBOOK_PAGE_ACCESS_TOKEN:-}"}),
        ("assistant.channels.messaging.slack.SignedSlackInput",
         {"slack_token": "${SLACK_BOT_TOKEN:-}",
          "slack_signing_secret": "${SLACK_SIGNING_SECRET:-}"}),
        ("assistant.channels.messaging.twilio.TwilioChannel",
         {"account_sid": "${TWILIO_ACCOUNT_SID:-}",
          "auth_token": "${TWILIO_AUTH_TOKEN:-}",
          "webhook_url": "${TWILIO_WEBHOOK_URL:-}"}),
    ],
)  # fmt: skip
def test_settings_as_plain_rasa_run_passes_them_leave_the_channel_off(
    monkeypatch, channel_class, settings
):
    """Rasa's own reader leaves "${VAR:-}" as written: still off, no route."""
    import importlib

    from assistant.channels.messaging.switch import SwitchedOff

    for variable in (v[2:-3] for v in settings.values()):
        monkeypatch.delenv(variable, raising=False)
    module, name = channel_class.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    channel = cls.from_credentials(settings)
    assert isinstance(channel, SwitchedOff)
    assert channel.url_prefix() == cls.name()

    async def on_new_message(message: object) -> None:
        return None

    assert not channel.blueprint(on_new_message).routes
