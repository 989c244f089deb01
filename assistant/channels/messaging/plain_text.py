"""Bot messages as plain text, for platforms that show text only (SMS, WhatsApp).

- **Buttons become numbered choices** under the text (``1) Ja``, ``2) Nej``)
  and a reply that is just one of those numbers picks that button's payload;
  choices that are numbers themselves (the pain scale) are listed unnumbered
  and her number is her answer (``assistant/text/choices.py``, shared with
  ``make shell``).
- **Urgent advice is marked** (``⚠️ VIGTIGT``) on the line before its text.
- **A long message is split** into parts of at most the platform's limit
  (Twilio: 1,600 characters), at a paragraph, a line or a space, never inside
  a word (unless one word is longer than the limit). Characters are counted
  as UTF-16 code units, as Twilio counts them: an emoji counts two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assistant.channels.reply_metadata import is_urgent
from assistant.text.choices import are_numbered, numbered_choices, picked_payload

__all__ = [
    "TWILIO_MESSAGE_LIMIT",
    "URGENT_MARK",
    "are_numbered",
    "numbered_choices",
    "picked_payload",
    "rendered",
    "rendered_turn",
    "split_message",
]

TWILIO_MESSAGE_LIMIT = 1_600
URGENT_MARK = {"da": "⚠️ VIGTIGT", "en": "⚠️ IMPORTANT"}


def rendered(message: Mapping[str, Any], language: str = "da") -> str:
    """A collected bot message (text, buttons, metadata) as one text."""
    parts: list[str] = []
    if is_urgent(message.get("metadata") or {}):
        parts.append(URGENT_MARK.get(language, URGENT_MARK["da"]))
    text = str(message.get("text") or "").strip()
    if text:
        parts.append(text)
    choices = numbered_choices(message.get("buttons") or [], language)
    if choices:
        parts.append("\n".join(choices) if not text else "\n" + "\n".join(choices))
    return "\n".join(parts)


def rendered_turn(messages: Sequence[Mapping[str, Any]], language: str = "da") -> str:
    """A turn's bot messages as one text, paragraphs apart.

    Only the last message with buttons keeps its numbered choices: a digit
    picks from those (``picked_payload`` is given the latest buttons). The
    urgent mark is shown once before a run of urgent messages.
    """
    with_buttons = [index for index, m in enumerate(messages) if m.get("buttons")]
    last_with_buttons = with_buttons[-1] if with_buttons else -1
    texts: list[str] = []
    previous_urgent = False
    for index, message in enumerate(messages):
        shown = dict(message)
        if index != last_with_buttons:
            shown["buttons"] = []
        urgent = is_urgent(message.get("metadata") or {})
        if urgent and previous_urgent:
            shown["metadata"] = {}
        previous_urgent = urgent
        text = rendered(shown, language)
        if text:
            texts.append(text)
    return "\n\n".join(texts)


def length(text: str) -> int:
    """How long a text is for the platform: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = TWILIO_MESSAGE_LIMIT) -> list[str]:
    """``text`` in parts of at most ``limit``, split between words."""
    text = text.strip()
    parts: list[str] = []
    while length(text) > limit:
        cut = _cut_point(text, limit)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _cut_point(text: str, limit: int) -> int:
    """Where to end the first part: at a paragraph, line or word break.

    A paragraph break is taken if the part stays over a quarter of the limit
    (a question and its choices stay together), a line break if over half;
    else the last space; else (one word longer than the limit) the limit.
    """
    fits = _characters_within(text, limit)
    window = text[: fits + 1]  # a separator right after the limit is fine too
    for separator, shortest in (("\n\n", fits // 4), ("\n", fits // 2)):
        at = window.rfind(separator)
        if at > shortest:
            return at
    at = max(window.rfind(" "), window.rfind("\n"))
    return at if at > 0 else fits


def _characters_within(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` code units."""
    used = 0
    for index, character in enumerate(text):
        used += 2 if ord(character) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)
