"""Setting what NLU decided on a message: the intent and the FAQ topic.

Overriding the intent works the way Rasa's fallback does; the FAQ topic is
written in the shape Rasa's ResponseSelector gives it, which ``utter_faq``,
the processor and the ask-back action read.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.training_data.message import Message

from knowledge import intents

RETRIEVAL_INTENT = intents.FAQ


def override_intent(message: Message, name: str, confidence: float) -> None:
    """Make ``name`` the message's intent and put it first in the ranking.

    The rest of the ranking stays, so later steps (the ask-back offer) can
    still see what else the classifier thought.
    """
    chosen = {"name": name, "confidence": confidence}
    ranking = [
        entry
        for entry in message.get("intent_ranking") or []
        if entry.get("name") != name
    ]
    message.set("intent", chosen, add_to_output=True)
    message.set("intent_ranking", [chosen, *ranking], add_to_output=True)


def set_topic_ranking(message: Message, topic_ranking: list[dict[str, Any]]) -> None:
    """Select the first topic of ``topic_ranking`` for the ``faq`` intent.

    Each entry is {"intent_response_key": "faq/<topic>", "confidence": ...},
    best first.
    """
    best = topic_ranking[0]
    key = str(best["intent_response_key"])
    selector = message.get("response_selector") or {}
    selector["all_retrieval_intents"] = [RETRIEVAL_INTENT]
    selector[RETRIEVAL_INTENT] = {
        "response": {
            "responses": [],
            "confidence": best["confidence"],
            "intent_response_key": key,
            "utter_action": f"utter_{key}",
        },
        "ranking": topic_ranking,
    }
    message.set("response_selector", selector, add_to_output=True)
