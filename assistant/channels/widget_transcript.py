"""What the chat window shows again after a reload: a conversation's transcript.

Pure functions over a tracker's events (``history`` in
``assistant/channels/web_widget.py`` serves them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.channels.reply_metadata import (
    FEEDBACK_FOR,
    RESPONSE,
    is_faq_answer,
    reply_metadata,
)
from assistant.server.user_input import is_allowed_payload
from knowledge import intents

FEEDBACK_PAYLOADS = {
    intents.payload(intents.FEEDBACK_HELPFUL): "helpful",
    intents.payload(intents.FEEDBACK_UNHELPFUL): "unhelpful",
}


def transcript(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages a chat window shows, from a tracker's events.

    A button payload ("/faq/recurrence") is shown as the button's title, as it
    was when she clicked it; payloads the widget sent by itself ("/greet" on
    opening, a 👍/👎) are not shown; anything else she typed, "/restart" too, is
    shown. Bot messages keep their metadata (urgent, which response) and, once
    she rated one, ``feedback``; a quick reply she used is ``answered``, so its
    buttons stay disabled after a reload.
    """
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for event in events:
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            titles = {b.get("payload"): b.get("title") for b in buttons}
            message: dict[str, Any] = {
                "from": "bot",
                "text": event.get("text") or "",
                "buttons": buttons,
                "time": event.get("timestamp"),
            }
            metadata = reply_metadata(event.get("metadata") or {})
            if metadata:
                message["metadata"] = metadata
            messages.append(message)
        elif event.get("event") == "user":
            text = event.get("text") or ""
            if text in FEEDBACK_PAYLOADS:
                _mark_feedback(messages, event, FEEDBACK_PAYLOADS[text])
                continue
            for earlier in reversed(messages):  # her message spends the offers
                if earlier["from"] == "user":
                    break
                if earlier["buttons"]:
                    earlier["answered"] = True
            if text in titles:
                text = titles[text]
            elif is_allowed_payload(text):
                continue
            messages.append(
                {"from": "user", "text": text, "time": event.get("timestamp")}
            )
    return messages


def _mark_feedback(
    messages: list[dict[str, Any]], event: dict[str, Any], rating: str
) -> None:
    """Mark the FAQ answer a 👍/👎 was for (the latest with that response)."""
    rated = ((event.get("metadata") or {}).get(FEEDBACK_FOR) or {}).get(RESPONSE)
    for message in reversed(messages):
        metadata = message.get("metadata") or {}
        if is_faq_answer(metadata) and rated in (None, metadata.get(RESPONSE)):
            message["feedback"] = rating
            return
