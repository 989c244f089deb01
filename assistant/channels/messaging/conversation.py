"""One message from a messaging platform, answered: what she is sent back.

``answer`` takes her message (already authenticated, with its namespaced
sender id), and returns the bot messages of this turn, in the order she must
read them, for the platform's channel to render and send:

0. a message the platform delivered before (its message id already in her
   conversation: a retry or a replay) is not answered again (``replays``);
1. on a platform that shows choices as numbered text (WhatsApp, SMS), a digit
   answering the latest numbered choices becomes that button's payload
   (``plain_text.picked_payload``); a button pressed on Telegram, Messenger
   or Slack arrives as its payload;
2. an open erasure question answered: the conversation is erased
   (``assistant/channels/erasure.py``, as the widget's "Slet samtale") or kept;
   "slet" / "delete" / "glem mig" asks the question (``privacy``);
3. anything else goes to Rasa; in a new conversation ``/greet`` goes first,
   so she reads what the bot is and is not and the privacy line (and how to
   erase on this platform) before the answer, unless the answer is urgent:
   then the urgent advice comes first.

The replies are collected and sent together after Rasa is done, so a turn's
messages reach her in this order even on a platform that does not keep the
order of separate messages (Twilio). ``answer_and_send`` does all of it for
a platform whose Rasa output channel renders buttons (Telegram, Messenger,
Slack), one message at a time, the urgent mark on the line before urgent
advice as on WhatsApp.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered

from assistant.channels.erasure import erase
from assistant.channels.messaging import privacy, replays
from assistant.channels.messaging.plain_text import URGENT_MARK, picked_payload
from assistant.channels.reply_metadata import (
    RESPONSE,
    MetadataCollectingOutputChannel,
    is_urgent,
)
from assistant.channels.service_errors import is_service_error, watch_failures
from assistant.policies.language_policy import (
    LANGUAGE_METADATA_KEY,
    LANGUAGE_SLOT,
)
from assistant.stores.log_privacy import error_kind
from assistant.text.language import conversation_language, detect_language

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
GREETING_RESPONSE = "utter_greet"


@dataclass(frozen=True)
class Platform:
    """A messaging platform as she is told about it, and how she picks choices.

    ``name`` ("WhatsApp") and ``carriers`` (per language: who else keeps the
    messages, "WhatsApp og Twilio") are for the privacy line after the
    greeting; ``picks_by_number`` is true where buttons are shown as numbered
    text, so a digit she writes picks one.
    """

    name: str
    carriers: Mapping[str, str]
    picks_by_number: bool = False


@dataclass
class Turn:
    """The bot messages for her to read, and the conversation's language."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    language: str = "da"


async def answer(
    agent: Any,
    on_new_message: Handler,
    collector: Callable[[], MetadataCollectingOutputChannel],
    sender: str,
    text: str,
    input_channel: str,
    platform: Platform,
    message_id: str | None = None,
) -> Turn:
    """Her message handled; the messages to send her, in order.

    ``message_id`` is the platform's id of her message (Twilio's MessageSid,
    Telegram's update_id...): a message whose id is already in her
    conversation gets no reply and is not stored again.
    """
    tracker = await agent.tracker_store.retrieve(sender)
    mark = replays.mark_of(input_channel, message_id)
    if replays.was_answered(tracker, mark):
        logger.info("A %s message delivered again, not answered again.", platform.name)
        return Turn([], "da")
    current = tracker.get_slot(LANGUAGE_SLOT) if tracker else None
    language = conversation_language(text, current, None)
    offered = privacy.offered_buttons(tracker)
    picked = picked_payload(text, offered) if platform.picks_by_number else None

    if privacy.is_erase_prompt_open(tracker):
        choice = privacy.confirmation(text, picked)
        language = current or privacy.request_language(text, current)
        if choice == privacy.ERASE_PAYLOAD:
            if await erase(agent, sender) is None:
                return _said(privacy.NOT_ERASED_TEXT[language], language)
            return _said(privacy.ERASED_TEXT[language], language)
        if choice == privacy.KEEP_PAYLOAD:
            kept = privacy.KEPT_TEXT[language]
            await _record(agent, sender, BotUttered(kept))
            return _said(kept, language)
    if privacy.is_erase_request(text):
        language = privacy.request_language(text, current)
        if privacy.is_new_conversation(tracker):
            return _said(privacy.NOTHING_STORED_TEXT[language], language)
        prompt = privacy.erase_prompt(language)
        await _record(agent, sender, prompt)
        return Turn([_message(prompt)], language)

    if privacy.is_keep_payload(text):  # "keep" pressed on an old question
        language = privacy.request_language(text, current)
        return _said(privacy.KEPT_TEXT[language], language)

    new = privacy.is_new_conversation(tracker)
    greeting: list[dict[str, Any]] = []
    if new and (picked or text).strip() != privacy.GREET_PAYLOAD:
        hint = detect_language(text)
        greeted = collector()
        await on_new_message(
            UserMessage(
                privacy.GREET_PAYLOAD,
                greeted,
                sender,
                input_channel=input_channel,
                metadata={LANGUAGE_METADATA_KEY: hint} if hint else None,
            )
        )
        greeting = greeted.messages
    answered = collector()
    await on_new_message(
        UserMessage(
            picked or text,
            answered,
            sender,
            input_channel=input_channel,
            metadata=replays.metadata_of(mark),
        )
    )
    replies = answered.messages
    how_to_erase = {
        "text": privacy.how_to_erase_here(language, platform.name, platform.carriers)
    }
    if not new:
        return Turn(replies, language)
    return Turn(_introduced(greeting, replies, how_to_erase), language)


