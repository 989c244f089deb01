"""Which responses end the referral check, in which order.

The summary first (``utter_referral_summary``: Rasa's response generator
echoes her answers from the slots, ``assistant/nlg/``), then
``advice_responses``: the advice of the decision table
(``utter_advice_<kind>``), whether to get examined, and the reminder. Rasa
renders each in her language; which ones to send is decided here, by plain
functions.
"""

from __future__ import annotations

from actions.referral.advice import (
    NAMES_AN_EXAMINATION,
    SAME_DAY,
    Advice,
    decide,
)
from knowledge.referral_answers import PREGNANT, Situation

# The domain's response for each kind of advice (the urgent advice is
# utter_urgent, sent by the action itself).
ADVICE_RESPONSES = {
    Advice.SEVERE_PAIN_NOW_IN_PREGNANCY: "utter_advice_severe_pain_now_in_pregnancy",
    Advice.SEVERE_PAIN_NOW_IN_EARLY_PREGNANCY: (
        "utter_advice_severe_pain_now_in_early_pregnancy"
    ),
    Advice.SEVERE_PAIN_TODAY: "utter_advice_severe_pain_today",
    Advice.SEE_DOCTOR_OR_MIDWIFE_SOON: "utter_advice_see_doctor_or_midwife_soon",
    Advice.SEE_DOCTOR_SOON: "utter_advice_see_doctor_soon",
    Advice.EXAMINE_BEFORE_PREPARING: "utter_advice_examine_before_preparing",
    Advice.PREPARE_NEXT_PREGNANCY: "utter_advice_prepare_next_pregnancy",
    Advice.CAREFUL_AFTER_BIRTH: "utter_advice_careful_after_birth",
    Advice.EARLY_AFTER_BIRTH: "utter_advice_early_after_birth",
    Advice.PHYSIO_AFTER_BIRTH: "utter_advice_physio_after_birth",
    Advice.PHYSIO_PROGRAM_IN_PREGNANCY: "utter_advice_physio_program_in_pregnancy",
    Advice.MILD_PAIN_IN_PREGNANCY: "utter_advice_mild_pain_in_pregnancy",
    Advice.PREVENT_IN_PREGNANCY: "utter_advice_prevent_in_pregnancy",
}
ALREADY_EXAMINED_RESPONSE = "utter_advice_already_examined"
# Not examined yet: whom to see, by where she is (the midwife only in pregnancy).
NOT_EXAMINED_IN_PREGNANCY_RESPONSE = "utter_advice_not_examined_pregnant"
NOT_EXAMINED_RESPONSE = "utter_advice_not_examined"
REMINDER_RESPONSE = "utter_advice_reminder"


def examined_response(situation: Situation, advice: Advice) -> str | None:
    """The response on whether to get examined, or None when nothing needs adding.

    Not after advice to go today; not "get examined" where the advice already
    says whom to see; not at all when she has no pain and has not been examined.
    """
    if advice in SAME_DAY or situation.examined is None:
        return None
    if situation.examined:
        return ALREADY_EXAMINED_RESPONSE
    if advice in NAMES_AN_EXAMINATION or not situation.in_pain:
        return None
    if situation.stage == PREGNANT:
        return NOT_EXAMINED_IN_PREGNANCY_RESPONSE
    return NOT_EXAMINED_RESPONSE


def advice_responses(situation: Situation) -> list[str]:
    """The responses after the summary: the advice, whom to see, the reminder.

    Empty for a red flag: the urgent advice is the domain's ``utter_urgent``,
    which names the right place for her situation.
    """
    advice = decide(situation)
    if advice is Advice.URGENT:
        return []
    examined = examined_response(situation, advice)
    return [
        ADVICE_RESPONSES[advice],
        *([examined] if examined else []),
        REMINDER_RESPONSE,
    ]
