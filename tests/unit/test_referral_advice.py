"""The referral decision table, row by row, with its band edges (docs/referral.md)."""

import pytest

from actions.referral.advice import (
    Advice,
    care_situation,
    decide,
    stage_from_care_situation,
)
from actions.referral.messages import ADVICE_RESPONSES, advice_responses
from actions.referral.parsing import parse_pain_band, parse_time_since_birth
from knowledge import care_situations
from knowledge.care_situations import CARE_SITUATIONS
from knowledge.referral_answers import Amount, PainBand, Situation, TimeSinceBirth
from knowledge.referral_summary import summary as summary_in
from tests.responses import domain_dict, texts


def band(text):
    return parse_pain_band(text)


def advice_messages(situation, language):
    """What she reads at the end of the check: the summary, then the advice."""
    responses = advice_responses(situation)
    if not responses:
        return []
    phrases = texts(language)
    return [summary(situation, language), *(phrases.text(name) for name in responses)]


def summary(situation, language):
    return summary_in(situation, texts(language))


def since(text):
    return parse_time_since_birth(text)


def pregnant(pain="4-6", activities=(), examined=False, early=False):
    return Situation(
        False, "pregnant", None, band(pain), tuple(activities), examined, early
    )


def postpartum(time="3–9 måneder", pain="1-3", activities=(), examined=False):
    return Situation(
        False, "postpartum", since(time), band(pain), tuple(activities), examined
    )


def planning(pain="0", activities=(), examined=None):
    return Situation(False, "planning", None, band(pain), tuple(activities), examined)


@pytest.mark.parametrize(
    ("situation", "advice"),
    [
        # row 1: a red flag wins over everything
        (Situation(red_flags=True), Advice.URGENT),
        (Situation(True, "planning", pain=band("0")), Advice.URGENT),
        (Situation(True, "pregnant", pain=band("9-10")), Advice.URGENT),
        (
            Situation(True, "pregnant", pain=band("0"), early_pregnancy=True),
            Advice.URGENT,
        ),
        # row 2: the worst imaginable pain (9-10) in pregnancy: now, whom by week
        (pregnant(pain="9-10"), Advice.SEVERE_PAIN_NOW_IN_PREGNANCY),
        (pregnant(pain="9"), Advice.SEVERE_PAIN_NOW_IN_PREGNANCY),
        (pregnant(pain="10"), Advice.SEVERE_PAIN_NOW_IN_PREGNANCY),
        (pregnant(pain="9-10", early=True), Advice.SEVERE_PAIN_NOW_IN_EARLY_PREGNANCY),
        (pregnant(pain="9", early=True), Advice.SEVERE_PAIN_NOW_IN_EARLY_PREGNANCY),
        (pregnant(pain="8.9", early=True), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),
        # row 3: after the birth or planning: today
        (postpartum(pain="9-10"), Advice.SEVERE_PAIN_TODAY),
        (postpartum(time="Under 6 uger", pain="10"), Advice.SEVERE_PAIN_TODAY),
        (planning(pain="9-10"), Advice.SEVERE_PAIN_TODAY),
        # rows 4-5: severe pain (7-8) or three activities hit: soon, whom by stage
        (pregnant(pain="7-8"), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),
        (pregnant(pain="7"), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),
        (pregnant(pain="8.9"), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),
        (pregnant(pain="7-10"), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),  # lower bound
        (
            pregnant(pain="1-3", activities=("stairs", "sleeping", "work")),
            Advice.SEE_DOCTOR_OR_MIDWIFE_SOON,
        ),
        (postpartum(pain="7-8"), Advice.SEE_DOCTOR_SOON),
        (planning(pain="7-8"), Advice.SEE_DOCTOR_SOON),
        (
            postpartum(pain="1-3", activities=("walking", "stairs", "one_leg")),
            Advice.SEE_DOCTOR_SOON,
        ),
        # row 6: planning a pregnancy with pain 4+ now: examined first
        (planning(pain="4-6"), Advice.EXAMINE_BEFORE_PREPARING),
        (planning(pain="4"), Advice.EXAMINE_BEFORE_PREPARING),
        (planning(pain="6", activities=("stairs",)), Advice.EXAMINE_BEFORE_PREPARING),
        # row 7: planning a pregnancy, pain 0-3
        (planning(pain="0"), Advice.PREPARE_NEXT_PREGNANCY),
        (planning(pain="1-3"), Advice.PREPARE_NEXT_PREGNANCY),
        (planning(pain="3.9"), Advice.PREPARE_NEXT_PREGNANCY),
        # rows 8-10: after the birth
        (postpartum(time="3–9 måneder", pain="0"), Advice.CAREFUL_AFTER_BIRTH),
        (postpartum(time="Under 6 uger", pain="0"), Advice.CAREFUL_AFTER_BIRTH),
        (postpartum(time="Under 6 uger", pain="1-3"), Advice.EARLY_AFTER_BIRTH),
        (postpartum(time="lige", pain="4-6"), Advice.EARLY_AFTER_BIRTH),
        (postpartum(time="6 uger", pain="4-6"), Advice.EARLY_AFTER_BIRTH),
        (postpartum(time="6 uger–3 måneder", pain="4-6"), Advice.PHYSIO_AFTER_BIRTH),
        (postpartum(time="3–9 måneder", pain="1-3"), Advice.PHYSIO_AFTER_BIRTH),
        (postpartum(time="Mere end 9 måneder", pain="1"), Advice.PHYSIO_AFTER_BIRTH),
        (postpartum(time="7 uger", pain="6"), Advice.PHYSIO_AFTER_BIRTH),
        (
            Situation(False, "postpartum", None, band("4-6")),
            Advice.EARLY_AFTER_BIRTH,  # time unknown: the earlier, safer row
        ),
        # rows 11-13: pregnant
        (pregnant(pain="4-6"), Advice.PHYSIO_PROGRAM_IN_PREGNANCY),
        (pregnant(pain="4"), Advice.PHYSIO_PROGRAM_IN_PREGNANCY),
        (pregnant(pain="6.9"), Advice.PHYSIO_PROGRAM_IN_PREGNANCY),
        (pregnant(pain="1-3"), Advice.MILD_PAIN_IN_PREGNANCY),
        (pregnant(pain="3.9"), Advice.MILD_PAIN_IN_PREGNANCY),
        (pregnant(pain="0-3"), Advice.MILD_PAIN_IN_PREGNANCY),  # some pain
        (
            pregnant(pain="1", activities=("stairs", "sleeping")),
            Advice.MILD_PAIN_IN_PREGNANCY,
        ),
        (pregnant(pain="0"), Advice.PREVENT_IN_PREGNANCY),
        (pregnant(pain="4-6", early=True), Advice.PHYSIO_PROGRAM_IN_PREGNANCY),
        (pregnant(pain="1-3", early=True), Advice.MILD_PAIN_IN_PREGNANCY),
        (pregnant(pain="0", early=True), Advice.PREVENT_IN_PREGNANCY),
    ],
)
def test_decision_table(situation, advice):
    assert decide(situation) is advice


