"""`make evaluate` runs the whole bot as the server does, custom actions included.

Its wrong-language figures are measured on the bot's replies; a reply a
custom action gives (the referral check, the ask-back of an unclear message)
must be that action's own, not the fallback reply sent when the action server
cannot be reached (which the evaluation gave for every such message while it
loaded the model without the action server).
"""

from __future__ import annotations

import asyncio

import yaml

from evaluation.evaluate import ROOT, bot_replies
from harness.servers import MODEL


def _fallback_texts() -> list[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    variants = domain["responses"]["utter_action_server_unavailable"]
    return [variant["text"] for variant in variants]


def test_the_evaluated_bot_answers_with_its_custom_actions():
    replies = asyncio.run(
        bot_replies(MODEL, ["hvem skal jeg kontakte", "who should I contact"])
    )
    fallbacks = _fallback_texts()
    assert len(replies) == 2 and all(replies), replies
    for reply in replies:
        assert not any(fallback in reply for fallback in fallbacks), reply
