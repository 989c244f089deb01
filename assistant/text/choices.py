"""Buttons as choices picked by typing their number, where buttons are not shown.

WhatsApp, SMS (``assistant/channels/messaging/plain_text.py``) and
``make shell`` (``scripts/shell.py``) list a message's buttons as numbered
lines (``1) Ja``, ``2) Nej``); a reply that is just one of those numbers
picks that button's payload, and any other reply is sent as typed (a "7" with
two choices is a pain level, not a choice). Choices that are numbers
themselves (the pain scale's "0 – ingen", "4–6 – moderate") are listed with
bullets and a number she writes is sent as she wrote it: a "4" must be pain
4, not the fourth choice ("7–8").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PICK_HINT = {
    "da": "Svar med et tal ({choices}).",
    "en": "Reply with a number ({choices}).",
}


def are_numbered(buttons: Sequence[Mapping[str, Any]]) -> bool:
    """True when the choices are picked by number (none is a number itself)."""
    return bool(buttons) and not any(
        str(button.get("title", "")).lstrip()[:1].isdigit() for button in buttons
    )


def picked_payload(text: str, buttons: Sequence[Mapping[str, Any]]) -> str | None:
    """The payload of the button whose number ``text`` is, else None."""
    typed = text.strip()
    if not (typed.isascii() and typed.isdigit()) or not are_numbered(buttons):
        return None
    number = int(typed)
    if not 1 <= number <= len(buttons):
        return None
    payload = buttons[number - 1].get("payload")
    return str(payload) if payload else None


def numbered_choices(
    buttons: Sequence[Mapping[str, Any]], language: str = "da"
) -> list[str]:
    """The lines listing the buttons by number, and how to pick one.

    Choices that are numbers are listed with bullets: she writes her number.
    """
    if not buttons:
        return []
    if not are_numbered(buttons):
        return [f"• {button.get('title', '')}" for button in buttons]
    last = len(buttons)
    choices = "1" if last == 1 else f"1–{last}"
    lines = [
        f"{number}) {button.get('title', '')}"
        for number, button in enumerate(buttons, start=1)
    ]
    hint = PICK_HINT.get(language, PICK_HINT["da"])
    return [*lines, hint.format(choices=choices)]
