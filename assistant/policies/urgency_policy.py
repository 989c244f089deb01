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

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.silent_policy import SilentPolicy
from assistant.text.urgency import urgency

URGENCY_SLOT = "urgency"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class UrgencyPolicy(SilentPolicy):
    """Sets the ``urgency`` slot from the red flags of the message just in."""

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """All probabilities zero; a ``SlotSet`` if the tier changes (None too)."""
        probabilities = self._default_predictions(domain)
        message = tracker.latest_message
        if (
            message is None
            or URGENCY_SLOT not in {slot.name for slot in domain.slots}
            or tracker.latest_action_name != ACTION_LISTEN_NAME  # read it once
        ):
            return self._prediction(probabilities)
        value = urgency(message.parse_data.get("red_flags") or [])
        if value == tracker.get_slot(URGENCY_SLOT):
            return self._prediction(probabilities)
        return self._prediction(probabilities, events=[SlotSet(URGENCY_SLOT, value)])
