"""What the bot says at the end of the referral check, in her language.

Which responses, in which order: ``summary`` repeats her answers as one
sentence, built from the domain's ``utter_summary_*`` pieces;
``advice_messages`` adds the advice of the decision table
(``utter_advice_<kind>``), whether to get examined, and the reminder. The
texts are the domain's responses (``texts``: see actions/responses.py); which
one to send is decided here, by plain functions.
"""

from __future__ import annotations

from actions.referral.advice import (
    NAMES_AN_EXAMINATION,
    SAME_DAY,
    Advice,
    Situation,
    decide,
)
from actions.responses import Responses

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

SUMMARY_RESPONSE = "utter_referral_summary"
NOTHING_TOLD_RESPONSE = "utter_referral_summary_nothing"
STAGE_RESPONSES = {
    "pregnant": "utter_summary_pregnant",
    "postpartum": "utter_summary_gave_birth",
    "planning": "utter_summary_planning",
}
GAVE_BIRTH_WHEN_RESPONSE = "utter_summary_gave_birth_when"
ACTIVITY_RESPONSES = {
    "walking": "utter_activity_walking",
    "stairs": "utter_activity_stairs",
    "turning_in_bed": "utter_activity_turning_in_bed",
    "one_leg": "utter_activity_one_leg",
    "sleeping": "utter_activity_sleeping",
    "work": "utter_activity_work",
}
# Activities named in the plural in English ("stairs are hard").
PLURAL_ACTIVITIES = frozenset({"stairs"})
LIST_SEPARATOR = ", "


def _activities_clause(activities: list[str], texts: Responses) -> str:
    """The clause on what is hard: "that walking and sleeping are hard"."""
    names = [texts.text(ACTIVITY_RESPONSES[activity]) for activity in activities]
    hard = names[0]
    if len(names) > 1:
        hard = texts.text(
            "utter_summary_and_activities",
            first=LIST_SEPARATOR.join(names[:-1]),
            last=names[-1],
        )
    plural = len(activities) > 1 or activities[0] in PLURAL_ACTIVITIES
    return texts.text(
        "utter_summary_activities_hard" if plural else "utter_summary_activity_hard",
        activities=hard,
    )


def _clauses(situation: Situation, texts: Responses) -> list[str]:
    """What she told the form, one "at ..." / "that ..." clause per answer."""
    clauses = []
    if situation.stage in STAGE_RESPONSES:
        if situation.stage == "postpartum" and situation.time_since_birth:
            when = situation.time_since_birth.describe_ago(texts)
            clauses.append(texts.text(GAVE_BIRTH_WHEN_RESPONSE, when=when))
        else:
            clauses.append(texts.text(STAGE_RESPONSES[situation.stage]))
    if situation.pain is not None:
        if situation.pain.high == 0:
            clauses.append(texts.text("utter_summary_no_pain"))
        else:
            pain = situation.pain.describe(texts.language)
            clauses.append(texts.text("utter_summary_pain", pain=pain))
    activities = [a for a in situation.activities if a in ACTIVITY_RESPONSES]
    if activities:
        clauses.append(_activities_clause(activities, texts))
    if situation.examined is not None:
        clauses.append(
            texts.text(
                "utter_summary_examined"
                if situation.examined
                else "utter_summary_not_examined"
            )
        )
    return clauses


def summary(situation: Situation, texts: Responses) -> str:
    """One sentence repeating what she told the form.

    "Du har fortalt mig, at du er gravid, at dine smerter er 4–6 ud af 10, og at du
    er blevet undersøgt." / "You told me that you are pregnant, that your pain
    is 4–6 out of 10, and that you have been examined."
    """
    clauses = _clauses(situation, texts)
    if not clauses:
        return texts.text(NOTHING_TOLD_RESPONSE)
    if len(clauses) == 1:
        answers = clauses[0]
    else:
        answers = texts.text(
            "utter_summary_and_two" if len(clauses) == 2 else "utter_summary_and_more",
            first=LIST_SEPARATOR.join(clauses[:-1]),
            last=clauses[-1],
        )
    return texts.text(SUMMARY_RESPONSE, answers=answers)


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
    if situation.stage == "pregnant":
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


def advice_messages(situation: Situation, texts: Responses) -> list[str]:
    """The summary, the advice, whom to see, and the reminder, in her language."""
    responses = advice_responses(situation)
    if not responses:
        return []
    return [summary(situation, texts), *(texts.text(name) for name in responses)]
