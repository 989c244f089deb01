"""A dialogue policy that never predicts an action (the base of those that act).

Rasa 3.6 lets a policy attach events to its prediction; ``LanguagePolicy``,
``SituationPolicy`` and ``UrgencyPolicy`` use that hook and must never win
an action prediction, so all start from this: lowest priority, nothing to
learn, all probabilities zero. ``SlotKeepingPolicy`` is the shape of those
that keep a slot in step with her messages (language, situation, urgency).
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.fingerprint import CodeFingerprint

# new_value's answer when the message is not hers to read (no change at all)
LEAVE_AS_IS = object()


class SilentPolicy(CodeFingerprint, Policy):
    """Predicts no action; subclasses add events or side effects."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Lowest priority: a silent policy must never win a prediction."""
        return {"priority": 0}

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """All probabilities zero."""
        return self._prediction(self._default_predictions(domain))


class SlotKeepingPolicy(SilentPolicy):
    """Predicts no action; sets ``SLOT`` when the latest message calls for it.

    The ``SlotSet`` event rides on the prediction, so Rasa applies it before
    the predicted action runs: the reply to that very message already uses it.
    """

    SLOT = ""
    # What new_value's None means: leave the slot as it is (False), or clear it
    # (True: the slot belongs to one message, like the urgency tier).
    NONE_CLEARS = False

    def new_value(self, tracker: DialogueStateTracker, domain: Domain) -> Any:
        """The slot's new value; None (see NONE_CLEARS); LEAVE_AS_IS: no change."""
        raise NotImplementedError

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """All probabilities zero; a ``SlotSet`` if the value changes."""
        probabilities = self._default_predictions(domain)
        value = self.new_value(tracker, domain)
        if (
            value is LEAVE_AS_IS
            or (value is None and not self.NONE_CLEARS)
            or value == tracker.get_slot(self.SLOT)
        ):
            return self._prediction(probabilities)
        return self._prediction(probabilities, events=[SlotSet(self.SLOT, value)])
