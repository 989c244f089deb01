"""A dialogue policy that keeps the ``urgency`` slot in step with her latest message.

Like ``SituationPolicy`` it never picks an action; it attaches a
``SlotSet("urgency", ...)`` event when a message has just come in, with the
tier of the red flags the NLU's red-flag gate found in it (the parse data's
``red_flags``; ``assistant.text.urgency``). Rasa applies the event before the
predicted action runs, so the urgent reply to that very message already says
"Ring 112 nu" first for a sign where life may be at stake (``utter_urgent``'s
conditions), with no action server involved. Unlike her situation, the tier
belongs to one message: a message naming no sign clears it, so a "Ja" to the
check's question gets the reply for an unknown tier.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.silent_policy import LEAVE_AS_IS, SlotKeepingPolicy
from assistant.text.urgency import urgency

URGENCY_SLOT = "urgency"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class UrgencyPolicy(SlotKeepingPolicy):
    """Sets the ``urgency`` slot from the red flags of the message just in."""

    SLOT = URGENCY_SLOT
    NONE_CLEARS = True  # the tier belongs to one message

    def new_value(self, tracker: DialogueStateTracker, domain: Domain) -> Any:
        """The tier of the message just in (None: no sign); once per message."""
        message = tracker.latest_message
        if (
            message is None
            or URGENCY_SLOT not in {slot.name for slot in domain.slots}
            or tracker.latest_action_name != ACTION_LISTEN_NAME  # read it once
        ):
            return LEAVE_AS_IS
        return urgency(message.parse_data.get("red_flags") or [])
