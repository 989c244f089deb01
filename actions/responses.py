"""What the bot says, read from the domain's responses: the one home of its texts.

Every text a custom action sends is a response in ``domain.yml``: a Danish
variation without a condition (the default) and an English one with the
condition ``language: en``, as every other response. Rasa sends the whole
domain with each call to the action server; ``Responses`` picks the variation
Rasa's own generator would pick for the conversation's slots and fills its
``{placeholders}`` the same way (``rasa.core.nlg``, Rasa 3.6: a conditional
variation that matches the slots wins over the default; a slot or a keyword
fills ``{name}``; tests/unit/test_action_texts.py checks it against Rasa's).

Why the action renders the text instead of ``utter_message(response=...)``:
Rasa would then add the response's name to the message's metadata, which the
REST and socket.io channels pass on to the client
(assistant/channels/reply_metadata.py), and the ask-back picks its buttons
from the full list in its response. Sending the rendered text keeps every
message exactly as it was, and one mechanism serves whole messages and the
pieces the referral summary is built from.

A call without the domain (Rasa's "selective domain", or a hand-made call) is
answered, not failed: the actions then name the response for Rasa to render
(``utter_message(response=...)``, same text, the name in the metadata) and
leave out what only the domain can build (the summary, the ask-back's
buttons). A failed action would get the safety net's apology and the list of
urgent signs, far too alarming for a misunderstanding.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker

DANISH = "da"
ENGLISH = "en"
LANGUAGE_SLOT = "language"
_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


class MissingResponseError(KeyError):
    """The domain has no such response (or the action server got no domain)."""


def language_of(slots: Mapping[str, Any]) -> str:
    """The conversation's language: English if the slot says so, else Danish."""
    return ENGLISH if slots.get(LANGUAGE_SLOT) == ENGLISH else DANISH


def _matches(condition: list[Mapping[str, Any]], slots: Mapping[str, Any]) -> bool:
    """Whether every slot condition holds (strings compared case-blind, as Rasa)."""
    for constraint in condition:
        value, filled = constraint["value"], slots.get(constraint["name"])
        if isinstance(value, str) and isinstance(filled, str):
            if value.casefold() != filled.casefold():
                return False
        elif filled != value:
            return False
    return True


def fill(text: str, values: Mapping[str, Any]) -> str:
    """``{name}`` replaced by its value, as Rasa's interpolator does.

    A placeholder with no value leaves the text as written, as in Rasa.
    """
    try:
        return _PLACEHOLDER.sub(r"{0[\1]}", text).format(values)
    except (KeyError, IndexError):
        return text


class Responses:
    """The domain's responses as one conversation sees them (its slots)."""

    def __init__(
        self, responses: Mapping[str, list[dict[str, Any]]], slots: Mapping[str, Any]
    ) -> None:
        """``responses`` as in the domain; ``slots`` the conversation's values."""
        self._responses = responses
        self.slots = dict(slots)
        self.language = language_of(self.slots)

    @classmethod
    def of(cls, domain: Mapping[str, Any], tracker: Tracker) -> Responses:
        """The responses of the domain Rasa sent, for this conversation."""
        return cls(domain.get("responses") or {}, tracker.current_slot_values())

    @property
    def known(self) -> bool:
        """Whether the call came with the domain's responses (Rasa sends them)."""
        return bool(self._responses)

    def variation(self, name: str) -> dict[str, Any]:
        """The variation Rasa would pick (any one of several that fit equally)."""
        variations = self._responses.get(name)
        if not variations:
            raise MissingResponseError(f"The domain has no response {name!r}.")
        if any("channel" in variation for variation in variations):
            raise ValueError(f"{name}: actions render no channel-specific variation.")
        conditional = [
            v
            for v in variations
            if v.get("condition") and _matches(v["condition"], self.slots)
        ]
        default = [v for v in variations if v.get("condition") is None]
        suitable = conditional or default
        if not suitable:
            raise MissingResponseError(f"No variation of {name!r} fits {self.slots}.")
        return suitable[0] if len(suitable) == 1 else random.choice(suitable)

    def render(self, name: str, **values: Any) -> dict[str, Any]:
        """Text and buttons of one variation, placeholders filled from slots and values.

        As in Rasa, placeholders are filled in the text and in the buttons'
        titles and payloads.
        """
        variation = self.variation(name)
        filling = {**self.slots, **values}
        text = fill(str(variation.get("text") or ""), filling)
        buttons = [
            {
                key: fill(value, filling) if isinstance(value, str) else value
                for key, value in button.items()
            }
            for button in variation.get("buttons") or []
        ]
        return {"text": text, "buttons": buttons}

    def text(self, name: str, **values: Any) -> str:
        """The response's text, its placeholders filled from slots and ``values``."""
        return str(self.render(name, **values)["text"])
