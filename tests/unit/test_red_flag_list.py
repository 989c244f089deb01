"""One red-flag list (data/triage/red_flags.yml), and every text that names the flags.

Each stage's red-flag question names exactly the flags of that stage, in the
stage's words; so does the list of urgent signs; the urgent reply says 112
first for a 112 sign, and names the 112 signs first when the tier is unknown;
the reply when the action server is down and docs/referral.md name every flag
(the docs with its stages and tier). The pattern gate has a detector per flag
(tests/unit/test_red_flags.py). A flag left out anywhere fails a test here.
"""

import re
from pathlib import Path

import pytest
import yaml
from rasa.core.nlg.generator import ResponseVariationFilter

from assistant.server.action_safety_net import FALLBACK_RESPONSES
from assistant.text.red_flag_list import (
    LANGUAGES,
    STAGES,
    calls_112,
    flags_for_stage,
    red_flag_list,
)
from assistant.text.urgency import BY_SITUATION, CALL_112, URGENCIES, urgency
from knowledge.care_situations import CARE_SITUATIONS as SITUATIONS

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
RESPONSES = DOMAIN["responses"]
DOCS = (ROOT / "docs/referral.md").read_text("utf-8")
SLOT_LANGUAGES = (None, "da", "en")  # None: not known yet, so Danish
LIFE = {"da": "Ring 112 ved livsfare.", "en": "Call 112 if life is in danger."}
CALL_NOW = {"da": "Ring 112 nu", "en": "Call 112 now"}
LÆGEVAGTEN = ("1813", "1818", "70 11 07 07", "70 11 31 31", "70 15 03 00")


def _language(slot_language):
    return slot_language or "da"


def _render(response, **slots):
    """The text Rasa sends for ``response`` with these slots (one variation only)."""
    picker = ResponseVariationFilter(RESPONSES)
    filled = {"language": None, "care_situation": None, "urgency": None, **slots}
    filled.setdefault("referral_stage", None)
    variations = picker.responses_for_utter_action(response, "rest", filled)
    texts = {variation["text"] for variation in variations}
    assert len(texts) == 1, (response, slots, texts)
    return texts.pop()


def _bullets(text):
    return [line[2:] for line in text.split("\n") if line.startswith("• ")]


def _wordings(stage, language):
    return [flag.wording(language, stage) for flag in flags_for_stage(stage)]


@pytest.mark.parametrize("slot_language", SLOT_LANGUAGES)
@pytest.mark.parametrize("stage", [None, *STAGES])
@pytest.mark.parametrize(
    "response", ["utter_ask_referral_red_flags", "utter_urgent_signs"]
)
def test_the_question_and_the_signs_name_exactly_the_flags_of_her_stage(
    response, stage, slot_language
):
    text = _render(response, language=slot_language, referral_stage=stage)
    language = _language(slot_language)
    assert _bullets(text) == _wordings(stage, language)


def test_two_weeks_after_the_birth_she_is_asked_about_heavy_bleeding_only():
    question = _render("utter_ask_referral_red_flags", referral_stage="postpartum")
    assert (
        "kraftig blødning fra skeden (fx et bind, der er gennemblødt på under en "
        in (question)
    )
    assert "• blødning fra skeden" not in question
    assert "vandafgang" not in question and "veer" not in question


def test_every_stage_variation_of_the_question_has_yes_and_no_buttons():
    for variation in RESPONSES["utter_ask_referral_red_flags"]:
        assert [b["payload"] for b in variation["buttons"]] == ["/affirm", "/deny"]


def test_the_urgent_reply_sends_the_signs_wherever_it_is_sent():
    rules = (ROOT / "data/rules.yml").read_text("utf-8")
    assert rules.count("- action: utter_urgent\n") == rules.count(
        "- action: utter_urgent\n      - action: utter_urgent_signs\n"
    )


@pytest.mark.parametrize("slot_language", SLOT_LANGUAGES)
@pytest.mark.parametrize("stage", [None, *STAGES])
def test_the_reply_when_the_action_server_is_down_names_every_flag_of_her_stage(
    stage, slot_language
):
    text = " ".join(
        _render(response, language=slot_language, referral_stage=stage)
        for response in FALLBACK_RESPONSES
    )
    language = _language(slot_language)
    assert [w for w in _wordings(stage, language) if w not in text] == []
    assert text.index(CALL_NOW[language]) < text.index(_emergency(language))
    assert all(number in text for number in LÆGEVAGTEN)


def _emergency(language, stage=None):
    return "; ".join(
        flag.wording(language, stage) for flag in red_flag_list() if flag.call_112
    )


