"""The FAQ topic gate: uncertain topics are asked back, payloads pick topics."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.faq_gate import (
    FaqTopicGate,
    topic_from_payload,
    topic_is_too_uncertain,
    topics_in,
)

TOPICS = ["after_birth", "recurrence"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/faq/recurrence", "recurrence"),
        ("  /faq/after_birth ", "after_birth"),
        ("/faq/banana", ""),
        ("/faq/", ""),
        ("/faq", None),
        ("/greet", None),
        ("faq/recurrence", None),
        ("will it come back?", None),
        ("", None),
    ],
)
def test_topic_from_payload(text, expected):
    assert topic_from_payload(text, TOPICS) == expected


@pytest.mark.parametrize(
    ("intent", "confidence", "expected"),
    [
        ("faq", 0.49, True),
        ("faq", 0.5, False),
        ("faq", 0.99, False),
        ("faq", None, True),
        ("greet", 0.1, False),
        (None, None, False),
    ],
)
def test_topic_is_too_uncertain(intent, confidence, expected):
    assert topic_is_too_uncertain(intent, confidence, threshold=0.5) is expected


def test_topics_are_read_from_response_names():
    names = [
        "utter_faq/recurrence",
        "utter_greet",
        "utter_faq/after_birth",
        "utter_faqx",
    ]
    assert topics_in(names) == ["after_birth", "recurrence"]


@pytest.fixture
def gate(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("gate")
    context = ExecutionContext(graph_schema=None, model_id="test")
    trained = FaqTopicGate.create({"threshold": 0.5}, storage, resource, context)
    data = TrainingData(responses={f"utter_faq/{t}": [{"text": t}] for t in TOPICS})
    trained.train(data)
    return FaqTopicGate.load({"threshold": 0.5}, storage, resource, context)


def _message(text, intent, intent_confidence, topic=None, topic_confidence=None):
    data = {
        "text": text,
        "intent": {"name": intent, "confidence": intent_confidence},
        "intent_ranking": [{"name": intent, "confidence": intent_confidence}],
    }
    if topic:
        data["response_selector"] = {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {
                    "confidence": topic_confidence,
                    "intent_response_key": f"faq/{topic}",
                    "utter_action": f"utter_faq/{topic}",
                },
                "ranking": [],
            },
        }
    return Message(data=data)


def test_a_loaded_gate_resolves_a_topic_payload(gate):
    [message] = gate.process([_message("/faq/recurrence", "nlu_fallback", 0.5)])
    assert message.get("intent") == {"name": "faq", "confidence": 1.0}
    selected = message.get("response_selector")["faq"]["response"]
    assert selected["utter_action"] == "utter_faq/recurrence"
    assert selected["intent_response_key"] == "faq/recurrence"


def test_an_unknown_topic_payload_falls_back(gate):
    [message] = gate.process([_message("/faq/banana", "faq", 0.9, "recurrence", 0.9)])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_an_uncertain_topic_falls_back_and_keeps_the_ranking(gate):
    [message] = gate.process([_message("hmm", "faq", 0.95, "recurrence", 0.3)])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.5}
    assert [entry["name"] for entry in message.get("intent_ranking")] == [
        "nlu_fallback",
        "faq",
    ]
    assert message.get("response_selector")["faq"]["response"]["confidence"] == 0.3


def test_a_confident_topic_and_other_intents_pass_unchanged(gate):
    [confident, greeting] = gate.process(
        [
            _message("kommer det igen?", "faq", 0.95, "recurrence", 0.9),
            _message("hej", "greet", 0.99),
        ]
    )
    assert confident.get("intent")["name"] == "faq"
    assert greeting.get("intent")["name"] == "greet"
