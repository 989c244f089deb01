"""WhatsApp and SMS show text only: numbered choices, the urgent mark, splitting."""

from typing import Any

import pytest

from assistant.channels.messaging.plain_text import (
    TWILIO_MESSAGE_LIMIT,
    length,
    picked_payload,
    rendered,
    rendered_turn,
    split_message,
)

RED_FLAG_BUTTONS = [
    {"title": "Ja", "payload": "/affirm"},
    {"title": "Nej", "payload": "/deny"},
]


def test_a_digit_picks_that_buttons_payload():
    assert picked_payload("2", RED_FLAG_BUTTONS) == "/deny"
    assert picked_payload(" 1 ", RED_FLAG_BUTTONS) == "/affirm"


@pytest.mark.parametrize("typed", ["0", "3", "7", "nej", "1 ", "", "١", "²", "-1"])
def test_anything_else_is_not_a_choice(typed):
    expected = "/affirm" if typed.strip() == "1" else None
    assert picked_payload(typed, RED_FLAG_BUTTONS) == expected


def test_without_buttons_a_digit_is_just_text():
    assert picked_payload("2", []) is None


def test_buttons_are_listed_by_number_with_how_to_answer():
    text = rendered({"text": "Har du feber?", "buttons": RED_FLAG_BUTTONS})
    assert text == "Har du feber?\n\n1) Ja\n2) Nej\nSvar med et tal (1–2)."
    english = rendered({"text": "Fever?", "buttons": RED_FLAG_BUTTONS}, "en")
    assert english.endswith("Reply with a number (1–2).")


def test_urgent_advice_is_marked_first():
    text = rendered({"text": "Ring 112 nu.", "metadata": {"urgent": True}})
    assert text == "⚠️ VIGTIGT\nRing 112 nu."


def test_a_turn_numbers_only_the_last_buttons_and_marks_urgency_once():
    turn: list[dict[str, Any]] = [
        {"text": "Ring 112 nu.", "metadata": {"urgent": True}},
        {"text": "Det er vigtigt.", "metadata": {"urgent": True}},
        {"text": "Vælg", "buttons": [{"title": "A", "payload": "/help"}]},
        {"text": "Fik du svar?", "buttons": RED_FLAG_BUTTONS},
    ]
    assert rendered_turn(turn) == (
        "⚠️ VIGTIGT\nRing 112 nu.\n\nDet er vigtigt.\n\nVælg\n\n"
        "Fik du svar?\n\n1) Ja\n2) Nej\nSvar med et tal (1–2)."
    )


def test_a_short_text_is_one_message():
    assert split_message("Hej med dig") == ["Hej med dig"]


def test_a_long_text_is_split_between_words_within_the_limit():
    words = ["bækkenløsning"] * 400  # 5,600 characters
    text = " ".join(words)
    parts = split_message(text)
    assert len(parts) == 4
    assert all(length(part) <= TWILIO_MESSAGE_LIMIT for part in parts)
    assert all(set(part.split()) == {"bækkenløsning"} for part in parts)
    assert " ".join(parts) == text  # nothing lost, Danish letters intact


def test_a_paragraph_break_is_preferred():
    first = "a " * 500  # 1,000 characters
    text = first.strip() + "\n\n" + "b " * 500
    assert split_message(text)[0] == first.strip()


def test_emoji_count_two_as_twilio_counts_them():
    text = "👍 " * 1000  # 3,000 code units
    parts = split_message(text, 1600)
    assert all(length(part) <= 1600 for part in parts)
    assert sum(part.count("👍") for part in parts) == 1000


def test_one_word_longer_than_the_limit_is_cut():
    parts = split_message("x" * 3500)
    assert [len(part) for part in parts] == [1600, 1600, 300]


PAIN_BUTTONS = [
    {"title": "0 – ingen", "payload": "0"},
    {"title": "1–3 – lette", "payload": "1-3"},
    {"title": "4–6 – moderate", "payload": "4-6"},
    {"title": "7–8 – stærke", "payload": "7-8"},
    {"title": "9–10 – værst tænkelige", "payload": "9-10"},
]


def test_choices_that_are_numbers_are_listed_and_her_number_is_her_answer():
    question = "Hvor ondt gør det, fra 0 (ingen smerter) til 10 (værst tænkelige)?"
    assert rendered({"text": question, "buttons": PAIN_BUTTONS}) == (
        f"{question}\n\n• 0 – ingen\n• 1–3 – lette\n• 4–6 – moderate\n"
        "• 7–8 – stærke\n• 9–10 – værst tænkelige"
    )
    assert picked_payload("4", PAIN_BUTTONS) is None  # pain 4, not "7–8"
