"""The FAQ answers and the referral questions stay faithful to the article.

Checks the slips found when every answer was read against the article
(issue 9): no promises, no claims the article does not make, its hedges kept,
natural Danish, and both languages for every answer.
"""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FAQ = yaml.safe_load((ROOT / "data/faq/responses.yml").read_text())["responses"]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]


def _variants(responses, name):
    """(Danish, English) text of a response: the default and the `en` variant."""
    danish = [v["text"] for v in responses[name] if "condition" not in v]
    english = [v["text"] for v in responses[name] if "condition" in v]
    return danish, english


FAQ_TEXTS = [
    (name, text) for name in FAQ for texts in _variants(FAQ, name) for text in texts
]


@pytest.mark.parametrize("name", sorted(FAQ))
def test_every_faq_answer_has_one_danish_and_one_english_text(name):
    danish, english = _variants(FAQ, name)
    assert len(danish) == 1 and len(english) == 1


@pytest.mark.parametrize(("name", "text"), FAQ_TEXTS)
def test_no_answer_opens_with_a_yes_that_reads_as_a_promise(name, text):
    # "Will core exercises stop me getting SPD?" -> "Yes – ..." promised too much
    assert not text.startswith(("Ja", "Yes"))


@pytest.mark.parametrize(("name", "text"), FAQ_TEXTS)
def test_no_claim_the_article_does_not_make(name, text):
    assert "patientforening" not in text and "patient association" not in text


@pytest.mark.parametrize(("name", "text"), FAQ_TEXTS)
def test_ligament_healing_keeps_the_condition_that_they_were_damaged(name, text):
    if "8–9" in text:
        assert "beskadiget" in text or "damaged" in text


@pytest.mark.parametrize(
    ("slip", "fixed"),
    [
        ("et normalt gene", "en normal gene"),
        ("som et vrid om på anklen", "som når man vrikker om på anklen"),
        ("kan også være hårde for kvinder", "kan også være slemme"),
        ("det kan tage 8–9 måneder for ledbånd at hele", "ledbånd være 8–9 måneder"),
    ],
)
def test_danish_slips_are_fixed(slip, fixed):
    danish = " ".join(text for _, text in FAQ_TEXTS)
    assert slip not in danish
    assert fixed in danish


def test_pain_coming_back_after_birth_stays_a_perhaps():
    danish, english = _variants(FAQ, "utter_faq/after_birth")
    assert "måske i takt med" in danish[0]
    assert "perhaps as" in english[0]


def test_the_question_about_the_birth_is_natural_danish():
    danish, english = _variants(DOMAIN, "utter_ask_time_since_birth")
    assert danish == ["Hvor lang tid er det siden, du fødte?"]
    assert english == ["How long ago did you give birth?"]


def test_there_is_no_question_about_the_pregnancy_week():
    assert "utter_ask_pregnancy_week" not in DOMAIN
