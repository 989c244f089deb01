"""What replaces a failed custom action, and how long one may take."""

import json

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import ActionExecutionRejection
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, BotUttered, FollowupAction, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.server.action_safety_net import (
    fallback_events,
    unvalidated_answer,
    with_safety_net,
    without_unvalidated_answer,
)


def test_outside_a_form_the_apology_is_sent_and_the_bot_listens():
    events = fallback_events([{"text": "Sorry"}], active_loop=None)
    assert isinstance(events[0], BotUttered) and events[0].text == "Sorry"
    assert events[1:] == [FollowupAction(ACTION_LISTEN_NAME)]


def test_inside_a_form_the_form_is_ended_too():
    events = fallback_events([{"text": "Sorry"}], active_loop="referral_form")
    assert events[1:] == [
        ActiveLoop(None),
        SlotSet(REQUESTED_SLOT, None),
        FollowupAction(ACTION_LISTEN_NAME),
    ]


def test_buttons_of_the_reply_are_kept():
    buttons = [{"title": "Hjælp", "payload": "/help"}]
    [utterance, _] = fallback_events([{"text": "Sorry", "buttons": buttons}], None)
    assert utterance.data["buttons"] == buttons


class _Nlg:
    async def generate(self, name, tracker, channel):
        return {"text": f"fallback ({name})"}


class _Channel:
    def name(self):
        return "rest"


class _Tracker:
    active_loop_name = None


class _Action:
    action_endpoint = None

    def name(self):
        return "action_suggest_topics"


def _failing_run(error):
    async def run(action, output_channel, nlg, tracker, domain):
        raise error

    return run


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("'text' is a required property"),
        json.JSONDecodeError("Expecting value", "<html>", 0),
        KeyError("action_name"),
        TypeError("string indices must be integers"),
        RuntimeError("anything else"),
    ],
    ids=lambda error: type(error).__name__,
)
async def test_any_failure_gets_the_fallback_reply(error):
    run = with_safety_net(_failing_run(error), timeout=1)
    events = await run(_Action(), _Channel(), _Nlg(), _Tracker(), None)
    assert isinstance(events[0], BotUttered)
    assert events[0].text == "fallback (utter_action_server_unavailable)"


async def test_a_forms_rejection_still_passes_through():
    rejection = ActionExecutionRejection("validate_referral_form")
    run = with_safety_net(_failing_run(rejection), timeout=1)
    with pytest.raises(ActionExecutionRejection):
        await run(_Action(), _Channel(), _Nlg(), _Tracker(), None)


def test_the_fallback_sees_an_answer_never_validated_as_none():
    domain = Domain.from_yaml(
        """
version: "3.1"
slots:
  referral_stage: {type: any, mappings: [{type: custom}]}
forms:
  referral_form: {required_slots: [referral_stage]}
"""
    )
    tracker = DialogueStateTracker.from_events(
        "her",
        [
            ActiveLoop("referral_form"),
            SlotSet(REQUESTED_SLOT, "referral_stage"),
            SlotSet("referral_stage", "gravid"),  # her raw text, not yet read
        ],
        slots=domain.slots,
    )
    assert unvalidated_answer(tracker) == "referral_stage"
    seen = without_unvalidated_answer(tracker)
    assert seen.get_slot("referral_stage") is None
    assert tracker.get_slot("referral_stage") == "gravid"  # a copy, untouched
    tracker.update(SlotSet("referral_stage", None))
    assert without_unvalidated_answer(tracker) is tracker
    assert unvalidated_answer(tracker) is None
