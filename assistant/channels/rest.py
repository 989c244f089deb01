"""The REST channel, with requests checked before Rasa sees them.

Rasa's own REST channel answers a request without a message, or with a number
for a message, with HTTP 200 and an empty list, and one without a sender joins
the shared "default" conversation. Here such a request gets HTTP 400 and a
sentence saying what is wrong; a valid request is handled exactly as before,
on the same URL (/webhooks/rest/webhook, exactly: ``/webhooks/rest/webhook/``
gets HTTP 404, see ``assistant/channels/exact_paths.py``), except that each
reply also carries the response's metadata
(``{"urgent": true, "response": "utter_urgent"}``, see
``assistant.channels.reply_metadata``). A message that fails because the
conversation store or the lock store is down gets HTTP 503 instead of 200 and
an empty list (``assistant/channels/service_errors.py``).

A message for a widget conversation (an id minted by
``/webhooks/widget/session``) needs that conversation's token in
``Authorization: Bearer <token>``, else HTTP 403 and nothing is stored; other
ids (``rasa shell``, tests, load tests) need none, as they were never signed
(``assistant/channels/widget_auth.py``, ``may_write``). A messaging
platform's conversation (``whatsapp:+45…``, ``telegram:…``) is refused with
HTTP 403: only its platform's signed webhook writes into it.

Limits, each refused before anything is stored, with a sentence saying which:
a body over 64 KB (HTTP 413; Sanic refuses it first when started by the
launcher, ``server_settings.MAX_REQUEST_BYTES``), a message over 5,000
characters, metadata over 2 KB or with a key no client of this bot sends
(HTTP 400), and a message that finds the admission queue full (HTTP 503 with
``Retry-After``, ``assistant/server/admission.py``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels import widget_auth
from assistant.channels.exact_paths import path_problem, served_path
from assistant.channels.messaging.platform_ids import is_platform_conversation
from assistant.channels.reply_metadata import (
    FEEDBACK_FOR,
    MetadataCollectingOutputChannel,
)
from assistant.channels.service_errors import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE_ERROR,
    refusing_when_unavailable,
    watch_failures,
)
from assistant.config import secrets
from assistant.config.server_settings import MAX_REQUEST_BYTES
from assistant.policies.language_policy import LANGUAGE_METADATA_KEY
from assistant.server.admission import AdmissionFull, raise_when_full
from assistant.server.user_input import MAX_MESSAGE_CHARACTERS, is_unstorable_id

MAX_SENDER_CHARACTERS = 256
NOT_YOUR_CONVERSATION = (
    "This is a widget conversation: its messages need the token the server gave "
    'it ("Authorization: Bearer <token>", from POST /webhooks/widget/session).'
)
PLATFORM_CONVERSATION = (
    'A "sender" such as "whatsapp:+45..." names a messaging platform\'s '
    "conversation: only that platform's signed webhook writes into it."
)
UNSTORABLE_SENDER_ERROR = (
    '"sender" must not hold control characters (such as NUL or a line break) '
    "or unpaired surrogates."
)
MAX_METADATA_BYTES = 2 * 1024
# What the widget sends (widget/widget.js, post()): the page's language, and
# which answer a 👍/👎 rates; Rasa Webchat sends its customData on socket.io.
METADATA_KEYS = frozenset({LANGUAGE_METADATA_KEY, FEEDBACK_FOR})
NOT_JSON_ERROR = 'The body must be JSON in UTF-8: {"sender": "...", "message": "..."}.'
TOO_LARGE_ERROR = f"The body must be at most {MAX_REQUEST_BYTES // 1024} KB."
BUSY_ERROR = (
    "The assistant has too many messages to answer right now. The message was "
    "not stored: please send it again in a moment."
)

# set per request by the channel: whether the admission queue was full
_busy: ContextVar[list[AdmissionFull] | None] = ContextVar("busy", default=None)


def rest_request_problem(body: bytes) -> str | None:
    """What is wrong with a REST request body, or None if it can be handled."""
    return read_rest_request(body)[1]


def read_rest_request(body: bytes) -> tuple[dict[str, Any], str | None]:
    """The body's JSON object (empty if it has none), and what is wrong with it."""
    try:
        payload: Any = json.loads((body or b"").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}, NOT_JSON_ERROR
    if not isinstance(payload, dict):
        return {}, 'The body must be a JSON object with "sender" and "message".'
    return payload, _payload_problem(payload)


