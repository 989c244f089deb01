"""What the bot says at the end of the referral check, in her language.

``summary`` repeats her answers as one sentence; ``advice_messages`` adds the
advice of the decision table, whether to get examined, and the reminder.
"""

from __future__ import annotations

from actions.referral.advice import (
    NAMES_AN_EXAMINATION,
    SAME_DAY,
    Advice,
    Situation,
    decide,
)
from actions.referral.texts import (
    ACTIVITY_NAMES,
    ADVICE_TEXT,
    ALREADY_EXAMINED_TEXT,
    NOT_EXAMINED_TEXT,
    PLURAL_ACTIVITIES,
    REMINDER,
    STAGE_CLAUSE,
)


def _index(language: str) -> int:
    return 1 if language == "en" else 0


def _and(items: list[str], language: str) -> str:
    """Join with a final "og" / "and": "a, b og c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (" and " if language == "en" else " og ") + items[-1]


def _clauses(situation: Situation, language: str) -> list[str]:
    """What she told the form, one clause per answer."""
    i = _index(language)
    english = i == 1
    clauses = []
    if situation.stage in STAGE_CLAUSE:
        stage = STAGE_CLAUSE[situation.stage][i]
        if situation.stage == "postpartum" and situation.time_since_birth:
            when = situation.time_since_birth.describe_ago(language)
            stage = f"you gave birth {when}" if english else f"{stage} {when}"
        clauses.append(stage)
    if situation.pain is not None:
        if situation.pain.high == 0:
            clauses.append(
                "you are not in pain right now"
                if english
                else "du ikke har ondt lige nu"
            )
        else:
            pain = situation.pain.describe(language)
            clauses.append(
                f"your pain is {pain} out of 10"
                if english
                else f"dine smerter er {pain} ud af 10"
            )
    activities = [a for a in situation.activities if a in ACTIVITY_NAMES]
    if activities:
        hard = _and([ACTIVITY_NAMES[a][i] for a in activities], language)
        if english:
            plural = len(activities) > 1 or activities[0] in PLURAL_ACTIVITIES
            clauses.append(f"{hard} {'are' if plural else 'is'} hard")
        else:
            clauses.append(f"det er svært at {hard}")
    if situation.examined is not None:
        if english:
            clauses.append(
                "you have been examined"
                if situation.examined
                else "you have not been examined yet"
            )
        else:
            clauses.append(
                "du er blevet undersøgt"
                if situation.examined
                else "du ikke er blevet undersøgt endnu"
            )
    return clauses


def summary(situation: Situation, language: str) -> str:
    """One sentence repeating what she told the form.

    "Du har fortalt, at du er gravid, at dine smerter er 4–6 ud af 10, og at du
    er blevet undersøgt." / "You told me that you are pregnant, that your pain
    is 4–6 out of 10, and that you have been examined."
    """
    english = language == "en"
    clauses = _clauses(situation, language)
    if not clauses:
        return "You told me nothing yet." if english else "Du har ikke fortalt noget."
    that = [f"that {c}" if english else f"at {c}" for c in clauses]
    if len(that) == 1:
        body = that[0]
    elif english:
        body = (
            f"{that[0]} and {that[1]}"
            if len(that) == 2
            else ", ".join(that[:-1]) + ", and " + that[-1]
        )
    else:
        body = ", ".join(that[:-1]) + ", og " + that[-1]
    return ("You told me " if english else "Du har fortalt, ") + body + "."


def examined_text(situation: Situation, advice: Advice, language: str) -> str | None:
    """Whether to get examined, or None when nothing needs adding.

    Not after advice to go today; not "get examined" where the advice already
    says whom to see; not at all when she has no pain and has not been examined.
    """
    i = _index(language)
    if advice in SAME_DAY or situation.examined is None:
        return None
    if situation.examined:
        return ALREADY_EXAMINED_TEXT[i]
    if advice in NAMES_AN_EXAMINATION or not situation.in_pain:
        return None
    stage = "pregnant" if situation.stage == "pregnant" else None
    return NOT_EXAMINED_TEXT[stage][i]


def advice_messages(situation: Situation, language: str) -> list[str]:
    """The summary, the advice, whom to see, and the reminder, in her language.

    Empty for a red flag: the urgent advice is the domain's ``utter_urgent``,
    which names the right place for her situation.
    """
    advice = decide(situation)
    if advice is Advice.URGENT:
        return []
    i = _index(language)
    messages = [summary(situation, language), ADVICE_TEXT[advice][i]]
    examined = examined_text(situation, advice, language)
    if examined:
        messages.append(examined)
    messages.append(REMINDER[i])
    return messages
