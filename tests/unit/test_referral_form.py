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
from knowledge.referral_answers import PainBand
from tests.responses import domain_dict, seen


def _tracker(
    text="",
    intent="nlu_fallback",
    slots=None,
    language="da",
    topic=None,
    parse_data=None,
):
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        **(parse_data or {}),
    }
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


RED, STAGE, SINCE, PAIN, HARD, EXAMINED = (
    "referral_red_flags",
    "referral_stage",
    "time_since_birth",
    "pain_level",
    "pain_activities",
    "already_examined",
)


@pytest.mark.parametrize(
    ("red_flags", "stage", "pain", "expected"),
    [
        # her stage first: the red-flag question names the signs of her stage
        (None, None, None, [STAGE, RED, PAIN, HARD, EXAMINED]),
        (None, "postpartum", None, [STAGE, RED, SINCE, PAIN, HARD, EXAMINED]),
        (True, None, None, [STAGE, RED]),
        (True, "pregnant", None, [STAGE, RED]),  # a red flag ends it at once
        # no question about the week: she may say it ("gravid i uge 14")
        (False, "pregnant", (4, 6), [STAGE, RED, PAIN, HARD, EXAMINED]),
        (False, "postpartum", (0, 0), [STAGE, RED, SINCE, PAIN, EXAMINED]),
        (False, "planning", (1, 3), [STAGE, RED, PAIN, HARD, EXAMINED]),
        (False, "planning", (0, 3), [STAGE, RED, PAIN, HARD, EXAMINED]),
    ],
)
def test_only_the_questions_that_change_the_advice_are_asked(
    red_flags, stage, pain, expected
):
    band = PainBand(*pain) if pain else None
    assert required_referral_slots(red_flags, stage, band) == expected


def test_the_pregnancy_week_is_no_longer_a_question():
    assert "pregnancy_week" not in FORM_SLOTS


async def _validate(slot, text, domain=None, **kwargs):
    dispatcher = CollectingDispatcher()
    method = getattr(ValidateReferralForm(), f"validate_{slot}")
    tracker = _tracker(text, **kwargs)
    domain = domain_dict() if domain is None else domain
    result = await method(text, dispatcher, tracker, domain)
    return result, await shown(dispatcher, tracker)


async def shown(dispatcher, tracker):
    """The action's messages, each with the text and buttons Rasa renders."""
    rendered = await seen(dispatcher.messages, tracker.slots)
    assert len(rendered) == len(dispatcher.messages)
    return [
        {**sent, **seen_message}
        for sent, seen_message in zip(dispatcher.messages, rendered, strict=True)
    ]


async def test_a_valid_band_is_kept_even_if_the_nlu_thought_it_was_a_faq_question():
    result, messages = await _validate(
        "pain_level", "7-8", intent="faq", topic="recurrence"
    )
    assert result == {"pain_level": [7, 8]}
    assert messages == []


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("0", [0, 0]),
        ("1-3", [1, 3]),
        ("4-6", [4, 6]),
        ("7-8", [7, 8]),
        ("9-10", [9, 10]),
    ],
)
async def test_each_pain_button_is_kept_as_its_band(text, band):
    result, messages = await _validate("pain_level", text)
    assert result == {"pain_level": band}
    assert messages == []


async def test_a_band_outside_the_scale_is_refused_with_what_is_expected():
    result, [message] = await _validate("pain_level", "11-12")
    assert result == {"pain_level": None}
    assert message["text"] == (
        "11–12 er uden for skalaen fra 0 til 10. Giv smerterne et tal fra 0 (ingen "
        'smerter) til 10 (værst tænkelige), fx "6" eller "7-8".'
    )


@pytest.mark.parametrize(
    ("text", "slot", "situation"),
    [
        ("Under 6 uger", {"from": None, "to": [6, "weeks"]}, "recently_gave_birth"),
        (
            "6 uger–3 måneder",
            {"from": [6, "weeks"], "to": [3, "months"]},
            "not_pregnant",
        ),
        ("3–9 måneder", {"from": [3, "months"], "to": [9, "months"]}, "not_pregnant"),
        ("Mere end 9 måneder", {"from": [9, "months"], "to": None}, "not_pregnant"),
        ("3 måneder", {"from": [3, "months"], "to": [3, "months"]}, "not_pregnant"),
        (
            "2 weeks ago",
            {"from": [2, "weeks"], "to": [2, "weeks"]},
            "recently_gave_birth",
        ),
    ],
)
async def test_the_time_since_birth_is_kept_as_she_said_it_and_sets_care_situation(
    text, slot, situation
):
    result, messages = await _validate("time_since_birth", text)
    assert result == {"time_since_birth": slot, "care_situation": situation}
    assert messages == []


@pytest.mark.parametrize(
    ("text", "known", "situation"),
    [
        ("gravid", None, "pregnant"),
        ("planlægger en graviditet", "pregnant", "not_pregnant"),
        ("har født", "pregnant", None),  # stale: unknown until she says when
        ("har født", "recently_gave_birth", "recently_gave_birth"),
    ],
)
async def test_the_stage_sets_care_situation(text, known, situation):
    result, _ = await _validate("referral_stage", text, slots={"care_situation": known})
    assert result["care_situation"] == situation


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("nej, ingen blødning eller feber", "urgent"),
        ("ingen af delene", "faq"),
        ("no bleeding, no fever, the baby moves fine", "inform"),
        ("none of those", "nlu_fallback"),
        ("nothing like that", "out_of_scope"),
        ("not at all", "deny"),
    ],
)
async def test_a_no_to_the_red_flags_in_her_own_words_continues_the_check(text, intent):
    result, messages = await _validate(
        "referral_red_flags", text, intent=intent, topic="symptoms"
    )
    assert result == {"referral_red_flags": False}
    assert messages == []