def _payload_problem(payload: dict[str, Any]) -> str | None:
    """What is wrong with the fields of a REST request, or None."""
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return '"sender" must be a non-empty string naming the conversation.'
    if len(sender) > MAX_SENDER_CHARACTERS:
        return f'"sender" must be at most {MAX_SENDER_CHARACTERS} characters.'
    if is_unstorable_id(sender):
        return UNSTORABLE_SENDER_ERROR
    message = payload.get("message")
    if not isinstance(message, str):
        return '"message" must be a string (the text she typed, or a button payload).'
    if len(message) > MAX_MESSAGE_CHARACTERS:
        return f'"message" must be at most {MAX_MESSAGE_CHARACTERS} characters.'
    return metadata_problem(payload.get("metadata"))


def metadata_problem(metadata: Any) -> str | None:
    """What is wrong with a message's metadata, or None (none given is fine)."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return '"metadata", if given, must be a JSON object.'
    unknown = sorted(str(key) for key in metadata if key not in METADATA_KEYS)
    if unknown:
        known = ", ".join(f'"{key}"' for key in sorted(METADATA_KEYS))
        return f'"metadata" may hold only {known}, not "{unknown[0][:40]}".'
    size = len(json.dumps(metadata, ensure_ascii=False).encode("utf-8", "replace"))
    if size > MAX_METADATA_BYTES:
        return f'"metadata" must be at most {MAX_METADATA_BYTES} bytes as JSON.'
    return None


Handler = Callable[[UserMessage], Awaitable[Any]]


def refusing_when_busy(on_new_message: Handler) -> Handler:
    """``on_new_message`` that records a full admission queue, no reply."""

    @functools.wraps(on_new_message)
    async def handle(message: UserMessage) -> Any:
        try:
            return await on_new_message(message)
        except AdmissionFull as full:
            busy = _busy.get()
            if busy is not None:
                busy.append(full)
            return None

    return handle


class ValidatedRestInput(RestInput):
    """Rasa's REST channel that refuses malformed requests with HTTP 400."""

    @classmethod
    def name(cls) -> str:
        """Same name, so same URL, as Rasa's REST channel."""
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's REST blueprint with a check in front of the webhook."""

        async def with_reply_metadata(message: UserMessage) -> Any:
            # Rasa collects the replies in a plain CollectingOutputChannel; this
            # one adds each reply's metadata to the same list it returns.
            collector = message.output_channel
            if type(collector) is CollectingOutputChannel:
                message.output_channel = MetadataCollectingOutputChannel(
                    collector.messages
                )
            return await on_new_message(message)

        blueprint = super().blueprint(
            # it also logs every failure without her text, and ends a cancelled
            # message: Rasa's receive() logs both with text=her message
            refusing_when_unavailable(
                refusing_when_busy(with_reply_metadata),
                apologise=False,
                stop_on_cancel=False,
            )
        )
        secret = secrets.load_secret()

        root = f"/webhooks/{self.name()}"
        webhook = f"{root}/webhook"

        @blueprint.middleware("request")
        async def refuse_malformed(request: Request) -> HTTPResponse | None:
            wrong_path = path_problem(request, root)  # "/webhook/" is not "/webhook"
            if wrong_path is not None:
                return wrong_path
            if request.method != "POST" or served_path(request) != webhook:
                return None
            if len(request.body or b"") > MAX_REQUEST_BYTES:
                return response.json({"error": TOO_LARGE_ERROR}, status=413)
            payload, problem = read_rest_request(request.body)
            if problem:
                return response.json({"error": problem}, status=400)
            # the body is parsed once: Rasa's handler reads this (request.json);
            # Sanic 21.12 declares the attribute as None until it parses
            request.parsed_json = payload  # type: ignore[assignment]
            token = widget_auth.bearer_token(request.headers.get("authorization"))
            sender = payload["sender"]
            if not widget_auth.may_write(secret, sender, token):
                refusal = (
                    PLATFORM_CONVERSATION
                    if is_platform_conversation(sender)
                    else NOT_YOUR_CONVERSATION
                )
                return response.json({"error": refusal}, status=403)
            request.ctx.service_failures = watch_failures()
            request.ctx.busy = []
            _busy.set(request.ctx.busy)
            raise_when_full()  # answered with HTTP 503 below
            return None

        @blueprint.middleware("response")
        async def refuse_when_unavailable(
            request: Request, _response: HTTPResponse
        ) -> HTTPResponse | None:
            if getattr(request.ctx, "busy", None):  # admission queue full
                return response.json(
                    {"error": BUSY_ERROR},
                    status=503,
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            # the conversation store or lock store failed (service_errors.py)
            if getattr(request.ctx, "service_failures", None):
                return response.json(
                    {"error": UNAVAILABLE_ERROR},
                    status=503,
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            return None

        return blueprint