async def answer_and_send(
    agent: Any,
    on_new_message: Handler,
    output: OutputChannel,
    sender: str,
    text: str,
    input_channel: str,
    platform: Platform,
    message_id: str | None = None,
) -> bool:
    """Her message answered (``answer``) and the turn sent through ``output``.

    False when a shared service failed: nothing was sent, and what Rasa did
    not store the platform may deliver again.
    """
    failures = watch_failures()
    try:
        turn = await answer(
            agent,
            on_new_message,
            MetadataCollectingOutputChannel,
            sender,
            text,
            input_channel,
            platform,
            message_id,
        )
    except Exception as error:
        if not is_service_error(error):
            raise
        logger.error(
            "A %s message was refused, a shared service failed (%s).",
            platform.name,
            error_kind(error),
        )  # never her id or her words
        return False
    if failures:
        return False
    await send_turn(output, sender, turn)
    return True


async def send_turn(output: OutputChannel, recipient: str, turn: Turn) -> None:
    """A turn's messages through a platform's Rasa output channel, in order.

    The first of a run of urgent messages starts with the urgent mark.
    """
    previous_urgent = False
    for message in turn.messages:
        text = str(message.get("text") or "").strip()
        urgent = is_urgent(message.get("metadata") or {})
        if urgent and not previous_urgent:
            mark = URGENT_MARK.get(turn.language, URGENT_MARK["da"])
            text = f"{mark}\n{text}"
        previous_urgent = urgent
        if message.get("buttons"):
            await output.send_text_with_buttons(recipient, text, message["buttons"])
        elif text:
            await output.send_text_message(recipient, text)
        if message.get("image"):
            await output.send_image_url(recipient, message["image"])
        if message.get("custom"):
            await output.send_custom_json(recipient, message["custom"])


def _introduced(
    greeting: list[dict[str, Any]],
    replies: list[dict[str, Any]],
    how_to_erase: dict[str, Any],
) -> list[dict[str, Any]]:
    """A new conversation's first replies with the greeting and privacy line.

    The greeting and the line come first, unless the answer is urgent (then
    after it); if her own message was a greeting ("hej"), its reply is the
    greeting, shown once, followed by the line.
    """
    greets = [_is_greeting(reply) for reply in replies]
    if any(greets):
        at = greets.index(True) + 1
        return replies[:at] + [how_to_erase] + replies[at:]
    if any(is_urgent(reply.get("metadata") or {}) for reply in replies):
        return replies + greeting + [how_to_erase]
    return greeting + [how_to_erase] + replies


def _is_greeting(message: dict[str, Any]) -> bool:
    return (message.get("metadata") or {}).get(RESPONSE) == GREETING_RESPONSE


def _said(text: str, language: str) -> Turn:
    return Turn([{"text": text}], language)


def _message(event: BotUttered) -> dict[str, Any]:
    return {
        "text": event.text,
        "buttons": (event.data or {}).get("buttons") or [],
        "metadata": event.metadata or {},
    }


async def _record(agent: Any, sender: str, event: BotUttered) -> None:
    """Keep a message the channel sent by itself in her conversation."""
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker is None:
            return
        tracker.update(event)
        await agent.tracker_store.save(tracker)
