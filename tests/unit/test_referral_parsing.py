"""Reading the referral form's free-text answers."""

import pytest

from actions.referral.parsing import (
    pain_band_is_valid,
    parse_activities,
    parse_pain_band,
    parse_red_flag_answer,
    parse_stage,
    parse_time_since_birth,
    parse_yes_no,
    time_since_birth_is_valid,
)
from assistant.text import symptom_reports
from knowledge.referral_answers import Amount, PainBand, TimeSinceBirth


@pytest.mark.parametrize(
    ("text", "band"),
    [
        # one number is a one-point band
        ("7", (7, 7)),
        ("7/10", (7, 7)),
        ("syv", (7, 7)),
        ("seven", (7, 7)),
        ("syv ud af ti", (7, 7)),
        ("7 out of 10", (7, 7)),
        ("ca. 6,5", (6.5, 6.5)),
        ("0", (0, 0)),
        ("ti", (10, 10)),
        ("14", (14, 14)),
        # the buttons' payloads and titles
        ("0 – ingen", (0, 0)),
        ("1-3", (1, 3)),
        ("4-6", (4, 6)),
        ("7-8", (7, 8)),
        ("9-10", (9, 10)),
        ("1–3 – lette", (1, 3)),
        ("7–8 – stærke", (7, 8)),
        ("9–10 – worst imaginable", (9, 10)),
        # a band typed in her own words
        ("7–8", (7, 8)),
        ("7 til 8", (7, 8)),
        ("7 to 8", (7, 8)),
        ("syv til otte", (7, 8)),
        ("seven to eight", (7, 8)),
        ("to til tre", (2, 3)),
        ("mellem 7 og 8", (7, 8)),
        ("7 eller 8", (7, 8)),
        ("7-8/10", (7, 8)),
        ("8-7", (7, 8)),
        ("det gør meget ondt", None),
        ("banana", None),
    ],
)
def test_pain_band(text, band):
    expected = PainBand(*band) if band else None
    assert parse_pain_band(text) == expected


@pytest.mark.parametrize(
    ("band", "valid"),
    [((0, 0), True), ((9, 10), True), ((10, 10.5), False), ((14, 14), False)],
)
def test_pain_band_range(band, valid):
    assert pain_band_is_valid(PainBand(*band)) is valid


WEEKS, MONTHS = "weeks", "months"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        # the buttons, Danish and English: the band she chose
        ("Under 6 uger", None, (6, WEEKS)),
        ("6 uger–3 måneder", (6, WEEKS), (3, MONTHS)),
        ("3–9 måneder", (3, MONTHS), (9, MONTHS)),
        ("Mere end 9 måneder", (9, MONTHS), None),
        ("Less than 6 weeks", None, (6, WEEKS)),
        ("6 weeks to 3 months", (6, WEEKS), (3, MONTHS)),
        ("3 to 9 months", (3, MONTHS), (9, MONTHS)),
        ("More than 9 months", (9, MONTHS), None),
        # free text: what she said
        ("3 uger", (3, WEEKS), (3, WEEKS)),
        ("2 weeks ago", (2, WEEKS), (2, WEEKS)),
        ("3 måneder", (3, MONTHS), (3, MONTHS)),
        ("3 maaneder", (3, MONTHS), (3, MONTHS)),
        ("fødte for 3 måneder siden", (3, MONTHS), (3, MONTHS)),
        ("for 1 år siden", (1, "years"), (1, "years")),
        ("a year ago", (1, "years"), (1, "years")),
        ("for et halvt år siden", (6, MONTHS), (6, MONTHS)),
        ("halvanden måned", (1.5, MONTHS), (1.5, MONTHS)),
        ("3 til 9 mdr", (3, MONTHS), (9, MONTHS)),
        ("mellem 3 og 9 måneder", (3, MONTHS), (9, MONTHS)),
        ("for over et år siden", (1, "years"), None),
        ("i går", (1, "days"), (1, "days")),
        ("lige", (0, "days"), (0, "days")),
        ("just now", (0, "days"), (0, "days")),
        ("6", (6, WEEKS), (6, WEEKS)),  # a bare number is weeks
    ],
)
def test_time_since_birth(text, low, high):
    assert parse_time_since_birth(text) == TimeSinceBirth(
        Amount(*low) if low else None, Amount(*high) if high else None
    )


def test_time_since_birth_that_is_not_one():
    assert parse_time_since_birth("banana") is None


@pytest.mark.parametrize(
    ("text", "valid"),
    [("lige", True), ("10 år", True), ("11 år", False), ("over 11 år", False)],
)
def test_time_since_birth_range(text, valid):
    time = parse_time_since_birth(text)
    assert time is not None
    assert time_since_birth_is_valid(time) is valid


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("gravid", "pregnant"),
        ("Jeg er gravid i uge 20", "pregnant"),
        ("I'm pregnant", "pregnant"),
        ("har født", "postpartum"),
        ("I have given birth", "postpartum"),
        ("fødte for 3 måneder siden", "postpartum"),
        ("planlægger en graviditet", "planning"),
        ("planning a pregnancy", "planning"),
        ("we're trying for baby number two", "planning"),
        ("banana", None),
    ],
)
def test_stage(text, stage):
    assert parse_stage(text) == stage


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("ja", True),
        ("Yes", True),
        ("jo", True),
        ("/affirm", True),
        ("nej", False),
        ("no", False),
        ("/deny", False),
        ("måske", None),
        ("banana", None),
    ],
)
def test_yes_no(text, answer):
    assert parse_yes_no(text) is answer


