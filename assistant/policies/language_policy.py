"""A dialogue policy that keeps the ``language`` slot in step with the user.

It never picks an action (all its probabilities are zero and its priority is
the lowest); it only attaches a ``SlotSet("language", ...)`` event to the
prediction when the latest user message is written in another language than
the conversation so far. Rasa applies the events of every policy's prediction
before it runs the predicted action, so the very reply to that message is
already in the new language, and the switch is recorded in the tracker.

Doing this inside the Rasa server (and not in a custom action) keeps the
replies in the right language even when the action server is down, and costs
no extra round trip.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.silent_policy import SlotKeepingPolicy
from assistant.text.language import DEFAULT_LANGUAGE, conversation_language
from knowledge.referral_answers import LANGUAGE

LANGUAGE_SLOT = LANGUAGE  # the slot with her language
# Key of the message metadata a client (the web widget) may send to say which
# language its page is in; used only when the text itself shows none.
LANGUAGE_METADATA_KEY = "language"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class LanguagePolicy(SlotKeepingPolicy):
    """Sets the ``language`` slot from the latest user message."""

    SLOT = LANGUAGE_SLOT

    def new_value(self, tracker: DialogueStateTracker, domain: Domain) -> str | None:
        """The message's language if she switched; None if it stays the same."""
        message = tracker.latest_message
        if message is None:
            return None
        current = tracker.get_slot(LANGUAGE_SLOT)
        hint = (message.metadata or {}).get(LANGUAGE_METADATA_KEY)
        language = conversation_language(message.text or "", current, hint)
        # an unset slot already means the default language: no event for it
        return None if language == (current or DEFAULT_LANGUAGE) else language
