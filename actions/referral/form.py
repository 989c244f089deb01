"""The referral form's custom actions: start, validation, and the advice.

The form asks only what changes the advice (see ``required_referral_slots``):
her stage first, so that the red-flag question names the signs of her stage,
in its words (the domain's variations of ``utter_ask_referral_red_flags`` by
``referral_stage``). A stage the conversation already told (``care_situation``)
is taken as answered when the check starts (``action_reset_referral``).
Every answer is read by ``actions.referral.parsing``; a valid answer is kept
even when the NLU took it for something else ("7-8" is a pain band, not a FAQ),
an invalid one gets a re-ask that says what is expected (the domain's
``utter_reask_<slot>``), and a FAQ question in
the middle is answered before the form asks again. Where she is (pregnant, how
long after the birth) also goes into ``care_situation``, which outlives the
check so that a later urgent reply names the right place for her.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.referral.advice import (
    Advice,
    care_situation,
    decide,
    stage_from_care_situation,
)
from actions.referral.messages import advice_responses
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
from knowledge import care_situations, intents
from knowledge.referral_answers import (
    ALREADY_EXAMINED,
    DENIAL_THEN_OWN_PAIN,
    FORM_SLOTS,
    PAIN_ACTIVITIES,
    PAIN_LEVEL,
    POSTPARTUM,
    RED_FLAGS,
    STAGE,
    TIME_SINCE_BIRTH,
    URGENT_SIGNS_RESPONSE,
    PainBand,
    Situation,
    language_of,
    situation_from_slots,
)
from knowledge.referral_summary import SUMMARY_RESPONSE

# Not a form slot: where she is, kept after the check for the urgent advice.
CARE_SITUATION = care_situations.SLOT


def required_referral_slots(
    red_flags: bool | None, stage: str | None, pain: PainBand | None
) -> list[str]:
    """The questions still worth asking, given the answers so far.

    Her stage first, then the red flags of her stage; a red flag ends the form
    at once.
    """
    if red_flags:
        return [STAGE, RED_FLAGS]  # both answered: the form ends
    slots = [STAGE, RED_FLAGS]
    if stage == POSTPARTUM:
        slots.append(TIME_SINCE_BIRTH)
    slots.append(PAIN_LEVEL)
    if pain is None or pain.high > 0:
        slots.append(PAIN_ACTIVITIES)
    slots.append(ALREADY_EXAMINED)
    return slots


# The domain's re-ask for each question, when an answer cannot be read.
REASK_RESPONSES = {
    RED_FLAGS: "utter_reask_referral_red_flags",
    STAGE: "utter_reask_referral_stage",
    TIME_SINCE_BIRTH: "utter_reask_time_since_birth",
    PAIN_LEVEL: "utter_reask_pain_level",
    PAIN_ACTIVITIES: "utter_reask_pain_activities",
    ALREADY_EXAMINED: "utter_reask_already_examined",
}
# The re-ask when an answer is out of range: what is wrong, then the question.
OUT_OF_RANGE_RESPONSES = {
    PAIN_LEVEL: "utter_out_of_range_pain_level",
    TIME_SINCE_BIRTH: "utter_out_of_range_time_since_birth",
}


def _faq_response(tracker: Tracker) -> str | None:
    """The FAQ answer to give if her message was a FAQ question, else None."""
    message = tracker.latest_message or {}
    if (message.get("intent") or {}).get("name") != intents.FAQ:
        return None
    selected = (message.get("response_selector") or {}).get(intents.FAQ, {})
    action = selected.get("response", {}).get("utter_action")
    return str(action) if action else None


def _intent(tracker: Tracker) -> str | None:
    """The intent the NLU gave her latest message."""
    name = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return str(name) if name else None


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
        return required_referral_slots(
            red_flags if isinstance(red_flags, bool) else None,
            tracker.get_slot(STAGE),
            PainBand.from_slot(tracker.get_slot(PAIN_LEVEL)),
        )

    def _reject(
        self,
        slot: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        out_of_range: str | None = None,
    ) -> dict[str, Any]:
        faq = _faq_response(tracker)
        if faq:
            dispatcher.utter_message(response=faq)  # answer, then ask again
            return {slot: None}
        name = REASK_RESPONSES[slot]
        if out_of_range is not None and slot in OUT_OF_RANGE_RESPONSES:
            name = OUT_OF_RANGE_RESPONSES[slot]  # says so, then asks again
        if out_of_range is None:
            dispatcher.utter_message(response=name)
        else:  # Rasa fills {value} in
            dispatcher.utter_message(response=name, value=out_of_range)
        return {slot: None}

    async def validate_referral_red_flags(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Yes or no to the red-flag question; her words before the intent."""
        denial_then_own_pain = bool(
            (tracker.latest_message or {}).get(DENIAL_THEN_OWN_PAIN)
        )
        answer = parse_red_flag_answer(
            _answer_text(value, tracker), _intent(tracker), denial_then_own_pain
        )
        if answer is None:
            return self._reject(RED_FLAGS, dispatcher, tracker)
        return {RED_FLAGS: answer}

    async def validate_referral_stage(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Pregnant, given birth, or planning a pregnancy; sets care_situation."""
        stage = parse_stage(_answer_text(value, tracker))
        if stage is None:
            return self._reject(STAGE, dispatcher, tracker)
        known = tracker.get_slot(CARE_SITUATION)
        return {STAGE: stage, CARE_SITUATION: care_situation(stage, None, known)}

    async def validate_time_since_birth(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """How long ago she gave birth: a band or an amount; sets care_situation."""
        if isinstance(value, dict):  # already read
            return {TIME_SINCE_BIRTH: value}
        time = parse_time_since_birth(_answer_text(value, tracker))
        if time is None:
            return self._reject(TIME_SINCE_BIRTH, dispatcher, tracker)
        if not time_since_birth_is_valid(time):
            return self._reject(TIME_SINCE_BIRTH, dispatcher, tracker, out_of_range="")
        return {
            TIME_SINCE_BIRTH: time.to_slot(),
            CARE_SITUATION: care_situation(POSTPARTUM, time),
        }

    async def validate_pain_level(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Pain from 0 to 10: one number or the band of a button ("7-8")."""
        if isinstance(value, list):  # already read
            return {PAIN_LEVEL: value}
        band = parse_pain_band(_answer_text(value, tracker))
        if band is None:
            return self._reject(PAIN_LEVEL, dispatcher, tracker)
        if not pain_band_is_valid(band):
            language = language_of(tracker.current_slot_values())
            return self._reject(
                PAIN_LEVEL,
                dispatcher,
                tracker,
                out_of_range=band.describe(language),
            )
        return {PAIN_LEVEL: band.to_slot()}

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
        intent = _intent(tracker)
        if intent in (intents.AFFIRM, intents.DENY) and _faq_response(tracker) is None:
            answer: bool | None = intent == intents.AFFIRM
        else:
            answer = parse_yes_no(_answer_text(value, tracker))
        if answer is None:
            return self._reject(ALREADY_EXAMINED, dispatcher, tracker)
        return {ALREADY_EXAMINED: answer}


def situation_from(tracker: Tracker) -> Situation:
    """The check's answers as the plain inputs of the decision table."""
    return situation_from_slots(tracker.current_slot_values())


def _reset_form_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in FORM_SLOTS]


class ActionResetReferral(Action):
    """Clears earlier answers so every referral check starts afresh.

    A stage the conversation already told (``care_situation``: pregnant, or
    within six weeks of the birth) is taken as answered, so she is not asked
    what she just said; "not_pregnant" may be planning or later after the
    birth, so it is asked.
    """

    def name(self) -> str:
        """The name the domain knows it by."""
        return "action_reset_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Reset the form's slots; her stage if the conversation told it."""
        stage = stage_from_care_situation(tracker.get_slot(CARE_SITUATION))
        events = _reset_form_slots()
        if stage is not None:
            events.append(SlotSet(STAGE, stage))
        return events


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
            dispatcher.utter_message(response=URGENT_SIGNS_RESPONSE)
        else:  # Rasa renders each in her language, the summary from the slots
            dispatcher.utter_message(response=SUMMARY_RESPONSE)
            for name in advice_responses(situation):
                dispatcher.utter_message(response=name)
        return _reset_form_slots()