@pytest.mark.parametrize(
    ("text", "activities"),
    [
        ("trapper og at sove", ["stairs", "sleeping"]),
        ("walking and work", ["walking", "work"]),
        ("at vende mig i sengen", ["turning_in_bed"]),
        ("standing on one leg", ["one_leg"]),
        ("at stå på ét ben", ["one_leg"]),
        ("ingen af dem", []),
        ("none of them", []),
        ("nej", []),
        ("banana", None),
    ],
)
def test_activities(text, activities):
    assert parse_activities(text) == activities


# Answers to "do you have bleeding, fever, contractions ... ?" that mean no,
# whatever intent the NLU gives them (the message text is read first).
NO_RED_FLAGS = [
    "nej",
    "Nej.",
    "nej, ingen blødning eller feber",
    "nej ingen blodning eller feber",
    "nej, ingen bloedning eller feber",
    "ingen af delene",
    "Ingen af delene.",
    "ingen",
    "ingen af dem",
    "ingen af de naevnte",
    "jeg har ingen af dem",
    "jeg har ikke nogen af dem",
    "jeg har ikke noget af det",
    "slet ikke",
    "overhovedet ikke",
    "nix",
    "ikke noget af det",
    "alt er fint",
    "no",
    "No.",
    "nope",
    "no bleeding, no fever, the baby moves fine",
    "none of those",
    "None of them",
    "nothing like that",
    "not at all",
    "I don't have any of those",
    "I have none of them",
    "neither",
    "/deny",
]
# Unclear: a "but", "not sure", "maybe" - she is asked again, never taken as no.
UNCLEAR_RED_FLAGS = [
    "nej, men jeg bløder lidt",
    "no, but I have a fever",
    "ingen feber, men lidt blødning",
    "not sure",
    "I don't know",
    "ved ikke",
    "jeg ved det ikke",
    "ikke sikker",
    "måske",
    "maaske",
]


@pytest.mark.parametrize("text", NO_RED_FLAGS)
@pytest.mark.parametrize("intent", [None, "deny", "urgent", "faq", "affirm"])
def test_a_no_to_the_red_flags_in_her_own_words(text, intent):
    assert parse_red_flag_answer(text, intent) is False


@pytest.mark.parametrize("text", UNCLEAR_RED_FLAGS)
@pytest.mark.parametrize("intent", [None, "deny", "faq", "nlu_fallback"])
def test_an_unclear_answer_to_the_red_flags_is_not_a_no(text, intent):
    assert parse_red_flag_answer(text, intent) is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ja", None),
        ("Yes", "deny"),
        ("/affirm", "affirm"),
        ("ja lidt", None),  # a hedged yes is still a yes
        ("måske, jeg er ikke sikker", "affirm"),
        ("det tror jeg", "affirm"),
    ],
)
def test_a_yes_to_the_red_flags(text, intent):
    assert parse_red_flag_answer(text, intent) is True


def test_without_words_the_intent_answers_the_red_flags():
    assert parse_red_flag_answer("det har jeg", "affirm") is True
    assert parse_red_flag_answer("banana", "deny") is False
    assert parse_red_flag_answer("banana", "nlu_fallback") is None
    assert parse_red_flag_answer("det har jeg", "inform") is None


# A no, then her own pelvic pain: the red-flag gate's verdict
# (assistant.text.symptom_reports.denial_then_own_pain, on the message) makes
# it a no to the signs, and the check goes on.
DENIAL_THEN_OWN_PAIN = [
    "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på trapper",
    "Nej ingen bloedning eller feber, men baekkenet goer ondt paa trapper",
    "No bleeding or fever, but my pelvis hurts on the stairs",
    "nej, men mit bækken gør ondt",
    "no, but my hips ache at night",
]
NOT_DENIAL_THEN_OWN_PAIN = [
    "nej, men måske lidt feber",
    "nej, men jeg bløder lidt",
    "no, but I have a fever",
    "ingen feber, men lidt blødning",
    "nej, men jeg har ondt i maven",
    "no, but my back hurts and my calf is swollen",
    "no, but maybe a fever",
    "bækkenet gør ondt, men ingen blødning",
    "nej",
    "",
]


@pytest.mark.parametrize("text", DENIAL_THEN_OWN_PAIN)
@pytest.mark.parametrize("intent", [None, "deny", "report_pain", "urgent", "faq"])
def test_a_no_then_her_own_pelvic_pain_is_a_no(text, intent):
    assert symptom_reports.denial_then_own_pain(text)
    assert parse_red_flag_answer(text, intent, denial_then_own_pain=True) is False


@pytest.mark.parametrize("text", DENIAL_THEN_OWN_PAIN)
def test_without_the_gates_verdict_a_no_with_a_but_is_asked_again(text):
    assert parse_red_flag_answer(text, "deny") is None


@pytest.mark.parametrize("text", NOT_DENIAL_THEN_OWN_PAIN)
def test_anything_else_after_a_no_is_no_denial_then_pain(text):
    assert not symptom_reports.denial_then_own_pain(text)


@pytest.mark.parametrize("text", ["nej, men måske lidt feber", "no, but maybe a fever"])
def test_a_no_with_a_hedged_sign_is_still_asked_again(text):
    assert parse_red_flag_answer(text, "deny") is None
