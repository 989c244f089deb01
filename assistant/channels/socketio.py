"""Rasa's socket.io channel, with replies delivered under session persistence.

With ``session_persistence: true`` the bot sends its replies to the room named
after the session id, which the client joins with ``session_request``. Rasa
3.6 calls ``sio.enter_room(...)`` there without ``await``; since
python-socketio 5.10 that is a coroutine, so the client never joins the room
and every reply is lost (RasaHQ/rasa#13027). This channel registers the same
handler with the call awaited, and a message that fails because the
conversation or lock store is down gets an apology instead of silence
(``assistant/channels/service_errors.py``).

A session is bound to a token, as the widget's conversations are
(``assistant/channels/widget_auth.py``): ``session_request`` joins the room of
the conversation its ``session_id`` proves, a token the server signed; any
other ``session_id`` (none, a made-up or someone else's id) gets a new
conversation. ``session_confirm`` answers with that conversation's token,
which the client keeps as its session id (Rasa Webchat stores the confirmed
id). A message is taken only on a connection that made the session request,
and only with that token as its ``session_id``; otherwise the client gets a
``refused`` event and nothing is stored. The conversation's id in the store
is the one inside the token, so the widget's ``history`` reads it too.
Socket.io's origin check (Rasa turns it off) allows the HTTP CORS's pages:
the server's own and ``ALLOWED_ORIGINS``.

The REST channel's limits hold here too (``assistant/channels/rest.py``): a
frame over 64 KB (``server_settings.MAX_REQUEST_BYTES``; engine.io's own
default is 1 MB) is refused by engine.io, which closes the connection without
reading it as a message; a message whose ``customData`` (Rasa stores it as the
message's metadata) is over 2 KB, not a JSON object, or has a key no client of
this bot sends (``rest.metadata_problem``; Rasa Webchat sends the page's
``customData``, here ``{"language": ...}``) gets a ``refused`` event saying
which, and nothing is stored. A message over 5,000 characters gets the "too
long" reply (``assistant/server/user_input.py``).

Each ``bot_uttered`` message also carries the response's metadata
(``{"urgent": true, "response": "utter_urgent"}``, see
``assistant.channels.reply_metadata``), which Rasa's channel drops. An urgent message
also gets Rasa Webchat's ``customCss``, so that client shows it in red too.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from assistant.channels import widget_auth
from assistant.channels.reply_metadata import is_urgent, reply_metadata, text_parts
from assistant.channels.rest import metadata_problem
from assistant.channels.service_errors import refusing_when_unavailable
from assistant.config import secrets
from assistant.config.server_settings import MAX_REQUEST_BYTES, same_page_or_allowed

logger = logging.getLogger(__name__)

CONVERSATION = "conversation"
REFUSED_EVENT = "refused"
NOT_YOUR_SESSION = (
    "Send session_request first and then every message with the session_id it "
    "confirmed (the conversation's token)."
)
UNREADABLE_METADATA = "The metadata must be a JSON object (or JSON text of one)."


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

        take_message = refusing_when_unavailable(with_reply_metadata, apologise=True)
        blueprint = super().blueprint(take_message)
        sio = self.sio
        # Rasa turns socket.io's origin check off; the HTTP CORS's pages instead
        sio.eio.cors_allowed_origins = same_page_or_allowed(os.environ)
        # a larger frame closes the connection unread, as REST refuses the body
        sio.eio.max_http_buffer_size = MAX_REQUEST_BYTES
        secret = secrets.load_secret()
        namespace = self.namespace

        async def session_request(sid: str, data: Any) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            conversation = widget_auth.conversation_of(
                secret, asked if isinstance(asked, str) else None
            )
            if conversation is None:  # none, or one it cannot prove: a new one
                conversation = widget_auth.new_conversation_id()
            await sio.save_session(sid, {CONVERSATION: conversation}, namespace)
            if self.session_persistence:
                joined = sio.enter_room(sid, conversation, namespace=namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit(
                "session_confirm",
                widget_auth.token_for(secret, conversation),
                room=sid,
                namespace=namespace,
            )

        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return  # as Rasa does with a message it cannot read
            if self.session_persistence:
                conversation = await bound_conversation(sid, data.get("session_id"))
                if conversation is None:
                    await sio.emit(
                        REFUSED_EVENT,
                        {"error": NOT_YOUR_SESSION},
                        room=sid,
                        namespace=namespace,
                    )
                    return
            else:
                conversation = sid
            metadata = data.get(self.metadata_key) or {}
            problem: str | None = None
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except (ValueError, RecursionError):
                    problem = UNREADABLE_METADATA
            problem = problem or metadata_problem(metadata)
            if problem is not None:
                await sio.emit(
                    REFUSED_EVENT, {"error": problem}, room=sid, namespace=namespace
                )
                return
            await take_message(
                UserMessage(
                    data["message"],
                    SocketIOOutput(sio, self.bot_message_evt),
                    conversation,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        async def bound_conversation(sid: str, session_id: Any) -> str | None:
            """The conversation this connection proved, if the message names it."""
            try:
                session = await sio.get_session(sid, namespace=namespace)
            except KeyError:
                return None
            conversation = session.get(CONVERSATION)
            if conversation is None or not isinstance(session_id, str):
                return None
            if widget_auth.conversation_of(secret, session_id) != conversation:
                return None
            return str(conversation)

        sio.on("session_request", namespace=namespace)(session_request)
        sio.on(self.user_message_evt, namespace=namespace)(handle_message)
        return blueprint
