"""One red-flag list (data/triage/red_flags.yml), and every text that names the flags.

The question, the urgent reply, the reply when the action server is down and
docs/referral.md must each name every flag, word for word; the pattern gate
has a detector per flag (tests/unit/test_red_flags.py).
"""

from pathlib import Path

import pytest
import yaml

from assistant.server.action_safety_net import FALLBACK_RESPONSES

ROOT = Path(__file__).resolve().parents[2]
FLAGS = yaml.safe_load((ROOT / "data/triage/red_flags.yml").read_text("utf-8"))[
    "red_flags"
]
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))["responses"]
SITUATIONS = (None, "pregnant", "recently_gave_birth", "not_pregnant")


def _texts(response: str, language: str) -> list[str]:
    """The text of each variation of ``response`` in ``language``."""
    texts = []
    for variation in RESPONSES[response]:
        conditions = {c["name"]: c["value"] for c in variation.get("condition", [])}
        if (conditions.get("language") or "da") == language:
            texts.append(variation["text"])
    return texts


def _missing(text: str, language: str) -> list[str]:
    return [flag["id"] for flag in FLAGS if flag[language] not in text]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    "response",
    ["utter_ask_referral_red_flags", "utter_urgent_signs"],
)
def test_the_question_and_the_urgent_reply_name_every_flag(response, language):
    texts = _texts(response, language)
    assert texts
    for text in texts:
        assert _missing(text, language) == []


def test_the_urgent_reply_sends_the_signs_wherever_it_is_sent():
    rules = (ROOT / "data/rules.yml").read_text("utf-8")
    assert rules.count("- action: utter_urgent\n") == rules.count(
        "- action: utter_urgent\n      - action: utter_urgent_signs\n"
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_reply_when_the_action_server_is_down_names_every_flag(language):
    text = " ".join(
        " ".join(_texts(response, language)) for response in FALLBACK_RESPONSES
    )
    assert _missing(text, language) == []


def test_docs_name_every_flag_in_both_languages():
    docs = (ROOT / "docs/referral.md").read_text("utf-8")
    assert _missing(docs, "da") == []
    assert _missing(docs, "en") == []


def test_flags_are_unique_and_pregnancy_only_is_a_yes_or_no():
    ids = [flag["id"] for flag in FLAGS]
    assert len(ids) == len(set(ids))
    assert all(flag.get("pregnancy_only", False) in (True, False) for flag in FLAGS)


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("situation", SITUATIONS)
def test_the_urgent_reply_has_one_variation_per_situation_and_language(
    situation, language
):
    matching = []
    for variation in RESPONSES["utter_urgent"]:
        conditions = {c["name"]: c["value"] for c in variation.get("condition", [])}
        if not conditions:  # the default: Danish, situation unknown
            conditions = {"language": None, "care_situation": None}
        slot_language = conditions.get("language")
        if (slot_language or "da") == language and conditions.get(
            "care_situation"
        ) == situation:
            matching.append(variation["text"])
    assert matching
    assert "112" in matching[0]


def test_urgent_contacts_fit_the_situation():
    def text(language, situation):
        for variation in RESPONSES["utter_urgent"]:
            conditions = {c["name"]: c["value"] for c in variation.get("condition", [])}
            if conditions == {"language": language, "care_situation": situation}:
                return variation["text"]
        raise AssertionError((language, situation))

    assert "fødegangen" in text("da", "pregnant")
    assert "lægevagten" not in text("da", "pregnant")
    assert "fødeafdelingen, hvor du fødte" in text("da", "recently_gave_birth")
    assert "lægevagten" in text("da", "recently_gave_birth")
    assert "egen læge" in text("da", "not_pregnant")
    assert "1813" in text("da", "not_pregnant")
    assert "føde" not in text("da", "not_pregnant")
    assert "maternity unit" in text("en", "pregnant")
    assert "GP" in text("en", "not_pregnant")
    assert "maternity" not in text("en", "not_pregnant")
    unknown_en = text("en", None)
    assert "maternity unit" in unknown_en and "GP" in unknown_en
