"""An NLU component that turns any message naming a red flag into ``urgent``.

The trained classifier recognises most urgent messages; this makes sure the
ones it misses (or mistakes for a FAQ question, such as "the baby has barely
moved today, is that dangerous?") still get the urgent advice first.

The other way round, a message that names signs only to deny them ("nej,
ingen blødning eller feber") is no emergency, even if the classifier, seeing
the words, said ``urgent``: it gets the classifier's next-best intent (a "no"
to the referral check's question, most often). Which words count as red
flags, and when they are denied, is decided in ``assistant.text.red_flags``.
A denial followed by her own pain ("nej, ingen blødning eller feber, men
bækkenet gør ondt når jeg går på trapper") is no bare "no": it becomes
``report_pain`` and starts the referral check
(``assistant.text.symptom_reports.denial_then_own_pain``).

In between, the classifier may say ``urgent`` where the patterns find no sign
at all: often an ordinary pain report with a pregnancy week ("uge 30 og ondt
i bækkenet"), sometimes a sign put in words the patterns do not know. Unless
the classifier is very sure (``classifier_alone_threshold``), such a message
becomes ``report_pain``: the referral check starts, and its first question
lists every red flag with a yes button. An unneeded "call the maternity unit
now" teaches people to ignore it; a sign the patterns missed is still caught
one answer later. So does a message whose only sign is normal in her
situation (bleeding within six weeks of the birth), however sure the
classifier is: the check then asks about heavy bleeding.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.gate import IntentGate
from assistant.nlu.intents import override_intent
from assistant.text.red_flags import read_red_flags
from assistant.text.symptom_reports import denial_then_own_pain
from knowledge import intents
from knowledge.referral_answers import DENIAL_THEN_OWN_PAIN

URGENT_INTENT = intents.URGENT
CHECK_INTENT = (
    intents.REPORT_PAIN
)  # starts the referral check with the red-flag question


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class RedFlagGate(IntentGate):
    """Sets the intent to ``urgent`` when a message names a red flag."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """How sure the classifier must be to call a message urgent on its own."""
        return {"classifier_alone_threshold": 0.9}

    def __init__(self, config: dict[str, Any]) -> None:
        """Create the gate with the classifier's threshold."""
        super().__init__(config)
        self._classifier_alone_threshold = float(
            self._config["classifier_alone_threshold"]
        )

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark red flags urgent; denials are not, unless her own pain follows."""
        for message in messages:
            reading = read_red_flags(message.get("text") or "")
            if reading.affirmed:
                override_intent(message, URGENT_INTENT, 1.0)
                message.set("red_flags", reading.affirmed, add_to_output=True)
                continue
            intent = message.get("intent") or {}
            if reading.negated:
                message.set("denied_red_flags", reading.negated, add_to_output=True)
            if denial_then_own_pain(message.get("text") or "", reading):
                override_intent(message, CHECK_INTENT, 1.0)
                # the check reads it as a no to the signs (actions/referral/form.py)
                message.set(DENIAL_THEN_OWN_PAIN, True, add_to_output=True)
                continue
            if intent.get("name") != URGENT_INTENT:
                continue
            if reading.negated:
                _demote_urgent(message)
            elif (
                reading.normal_here
                or float(intent.get("confidence") or 0)
                < self._classifier_alone_threshold
            ):
                override_intent(message, CHECK_INTENT, float(intent["confidence"]))
        return messages


def _demote_urgent(message: Message) -> None:
    """Give the message the classifier's best intent other than ``urgent``."""
    ranking = [
        entry
        for entry in message.get("intent_ranking") or []
        if entry.get("name") not in (URGENT_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME)
    ]
    if ranking:
        best = ranking[0]
        override_intent(message, str(best["name"]), float(best["confidence"]))
    else:
        override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 0.0)
