"""The referral form's actions, tested the way rasa-sdk tests its own actions."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.referral.form import (
    FORM_SLOTS,
    ActionReferralAdvice,
    ActionResetReferral,
    ValidateReferralForm,
    required_referral_slots,
)


def _tracker(text="", intent="nlu_fallback", slots=None, language="da", topic=None):
    latest_message = {"text": text, "intent": {"name": intent, "confidence": 0.9}}
    if topic:
        latest_message["response_selector"] = {
            "faq": {"response": {"utter_action": f"utter_faq/{topic}"}}
        }
    return Tracker(
        "her",
        {"language": language, **(slots or {})},
        latest_message,
        [],
        False,
        None,
        {"name": "referral_form"},
        "action_listen",
    )


RED, STAGE, WEEK, SINCE, PAIN, HARD, EXAMINED = (
    "referral_red_flags",
    "referral_stage",
    "pregnancy_week",
    "weeks_since_birth",
    "pain_level",
    "pain_activities",
    "already_examined",
)


@pytest.mark.parametrize(
    ("red_flags", "stage", "pain", "expected"),
    [
        (None, None, None, [RED, STAGE, PAIN, HARD, EXAMINED]),
        (True, None, None, [RED]),
        (False, "pregnant", 5, [RED, STAGE, WEEK, PAIN, HARD, EXAMINED]),
        (False, "postpartum", 0, [RED, STAGE, SINCE, PAIN, EXAMINED]),
        (False, "planning", 3, [RED, STAGE, PAIN, HARD, EXAMINED]),
    ],
)
def test_only_the_questions_that_change_the_advice_are_asked(
    red_flags, stage, pain, expected
):
    assert required_referral_slots(red_flags, stage, pain) == expected


async def _validate(slot, text, **kwargs):
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateReferralForm(), f"validate_{slot}")
    result = await method(text, dispatcher, _tracker(text, **kwargs), {})
    return result, dispatcher.messages


async def test_a_valid_week_is_kept_even_if_the_nlu_thought_it_was_a_faq_question():
    result, messages = await _validate(
        "pregnancy_week", "uge 24", intent="faq", topic="recurrence"
    )
    assert result == {"pregnancy_week": 24}
    assert messages == []


async def test_week_55_is_refused_with_what_is_expected():
    result, [message] = await _validate("pregnancy_week", "uge 55")
    assert result == {"pregnancy_week": None}
    assert message["text"] == (
        "Uge 55 passer ikke med en graviditet, der varer op til 42 uger. "
        'Skriv hvilken graviditetsuge du er i, som et tal fra 0 til 42, fx "uge 24".'
    )


async def test_pain_14_is_refused_in_english():
    result, [message] = await _validate("pain_level", "14", language="en")
    assert result == {"pain_level": None}
    assert message["text"].startswith("14 is outside the scale from 0 to 10.")


async def test_banana_is_refused_not_accepted():
    for slot in ("referral_stage", "pregnancy_week", "pain_level", "pain_activities"):
        result, [message] = await _validate(slot, "banana")
        assert result == {slot: None}
        assert message["text"]


async def test_a_faq_question_in_the_middle_is_answered_and_the_slot_asked_again():
    result, [message] = await _validate(
        "pain_level",
        "hjælper det at træne kernen?",
        intent="faq",
        topic="core_training",
    )
    assert result == {"pain_level": None}
    assert message["response"] == "utter_faq/core_training"


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("/affirm", "affirm", True),
        ("nej", "deny", False),
        ("jo da", "nlu_fallback", True),
    ],
)
async def test_yes_no_answers(text, intent, answer):
    result, messages = await _validate("already_examined", text, intent=intent)
    assert result == {"already_examined": answer}
    assert messages == []


async def test_stage_and_activities_from_free_text():
    assert (await _validate("referral_stage", "har født"))[0] == {
        "referral_stage": "postpartum"
    }
    assert (await _validate("pain_activities", "trapper og at sove"))[0] == {
        "pain_activities": ["stairs", "sleeping"]
    }


async def test_the_advice_summarises_advises_and_clears_the_answers():
    dispatcher = CollectingDispatcher()
    slots = {
        "referral_red_flags": False,
        "referral_stage": "pregnant",
        "pregnancy_week": 24.0,
        "pain_level": 5.0,
        "pain_activities": ["stairs"],
        "already_examined": False,
    }
    events = await ActionReferralAdvice().run(dispatcher, _tracker(slots=slots), {})
    texts = [message["text"] for message in dispatcher.messages]
    assert texts[0] == (
        "Du har fortalt, at du er gravid i uge 24; smerter 5/10; "
        "svært: trapper; ikke undersøgt endnu."
    )
    assert "fysioterapeut" in texts[1] and "individuelt" in texts[1]
    assert texts[-1].startswith("Husk:")
    assert events == [SlotSet(slot, None) for slot in FORM_SLOTS]


async def test_a_red_flag_gets_the_urgent_response():
    dispatcher = CollectingDispatcher()
    await ActionReferralAdvice().run(
        dispatcher, _tracker(slots={"referral_red_flags": True}), {}
    )
    assert [message["response"] for message in dispatcher.messages] == [
        "utter_urgent",
        "utter_urgent_signs",
    ]


async def test_reset_clears_every_answer():
    events = await ActionResetReferral().run(CollectingDispatcher(), _tracker(), {})
    assert events == [SlotSet(slot, None) for slot in FORM_SLOTS]
