"""The referral decision table, row by row, with its edge values (docs/referral.md)."""

import pytest

from actions.referral.advice import (
    Advice,
    Situation,
    advice_messages,
    decide,
    summary,
)


def pregnant(week=24, pain=5, activities=(), examined=False):
    return Situation(False, "pregnant", week, None, pain, tuple(activities), examined)


def postpartum(weeks=13, pain=3, activities=(), examined=False):
    return Situation(
        False, "postpartum", None, weeks, pain, tuple(activities), examined
    )


def planning(pain=0, activities=(), examined=None):
    return Situation(False, "planning", None, None, pain, tuple(activities), examined)


@pytest.mark.parametrize(
    ("situation", "advice"),
    [
        # row 1: a red flag wins over everything
        (Situation(red_flags=True), Advice.URGENT),
        (Situation(True, "planning", pain_level=0), Advice.URGENT),
        # row 2: severe pain (7-10) or three or more activities hit
        (pregnant(pain=7), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),
        (pregnant(pain=10), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),
        (postpartum(pain=8), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),
        (planning(pain=9), Advice.SEE_DOCTOR_OR_MIDWIFE_SOON),
        (
            pregnant(pain=3, activities=("stairs", "sleeping", "work")),
            Advice.SEE_DOCTOR_OR_MIDWIFE_SOON,
        ),
        # row 3: planning a pregnancy
        (planning(pain=0), Advice.PREPARE_NEXT_PREGNANCY),
        (planning(pain=6, activities=("stairs",)), Advice.PREPARE_NEXT_PREGNANCY),
        # rows 4-6: after the birth
        (postpartum(weeks=13, pain=0), Advice.CAREFUL_AFTER_BIRTH),
        (postpartum(weeks=0, pain=3), Advice.EARLY_AFTER_BIRTH),
        (postpartum(weeks=6, pain=6), Advice.EARLY_AFTER_BIRTH),
        (postpartum(weeks=6.1, pain=4), Advice.PHYSIO_AFTER_BIRTH),
        (postpartum(weeks=52, pain=1), Advice.PHYSIO_AFTER_BIRTH),
        # rows 7-9: pregnant
        (pregnant(week=0, pain=4), Advice.PHYSIO_PROGRAM_IN_PREGNANCY),
        (pregnant(week=42, pain=6.9), Advice.PHYSIO_PROGRAM_IN_PREGNANCY),
        (pregnant(pain=3.9), Advice.MILD_PAIN_IN_PREGNANCY),
        (
            pregnant(pain=1, activities=("stairs", "sleeping")),
            Advice.MILD_PAIN_IN_PREGNANCY,
        ),
        (pregnant(week=42, pain=0), Advice.PREVENT_IN_PREGNANCY),
    ],
)
def test_decision_table(situation, advice):
    assert decide(situation) is advice


def test_every_kind_of_advice_is_reachable_and_has_both_languages():
    from actions.referral.advice import ADVICE_TEXT

    assert set(ADVICE_TEXT) == set(Advice)
    assert all(len(texts) == 2 and all(texts) for texts in ADVICE_TEXT.values())


def test_the_advice_repeats_what_she_said_then_advises_then_reminds_in_danish():
    messages = advice_messages(
        pregnant(week=24, pain=7, activities=("stairs", "sleeping"), examined=False),
        "da",
    )
    assert messages[0] == (
        "Du har fortalt, at du er gravid i uge 24; smerter 7/10; "
        "svært: trapper og at sove; ikke undersøgt endnu."
    )
    assert "snarest kontakte din læge eller jordemoder" in messages[1]
    assert (
        "få dig undersøgt af din læge, jordemoder eller en fysioterapeut" in messages[2]
    )
    assert messages[-1].startswith("Husk: dette er generel information")


def test_the_advice_in_english_after_birth_mentions_ligament_healing():
    messages = advice_messages(postpartum(weeks=13, pain=3, examined=True), "en")
    assert messages[0] == (
        "You told me that you have given birth (13 weeks ago); pain 3/10; examined."
    )
    assert "8–9 months" in messages[1]
    assert messages[2].startswith("You have already been examined")
    assert messages[-1].startswith("Remember: this is general information")


def test_urgent_advice_is_alone_and_first():
    [message] = advice_messages(Situation(red_flags=True), "en")
    assert message.startswith("Contact your midwife or the maternity ward now")
    assert "112" in message


def test_no_pain_and_not_examined_does_not_nag_about_an_examination():
    messages = advice_messages(pregnant(pain=0, examined=False), "da")
    assert not any("ikke blevet undersøgt" in message for message in messages)


def test_summary_without_a_stage_still_reads():
    assert summary(Situation(False, pain_level=2), "en") == "You told me: pain 2/10."
