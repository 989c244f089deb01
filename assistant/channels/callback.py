"""Rasa's callback channel: a widget conversation only with its token.

The same rule as the REST channel (``assistant/channels/rest.py``): a message
whose ``sender`` is an id the widget's ``session`` route made needs that
conversation's token in ``Authorization: Bearer <token>``; otherwise HTTP 403
and nothing is stored; so does one for a messaging platform's conversation
(``whatsapp:+45…``), which only that platform's signed webhook writes into.
Other ids are handled by Rasa's channel as before, on the same URL
(/webhooks/callback/webhook), except an id no store can hold (a control
character or a lone surrogate), which gets HTTP 400 as on the REST channel
(the Redis lock store failed on it with HTTP 500).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.callback import CallbackInput
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels import widget_auth
from assistant.channels.rest import NOT_YOUR_CONVERSATION, UNSTORABLE_SENDER_ERROR
from assistant.config import secrets
from assistant.server.user_input import is_unstorable_id


def named_sender(body: bytes) -> str | None:
    """The ``sender`` of a JSON body, if it names one."""
    try:
        payload: Any = json.loads((body or b"").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    sender = payload.get("sender") if isinstance(payload, dict) else None
    return sender if isinstance(sender, str) else None


class TokenCallbackInput(CallbackInput):
    """Rasa's callback channel; a widget conversation only with its token."""

    @classmethod
    def name(cls) -> str:
        """Same name, so same URL, as Rasa's callback channel."""
        return "callback"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's callback blueprint with the token check in front."""
        blueprint = super().blueprint(on_new_message)
        secret = secrets.load_secret()

        @blueprint.middleware("request")
        async def refuse_other_writers(request: Request) -> HTTPResponse | None:
            sender = named_sender(request.body) if request.method == "POST" else None
            if sender is not None and is_unstorable_id(sender):
                return response.json({"error": UNSTORABLE_SENDER_ERROR}, status=400)
            token = widget_auth.bearer_token(request.headers.get("authorization"))
            if sender is not None and not widget_auth.may_write(secret, sender, token):
                return response.json({"error": NOT_YOUR_CONVERSATION}, status=403)
            return None

        return blueprint
