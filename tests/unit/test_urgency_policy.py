"""The urgency policy: the urgency slot from the red flags of the message just in."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.urgency_policy import UrgencyPolicy

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [urgent, affirm]
slots:
  urgency:
    type: categorical
    values: [call_112, by_situation]
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_urgent: [{text: ring}]
"""
)


def _policy(tmp_path):
    context = ExecutionContext(graph_schema=None, model_id="test")
    return UrgencyPolicy.create(
        UrgencyPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("urgency"),
        context,
    )


def _tracker(flags, urgency=None, answered=False):
    events = [SlotSet("urgency", urgency)] if urgency else []
    parse_data = {"intent": {"name": "urgent", "confidence": 1.0}}
    events += [
        ActionExecuted("action_listen"),
        UserUttered(
            "besked",
            parse_data["intent"],
            parse_data={**parse_data, "red_flags": flags},
        ),
    ]
    if answered:
        events.append(ActionExecuted("utter_urgent"))
    return DialogueStateTracker.from_events("her", events, slots=DOMAIN.slots)


@pytest.mark.parametrize(
    ("flags", "before", "events"),
    [
        (["chest_pain"], None, [SlotSet("urgency", "call_112")]),
        (["fever", "heavy_bleeding"], None, [SlotSet("urgency", "call_112")]),
        (["fever"], None, [SlotSet("urgency", "by_situation")]),
        (["fever"], "call_112", [SlotSet("urgency", "by_situation")]),
        # no sign named ("Ja" to the check's question): the tier is not known
        ([], "call_112", [SlotSet("urgency", None)]),
        ([], None, []),
        (["seizures"], "call_112", []),
    ],
)
def test_the_tier_follows_the_latest_message(tmp_path, flags, before, events):
    prediction = _policy(tmp_path).predict_action_probabilities(
        _tracker(flags, before), DOMAIN
    )
    assert prediction.events == events
    assert max(prediction.probabilities) == 0.0
    assert prediction.policy_priority == 0


def test_a_message_is_read_once(tmp_path):
    prediction = _policy(tmp_path).predict_action_probabilities(
        _tracker(["chest_pain"], answered=True), DOMAIN
    )
    assert prediction.events == []
