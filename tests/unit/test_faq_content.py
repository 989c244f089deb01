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


def _all_texts() -> str:
    """Every text the bot can say: the responses' texts and their buttons."""
    return " ".join(
        " ".join(
            [variation.get("text") or ""]
            + [button["title"] for button in variation.get("buttons") or []]
        )
        for responses in (FAQ, DOMAIN)
        for variations in responses.values()
        for variation in variations
    )


# The clinical and language review of issue 18: each slip must be gone from
# every text, and its fix must be there.
REVIEW_FIXES = [
    ("træneren Thora", "Artiklens forfatter, Thora,"),
    ("trainer Thora", "The article's author, Thora,"),
    ("dansk magasin", "bygget på en dansk artikel"),
    ("Danish magazine", "based on a Danish article"),
    ("Stuge B, Lærum E", "Stuge, Lærum, Kirkesola og Vøllestad"),
    ("i takt med din vejrtrækning", "i forhold til din vejrtrækning"),
    ("in step with your breathing", "in relation to your breathing"),
    ("Hos nogle", "Hos en del kan smerterne"),
    ("For some,", "For quite a few, though"),
    ("men det sker primært", "Artiklens forfatter vurderer, at det primært sker"),
    ("kommer bækkensmerter primært igen", "primært kommer igen"),
    (
        "the article, pelvic pain mainly comes back",
        "In the view of the article's author",
    ),
    ("but mainly if nothing is done", "In the author's view this happens mainly"),
    ("Artiklen siger ikke noget om barnet", "Artiklen handler om dine smerter"),
    ("The article says nothing about the baby", "The article is about your pain"),
    ("Pelvic pain can be very painful", "Pelvic girdle pain can hurt a lot"),
    ("rectus diastase", "rectusdiastase"),
    ("Det hjælper med at undgå", "Så undgår du lettere"),
    ("Tak for at sige det", "Tak, fordi du sagde det – vi kigger på svaret"),
    ("Godt at svaret kunne bruges", "Godt, at du kunne bruge svaret"),
    # the referral check's and the triage's texts
    ("Hvor er du lige nu?", "Er du gravid, har du født, eller planlægger du at"),
    ("Where are you right now?", "Which of these describes you?"),
    ("Hvad gør smerterne svært?", "Hvad har du svært ved på grund af smerterne?"),
    ("What does the pain make hard?", "What is hard to do because of the pain?"),
    ("Ingen af dem", "Ingen af delene"),
    ("sender dig videre til den rette", "hvem du skal kontakte"),
    ("hvis det er livstruende", "Ring 112 ved livsfare."),
    ("står ved magt", "Mit råd er stadig:"),
    ("Du har fortalt, {answers}", "Du har fortalt mig, {answers}"),
    ("kontakt dem igen", "kontakt den, der undersøgte dig, igen"),
    ("You told me nothing yet.", "You haven't told me anything yet."),
    ("Capital Region", "Hovedstaden 1813, Sjælland 1818, Syddanmark 70 11 07 07"),
    ("1813 i Region Hovedstaden", "Midtjylland 70 11 31 31, Nordjylland 70 15 03 00"),
    ("vandafgang før termin", "• vandafgang"),
    ("veer før termin", "regelmæssige veer før uge 37"),
    ("holde på vandet eller afføringen", "at du ikke kan lade vandet"),
    ("smerter under højre ribben", "smerter under ribbenene i højre side"),
    ("hævelse af ansigt og hænder", "pludselig hævelse af ansigt eller hænder"),
    ("mindre end det plejer", "mindre eller anderledes end det plejer"),
]


@pytest.mark.parametrize(("slip", "fixed"), REVIEW_FIXES)
def test_the_review_of_issue_18_is_applied_everywhere(slip, fixed):
    texts = _all_texts()
    assert slip not in texts
    assert fixed in texts


def test_a_time_band_reads_mellem_og():
    danish, english = _variants(DOMAIN, "utter_time_range")
    assert danish == ["mellem {low} og {high}"]


def test_the_worst_pain_in_pregnancy_is_the_fodegang_now_not_today():
    danish, english = _variants(DOMAIN, "utter_advice_severe_pain_now_in_pregnancy")
    assert "fødegangen" in danish[0] and "nu" in danish[0] and "i dag" not in danish[0]
    assert "maternity unit" in english[0] and "today" not in english[0]


def test_recurrence_is_the_authors_view_and_never_her_fault():
    danish, english = _variants(FAQ, "utter_faq/recurrence")
    assert "ikke din skyld" in danish[0] and "not your fault" in english[0]


def test_the_greeting_says_a_thumbs_down_is_kept_for_review():
    danish, english = _variants(DOMAIN, "utter_greet")
    assert "👎" in danish[0] and "forbedre svarene" in danish[0]
    assert "👎" in english[0] and "improve the answers" in english[0]
