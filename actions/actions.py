"""Custom actions: the ask-back offer when the bot is unsure what she asked."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.suggestions import suggest_choices
from actions.topics import DANISH, ENGLISH, choice_payload, choice_title

ASK_BACK_TEXT = {
    DANISH: "Jeg er ikke helt sikker på, hvad du mener. Mente du en af disse?",
    ENGLISH: "I'm not quite sure what you mean. Did you mean one of these?",
}
REPHRASE_TEXT = {
    DANISH: "Jeg er ikke sikker på, at jeg forstod dig. Prøv at skrive det på en "
    'anden måde, eller skriv "hjælp" for at se, hvad jeg kan svare på.',
    ENGLISH: "I'm not sure I understood you. Could you put it another way, or type "
    '"help" to see what I can answer?',
}


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
        message = tracker.latest_message or {}
        language = ENGLISH if tracker.get_slot("language") == ENGLISH else DANISH
        topic_ranking = (
            message.get("response_selector", {}).get("faq", {}).get("ranking", [])
        )
        choices = suggest_choices(message.get("intent_ranking", []), topic_ranking)
        if not choices:
            dispatcher.utter_message(text=REPHRASE_TEXT[language])
            return []
        buttons = [
            {"title": choice_title(choice, language), "payload": choice_payload(choice)}
            for choice in [*choices, "help"]
        ]
        dispatcher.utter_message(text=ASK_BACK_TEXT[language], buttons=buttons)
        return []
