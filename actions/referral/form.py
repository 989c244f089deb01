"""The referral form's custom actions: start, validation, and the advice.

The form asks only what changes the advice (see ``required_referral_slots``).
Every answer is read by ``actions.referral.parsing``; a valid answer is kept
even when the NLU took it for something else ("24" is a week, not a FAQ), an
invalid one gets a re-ask that says what is expected, and a FAQ question in the
middle is answered before the form asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.referral.advice import Advice, Situation, advice_messages, decide
from actions.referral.parsing import (
    pain_is_valid,
    parse_activities,
    parse_pain_level,
    parse_pregnancy_week,
    parse_stage,
    parse_weeks_since_birth,
    parse_yes_no,
    week_is_valid,
    weeks_since_birth_is_valid,
)
from actions.topics import DANISH, ENGLISH

RED_FLAGS = "referral_red_flags"
STAGE = "referral_stage"
PREGNANCY_WEEK = "pregnancy_week"
WEEKS_SINCE_BIRTH = "weeks_since_birth"
PAIN_LEVEL = "pain_level"
PAIN_ACTIVITIES = "pain_activities"
ALREADY_EXAMINED = "already_examined"
FORM_SLOTS = (
    RED_FLAGS,
    STAGE,
    PREGNANCY_WEEK,
    WEEKS_SINCE_BIRTH,
    PAIN_LEVEL,
    PAIN_ACTIVITIES,
    ALREADY_EXAMINED,
)


def required_referral_slots(
    red_flags: bool | None, stage: str | None, pain_level: float | None
) -> list[str]:
    """The questions still worth asking, given the answers so far."""
    if red_flags:
        return [RED_FLAGS]  # a red flag ends the form at once
    slots = [RED_FLAGS, STAGE]
    if stage == "pregnant":
        slots.append(PREGNANCY_WEEK)
    elif stage == "postpartum":
        slots.append(WEEKS_SINCE_BIRTH)
    slots.append(PAIN_LEVEL)
    if pain_level is None or pain_level > 0:
        slots.append(PAIN_ACTIVITIES)
    slots.append(ALREADY_EXAMINED)
    return slots


# What a re-ask says, per slot: (Danish, English).
REASK = {
    RED_FLAGS: (
        "Svar ja eller nej: har du et af de tegn, jeg nævnte?",
        "Please answer yes or no: do you have any of the signs I listed?",
    ),
    STAGE: (
        'Vælg en af knapperne, eller skriv fx "gravid", "har født" eller '
        '"planlægger graviditet".',
        'Pick one of the buttons, or type e.g. "pregnant", "given birth" or '
        '"planning a pregnancy".',
    ),
    PREGNANCY_WEEK: (
        'Skriv hvilken graviditetsuge du er i, som et tal fra 0 til 42, fx "uge 24".',
        "Type which week of pregnancy you are in, as a number from 0 to 42, "
        'e.g. "week 24".',
    ),
    WEEKS_SINCE_BIRTH: (
        'Skriv hvor længe siden det er, du fødte, fx "3 uger" eller "4 måneder".',
        'Type how long ago you gave birth, e.g. "3 weeks" or "4 months".',
    ),
    PAIN_LEVEL: (
        'Giv smerterne et tal fra 0 (ingen smerter) til 10 (værst tænkelige), fx "6".',
        "Rate the pain with a number from 0 (no pain) to 10 (worst imaginable), "
        'e.g. "6".',
    ),
    PAIN_ACTIVITIES: (
        'Skriv hvad smerterne gør svært, fx "trapper og at sove", eller '
        '"ingen af dem".',
        'Type what the pain makes hard, e.g. "stairs and sleeping", or "none of them".',
    ),
    ALREADY_EXAMINED: (
        "Svar ja eller nej: er du blevet undersøgt for smerterne?",
        "Please answer yes or no: have you been examined for the pain?",
    ),
}
OUT_OF_RANGE = {
    PREGNANCY_WEEK: (
        "Uge {value:g} passer ikke med en graviditet, der varer op til 42 uger.",
        "Week {value:g} doesn't fit a pregnancy, which lasts up to 42 weeks.",
    ),
    PAIN_LEVEL: (
        "{value:g} er uden for skalaen fra 0 til 10.",
        "{value:g} is outside the scale from 0 to 10.",
    ),
    WEEKS_SINCE_BIRTH: (
        "Det kan jeg ikke bruge som tid siden fødslen.",
        "I can't use that as the time since the birth.",
    ),
}


def _language(tracker: Tracker) -> str:
    return ENGLISH if tracker.get_slot("language") == ENGLISH else DANISH


def _index(tracker: Tracker) -> int:
    return 1 if _language(tracker) == ENGLISH else 0


def _faq_response(tracker: Tracker) -> str | None:
    """The FAQ answer to give if her message was a FAQ question, else None."""
    message = tracker.latest_message or {}
    if (message.get("intent") or {}).get("name") != "faq":
        return None
    selected = (message.get("response_selector") or {}).get("faq", {})
    action = selected.get("response", {}).get("utter_action")
    return str(action) if action else None


def _answer_text(slot_value: Any, tracker: Tracker) -> str:
    """The text she answered with (the slot holds it until validated)."""
    if isinstance(slot_value, str):
        return slot_value
    return str((tracker.latest_message or {}).get("text") or "")


class ValidateReferralForm(FormValidationAction):
    """Reads and checks each answer of the referral form."""

    def name(self) -> str:
        """The name the domain knows it by."""
        return "validate_referral_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Only the questions that change the advice."""
        red_flags = tracker.get_slot(RED_FLAGS)
        pain = tracker.get_slot(PAIN_LEVEL)
        return required_referral_slots(
            red_flags if isinstance(red_flags, bool) else None,
            tracker.get_slot(STAGE),
            pain if isinstance(pain, (int, float)) else None,
        )

    def _reject(
        self,
        slot: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        out_of_range: float | None = None,
    ) -> dict[str, Any]:
        faq = _faq_response(tracker)
        if faq:
            dispatcher.utter_message(response=faq)  # answer, then ask again
            return {slot: None}
        i = _index(tracker)
        text = REASK[slot][i]
        if out_of_range is not None and slot in OUT_OF_RANGE:
            text = OUT_OF_RANGE[slot][i].format(value=out_of_range) + " " + text
        dispatcher.utter_message(text=text)
        return {slot: None}

    def _yes_no(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent in ("affirm", "deny") and _faq_response(tracker) is None:
            answer: bool | None = intent == "affirm"
        else:
            answer = parse_yes_no(_answer_text(value, tracker))
        if answer is None:
            return self._reject(slot, dispatcher, tracker)
        return {slot: answer}

    def _number(
        self,
        slot: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        parse: Callable[[str], float | None],
        is_valid: Callable[[float], bool],
    ) -> dict[str, Any]:
        number = parse(_answer_text(value, tracker))
        if number is None:
            return self._reject(slot, dispatcher, tracker)
        if not is_valid(number):
            return self._reject(slot, dispatcher, tracker, out_of_range=number)
        return {slot: number}

    async def validate_referral_red_flags(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Yes or no to the red-flag question."""
        return self._yes_no(RED_FLAGS, value, dispatcher, tracker)

    async def validate_referral_stage(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Pregnant, given birth, or planning a pregnancy."""
        stage = parse_stage(_answer_text(value, tracker))
        if stage is None:
            return self._reject(STAGE, dispatcher, tracker)
        return {STAGE: stage}

    async def validate_pregnancy_week(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """A week from 0 to 42."""
        return self._number(
            PREGNANCY_WEEK,
            value,
            dispatcher,
            tracker,
            parse_pregnancy_week,
            week_is_valid,
        )

    async def validate_weeks_since_birth(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """How long ago she gave birth, in weeks."""
        return self._number(
            WEEKS_SINCE_BIRTH,
            value,
            dispatcher,
            tracker,
            parse_weeks_since_birth,
            weeks_since_birth_is_valid,
        )

    async def validate_pain_level(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Pain from 0 to 10."""
        return self._number(
            PAIN_LEVEL, value, dispatcher, tracker, parse_pain_level, pain_is_valid
        )

    async def validate_pain_activities(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """What the pain stops her from doing; none is an answer too."""
        if isinstance(value, list):
            return {PAIN_ACTIVITIES: value}
        activities = parse_activities(_answer_text(value, tracker))
        if activities is None:
            return self._reject(PAIN_ACTIVITIES, dispatcher, tracker)
        return {PAIN_ACTIVITIES: activities}

    async def validate_already_examined(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Yes or no: has a doctor, midwife or physiotherapist examined her."""
        return self._yes_no(ALREADY_EXAMINED, value, dispatcher, tracker)


def situation_from(tracker: Tracker) -> Situation:
    """The form's answers as the plain inputs of the decision table."""

    def number(slot: str) -> float | None:
        value = tracker.get_slot(slot)
        return float(value) if isinstance(value, (int, float)) else None

    activities = tracker.get_slot(PAIN_ACTIVITIES)
    examined = tracker.get_slot(ALREADY_EXAMINED)
    return Situation(
        red_flags=tracker.get_slot(RED_FLAGS) is True,
        stage=tracker.get_slot(STAGE),
        pregnancy_week=number(PREGNANCY_WEEK),
        weeks_since_birth=number(WEEKS_SINCE_BIRTH),
        pain_level=number(PAIN_LEVEL) or 0,
        activities=tuple(activities) if isinstance(activities, list) else (),
        examined=examined if isinstance(examined, bool) else None,
    )


def _reset_form_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


class ActionResetReferral(Action):
    """Clears earlier answers so every referral check starts afresh."""

    def name(self) -> str:
        """The name the domain knows it by."""
        return "action_reset_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Reset the form's slots."""
        return _reset_form_slots()


class ActionReferralAdvice(Action):
    """Ends the referral check: a summary and the advice from the table."""

    def name(self) -> str:
        """The name the domain knows it by."""
        return "action_referral_advice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the advice in her language, then clear the answers."""
        situation = situation_from(tracker)
        if decide(situation) is Advice.URGENT:
            dispatcher.utter_message(response="utter_urgent")
            dispatcher.utter_message(response="utter_urgent_signs")
        else:
            for text in advice_messages(situation, _language(tracker)):
                dispatcher.utter_message(text=text)
        return _reset_form_slots()
