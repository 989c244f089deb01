"""What a user may send: text, or a button payload on the list."""

import pytest

from assistant.server.user_input import (
    ALLOWED_PAYLOADS,
    is_allowed_payload,
    is_refused_payload,
    is_unstorable_id,
    normalised_text,
    refused_parse,
)


@pytest.mark.parametrize(
    "payload", [*sorted(ALLOWED_PAYLOADS), "/faq/recurrence", "/faq/what_is_pgp"]
)
def test_button_payloads_pass_untouched(payload):
    assert is_allowed_payload(payload)
    assert not is_refused_payload(payload)
    assert normalised_text(payload) == payload


@pytest.mark.parametrize(
    "typed",
    [
        "/restart",
        "/session_start",
        '/faq{"x": 1}',
        '/ask_referral{"pain": 99}',
        '/affirm{"referral_pain": "2"}',
        "/affirm@0.99",
        "/faq/recurrence{}",
        "/faq/../../etc",
        "//help",
        "  /restart",
        "/",
        "/hjælp",
    ],
)
def test_other_slash_messages_are_refused_with_help_and_no_entities(typed):
    assert not is_allowed_payload(typed)
    assert is_refused_payload(typed)
    parse = refused_parse(typed)
    assert parse["text"] == typed
    assert parse["intent"]["name"] == "help"
    assert parse["entities"] == []


@pytest.mark.parametrize("text", ["hej", "a / b", "", "3/10", None, 42])
def test_ordinary_messages_are_not_refused(text):
    assert not is_refused_payload(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\ud83d", "\ufffd"),
        ("hej \udc00 med dig", "hej \ufffd med dig"),
        ("😭 fine emoji", "😭 fine emoji"),
        ("ordinary text / with a slash", "ordinary text / with a slash"),
        ("", ""),
    ],
)
def test_lone_surrogates_become_the_replacement_character(text, expected):
    assert normalised_text(text) == expected
    normalised_text(text).encode("utf-8")  # storable


@pytest.mark.parametrize(
    ("sender_id", "unstorable"),
    [
        ("a\x00b", True),
        ("line\nbreak", True),
        ("tab\there", True),
        ("\x7f", True),
        ("half \ud83d emoji", True),
        ("w" + "0" * 32, False),
        ("whatsapp:+4512345678", False),
        ("Søren Ærø 😭", False),
        ("", False),
        (None, False),
    ],
)
def test_conversation_ids_with_control_characters_or_lone_surrogates_are_unstorable(
    sender_id, unstorable
):
    assert is_unstorable_id(sender_id) is unstorable


def test_non_text_is_left_to_the_channel():
    assert normalised_text(None) is None


def _domain_button_payloads():
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    payloads = set()
    for path in [root / "domain.yml", *sorted((root / "data").rglob("*.yml"))]:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        for variations in (data.get("responses") or {}).values():
            for variation in variations:
                for button in variation.get("buttons") or []:
                    payloads.add(str(button["payload"]))
    return payloads


def test_every_button_the_bot_offers_sends_an_allowed_payload():
    offered = _domain_button_payloads()  # the ask-back's too (utter_suggest_topics)
    slash = {payload for payload in offered if payload.startswith("/")}
    assert "/faq/recurrence" in slash and "/ask_referral" in slash
    assert {payload for payload in slash if not is_allowed_payload(payload)} == set()


class _Collecting:
    def __init__(self):
        self.sent = []

    async def send_text_message(self, recipient, text, **kwargs):
        self.sent.append((recipient, text))


class _Message:
    def __init__(self, text):
        self.text, self.sender_id, self.output_channel = text, "anna", _Collecting()
        self.parse_data = None


async def test_a_message_over_5000_characters_is_answered_and_not_worked_on():
    from assistant.server.user_input import TOO_LONG_TEXT, is_too_long, screening

    handled = []

    async def handle(processor, message):
        handled.append(message.text)
        return []

    wrapped = screening(handle)
    long = _Message("ikke blødning. " * 400)  # 6,000 characters
    assert await wrapped(None, long) is None
    assert handled == [] and long.output_channel.sent == [("anna", TOO_LONG_TEXT)]
    at_the_limit = _Message("x" * 5_000)
    await wrapped(None, at_the_limit)
    assert handled == ["x" * 5_000] and at_the_limit.output_channel.sent == []
    assert not is_too_long(None) and is_too_long("x" * 5_001)
