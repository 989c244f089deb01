"""Rasa's socket.io channel, with replies delivered under session persistence.

With ``session_persistence: true`` the bot sends its replies to the room named
after the session id, which the client joins with ``session_request``. Rasa
3.6 calls ``sio.enter_room(...)`` there without ``await``; since
python-socketio 5.10 that is a coroutine, so the client never joins the room
and every reply is lost (RasaHQ/rasa#13027). This channel registers the same
handler with the call awaited, and a message that fails because the
conversation or lock store is down gets an apology instead of silence
(``assistant/channels/service_errors.py``).

Each ``bot_uttered`` message also carries the response's metadata
(``{"urgent": true, "response": "utter_urgent"}``, see
``assistant.channels.reply_metadata``), which Rasa's channel drops. An urgent message
also gets Rasa Webchat's ``customCss``, so that client shows it in red too.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from assistant.channels.reply_metadata import is_urgent, reply_metadata, text_parts
from assistant.channels.service_errors import refusing_when_unavailable

logger = logging.getLogger(__name__)


# Rasa Webchat (1.0.1) styles a message with metadata.customCss.
URGENT_WEBCHAT_CSS = {
    "style": "custom",
    "css": "background-color: #fdecea; color: #2b0d0b; "
    "border-left: 5px solid #b3261e; font-weight: 500;",
}


def socket_metadata(message: dict[str, Any]) -> dict[str, Any]:
    """The metadata a socket.io client gets with a bot message."""
    metadata = reply_metadata(message)
    if is_urgent(metadata):
        metadata["customCss"] = URGENT_WEBCHAT_CSS
    return metadata


class MetadataSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, with each text message's metadata."""

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Each part of the text, with the response's metadata."""
        metadata = socket_metadata(kwargs)
        for part in text_parts(text):
            message: dict[str, Any] = {"text": part}
            if metadata:
                message["metadata"] = metadata
            await self._send_message(recipient_id, message)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """The text's parts, the buttons on the last, each with the metadata."""
        metadata = socket_metadata(kwargs)
        parts = text_parts(text) or [text]
        for index, part in enumerate(parts):
            message: dict[str, Any] = {"text": part, "quick_replies": []}
            if index == len(parts) - 1:
                message["quick_replies"] = [
                    {
                        "content_type": "text",
                        "title": b["title"],
                        "payload": b["payload"],
                    }
                    for b in buttons
                ]
            if metadata:
                message["metadata"] = metadata
            await self._send_message(recipient_id, message)


class SessionSocketIOInput(SocketIOInput):
    """SocketIOInput whose ``session_request`` really joins the session's room."""

    @classmethod
    def name(cls) -> str:
        """Same name as Rasa's channel."""
        return "socketio"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's socket.io blueprint with a working ``session_request``."""

        async def with_reply_metadata(message: UserMessage) -> Any:
            output = message.output_channel
            if type(output) is SocketIOOutput:
                message.output_channel = MetadataSocketIOOutput(
                    output.sio, output.bot_message_evt
                )
            return await on_new_message(message)

        blueprint = super().blueprint(
            refusing_when_unavailable(with_reply_metadata, apologise=True)
        )
        sio = self.sio

        async def session_request(sid: str, data: dict[str, Any] | None) -> None:
            data = data or {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(
                    sid, data["session_id"], namespace=self.namespace
                )
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit(
                "session_confirm",
                data["session_id"],
                room=sid,
                namespace=self.namespace,
            )
            logger.debug(f"User {sid} joined session {data['session_id']}.")

        sio.on("session_request", namespace=self.namespace)(session_request)
        return blueprint
