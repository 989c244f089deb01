"""An NLU component that decides whether a FAQ topic may be answered.

Two things Rasa's own components leave open, both about the ``faq``
retrieval intent:

- Rasa's ``FallbackClassifier`` looks only at the intent's confidence, not at
  the topic's in ``response_selector`` (RasaHQ/rasa#9751; the topic comes
  from ``LinearIntentClassifier`` here, in the ResponseSelector's shape):
  "faq" can be certain while the topic inside it is a guess. A topic picked
  below ``threshold`` turns the message into ``nlu_fallback``, so the bot
  asks back instead of answering the wrong question.
- A button payload ``/faq/<topic>`` (the topic menu and the ask-back offer
  topics as buttons) names the topic directly. Rasa's ``RegexMessageHandler``
  only knows plain intents, so this component turns the payload into the
  ``faq`` intent with that topic selected, as if the classifier had picked
  it with full confidence. An unknown topic becomes ``nlu_fallback``.

The topics it accepts are learnt from the training data's responses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.fingerprint import CodeFingerprint
from assistant.nlu.intents import RETRIEVAL_INTENT, override_intent, set_topic_ranking

PAYLOAD_PREFIX = f"/{RETRIEVAL_INTENT}/"
_TOPICS_FILE = "topics.json"


def topic_from_payload(text: str, known_topics: Iterable[str]) -> str | None:
    """Return the topic a ``/faq/<topic>`` payload names, "" if unknown.

    None means the text is not such a payload at all.
    """
    stripped = text.strip()
    if not stripped.startswith(PAYLOAD_PREFIX):
        return None
    topic = stripped[len(PAYLOAD_PREFIX) :]
    return topic if topic in set(known_topics) else ""


def topic_is_too_uncertain(
    intent_name: str | None, topic_confidence: float | None, threshold: float
) -> bool:
    """True when the FAQ intent won but its topic was picked below threshold."""
    if intent_name != RETRIEVAL_INTENT:
        return False
    return topic_confidence is None or topic_confidence < threshold


def topics_in(responses: Iterable[str]) -> list[str]:
    """The FAQ topics among response names such as ``utter_faq/recurrence``."""
    prefix = f"utter_{RETRIEVAL_INTENT}/"
    return sorted(name[len(prefix) :] for name in responses if name.startswith(prefix))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class FaqTopicGate(CodeFingerprint, GraphComponent):
    """Asks back on uncertain FAQ topics and resolves ``/faq/<topic>`` payloads."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The topic confidence below which the bot asks back."""
        return {"threshold": 0.5}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        topics: list[str] | None = None,
    ) -> None:
        """Creates the gate with the topics it knows."""
        self._threshold = float(config["threshold"])
        self._model_storage = model_storage
        self._resource = resource
        self._topics = frozenset(topics or [])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqTopicGate:
        """Creates an untrained gate."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> FaqTopicGate:
        """Loads the gate with the topics learnt in training."""
        with model_storage.read_from(resource) as directory:
            topics = json.loads((directory / _TOPICS_FILE).read_text("utf-8"))
        return cls(config, model_storage, resource, topics)

    def train(self, training_data: TrainingData) -> Resource:
        """Remembers which FAQ topics have responses."""
        self._topics = frozenset(topics_in(training_data.responses))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _TOPICS_FILE).write_text(
                json.dumps(sorted(self._topics)), "utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes through unchanged."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Resolves payloads, then sends uncertain FAQ topics to fallback."""
        for message in messages:
            topic = topic_from_payload(message.get("text") or "", self._topics)
            if topic:
                override_intent(message, RETRIEVAL_INTENT, 1.0)
                key = f"{RETRIEVAL_INTENT}/{topic}"
                set_topic_ranking(
                    message, [{"intent_response_key": key, "confidence": 1.0}]
                )
            elif topic == "" or self._uncertain(message):
                self._fall_back(message)
        return messages

    def _uncertain(self, message: Message) -> bool:
        intent = message.get("intent") or {}
        selected = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT, {})
        confidence = selected.get("response", {}).get("confidence")
        return topic_is_too_uncertain(intent.get("name"), confidence, self._threshold)

    def _fall_back(self, message: Message) -> None:
        override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, self._threshold)
