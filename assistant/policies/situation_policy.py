"""A dialogue policy that keeps the ``care_situation`` slot in step with her messages.

Like ``LanguagePolicy`` it never picks an action; it attaches a
``SlotSet("care_situation", ...)`` event when the latest message tells her
situation ("gravid i uge 30", "I gave birth 2 weeks ago", a red flag that only
occurs in pregnancy) and the slot does not say so yet. Rasa applies the event
before the predicted action runs, so the urgent reply to that very message
already names the right place to call (``utter_urgent``'s conditions), with no
action server involved. The referral check sets the slot from its answers too,
and has the last word: the policy reads a message once, right after it came
in, and not at all when it answers the check's question about how long ago she
gave birth ("Less than 6 weeks" is no pregnancy week). Her answer to the
check's question about her stage it does read, so that "gravid i uge 14" tells
the check she is before week 22.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.policies.silent_policy import SlotKeepingPolicy
from assistant.text.situation import situation_from_text, updated_situation
from knowledge import care_situations
from knowledge.referral_answers import TIME_SINCE_BIRTH

SITUATION_SLOT = care_situations.SLOT
# the referral check's question whose answer sets the slot itself
ANSWERED_BY_THE_CHECK = frozenset({TIME_SINCE_BIRTH})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class SituationPolicy(SlotKeepingPolicy):
    """Sets the ``care_situation`` slot from what the latest message tells."""

    SLOT = SITUATION_SLOT

    def new_value(self, tracker: DialogueStateTracker, domain: Domain) -> str | None:
        """Her situation if the message just in tells one; not a check's answer."""
        message = tracker.latest_message
        if (
            message is None
            or SITUATION_SLOT not in {slot.name for slot in domain.slots}
            or tracker.latest_action_name != ACTION_LISTEN_NAME  # read it once
            or (
                tracker.active_loop_name
                and tracker.get_slot(REQUESTED_SLOT) in ANSWERED_BY_THE_CHECK
            )
        ):
            return None
        told = situation_from_text(
            message.text or "", message.parse_data.get("red_flags") or []
        )
        return updated_situation(tracker.get_slot(SITUATION_SLOT), told)