def test_every_kind_of_advice_but_urgent_has_a_text_in_both_languages():
    # the urgent advice is utter_urgent in the domain, written once, by situation
    assert set(ADVICE_RESPONSES) == set(Advice) - {Advice.URGENT}
    responses = domain_dict()["responses"]
    for name in ADVICE_RESPONSES.values():
        danish = [v["text"] for v in responses[name] if "condition" not in v]
        english = [v["text"] for v in responses[name] if "condition" in v]
        assert len(danish) == 1 and len(english) == 1 and danish[0] and english[0]


# Which responses end the check: a pure function of what she told the form
@pytest.mark.parametrize(
    ("situation", "responses"),
    [
        (Situation(red_flags=True), []),  # the action sends utter_urgent instead
        (
            pregnant(pain="4-6", examined=True),
            [
                "utter_advice_physio_program_in_pregnancy",
                "utter_advice_already_examined",
                "utter_advice_reminder",
            ],
        ),
        (
            pregnant(pain="1-3", examined=False),
            [
                "utter_advice_mild_pain_in_pregnancy",
                "utter_advice_not_examined_pregnant",
                "utter_advice_reminder",
            ],
        ),
        (
            postpartum(pain="1-3", examined=False),
            [
                "utter_advice_physio_after_birth",
                "utter_advice_not_examined",
                "utter_advice_reminder",
            ],
        ),
        # go now or today: nothing about a plan or an examination
        (
            pregnant(pain="9-10", examined=True),
            [
                "utter_advice_severe_pain_now_in_pregnancy",
                "utter_advice_reminder",
            ],
        ),
        (
            pregnant(pain="9-10", examined=False, early=True),
            [
                "utter_advice_severe_pain_now_in_early_pregnancy",
                "utter_advice_reminder",
            ],
        ),
        (
            postpartum(pain="9-10", examined=True),
            ["utter_advice_severe_pain_today", "utter_advice_reminder"],
        ),
        # the advice already says whom to see
        (
            planning(pain="4-6", examined=False),
            ["utter_advice_examine_before_preparing", "utter_advice_reminder"],
        ),
        # no pain and not examined: no nagging
        (
            pregnant(pain="0", examined=False),
            ["utter_advice_prevent_in_pregnancy", "utter_advice_reminder"],
        ),
        # not asked whether examined
        (
            planning(pain="0", examined=None),
            ["utter_advice_prepare_next_pregnancy", "utter_advice_reminder"],
        ),
    ],
)
def test_the_responses_after_the_summary(situation, responses):
    assert advice_responses(situation) == responses


