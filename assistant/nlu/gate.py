"""The shape of the components that may change the intent classifier's verdict.

The red-flag gate and the symptom-report gate run after the classifier,
learn nothing, and either leave a message's intent alone or override it
(``assistant/nlu/intents.py``). ``IntentGate`` is what they share: the
classifier they need before them, their config and Rasa's ``create``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.message import Message

from assistant.fingerprint import CodeFingerprint


class IntentGate(CodeFingerprint, GraphComponent):
    """Checks the classifier's intent after it; nothing to learn."""

    @classmethod
    def required_components(cls) -> list[type]:
        """An intent classifier before it, whose intent it checks."""
        return [IntentClassifier]

    def __init__(self, config: dict[str, Any]) -> None:
        """The gate with its config (the defaults for what is not set)."""
        self._config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentGate:
        """Create the gate from its config."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Check each message's intent, overriding it where the gate says so."""
        raise NotImplementedError