async def test_an_unclear_answer_to_the_red_flags_is_asked_again():
    result, [message] = await _validate(
        "referral_red_flags", "nej, men jeg bløder lidt", intent="deny"
    )
    assert result == {"referral_red_flags": None}
    assert message["text"].startswith("Svar ja eller nej")


async def test_pain_14_is_refused_in_english():
    result, [message] = await _validate("pain_level", "14", language="en")
    assert result == {"pain_level": None}
    assert message["text"].startswith("14 is outside the scale from 0 to 10.")


async def test_banana_is_refused_not_accepted():
    for slot in ("referral_stage", "time_since_birth", "pain_level", "pain_activities"):
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
        "referral_stage": "postpartum",
        "care_situation": None,
    }
    assert (await _validate("pain_activities", "trapper og at sove"))[0] == {
        "pain_activities": ["stairs", "sleeping"]
    }


async def test_the_advice_summarises_advises_and_clears_the_answers():
    dispatcher = CollectingDispatcher()
    slots = {
        "referral_red_flags": False,
        "referral_stage": "pregnant",
        "pain_level": [4, 6],
        "pain_activities": ["stairs"],
        "already_examined": False,
    }
    tracker = _tracker(slots=slots)
    events = await ActionReferralAdvice().run(dispatcher, tracker, {})
    texts = [message["text"] for message in await shown(dispatcher, tracker)]
    assert texts[0] == (
        "Du har fortalt mig, at du er gravid, at dine smerter er 4–6 ud af 10, at det "
        "er svært at gå på trapper, og at du ikke er blevet undersøgt endnu."
    )
    assert "fysioterapeut" in texts[1] and "individuelt" in texts[1]
    assert texts[-1].startswith("Husk:")
    assert events == [SlotSet(slot, None) for slot in FORM_SLOTS]


async def test_a_red_flag_gets_the_urgent_response():
    dispatcher = CollectingDispatcher()
    await ActionReferralAdvice().run(
        dispatcher, _tracker(slots={"referral_red_flags": True}), domain_dict()
    )
    assert [message["response"] for message in dispatcher.messages] == [
        "utter_urgent",
        "utter_urgent_signs",
    ]


async def test_reset_clears_every_answer():
    events = await ActionResetReferral().run(
        CollectingDispatcher(), _tracker(), domain_dict()
    )
    assert events == [SlotSet(slot, None) for slot in FORM_SLOTS]


@pytest.mark.parametrize(
    ("known", "stage"),
    [
        ("pregnant", "pregnant"),
        ("early_pregnancy", "pregnant"),
        ("recently_gave_birth", "postpartum"),
        ("not_pregnant", None),
    ],
)
async def test_reset_takes_a_stage_the_conversation_told_as_answered(known, stage):
    events = await ActionResetReferral().run(
        CollectingDispatcher(), _tracker(slots={"care_situation": known}), domain_dict()
    )
    cleared = [SlotSet(slot, None) for slot in FORM_SLOTS]
    assert events == cleared + ([SlotSet("referral_stage", stage)] if stage else [])


async def test_a_stage_taken_as_told_keeps_an_early_pregnancy():
    result, _ = await _validate(
        "referral_stage", "pregnant", slots={"care_situation": "early_pregnancy"}
    )
    assert result == {
        "referral_stage": "pregnant",
        "care_situation": "early_pregnancy",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Nej, ingen blødning eller feber, men bækkenet gør ondt når jeg går på trapper",
        "No bleeding or fever, but my pelvis hurts on the stairs",
    ],
)
async def test_a_no_then_her_own_pelvic_pain_answers_the_red_flags_with_no(text):
    # the red-flag gate's verdict on the message
    verdict = {"denial_then_own_pain": True}
    result, _ = await _validate(
        "referral_red_flags", text, intent="report_pain", parse_data=verdict
    )
    assert result == {"referral_red_flags": False}
    # without it, a no with a "but" is asked again
    result, _ = await _validate("referral_red_flags", text, intent="report_pain")
    assert result == {"referral_red_flags": None}


# Rasa's selective domain: the form's validation and the advice need no domain.
async def test_the_re_asks_need_no_domain():
    result, [message] = await _validate("pain_level", "14", domain={})
    assert result == {"pain_level": None}
    assert message["response"] == "utter_out_of_range_pain_level"
    assert message["text"].startswith("14 er uden for skalaen fra 0 til 10. Giv ")
    _, [message] = await _validate("referral_stage", "banana", domain={})
    assert message["response"] == "utter_reask_referral_stage"


async def test_the_advice_names_its_responses_and_rasa_renders_the_summary():
    dispatcher = CollectingDispatcher()
    slots = {
        "referral_red_flags": False,
        "referral_stage": "pregnant",
        "pain_level": [4, 6],
        "already_examined": True,
    }
    tracker = _tracker(slots=slots, language="en")
    events = await ActionReferralAdvice().run(dispatcher, tracker, {})
    assert [message["response"] for message in dispatcher.messages] == [
        "utter_referral_summary",
        "utter_advice_physio_program_in_pregnancy",
        "utter_advice_already_examined",
        "utter_advice_reminder",
    ]
    assert (await shown(dispatcher, tracker))[0]["text"] == (
        "You told me that you are pregnant, that your pain is 4–6 out of 10, "
        "and that you have been examined."
    )
    assert events == [SlotSet(slot, None) for slot in FORM_SLOTS]
