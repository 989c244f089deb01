"""The choices the ask-back offers as buttons: what each button sends.

A choice is a FAQ topic's response key (``faq/<topic>``) or a plain intent;
its button sends ``/<choice>``. The buttons themselves, title and payload, are
those of the ``utter_suggest_topics`` response in the domain, one per choice
it may offer, in Danish and English; the help menu's six are the very same
buttons as ``utter_help``'s, so every title is written once, in YAML. The
action reads which choices have a button from the domain Rasa sends it
(``send_domain: true``); Rasa's response generator shows the chosen ones in
her language (``assistant/nlg/response_generator.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.ask_back import ASK_BACK_RESPONSE, choice_of


def offerable_choices(domain: Mapping[str, Any]) -> set[str]:
    """The choices the ask-back has a button for (``/faq/x`` -> ``faq/x``)."""
    variations = (domain.get("responses") or {}).get(ASK_BACK_RESPONSE) or []
    return {
        choice_of(button)
        for variation in variations
        for button in variation.get("buttons") or []
    }
