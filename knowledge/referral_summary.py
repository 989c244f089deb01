"""The summary that ends the referral check: her answers as one sentence.

"Du har fortalt mig, at du er gravid, at dine smerter er 4–6 ud af 10, og at
du er blevet undersøgt." / "You told me that you are pregnant, that your pain
is 4–6 out of 10, and that you have been examined." Built from the domain's
``utter_summary_*`` pieces, in her language (``Phrases``), joined as each
language joins a list. The Rasa server renders it when an action sends
``utter_referral_summary`` (``assistant/nlg/response_generator.py``).
"""

from __future__ import annotations

from knowledge.referral_answers import (
    ONE_LEG,
    PLANNING,
    POSTPARTUM,
    PREGNANT,
    SLEEPING,
    STAIRS,
    TURNING_IN_BED,
    WALKING,
    WORK,
    Phrases,
    Situation,
)

SUMMARY_RESPONSE = "utter_referral_summary"
NOTHING_TOLD_RESPONSE = "utter_referral_summary_nothing"
STAGE_RESPONSES = {
    PREGNANT: "utter_summary_pregnant",
    POSTPARTUM: "utter_summary_gave_birth",
    PLANNING: "utter_summary_planning",
}
GAVE_BIRTH_WHEN_RESPONSE = "utter_summary_gave_birth_when"
ACTIVITY_RESPONSES = {
    WALKING: "utter_activity_walking",
    STAIRS: "utter_activity_stairs",
    TURNING_IN_BED: "utter_activity_turning_in_bed",
    ONE_LEG: "utter_activity_one_leg",
    SLEEPING: "utter_activity_sleeping",
    WORK: "utter_activity_work",
}
# Activities named in the plural in English ("stairs are hard").
PLURAL_ACTIVITIES = frozenset({STAIRS})
LIST_SEPARATOR = ", "


def _activities_clause(activities: list[str], texts: Phrases) -> str:
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


def _clauses(situation: Situation, texts: Phrases) -> list[str]:
    """What she told the form, one "at ..." / "that ..." clause per answer."""
    clauses = []
    if situation.stage in STAGE_RESPONSES:
        if situation.stage == POSTPARTUM and situation.time_since_birth:
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


def answers(situation: Situation, texts: Phrases) -> str | None:
    """Her answers as one clause list ("at du er gravid, og at ..."); None if none."""
    clauses = _clauses(situation, texts)
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return texts.text(
        "utter_summary_and_two" if len(clauses) == 2 else "utter_summary_and_more",
        first=LIST_SEPARATOR.join(clauses[:-1]),
        last=clauses[-1],
    )


def summary(situation: Situation, texts: Phrases) -> str:
    """One sentence repeating what she told the check.

    "Du har fortalt mig, at du er gravid, at dine smerter er 4–6 ud af 10, og at du
    er blevet undersøgt." / "You told me that you are pregnant, that your pain
    is 4–6 out of 10, and that you have been examined."
    """
    told = answers(situation, texts)
    if told is None:
        return texts.text(NOTHING_TOLD_RESPONSE)
    return texts.text(SUMMARY_RESPONSE, answers=told)
