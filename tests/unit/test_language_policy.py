"""The language policy sets the language slot and never picks an action."""

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.language_policy import LanguagePolicy

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  language:
    type: categorical
    values: [da, en]
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: hej}]
"""
)


def _policy(tmp_path):
    context = ExecutionContext(graph_schema=None, model_id="test")
    return LanguagePolicy.create(
        LanguagePolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("language"),
        context,
    )


def _tracker(*messages, language=None):
    events = [SlotSet("language", language)] if language else []
    for text, metadata in messages:
        events += [
            ActionExecuted("action_listen"),
            UserUttered(text, {"name": "greet", "confidence": 1.0}, metadata=metadata),
        ]
    return DialogueStateTracker.from_events("her", events, slots=DOMAIN.slots)


def test_switches_to_english_when_she_writes_english(tmp_path):
    prediction = _policy(tmp_path).predict_action_probabilities(
        _tracker(("Hi, does it hurt?", None), language="da"), DOMAIN
    )
    assert prediction.events == [SlotSet("language", "en")]
    assert max(prediction.probabilities) == 0.0
    assert prediction.policy_priority == 0


def test_no_event_when_the_language_stays_the_same(tmp_path):
    prediction = _policy(tmp_path).predict_action_probabilities(
        _tracker(("Gør det ondt?", None), language="da"), DOMAIN
    )
    assert prediction.events == []


def test_a_message_without_language_keeps_the_slot(tmp_path):
    prediction = _policy(tmp_path).predict_action_probabilities(
        _tracker(("ok", None), language="en"), DOMAIN
    )
    assert prediction.events == []


def test_the_page_language_sets_the_first_reply_language(tmp_path):
    prediction = _policy(tmp_path).predict_action_probabilities(
        _tracker(("PGP?", {"language": "en"})), DOMAIN
    )
    assert prediction.events == [SlotSet("language", "en")]


def test_a_new_conversation_stays_on_the_danish_default_without_an_event(tmp_path):
    for text in ("👍", "Hej, gør det ondt?"):
        prediction = _policy(tmp_path).predict_action_probabilities(
            _tracker((text, None)), DOMAIN
        )
        assert prediction.events == []


def test_nothing_before_the_first_message(tmp_path):
    tracker = DialogueStateTracker.from_events("her", [], slots=DOMAIN.slots)
    prediction = _policy(tmp_path).predict_action_probabilities(tracker, DOMAIN)
    assert prediction.events == []
