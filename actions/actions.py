"""Custom actions: the ask-back offer when the bot is unsure what she asked."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.responses import Responses
from actions.suggestions import suggest_choices
from actions.topics import (
    ASK_BACK_RESPONSE,
    REPHRASE_RESPONSE,
    SOMETHING_ELSE,
    buttons_by_choice,
)
from knowledge import intents


class ActionSuggestTopics(Action):
    """Offers the two or three likeliest topics as buttons, plus "something else"."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_suggest_topics"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Sends the ask-back offer, or the rephrase prompt if nothing fits."""
        responses = Responses.of(domain, tracker)
        if not responses.known:  # no titles for buttons: Rasa renders the prompt
            dispatcher.utter_message(response=REPHRASE_RESPONSE)
            return []
        message = tracker.latest_message or {}
        topic_ranking = (
            message.get("response_selector", {}).get(intents.FAQ, {}).get("ranking", [])
        )
        offer = responses.render(ASK_BACK_RESPONSE)
        buttons = buttons_by_choice(offer["buttons"])
        choices = suggest_choices(
            message.get("intent_ranking", []), topic_ranking, buttons.keys()
        )
        if not choices:
            dispatcher.utter_message(text=responses.text(REPHRASE_RESPONSE))
            return []
        dispatcher.utter_message(
            text=offer["text"],
            buttons=[buttons[choice] for choice in [*choices, SOMETHING_ELSE]],
        )
        return []
