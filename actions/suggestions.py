"""Which choices to offer when the bot is not sure what she asked.

A pure function of the NLU output: the intent ranking and, within the FAQ
intent, the topic ranking. A topic's score is P(faq) x P(topic | faq), so a
topic is only offered when both the intent and the topic are plausible.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from knowledge import intents

FAQ_INTENT = intents.FAQ
# Intents worth a button besides FAQ topics; greetings and the like are not.
SUGGESTIBLE_INTENTS = frozenset({intents.ASK_REFERRAL, intents.URGENT})
# Intents offered under another's button: a report of her own pain starts the
# same referral check as "who should I contact?".
OFFERED_AS = {intents.REPORT_PAIN: intents.ASK_REFERRAL}
MAX_SUGGESTIONS = 3
MIN_SCORE = 0.05


def suggest_choices(
    intent_ranking: Iterable[Mapping[str, object]],
    topic_ranking: Iterable[Mapping[str, object]],
    offerable: Collection[str],
    limit: int = MAX_SUGGESTIONS,
    min_score: float = MIN_SCORE,
) -> list[str]:
    """Return up to ``limit`` choices ("faq/<topic>" or an intent), likeliest first.

    ``intent_ranking`` holds {"name", "confidence"} entries as Rasa's intent
    classifier gives them; ``topic_ranking`` holds {"intent_response_key",
    "confidence"} entries in the ResponseSelector's shape, for ``faq``.
    ``offerable`` holds the choices there is a button for (the domain's
    ``utter_suggest_topics``); other topics are ignored. Nothing below
    ``min_score`` is offered.
    """
    intents: dict[str, float] = {}
    for entry in intent_ranking:
        name = str(entry.get("name"))
        name = OFFERED_AS.get(name, name)
        intents[name] = intents.get(name, 0.0) + _confidence(entry)
    scored: list[tuple[float, str]] = []
    faq_confidence = intents.get(FAQ_INTENT, 0.0)
    for entry in topic_ranking:
        key = str(entry.get("intent_response_key"))
        if key in offerable:
            scored.append((faq_confidence * _confidence(entry), key))
    for name, confidence in intents.items():
        if name in SUGGESTIBLE_INTENTS and name in offerable:
            scored.append((confidence, name))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [choice for score, choice in scored if score >= min_score][:limit]


def _confidence(entry: Mapping[str, object]) -> float:
    value = entry.get("confidence", 0.0)
    return float(value) if isinstance(value, (int, float)) else 0.0
