"""The intents the code acts on, by name: the domain's intents, written once.

Both processes read them: the Rasa server's NLU gates, policies and channels,
and the action server's form and ask-back. ``INTENTS`` is every intent of
domain.yml (tests/unit/test_architecture.py checks it, and that no other
module spells an intent's name).
"""

from __future__ import annotations

GREET = "greet"
GOODBYE = "goodbye"
THANK = "thank"
AFFIRM = "affirm"
DENY = "deny"
BOT_CHALLENGE = "bot_challenge"
HELP = "help"  # also what a refused "/..." message and the ask-back's last button mean
OUT_OF_SCOPE = "out_of_scope"
ASK_REFERRAL = "ask_referral"
URGENT = "urgent"
FAQ = "faq"  # the retrieval intent: its topics are "faq/<topic>"
STOP = "stop"
INFORM = "inform"
REPORT_PAIN = "report_pain"  # her own pain: starts the referral check
FEEDBACK_HELPFUL = "feedback_helpful"  # the widget's 👍 (a button payload only)
FEEDBACK_UNHELPFUL = "feedback_unhelpful"  # the widget's 👎
ASK_SOURCE = "ask_source"  # "kilde": where did the last answer come from

INTENTS = (
    GREET,
    GOODBYE,
    THANK,
    AFFIRM,
    DENY,
    BOT_CHALLENGE,
    HELP,
    OUT_OF_SCOPE,
    ASK_REFERRAL,
    URGENT,
    FAQ,
    STOP,
    INFORM,
    REPORT_PAIN,
    FEEDBACK_HELPFUL,
    FEEDBACK_UNHELPFUL,
    ASK_SOURCE,
)


def payload(intent: str) -> str:
    """The message a button sends for ``intent``: ``/affirm`` (Rasa's syntax).

    A FAQ topic's button sends ``payload("faq/<topic>")``, ``/faq/<topic>``.
    """
    return f"/{intent}"


# Rasa's own: what FallbackClassifier sets when no intent is confident enough.
NLU_FALLBACK = "nlu_fallback"
