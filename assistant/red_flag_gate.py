"""An NLU component that turns any message naming a red flag into ``urgent``.

The trained classifier recognises most urgent messages; this makes sure the
ones it misses (or mistakes for a FAQ question, such as "the baby has barely
moved today, is that dangerous?") still get the urgent advice first. Which
words count as red flags is decided in ``assistant.red_flags``.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from assistant.intents import override_intent
from assistant.red_flags import red_flags

URGENT_INTENT = "urgent"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class RedFlagGate(GraphComponent):
    """Sets the intent to ``urgent`` when a message names a red flag."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagGate:
        """Create the gate; it has nothing to learn."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark messages naming a red flag as urgent, keeping the ranking."""
        for message in messages:
            flags = red_flags(message.get("text") or "")
            if not flags:
                continue
            override_intent(message, URGENT_INTENT, 1.0)
            message.set("red_flags", flags, add_to_output=True)
        return messages
