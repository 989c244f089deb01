"""Custom actions: the ask-back offer when the bot is unsure what she asked."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.suggestions import suggest_choices
from actions.topics import offerable_choices
from knowledge import intents
from knowledge.ask_back import (
    ASK_BACK_ACTION,
    ASK_BACK_RESPONSE,
    CHOICES,
    REPHRASE_RESPONSE,
)


class ActionSuggestTopics(Action):
    """Offers the two or three likeliest topics as buttons, plus "something else"."""

    def name(self) -> str:
        """The action's name in the domain."""
        return ASK_BACK_ACTION

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Sends the ask-back offer, or the rephrase prompt if nothing fits."""
        message = tracker.latest_message or {}
        topic_ranking = (
            message.get("response_selector", {}).get(intents.FAQ, {}).get("ranking", [])
        )
        choices = suggest_choices(
            message.get("intent_ranking", []),
            topic_ranking,
            offerable_choices(domain),
        )
        if not choices:
            dispatcher.utter_message(response=REPHRASE_RESPONSE)
            return []
        dispatcher.utter_message(response=ASK_BACK_RESPONSE, **{CHOICES: choices})
        return []