def test_a_red_flag_gets_no_advice_text_of_its_own():
    assert advice_messages(Situation(red_flags=True), "en") == []


# care_situation: whom the urgent advice names if a red flag comes up later
@pytest.mark.parametrize(
    ("stage", "time", "known", "situation"),
    [
        ("pregnant", None, None, "pregnant"),
        ("pregnant", None, "not_pregnant", "pregnant"),
        ("pregnant", None, "early_pregnancy", "early_pregnancy"),  # week told
        ("pregnant", None, "recently_gave_birth", "pregnant"),
        ("planning", None, "early_pregnancy", "not_pregnant"),
        ("postpartum", "Under 6 uger", "early_pregnancy", "recently_gave_birth"),
        ("postpartum", None, "early_pregnancy", None),
        (None, None, "early_pregnancy", "early_pregnancy"),
        ("planning", None, "pregnant", "not_pregnant"),
        ("postpartum", "Under 6 uger", None, "recently_gave_birth"),
        ("postpartum", "lige", "pregnant", "recently_gave_birth"),
        ("postpartum", "6 uger", None, "recently_gave_birth"),
        ("postpartum", "6 uger–3 måneder", None, "not_pregnant"),
        ("postpartum", "7 weeks", "recently_gave_birth", "not_pregnant"),
        ("postpartum", "3–9 måneder", None, "not_pregnant"),
        ("postpartum", "More than 9 months", None, "not_pregnant"),
        # given birth, not yet said when: keep what fits a birth, else unknown
        ("postpartum", None, "recently_gave_birth", "recently_gave_birth"),
        ("postpartum", None, "not_pregnant", "not_pregnant"),
        ("postpartum", None, "pregnant", None),
        ("postpartum", None, None, None),
        (None, None, "pregnant", "pregnant"),
        (None, None, None, None),
    ],
)
def test_care_situation(stage, time, known, situation):
    assert care_situation(stage, since(time) if time else None, known) == situation


@pytest.mark.parametrize(
    ("known", "stage"),
    [
        ("early_pregnancy", "pregnant"),
        ("pregnant", "pregnant"),
        ("recently_gave_birth", "postpartum"),
        ("not_pregnant", None),  # planning, or later after the birth: asked
        (None, None),
    ],
)
def test_the_stage_the_check_takes_as_told(known, stage):
    assert stage_from_care_situation(known) == stage


def test_the_domain_has_the_care_situation_values_both_processes_share():
    slot = domain_dict()["slots"][care_situations.SLOT]
    assert tuple(slot["values"]) == CARE_SITUATIONS
    conditions = {
        condition["value"]
        for variation in domain_dict()["responses"]["utter_urgent"]
        for condition in variation.get("condition", [])
        if condition["name"] == "care_situation"
    }
    assert conditions == {None, *CARE_SITUATIONS}


