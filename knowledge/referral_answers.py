"""The referral check's answers as plain values, read from its slots.

Both processes read them: the action server validates the answers and decides
the advice (``actions/referral/``), the Rasa server echoes them in the
summary (``assistant/nlg/``).

A button stands for a band ("7–8 – stærke", "3–9 måneder"), so the answer is
kept as the band she chose, not as a number picked from inside it: the advice
reads the band, and the summary echoes it in her words ("7–8 ud af 10", "for
mellem 3 og 9 måneder siden"; the words are the domain's ``utter_time_*`` and
``utter_amount_*`` responses, given by a ``Phrases``). Each value goes into
its slot as JSON-friendly data (``to_slot``) and comes back with
``from_slot``; ``situation_from_slots`` reads every answer at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from knowledge.amounts import WEEKS_PER_UNIT
from knowledge.care_situations import EARLY_PREGNANCY
from knowledge.care_situations import SLOT as CARE_SITUATION

LANGUAGE = "language"  # the slot with her language: "da" or "en"
DANISH = "da"
ENGLISH = "en"

# The referral check's slots (domain.yml, form ``referral_form``).
RED_FLAGS = "referral_red_flags"
STAGE = "referral_stage"
TIME_SINCE_BIRTH = "time_since_birth"
PAIN_LEVEL = "pain_level"
PAIN_ACTIVITIES = "pain_activities"
ALREADY_EXAMINED = "already_examined"
FORM_SLOTS = (
    STAGE,
    RED_FLAGS,
    TIME_SINCE_BIRTH,
    PAIN_LEVEL,
    PAIN_ACTIVITIES,
    ALREADY_EXAMINED,
)
# The red flags as a list, in her stage's words: the form sends it, and the
# Rasa server's safety net sends it when an action fails.
URGENT_SIGNS_RESPONSE = "utter_urgent_signs"
# Put on her message's parse data by the Rasa server's red-flag gate when she
# said no to the signs, then wrote of her own pelvic pain ("nej, ingen
# blødning, men bækkenet gør ondt"); the form reads it as her no.
DENIAL_THEN_OWN_PAIN = "denial_then_own_pain"
# The values of STAGE: where she is.
PREGNANT = "pregnant"
POSTPARTUM = "postpartum"  # she has given birth
PLANNING = "planning"  # a pregnancy to come
STAGES = (PREGNANT, POSTPARTUM, PLANNING)
# The values of PAIN_ACTIVITIES: what the pain makes hard.
WALKING = "walking"
STAIRS = "stairs"
TURNING_IN_BED = "turning_in_bed"
ONE_LEG = "one_leg"  # standing on one leg
SLEEPING = "sleeping"
WORK = "work"
ACTIVITIES = (WALKING, STAIRS, TURNING_IN_BED, ONE_LEG, SLEEPING, WORK)


def language_of(slots: Mapping[str, Any]) -> str:
    """Her language from the slots: English if the slot says so, else Danish."""
    return ENGLISH if slots.get(LANGUAGE) == ENGLISH else DANISH


class Phrases(Protocol):
    """The domain's responses in one conversation's language, as plain text."""

    language: str

    def text(self, name: str, **values: Any) -> str:
        """The response's text, its ``{placeholders}`` filled from ``values``."""


def format_number(value: float, language: str) -> str:
    """6.5 as "6,5" in Danish and "6.5" in English; whole numbers without decimals."""
    text = f"{value:g}"
    return text if language == ENGLISH else text.replace(".", ",")


@dataclass(frozen=True)
class PainBand:
    """Pain from ``low`` to ``high`` on the 0-10 scale; one number is low == high."""

    low: float
    high: float

    def to_slot(self) -> list[float]:
        """As the slot keeps it: ``[low, high]``."""
        return [self.low, self.high]

    @classmethod
    def from_slot(cls, value: Any) -> PainBand | None:
        """From the slot: ``[low, high]``, or one number (older conversations)."""
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return cls(float(value), float(value))
        if (
            isinstance(value, (list, tuple))
            and len(value) == 2
            and all(isinstance(v, (int, float)) for v in value)
        ):
            return cls(float(value[0]), float(value[1]))
        return None

    def describe(self, language: str) -> str:
        """The band as a number ("7") or a range ("7–8")."""
        low = format_number(self.low, language)
        if self.low == self.high:
            return low
        return f"{low}–{format_number(self.high, language)}"


# The domain's responses for an amount of each unit: (one, several).
AMOUNT_RESPONSES = {
    "days": ("utter_amount_day", "utter_amount_days"),
    "weeks": ("utter_amount_week", "utter_amount_weeks"),
    "months": ("utter_amount_month", "utter_amount_months"),
    "years": ("utter_amount_year", "utter_amount_years"),
}