# The urgent reply: one variation for every tier, situation and language.
@pytest.mark.parametrize("slot_language", SLOT_LANGUAGES)
@pytest.mark.parametrize("situation", [None, *SITUATIONS])
@pytest.mark.parametrize("tier", [None, *URGENCIES])
def test_the_urgent_reply_in_two_tiers(tier, situation, slot_language):
    text = _render(
        "utter_urgent", language=slot_language, care_situation=situation, urgency=tier
    )
    language = _language(slot_language)
    assert "livstruende" not in text and "life-threatening" not in text
    if tier == CALL_112:  # 112 first, before anything else
        assert text.startswith(CALL_NOW[language] + ".")
        return
    if tier == BY_SITUATION:
        assert text.endswith(LIFE[language])
        assert not text.startswith(CALL_NOW[language])
    else:  # unknown: the 112 signs first, then whom to call for the rest
        stage = "postpartum" if situation == "recently_gave_birth" else None
        assert text.startswith(f"{CALL_NOW[language]} ")
        assert _emergency(language, stage) in text
    if "lægevagten" in text:
        assert all(number in text for number in LÆGEVAGTEN)


def _whom(language, situation):
    return _render(
        "utter_urgent",
        language=language,
        care_situation=situation,
        urgency=BY_SITUATION,
    )


def test_urgent_contacts_fit_the_situation():
    assert "fødegangen" in _whom("da", "pregnant")
    assert "før uge 22" in _whom("da", "pregnant")  # the week not known: both
    assert "egen læge" in _whom("da", "early_pregnancy")
    assert "lægevagten" in _whom("da", "early_pregnancy")
    assert "føde" not in _whom("da", "early_pregnancy")
    assert "vandrejournal" in _whom("da", "early_pregnancy")
    assert "fødeafdelingen, hvor du fødte" in _whom("da", "recently_gave_birth")
    assert "lægevagten" in _whom("da", "recently_gave_birth")
    assert "egen læge" in _whom("da", "not_pregnant")
    assert "føde" not in _whom("da", "not_pregnant")
    assert "maternity unit" in _whom("en", "pregnant")
    assert "before week 22" in _whom("en", "pregnant").lower()
    assert "GP" in _whom("en", "early_pregnancy")
    assert "maternity" not in _whom("en", "early_pregnancy")
    assert "GP" in _whom("en", "not_pregnant")
    assert "maternity" not in _whom("en", "not_pregnant")
    unknown_en = _whom("en", None)
    assert "maternity unit" in unknown_en and "GP" in unknown_en
    assert "week 22" in unknown_en


def test_the_tier_of_a_message_comes_from_the_list():
    assert urgency([]) is None
    assert urgency(["fever"]) == BY_SITUATION
    assert urgency(["fever", "chest_pain"]) == CALL_112
    for flag in red_flag_list():
        assert (urgency([flag.id]) == CALL_112) == flag.call_112 == calls_112([flag.id])
    assert {flag.id for flag in red_flag_list() if flag.call_112} == {
        "chest_pain",
        "short_of_breath",
        "heavy_bleeding",
        "seizures",
        "fainting",
    }


def test_the_urgency_slot_has_the_tiers_as_values():
    assert tuple(DOMAIN["slots"]["urgency"]["values"]) == URGENCIES


# docs/referral.md: the table of flags, with the tier and the stages
_ROW = re.compile(r"^\| `(\w+)` \| (yes|) \| ([a-z, ]+) \| (.+?) \| (.+?) \|$", re.M)
_AFTER_BIRTH_ROW = re.compile(
    r"^\| `(\w+)` after the birth \| (.+?) \| (.+?) \|$", re.M
)


def test_docs_list_every_flag_with_its_tier_stages_and_words():
    rows = {
        match.group(1): (
            match.group(2) == "yes",
            tuple(stage.strip() for stage in match.group(3).split(",")),
            match.group(4),
            match.group(5),
        )
        for match in _ROW.finditer(DOCS)
    }
    assert rows == {
        flag.id: (flag.call_112, flag.stages, flag.words["en"], flag.words["da"])
        for flag in red_flag_list()
    }
    after_birth = {
        match.group(1): (match.group(2), match.group(3))
        for match in _AFTER_BIRTH_ROW.finditer(DOCS)
    }
    assert after_birth == {
        flag.id: (flag.postpartum_words["en"], flag.postpartum_words["da"])
        for flag in red_flag_list()
        if flag.postpartum_words
    }


def test_flags_are_unique_and_every_language_has_words():
    ids = [flag.id for flag in red_flag_list()]
    assert len(ids) == len(set(ids))
    assert all(
        flag.words[language] for flag in red_flag_list() for language in LANGUAGES
    )


def test_no_text_says_if_it_is_life_threatening_or_names_one_region_only():
    for path in ("domain.yml", "docs/referral.md", "README.md"):
        text = (ROOT / path).read_text("utf-8")
        assert "hvis det er livstruende" not in text, path
        assert "Capital Region" not in text, path
    for name, variations in RESPONSES.items():
        for variation in variations:
            text = variation.get("text") or ""
            if "lægevagten" in text or "1813" in text:
                missing = [n for n in LÆGEVAGTEN if n not in text]
                assert missing == [], (name, missing)