# The summary: one sentence that echoes what she chose
@pytest.mark.parametrize(
    ("situation", "danish", "english"),
    [
        (
            pregnant(pain="4-6", activities=("walking", "stairs"), examined=True),
            "Du har fortalt mig, at du er gravid, at dine smerter er 4–6 ud af 10, "
            "at det er svært at gå og gå på trapper, og at du er blevet undersøgt.",
            "You told me that you are pregnant, that your pain is 4–6 out of 10, that "
            "walking and stairs are hard, and that you have been examined.",
        ),
        (
            postpartum(time="3–9 måneder", pain="7", examined=False),
            "Du har fortalt mig, at du har født for mellem 3 og 9 måneder siden, at "
            "dine smerter er 7 ud af 10, og at du ikke er blevet undersøgt endnu.",
            "You told me that you gave birth 3 to 9 months ago, that your pain is 7 "
            "out of 10, and that you have not been examined yet.",
        ),
        (
            postpartum(time="Under 6 uger", pain="0", examined=None),
            "Du har fortalt mig, at du har født for under 6 uger siden, og at du "
            "ikke har ondt lige nu.",
            "You told me that you gave birth less than 6 weeks ago and that you are "
            "not in pain right now.",
        ),
        (
            postpartum(time="3 måneder", pain="6,5", activities=("sleeping",)),
            "Du har fortalt mig, at du har født for 3 måneder siden, at dine "
            "smerter er 6,5 ud af 10, at det er svært at sove, og at du ikke er "
            "blevet undersøgt endnu.",
            "You told me that you gave birth 3 months ago, that your pain is 6.5 out "
            "of 10, that sleeping is hard, and that you have not been examined yet.",
        ),
        (
            planning(pain="9-10", activities=("stairs",)),
            "Du har fortalt mig, at du planlægger en graviditet, at dine smerter er "
            "9–10 ud af 10, og at det er svært at gå på trapper.",
            "You told me that you are planning a pregnancy, that your pain is 9–10 "
            "out of 10, and that stairs are hard.",
        ),
        (
            Situation(False, pain=band("2")),
            "Du har fortalt mig, at dine smerter er 2 ud af 10.",
            "You told me that your pain is 2 out of 10.",
        ),
    ],
)
def test_summary_is_one_sentence_in_each_language(situation, danish, english):
    assert summary(situation, "da") == danish
    assert summary(situation, "en") == english


@pytest.mark.parametrize(
    ("time", "danish", "english"),
    [
        ("Under 6 uger", "for under 6 uger siden", "less than 6 weeks ago"),
        (
            "6 uger–3 måneder",
            "for mellem 6 uger og 3 måneder siden",
            "6 weeks to 3 months ago",
        ),
        ("3–9 måneder", "for mellem 3 og 9 måneder siden", "3 to 9 months ago"),
        (
            "More than 9 months",
            "for mere end 9 måneder siden",
            "more than 9 months ago",
        ),
        ("3 måneder", "for 3 måneder siden", "3 months ago"),
        ("1 uge", "for 1 uge siden", "1 week ago"),
        ("et år", "for 1 år siden", "1 year ago"),
        ("lige", "for ganske nylig", "very recently"),
    ],
)
def test_the_time_since_birth_is_echoed_as_she_chose_it(time, danish, english):
    assert since(time).describe_ago(texts("da")) == danish
    assert since(time).describe_ago(texts("en")) == english


def test_a_band_is_kept_in_its_slot_as_json_friendly_data():
    assert band("7-8").to_slot() == [7, 8]
    assert PainBand.from_slot([7, 8]) == PainBand(7, 8)
    assert PainBand.from_slot(7) == PainBand(7, 7)  # older conversations
    assert PainBand.from_slot("7") is None
    time = since("6 uger–3 måneder")
    assert time.to_slot() == {"from": [6, "weeks"], "to": [3, "months"]}
    assert TimeSinceBirth.from_slot(time.to_slot()) == time
    assert TimeSinceBirth.from_slot({"from": None, "to": [6, "weeks"]}) == (
        TimeSinceBirth(None, Amount(6, "weeks"))
    )
    assert TimeSinceBirth.from_slot(8.7) is None


# The texts of the decision-table fixes
LÆGEVAGTEN = ("1813", "1818", "70 11 07 07", "70 11 31 31", "70 15 03 00")


def test_worst_pain_in_pregnancy_sends_her_to_the_fødegang_now():
    situation = pregnant(pain="9-10", examined=True)
    danish = advice_messages(situation, "da")
    english = advice_messages(situation, "en")
    for text in (danish[1], english[1]):
        assert "fødegangen" in text
        # the week not known: before week 22, egen læge or lægevagten, briefly
        assert "uge 22" in text or "week 22" in text
        assert all(number in text for number in LÆGEVAGTEN)
    assert "nu" in danish[1] and "hele døgnet" in danish[1]
    assert "i dag" not in danish[1] and "today" not in english[1]
    assert danish[1].index("fødegangen") < danish[1].index("egen læge")
    assert "now" in english[1] and "day and night" in english[1]
    assert "snarest" not in danish[1] and "soon" not in english[1]
    # no "follow the plan you were given" next to go-now advice
    assert not any("plan" in m for m in danish + english)