@dataclass(frozen=True)
class Amount:
    """An amount of time as she said it: 3 months, 6 weeks."""

    value: float
    unit: str  # a key of WEEKS_PER_UNIT

    @property
    def weeks(self) -> float:
        """The amount in weeks."""
        return self.value * WEEKS_PER_UNIT[self.unit]

    def describe(self, texts: Phrases, with_unit: bool = True) -> str:
        """The amount in words: "3 måneder" / "3 months", "1 uge" / "1 week"."""
        number = format_number(self.value, texts.language)
        if not with_unit:
            return number
        one, several = AMOUNT_RESPONSES[self.unit]
        return texts.text(one if self.value == 1 else several, number=number)


@dataclass(frozen=True)
class TimeSinceBirth:
    """How long ago she gave birth: from ``low`` to ``high``.

    ``low`` None means "less than ``high``"; ``high`` None means "more than
    ``low``"; both the same is one amount ("3 months"); zero is "just now".
    """

    low: Amount | None
    high: Amount | None

    @property
    def low_weeks(self) -> float:
        """The least it can be, in weeks."""
        return self.low.weeks if self.low else 0.0

    @property
    def high_weeks(self) -> float:
        """The most it can be, in weeks (infinite for "more than ...")."""
        return self.high.weeks if self.high else math.inf

    def at_most_weeks(self, weeks: float) -> bool:
        """Whether the whole band lies within the first ``weeks`` after the birth."""
        return self.high_weeks <= weeks

    def to_slot(self) -> dict[str, list[Any] | None]:
        """As the slot keeps it: ``{"from": [6, "weeks"], "to": [3, "months"]}``."""

        def pair(amount: Amount | None) -> list[Any] | None:
            return [amount.value, amount.unit] if amount else None

        return {"from": pair(self.low), "to": pair(self.high)}

    @classmethod
    def from_slot(cls, value: Any) -> TimeSinceBirth | None:
        """From the slot; None if the slot holds anything else."""
        if not isinstance(value, dict):
            return None

        def amount(pair: Any) -> Amount | None:
            if (
                isinstance(pair, (list, tuple))
                and len(pair) == 2
                and isinstance(pair[0], (int, float))
                and pair[1] in WEEKS_PER_UNIT
            ):
                return Amount(float(pair[0]), str(pair[1]))
            return None

        low, high = amount(value.get("from")), amount(value.get("to"))
        if low is None and high is None:
            return None
        return cls(low, high)

    def describe_ago(self, texts: Phrases) -> str:
        """When, in words: "for mellem 3 og 9 måneder siden" / "3 to 9 months ago"."""
        if self.high_weeks == 0:  # "lige", "just now"
            return texts.text("utter_time_very_recently")
        if self.low is None and self.high is not None:
            span = texts.text("utter_time_less_than", amount=self.high.describe(texts))
        elif self.high is None and self.low is not None:
            span = texts.text("utter_time_more_than", amount=self.low.describe(texts))
        elif self.low is not None and self.high is not None:
            if self.low == self.high:
                span = self.low.describe(texts)
            else:
                same_unit = self.low.unit == self.high.unit
                span = texts.text(
                    "utter_time_range",
                    low=self.low.describe(texts, with_unit=not same_unit),
                    high=self.high.describe(texts),
                )
        else:  # pragma: no cover - from_slot never builds it
            return ""
        return texts.text("utter_time_ago", span=span)


@dataclass(frozen=True)
class Situation:
    """What she told the referral check."""

    red_flags: bool
    stage: str | None = None  # "pregnant", "postpartum" or "planning"
    time_since_birth: TimeSinceBirth | None = None
    pain: PainBand | None = None
    activities: tuple[str, ...] = field(default_factory=tuple)
    examined: bool | None = None
    early_pregnancy: bool = False  # pregnant before about week 22

    @property
    def pain_floor(self) -> float:
        """The least pain she reported (the band's lower bound; 0 if unknown)."""
        return self.pain.low if self.pain else 0.0

    @property
    def in_pain(self) -> bool:
        """Whether she reported any pain at all ("0–3" counts)."""
        return self.pain is not None and self.pain.high > 0


def situation_from_slots(slots: Mapping[str, Any]) -> Situation:
    """The check's answers, from the conversation's slot values."""
    activities = slots.get(PAIN_ACTIVITIES)
    examined = slots.get(ALREADY_EXAMINED)
    stage = slots.get(STAGE)
    return Situation(
        red_flags=slots.get(RED_FLAGS) is True,
        stage=stage if isinstance(stage, str) else None,
        time_since_birth=TimeSinceBirth.from_slot(slots.get(TIME_SINCE_BIRTH)),
        pain=PainBand.from_slot(slots.get(PAIN_LEVEL)),
        activities=tuple(activities) if isinstance(activities, list) else (),
        examined=examined if isinstance(examined, bool) else None,
        early_pregnancy=stage == "pregnant"
        and slots.get(CARE_SITUATION) == EARLY_PREGNANCY,
    )
