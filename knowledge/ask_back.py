"""The ask-back offer: the likeliest topics as buttons, when the bot is unsure.

The action server picks the choices (``actions/suggestions.py``) and sends
``ASK_BACK_RESPONSE`` with them (``CHOICES``, a list of ``faq/<topic>`` or
intent names, likeliest first); the Rasa server shows those of the
response's buttons, in that order, with "something else" last
(``assistant/nlg/response_generator.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from knowledge import intents

ASK_BACK_ACTION = "action_suggest_topics"  # the custom action that offers them
ASK_BACK_RESPONSE = "utter_suggest_topics"
REPHRASE_RESPONSE = "utter_ask_rephrase"
CHOICES = "choices"  # the keyword the action sends them under
SOMETHING_ELSE = intents.HELP  # always offered last: "show the topics"


def choice_of(button: Mapping[str, Any]) -> str:
    """The choice a button sends (``/faq/x`` -> ``faq/x``)."""
    return str(button.get("payload") or "").removeprefix("/")


def buttons_for(
    buttons: Iterable[Mapping[str, Any]], choices: Sequence[str]
) -> list[dict[str, Any]]:
    """The buttons of ``choices`` in their order, then "something else"."""
    by_choice = {choice_of(button): dict(button) for button in buttons}
    return [
        by_choice[choice]
        for choice in [*choices, SOMETHING_ELSE]
        if choice in by_choice
    ]