def test_worst_pain_in_early_pregnancy_goes_to_egen_læge_or_lægevagten_now():
    situation = pregnant(pain="9-10", examined=True, early=True)
    danish = advice_messages(situation, "da")[1]
    english = advice_messages(situation, "en")[1]
    assert "egen læge nu" in danish and "fødegang" not in danish
    assert "GP (egen læge) now" in english and "maternity" not in english
    for text in (danish, english):
        assert "lægevagten" in text and "vandrejournal" in text
        assert all(number in text for number in LÆGEVAGTEN)


def test_worst_pain_after_birth_says_today_and_lægevagten_not_the_fødegang():
    [_, advice, reminder] = advice_messages(postpartum(pain="9-10"), "da")
    assert "egen læge i dag" in advice and "lægevagten" in advice
    assert all(number in advice for number in LÆGEVAGTEN)
    assert "fødegang" not in advice
    assert reminder.startswith("Husk:")


@pytest.mark.parametrize(
    ("situation", "danish", "english"),
    [
        (pregnant(pain="7-8"), "egen læge eller din jordemoder", "GP"),
        (postpartum(pain="7-8"), "egen læge", "GP"),
        (planning(pain="7-8"), "egen læge", "GP"),
    ],
)
def test_severe_pain_is_seen_soon_by_the_right_contact(situation, danish, english):
    da = advice_messages(situation, "da")[1]
    en = advice_messages(situation, "en")[1]
    assert "snarest" in da and danish in da
    assert "soon" in en and english in en
    if situation.stage != "pregnant":
        assert "jordemoder" not in da and "midwife" not in en


def test_planning_with_pain_4_or_more_is_told_to_have_it_examined_first():
    for language, first, then in (
        ("da", "få først smerterne undersøgt hos din egen læge", "forberede"),
        ("en", "first have it examined by your own GP", "prepare"),
    ):
        advice = advice_messages(planning(pain="4-6"), language)[1]
        assert first in advice
        assert advice.index(first) < advice.index(then)


def test_after_birth_the_contacts_are_the_gp_and_the_health_visitor():
    danish = " ".join(advice_messages(postpartum(time="Under 6 uger"), "da"))
    english = " ".join(advice_messages(postpartum(time="Under 6 uger"), "en"))
    assert "egen læge" in danish and "efterundersøgelsen ca. 8 uger" in danish
    assert "sundhedsplejersken" in danish
    assert "jordemoder" not in danish and "efterfødselskontrol" not in danish
    assert "GP" in english and "check-up about 8 weeks after the birth" in english
    assert "health visitor (sundhedsplejerske)" in english
    assert "midwife" not in english and "postnatal check" not in english


@pytest.mark.parametrize(
    "situation",
    [
        postpartum(time="Under 6 uger", pain="1-3"),
        postpartum(time="3–9 måneder", pain="4-6"),
        postpartum(time="3–9 måneder", pain="0"),
    ],
)
def test_after_birth_no_text_sends_her_to_the_midwife(situation):
    messages = advice_messages(situation, "da") + advice_messages(situation, "en")
    assert not any("jordemoder" in m or "midwife" in m for m in messages)


@pytest.mark.parametrize(
    "situation",
    [
        postpartum(time="Under 6 uger", pain="1-3"),
        postpartum(time="3–9 måneder", pain="4-6"),
        postpartum(time="3–9 måneder", pain="0"),
    ],
)
def test_ligament_healing_and_returning_pain_keep_the_articles_hedges(situation):
    danish = advice_messages(situation, "da")[1]
    english = advice_messages(situation, "en")[1]
    assert "Hvis ledbånd" in danish and "beskadiget" in danish
    assert "kan de være 8–9 måneder om at hele" in danish
    assert "If ligaments" in english and "were damaged" in english
    if "tilbage" in danish:
        assert "måske i takt med" in danish
        assert "perhaps as" in english


def test_no_pain_and_not_examined_does_not_nag_about_an_examination():
    messages = advice_messages(pregnant(pain="0", examined=False), "da")
    assert not any("ikke blevet undersøgt endnu:" in message for message in messages)


def test_mild_pain_not_examined_is_told_whom_to_see_by_stage():
    pregnant_text = advice_messages(pregnant(pain="1-3"), "en")[2]
    after_birth_text = advice_messages(postpartum(pain="1-3"), "en")[2]
    assert pregnant_text.startswith("You haven't been examined yet")
    assert "midwife" in pregnant_text
    assert "midwife" not in after_birth_text and "GP" in after_birth_text
