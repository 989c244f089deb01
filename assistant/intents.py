"""Overriding the intent an NLU pipeline chose, the way Rasa's fallback does."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message


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
