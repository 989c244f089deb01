"""An NLU component that sends her own severe or worsening pain to the referral check.

"I'm in so much pain I can hardly walk, what should I do?" is a request for
advice about her, which the referral check gives; the classifier may take it
for a FAQ question (what to avoid, which exercises) or be unsure. When
``assistant.text.symptom_reports`` recognises such a report, the message becomes
``report_pain`` (the rule then starts the referral check), unless it already
is urgent (a red flag wins), a request for referral, or a conversational move
(stop, goodbye, "are you a bot?", help).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.gate import IntentGate
from assistant.nlu.intents import override_intent
from assistant.text.symptom_reports import is_symptom_report
from knowledge import intents

REPORT_PAIN_INTENT = intents.REPORT_PAIN
KEEP = frozenset(
    {
        intents.URGENT,
        intents.ASK_REFERRAL,
        intents.REPORT_PAIN,
        intents.STOP,
        intents.GOODBYE,
        intents.BOT_CHALLENGE,
        intents.HELP,
    }
)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class SymptomReportGate(IntentGate):
    """Sets the intent to ``report_pain`` for severe pain and a plea for help."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Turn symptom reports into ``report_pain``, keeping the ranking."""
        for message in messages:
            intent = (message.get("intent") or {}).get("name")
            if intent not in KEEP and is_symptom_report(message.get("text") or ""):
                override_intent(message, REPORT_PAIN_INTENT, 1.0)
        return messages
