"""The choices the ask-back offers as buttons: what each button sends.

A choice is a FAQ topic's response key (``faq/<topic>``) or a plain intent;
its button sends ``/<choice>``. The buttons themselves, title and payload, are
those of the ``utter_suggest_topics`` response in the domain, one per choice
it may offer, in Danish and English; the help menu's six are the very same
buttons as ``utter_help``'s, so every title is written once, in YAML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from knowledge import intents

ASK_BACK_RESPONSE = "utter_suggest_topics"
REPHRASE_RESPONSE = "utter_ask_rephrase"
SOMETHING_ELSE = intents.HELP  # always offered last: "show the topics"


def buttons_by_choice(
    buttons: Iterable[Mapping[str, Any]],
) -> dict[str, dict[str, Any]]:
    """The buttons keyed by the choice their payload sends (``/faq/x`` -> ``faq/x``)."""
    return {
        str(button["payload"]).removeprefix("/"): dict(button) for button in buttons
    }
