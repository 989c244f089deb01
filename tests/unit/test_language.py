"""Language detection: the reply language follows what she writes."""

from pathlib import Path

import pytest
import yaml

from assistant.text.language import conversation_language, detect_language
from evaluation.metrics import labelled_examples

ROOT = Path(__file__).resolve().parents[2]
SINGLE_LANGUAGE_FILES = {
    "data/faq/nlu_faq_da.yml": "da",
    "data/faq/nlu_faq_en.yml": "en",
    "tests/heldout/heldout_da.yml": "da",
    "tests/heldout/heldout_en.yml": "en",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kommer bækkenløsning igen ved næste graviditet?", "da"),
        ("Will the pain go away after birth?", "en"),
        ("kommer det igen naeste gang", "da"),
        ("hjaelper det at traene kernen", "da"),
        ("does core training help", "en"),
        ("hej", "da"),
        ("hi", "en"),
        ("tak", "da"),
        ("thanks", "en"),
        ("ja", "da"),
        ("yes", "en"),
        ("Jeg har ondt i skridtet når jeg går på trapper", "da"),
        ("my crotch hurts on the stairs, is that pgp?", "en"),
        ("PGP", None),
        ("SPD?", None),
        ("ok", None),
        ("👍", None),
        ("?", None),
        ("", None),
        ("   ", None),
        ("/faq/recurrence", None),
        ("/greet", None),
        ("\x00\x07", None),
    ],
)
def test_detects_the_language_of_typical_messages(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize(("path", "language"), SINGLE_LANGUAGE_FILES.items())
def test_every_single_language_example_is_detected_in_its_language_or_not_at_all(
    path, language
):
    examples = labelled_examples(yaml.safe_load((ROOT / path).read_text("utf-8")))
    wrong = [
        text for text, _ in examples if detect_language(text) not in (language, None)
    ]
    undecided = [text for text, _ in examples if detect_language(text) is None]
    assert wrong == []
    assert len(undecided) <= len(examples) * 0.02, undecided


def test_a_message_in_a_language_switches_the_conversation():
    assert conversation_language("Does it hurt?", current="da") == "en"
    assert conversation_language("Gør det ondt?", current="en") == "da"


def test_a_message_without_language_keeps_the_conversation_language():
    assert conversation_language("ok", current="en") == "en"
    assert conversation_language("👍", current="da") == "da"


def test_the_page_language_decides_only_before_the_conversation_has_one():
    assert conversation_language("PGP?", current=None, hint="en") == "en"
    assert conversation_language("PGP?", current="da", hint="en") == "da"
    assert conversation_language("Does it hurt?", current=None, hint="da") == "en"


def test_danish_is_the_default_and_unknown_languages_are_ignored():
    assert conversation_language("ok", current=None) == "da"
    assert conversation_language("ok", current="de", hint="fr") == "da"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("what is Foreningen Bækkensmerter", "en"),
        ("Hvad siger Foreningen Bækkensmerter?", "da"),
        ("Hej. Jeg har ondt i bækkenet", "da"),
        ("Thanks! Will it come back?", "en"),
        ("HVAD ER BÆKKENLØSNING", "da"),
    ],
)
def test_names_inside_a_sentence_do_not_decide_the_language(text, language):
    assert detect_language(text) == language
