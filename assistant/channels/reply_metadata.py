"""What a client learns about a bot message besides its text and buttons.

A response in the domain may carry a ``metadata`` map (Rasa 3.6's response
schema allows it); ``utter_urgent`` has ``metadata: {urgent: true}``, so a
client can make the urgent advice stand out. Rasa keeps that map, and the name
of the response, in the ``bot`` event, but its REST and socket.io channels
drop both before a client sees them. The channels here pass them on as one
``metadata`` object per message::

    {"text": "Kontakt din jordemoder ...",
     "metadata": {"urgent": true, "response": "utter_urgent"}}

``response`` names the domain response (``utter_faq/recurrence`` for a FAQ
answer), so the widget knows which messages are FAQ answers and can say which
answer a 👍/👎 was for. Free text from a custom action has no response name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rasa.core.channels.channel import CollectingOutputChannel

URGENT = "urgent"
RESPONSE = "response"
# The metadata key of a 👍/👎 message: which answer it rates ({"response": ...}).
FEEDBACK_FOR = "feedback_for"
FAQ_RESPONSE_PREFIX = "utter_faq/"


def reply_metadata(message: Mapping[str, Any]) -> dict[str, Any]:
    """The client-facing metadata of a bot message.

    ``message`` is what Rasa hands an output channel besides the text (or a
    ``bot`` event's ``metadata``): the response's own ``metadata`` map, and
    ``utter_action``, the response's name.
    """
    own = message.get("metadata")
    result: dict[str, Any] = dict(own) if isinstance(own, Mapping) else {}
    response = message.get("utter_action")
    if isinstance(response, str) and response:
        result[RESPONSE] = response
    return result


def is_urgent(metadata: Mapping[str, Any]) -> bool:
    """True if the message is marked urgent."""
    return metadata.get(URGENT) is True


def is_faq_answer(metadata: Mapping[str, Any]) -> bool:
    """True if the message is a FAQ answer (``utter_faq/<topic>``)."""
    return str(metadata.get(RESPONSE) or "").startswith(FAQ_RESPONSE_PREFIX)


def text_parts(text: str) -> list[str]:
    """A text split where Rasa's channels split it (blank lines)."""
    return text.strip().split("\n\n")


class MetadataCollectingOutputChannel(CollectingOutputChannel):
    """Rasa's collecting channel (REST) that keeps each message's metadata.

    Its replies stay in memory until the request answers, so the admission
    wrapper need not guard its sends (``assistant/server/admission.py``).
    """

    REPLIES_STAY_IN_PROCESS: ClassVar[bool] = True

    def __init__(self, messages: list[dict[str, Any]] | None = None) -> None:
        """Collect into ``messages`` (a new list if None)."""
        super().__init__()
        if messages is not None:
            self.messages = messages

    async def _persist_with_metadata(
        self, message: dict[str, Any], kwargs: Mapping[str, Any]
    ) -> None:
        metadata = reply_metadata(kwargs)
        if metadata:
            message["metadata"] = metadata
        await self._persist_message(message)

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Each part of the text, with the response's metadata."""
        for part in text_parts(text):
            await self._persist_with_metadata(
                self._message(recipient_id, text=part), kwargs
            )

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """The text and its buttons, with the response's metadata."""
        await self._persist_with_metadata(
            self._message(recipient_id, text=text, buttons=buttons), kwargs
        )
