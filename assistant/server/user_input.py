"""What a user's message may be: text, or one of a few button payloads.

Rasa reads any message starting with "/" as an intent with entities:
``/restart`` restarts the conversation silently, ``/ask_referral{"pain": 99}``
sets entities (and through them slots) from what she typed, and
``/faq{"x": 1}`` is an intent without a topic; each got no reply at all. The
widget's and the bot's buttons send only the payloads in ``ALLOWED_PAYLOADS``
(and ``/faq/<topic>``), exactly, without entities. Any other message starting
with "/" is not parsed at all: it is taken as a request for help and gets the
topic menu (``utter_help``), in the conversation's language, with no entities,
so nothing she types can set an entity or a slot by itself. (Reading it as
plain text instead was tried: "/restart" then got a random FAQ answer.) The
message is stored as she typed it.

A lone surrogate (half of a UTF-16 pair, e.g. U+D83D from a broken emoji)
cannot be encoded as UTF-8, so storing or tokenising the message failed and
she got no reply; it becomes U+FFFD (the replacement character).

A message of more than ``MAX_MESSAGE_CHARACTERS`` (5,000) is not worked on
or stored at all: she gets one reply, in both languages, asking for a shorter
message (the REST channel refuses it earlier, with HTTP 400). Reading a
200,000-character message over socket.io took 1.5 s of the event loop, and
every other conversation waited for it.

A conversation id holding a control character (NUL, a line break) or a lone
surrogate is not taken, on any channel: PostgreSQL cannot store a NUL and
Redis cannot encode a lone surrogate, and such an id names no real user (the
REST channel refuses it earlier, with HTTP 400). Nothing of the message is
stored; the log says why, without the id.

``screening`` wraps ``MessageProcessor.handle_message`` so all this applies
to every message before Rasa works on it, whatever the channel
(installed by ``assistant/server/rasa_patches.py``).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.processor import MessageProcessor

from knowledge import intents

logger = logging.getLogger(__name__)

ALLOWED_PAYLOADS = frozenset(
    intents.payload(intent)
    for intent in (
        intents.GREET,  # the widget, on opening
        intents.AFFIRM,  # yes/no buttons
        intents.DENY,
        intents.ASK_REFERRAL,  # "who should I contact?" buttons
        intents.URGENT,  # offered by the ask-back buttons
        intents.HELP,  # "something else" in the ask-back buttons
        intents.FEEDBACK_HELPFUL,  # the widget's thumbs (issue 12)
        intents.FEEDBACK_UNHELPFUL,
    )
)
FAQ_PAYLOAD = re.compile(re.escape(intents.payload(intents.FAQ)) + "/[a-z_]{1,64}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_IN_AN_ID = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"
MAX_MESSAGE_CHARACTERS = 5_000
TOO_LONG_TEXT = (
    "Beskeden er for lang (højst 5.000 tegn). Skriv den gerne kortere. / "
    "The message is too long (at most 5,000 characters). Please write it shorter."
)


def is_allowed_payload(text: str) -> bool:
    """True for a button payload a user may send as it is."""
    return text in ALLOWED_PAYLOADS or FAQ_PAYLOAD.fullmatch(text) is not None


REFUSED_INTENT = intents.HELP


def normalised_text(text: Any) -> Any:
    """The text with lone surrogates replaced by U+FFFD (non-strings as they are)."""
    if not isinstance(text, str):
        return text
    return _LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, text)


def is_unstorable_id(sender_id: Any) -> bool:
    """True for a conversation id with a control character or a lone surrogate."""
    return isinstance(sender_id, str) and _NOT_IN_AN_ID.search(sender_id) is not None


def is_too_long(text: Any) -> bool:
    """True for a text of more than ``MAX_MESSAGE_CHARACTERS``."""
    return isinstance(text, str) and len(text) > MAX_MESSAGE_CHARACTERS


def is_refused_payload(text: Any) -> bool:
    """True for a message starting with "/" that is not an allowed payload."""
    if not isinstance(text, str):
        return False
    stripped = text.strip()
    return stripped.startswith("/") and not is_allowed_payload(stripped)


def refused_parse(text: str) -> dict[str, Any]:
    """What Rasa is told a refused payload means: help, and nothing else."""
    intent = {"name": REFUSED_INTENT, "confidence": 1.0}
    return {"text": text, "intent": intent, "intent_ranking": [intent], "entities": []}


HandleMessage = Callable[..., Awaitable[Any]]


def screening(handle: HandleMessage) -> HandleMessage:
    """``MessageProcessor.handle_message`` that screens each message first.

    A conversation id that cannot be stored is not taken, an over-long
    message gets the short-message reply and goes no further, and the rest is
    normalised (storable text, a refused "/..." read as a request for help).
    """

    @functools.wraps(handle)
    async def handle_screened(self: MessageProcessor, message: Any) -> Any:
        if is_unstorable_id(message.sender_id):
            logger.warning(
                "A message was not taken: its conversation id holds a control "
                "character or a lone surrogate."
            )
            return None
        if is_too_long(message.text):
            if message.output_channel is not None:
                await message.output_channel.send_text_message(
                    message.sender_id, TOO_LONG_TEXT
                )
            return None
        message.text = normalised_text(message.text)
        if is_refused_payload(message.text):
            message.parse_data = refused_parse(message.text)
        return await handle(self, message)

    return handle_screened
