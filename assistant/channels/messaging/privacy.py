"""The widget's privacy, on a messaging channel: the greeting and erasure.

A messaging user never opens a chat window, so she never sends the widget's
``/greet`` nor sees its "Slet samtale" button. Here:

- **A new conversation starts with the greeting** (what the bot is and is not,
  and the privacy line): ``is_new_conversation`` is true when nothing of hers
  is stored, and the channel sends ``/greet`` first, as the widget does on
  opening, with her first message's language as the hint. The greeting names
  the chat window's "Slet samtale" button; ``how_to_erase_here`` follows it:
  how to erase on this platform, and that the platform keeps the messages too.
- **"slet", "delete", "glem mig"** (``is_erase_request``) gets a question
  with two numbered choices (``erase_prompt``), kept in the conversation as a
  bot message marked ``erase_prompt``; a "1" (or "ja"/"yes") to it erases the
  conversation as the widget's button does (``retention.forget_in_store``),
  and she is told so; a "2" (or "nej"/"no") keeps it. Nothing of the erasure's
  own replies is stored.

The texts are the channel's own, in Danish and English, as the messages the
server sends by itself are (``assistant/server/admission.py``'s ``BUSY_TEXT``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.text.language import DANISH, ENGLISH
from knowledge import intents

GREET_PAYLOAD = intents.payload(intents.GREET)
ERASE_PAYLOAD = "/erase_conversation"
KEEP_PAYLOAD = "/keep_conversation"
ERASE_PROMPT_MARK = "erase_prompt"

_DANISH_REQUESTS = frozenset(
    {"slet", "slet samtale", "slet samtalen", "slet mig", "glem mig"}
)
_ENGLISH_REQUESTS = frozenset(
    {"delete", "delete conversation", "delete the conversation", "forget me"}
)
_YES = frozenset({"ja", "yes", "ja tak", "ja, slet den", "yes, delete it"})
_NO = frozenset({"nej", "no", "nej tak", "nej, behold den", "no, keep it"})
_PUNCTUATION = re.compile(r"[\s.!?,;:\"'«»]+$|^[\s\"'«»]+")

ERASE_PROMPT = {
    DANISH: (
        "Vil du slette hele samtalen? Så er intet af den gemt her længere, "
        "og den kan ikke hentes igen.",
        ["Ja, slet den", "Nej, behold den"],
    ),
    ENGLISH: (
        "Do you want to delete the whole conversation? Nothing of it will be "
        "kept here, and it cannot be brought back.",
        ["Yes, delete it", "No, keep it"],
    ),
}
ERASED_TEXT = {
    DANISH: "Samtalen er slettet: intet af den er gemt her længere. "
    "Skriver du igen, begynder en ny samtale.",
    ENGLISH: "The conversation is deleted: nothing of it is kept here any more. "
    "If you write again, a new conversation begins.",
}
# the server cannot erase here (a Rasa upgrade changed the store's shape)
NOT_ERASED_TEXT = {
    DANISH: "Samtalen kunne ikke slettes lige nu, og intet af den er slettet. "
    "Prøv igen senere, eller bed klinikken om at slette den.",
    ENGLISH: "The conversation could not be deleted just now, and nothing of it "
    "was deleted. Please try again later, or ask the clinic to delete it.",
}
KEPT_TEXT = {
    DANISH: "Samtalen er ikke slettet.",
    ENGLISH: "The conversation was not deleted.",
}
# after the greeting, whose privacy line names the chat window's button
HOW_TO_ERASE_HERE = {
    DANISH: "Her på {platform} sletter du samtalen ved at skrive «slet». "
    "{carriers} gemmer også beskederne, efter deres egne regler.",
    ENGLISH: "Here on {platform} you delete the conversation by writing "
    "“delete”. The messages are also kept by {carriers}, under their own rules.",
}
NOTHING_STORED_TEXT = {
    DANISH: "Der er ingen samtale med dig gemt her.",
    ENGLISH: "No conversation with you is kept here.",
}


def how_to_erase_here(language: str, platform: str, carriers: Mapping[str, str]) -> str:
    """The privacy line for a messaging platform, after the greeting."""
    language = language if language in HOW_TO_ERASE_HERE else DANISH
    return HOW_TO_ERASE_HERE[language].format(
        platform=platform, carriers=carriers.get(language, "")
    )


def _normalised(text: str) -> str:
    return " ".join(_PUNCTUATION.sub("", text.strip().lower()).split())


def is_erase_request(text: str) -> bool:
    """True for "slet", "delete", "glem mig" and their like, alone.

    The "erase" button of a question no longer open (pressed on an old
    message on Telegram, Messenger or Slack) asks again.
    """
    return (
        _normalised(text) in _DANISH_REQUESTS | _ENGLISH_REQUESTS
        or text.strip() == ERASE_PAYLOAD
    )


def is_keep_payload(text: str) -> bool:
    """True for the "keep" button's payload (a pressed button, not typed)."""
    return text.strip() == KEEP_PAYLOAD


def request_language(text: str, conversation_language: str | None) -> str:
    """The language to answer an erasure request in."""
    words = _normalised(text)
    if words in _ENGLISH_REQUESTS:
        return ENGLISH
    if words in _DANISH_REQUESTS:
        return DANISH
    return ENGLISH if conversation_language == ENGLISH else DANISH


def confirmation(text: str, picked: str | None) -> str | None:
    """``ERASE_PAYLOAD``, ``KEEP_PAYLOAD`` or None for a reply to the prompt."""
    for chosen in (picked, text.strip()):  # a digit, or a pressed button
        if chosen in (ERASE_PAYLOAD, KEEP_PAYLOAD):
            return chosen
    words = _normalised(text)
    if words in _YES:
        return ERASE_PAYLOAD
    if words in _NO:
        return KEEP_PAYLOAD
    return None


def erase_prompt(language: str) -> BotUttered:
    """The question asked before erasing, with its two choices."""
    text, (erase, keep) = ERASE_PROMPT.get(language, ERASE_PROMPT[DANISH])
    buttons = [
        {"title": erase, "payload": ERASE_PAYLOAD},
        {"title": keep, "payload": KEEP_PAYLOAD},
    ]
    return BotUttered(
        text, data={"buttons": buttons}, metadata={ERASE_PROMPT_MARK: True}
    )


def is_new_conversation(tracker: DialogueStateTracker | None) -> bool:
    """True when nothing she said is stored (never was, or was erased)."""
    return tracker is None or not any(
        isinstance(event, UserUttered) for event in tracker.events
    )


def _latest_bot_message(tracker: DialogueStateTracker | None) -> BotUttered | None:
    """The bot's latest message after her latest one, if any."""
    for event in reversed(list(tracker.events) if tracker else []):
        if isinstance(event, UserUttered):
            return None
        if isinstance(event, BotUttered):
            return event
    return None


def offered_buttons(tracker: DialogueStateTracker | None) -> list[dict[str, Any]]:
    """The buttons of the bot's latest message with buttons since her last one."""
    for event in reversed(list(tracker.events) if tracker else []):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered) and (event.data or {}).get("buttons"):
            return list(event.data["buttons"])
    return []


def is_erase_prompt_open(tracker: DialogueStateTracker | None) -> bool:
    """True when the bot's latest message asks whether to erase."""
    latest = _latest_bot_message(tracker)
    metadata: Mapping[str, Any] = (latest.metadata or {}) if latest else {}
    return metadata.get(ERASE_PROMPT_MARK) is True
