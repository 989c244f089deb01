"""The referral advice: a documented decision table, as pure functions.

``decide`` maps what she told the form to one kind of advice (first matching
row wins; the table is in docs/referral.md and tested row by row).
``care_situation`` says where she is for the urgent advice (the
``care_situation`` slot: the values and the six weeks after the birth are
``knowledge/care_situations.py``, shared with the Rasa server).
``stage_from_care_situation`` is the stage the check takes as answered when
it starts (docs/referral.md, "The questions"). Which responses say it is
``messages.py``; the texts themselves are responses in domain.yml.
"""

from __future__ import annotations

from enum import Enum

from knowledge.care_situations import (
    EARLY_AFTER_BIRTH_WEEKS,
    EARLY_PREGNANCY,
    NOT_PREGNANT,
    PREGNANT,
    RECENTLY_GAVE_BIRTH,
)
from knowledge.referral_answers import (
    PLANNING,
    POSTPARTUM,
    Situation,
    TimeSinceBirth,
)
from knowledge.referral_answers import PREGNANT as PREGNANT_STAGE

# Pain thresholds on the band's lower bound; they fall on the buttons' band
# edges (0, 1–3, 4–6, 7–8, 9–10).
WORST_PAIN = 9  # 9-10: "the worst imaginable"
SEVERE_PAIN = 7  # 7-8
MODERATE_PAIN = 4  # 4-6
LARGE_IMPACT = 3  # activities the pain stops her from doing


class Advice(Enum):
    """The kinds of advice, one per row of the decision table."""

    URGENT = "urgent"
    SEVERE_PAIN_NOW_IN_PREGNANCY = "severe_pain_now_in_pregnancy"
    SEVERE_PAIN_NOW_IN_EARLY_PREGNANCY = "severe_pain_now_in_early_pregnancy"
    SEVERE_PAIN_TODAY = "severe_pain_today"
    SEE_DOCTOR_OR_MIDWIFE_SOON = "see_doctor_or_midwife_soon"
    SEE_DOCTOR_SOON = "see_doctor_soon"
    EXAMINE_BEFORE_PREPARING = "examine_before_preparing"
    PREPARE_NEXT_PREGNANCY = "prepare_next_pregnancy"
    CAREFUL_AFTER_BIRTH = "careful_after_birth"
    EARLY_AFTER_BIRTH = "early_after_birth"
    PHYSIO_AFTER_BIRTH = "physio_after_birth"
    PHYSIO_PROGRAM_IN_PREGNANCY = "physio_program_in_pregnancy"
    MILD_PAIN_IN_PREGNANCY = "mild_pain_in_pregnancy"
    PREVENT_IN_PREGNANCY = "prevent_in_pregnancy"


# Advice that sends her somewhere now or today: no "follow the plan you were given".
SAME_DAY = frozenset(
    {
        Advice.URGENT,
        Advice.SEVERE_PAIN_NOW_IN_PREGNANCY,
        Advice.SEVERE_PAIN_NOW_IN_EARLY_PREGNANCY,
        Advice.SEVERE_PAIN_TODAY,
    }
)
# Advice that already says whom to see for an examination.
NAMES_AN_EXAMINATION = SAME_DAY | {
    Advice.SEE_DOCTOR_OR_MIDWIFE_SOON,
    Advice.SEE_DOCTOR_SOON,
    Advice.EXAMINE_BEFORE_PREPARING,
}


def _gave_birth_recently(time: TimeSinceBirth | None) -> bool:
    """Within six weeks of the birth; an unknown time counts as recent."""
    return time is None or time.at_most_weeks(EARLY_AFTER_BIRTH_WEEKS)


def decide(situation: Situation) -> Advice:
    """The advice for her situation: the first row of the table that matches."""
    pregnant = situation.stage == PREGNANT_STAGE
    if situation.red_flags:
        return Advice.URGENT
    if situation.pain_floor >= WORST_PAIN:
        if pregnant and situation.early_pregnancy:
            return Advice.SEVERE_PAIN_NOW_IN_EARLY_PREGNANCY
        if pregnant:
            return Advice.SEVERE_PAIN_NOW_IN_PREGNANCY
        return Advice.SEVERE_PAIN_TODAY
    if situation.pain_floor >= SEVERE_PAIN or len(situation.activities) >= LARGE_IMPACT:
        return Advice.SEE_DOCTOR_OR_MIDWIFE_SOON if pregnant else Advice.SEE_DOCTOR_SOON
    if situation.stage == PLANNING:
        if situation.pain_floor >= MODERATE_PAIN:
            return Advice.EXAMINE_BEFORE_PREPARING
        return Advice.PREPARE_NEXT_PREGNANCY
    if situation.stage == POSTPARTUM:
        if not situation.in_pain:
            return Advice.CAREFUL_AFTER_BIRTH
        if _gave_birth_recently(situation.time_since_birth):
            return Advice.EARLY_AFTER_BIRTH
        return Advice.PHYSIO_AFTER_BIRTH
    if situation.pain_floor >= MODERATE_PAIN:
        return Advice.PHYSIO_PROGRAM_IN_PREGNANCY
    if situation.in_pain:
        return Advice.MILD_PAIN_IN_PREGNANCY
    return Advice.PREVENT_IN_PREGNANCY


def care_situation(
    stage: str | None,
    time_since_birth: TimeSinceBirth | None = None,
    known: str | None = None,
) -> str | None:
    """Where she is, for whom the urgent advice sends her to (``care_situation``).

    Pregnant -> "early_pregnancy" if that was ``known`` (her words gave a week
    before 22), else "pregnant"; planning a pregnancy -> "not_pregnant"; given
    birth -> "recently_gave_birth" up to six weeks after the birth, else
    "not_pregnant". Given birth but not yet said when: what was ``known`` if it
    fits a birth, else unknown (None), so the urgent advice names both places
    rather than guess. No stage yet: ``known`` stands.
    """
    if stage == PREGNANT_STAGE:
        return EARLY_PREGNANCY if known == EARLY_PREGNANCY else PREGNANT
    if stage == PLANNING:
        return NOT_PREGNANT
    if stage == POSTPARTUM:
        if time_since_birth is not None:
            recent = time_since_birth.at_most_weeks(EARLY_AFTER_BIRTH_WEEKS)
            return RECENTLY_GAVE_BIRTH if recent else NOT_PREGNANT
        return known if known in (RECENTLY_GAVE_BIRTH, NOT_PREGNANT) else None
    return known


def stage_from_care_situation(known: str | None) -> str | None:
    """The stage the check takes as told when it starts, from ``care_situation``.

    Pregnant (early or not) -> "pregnant"; within six weeks of the birth ->
    "postpartum" (when is still asked). "not_pregnant" may be planning or later
    after the birth, and unknown is unknown: both are asked (None).
    """
    if known in (EARLY_PREGNANCY, PREGNANT):
        return PREGNANT_STAGE
    if known == RECENTLY_GAVE_BIRTH:
        return POSTPARTUM
    return None
