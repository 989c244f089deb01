"""Rasa's socket.io channel, with replies delivered under session persistence.

With ``session_persistence: true`` the bot sends its replies to the room named
after the session id, which the client joins with ``session_request``. Rasa
3.6 calls ``sio.enter_room(...)`` there without ``await``; since
python-socketio 5.10 that is a coroutine, so the client never joins the room
and every reply is lost (RasaHQ/rasa#13027). This channel registers the same
handler with the call awaited, and a message that fails because the
conversation or lock store is down gets an apology instead of silence
(``assistant/service_errors.py``); everything else is Rasa's.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from assistant.service_errors import refusing_when_unavailable

logger = logging.getLogger(__name__)


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
        blueprint = super().blueprint(
            refusing_when_unavailable(on_new_message, apologise=True)
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
