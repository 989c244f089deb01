"""Slack: Rasa's channel with its signature check, refusing with 403.

Rasa 3.6.21 checks Slack's request signature correctly: ``X-Slack-Signature``
is ``v0=`` and the HMAC-SHA256, with the signing secret, of
``v0:<X-Slack-Request-Timestamp>:<raw body>``, compared in constant time,
and a timestamp more than five minutes from the server's clock is refused (a
replay). That check is kept as it is (``is_request_from_slack_authentic``);
here, on the same URL (/webhooks/slack/webhook):

- a request that fails it gets HTTP 403 (Rasa: 400) and nothing is stored;
- a body Rasa's handler would fail on (not JSON, an interactive ``payload``
  that is not JSON, an unknown content type) gets HTTP 400, not 500;
- ``url_verification`` is answered with its challenge; an ``event_callback``
  with a message from her (a direct message, a mention, or in
  ``slack_channel``) and a button press (``block_actions``) go to the bot as
  ``slack:<user id>``, answered in the background as Rasa does (Slack wants
  its answer within three seconds), through ``conversation.answer_and_send``
  (the greeting and privacy line on a new conversation, "slet" with its two
  buttons); an event already answered (its ``event_id``, a press's
  ``trigger_id``) is not answered again (``replays``).

Replies go to ``chat.postMessage`` at ``api_url`` (tests use
``harness/fake_platforms.py``): plain text in pieces of at most 3,000
characters, buttons as an ``actions`` block (at most 25 buttons, titles of
at most 75 characters) under a ``section`` with the text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from assistant.channels.messaging import conversation
from assistant.channels.messaging.pieces import fit_title, split_text
from assistant.channels.messaging.senders import namespaced
from assistant.channels.messaging.switch import SwitchedOff, settings_when_on
from assistant.channels.service_errors import refusing_when_unavailable

logger = logging.getLogger(__name__)

CHANNEL = "slack"
SLACK_API_URL = "https://slack.com/api/"
MAX_SECTION_CHARACTERS = 3000
MAX_BUTTONS = 25
MAX_BUTTON_TEXT_CHARACTERS = 75
MAX_BUTTON_VALUE_CHARACTERS = 2000
PLATFORM = conversation.Platform(
    "Slack",
    {"da": "Slack og jeres arbejdsplads", "en": "Slack and your workplace"},
)
NOT_FROM_SLACK = (
    "Requests must be signed by Slack (X-Slack-Signature, "
    "X-Slack-Request-Timestamp within five minutes)."
)
NOT_AN_EVENT = "The body must be a Slack event (JSON) or an interaction (payload=)."


class PlatformSlackBot(SlackBot):
    """Rasa's Slack output at ``api_url``, within Slack's block limits."""

    def __init__(
        self,
        token: str,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
        api_url: str = SLACK_API_URL,
    ) -> None:
        """Rasa's output, its client talking to ``api_url``."""
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Plain text in pieces of at most 3,000 characters."""
        recipient = self.slack_channel or recipient_id
        for piece in split_text(text, MAX_SECTION_CHARACTERS):
            await self._post_message(channel=recipient, text=piece)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """The text's last piece in a section, the buttons in an actions block."""
        recipient = self.slack_channel or recipient_id
        elements = [
            {
                "type": "button",
                "text": {
                    "type": "plain_text",
                    "text": fit_title(
                        str(button.get("title") or button["payload"]),
                        MAX_BUTTON_TEXT_CHARACTERS,
                    ),
                },
                "value": str(button["payload"]),
            }
            for button in buttons
            if button.get("payload")
            and len(str(button["payload"])) <= MAX_BUTTON_VALUE_CHARACTERS
        ][:MAX_BUTTONS]
        pieces = split_text(text, MAX_SECTION_CHARACTERS) or [" "]
        for piece in pieces[:-1]:
            await self._post_message(channel=recipient, text=piece)
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "plain_text", "text": pieces[-1]}}
        ]
        if elements:
            blocks.append({"type": "actions", "elements": elements})
        await self._post_message(channel=recipient, text=pieces[-1], blocks=blocks)


def read_body(content_type: str | None, body: bytes) -> dict[str, Any] | None:
    """The event (JSON) or the interaction (``payload=`` form), None if neither."""
    try:
        text = body.decode("utf-8")
        if (content_type or "").startswith("application/json"):
            found: Any = json.loads(text)
        elif (content_type or "").startswith("application/x-www-form-urlencoded"):
            found = json.loads(parse_qs(text, strict_parsing=True)["payload"][0])
        else:
            return None
    except (ValueError, KeyError, UnicodeDecodeError, RecursionError):
        return None
    return found if isinstance(found, dict) else None


class SignedSlackInput(SlackInput):
    """Rasa's Slack channel: 403 for an unsigned request, 400 for a bad body."""

    REQUIRED_SETTINGS = ("slack_token", "slack_signing_secret")

    @classmethod
    def name(cls) -> str:
        """Same name, so same URL, as Rasa's Slack channel."""
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> InputChannel:
        """Rasa's settings, and api_url."""
        credentials = settings_when_on(credentials, cls.REQUIRED_SETTINGS)
        if credentials is None:
            return SwitchedOff(cls.name())
        channel = super().from_credentials(dict(credentials))
        assert isinstance(channel, SignedSlackInput)
        channel.api_url = (credentials or {}).get("api_url") or SLACK_API_URL
        return channel

    api_url: str = SLACK_API_URL

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        """Replies through ``chat.postMessage`` at ``api_url``."""
        return PlatformSlackBot(
            self.slack_token,
            channel or self.slack_channel or None,
            thread_id,
            self.proxy,
            self.api_url,
        )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Health and the signed webhook."""
        slack_webhook = Blueprint("slack_webhook", __name__)
        handle = refusing_when_unavailable(on_new_message, apologise=False)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.is_request_from_slack_authentic(request):
                logger.warning("Slack: a request without a valid signature, refused.")
                return response.json({"error": NOT_FROM_SLACK}, status=403)
            content_type = request.headers.get("content-type")
            body = read_body(content_type, request.body or b"")
            if body is None:
                return response.json({"error": NOT_AN_EVENT}, status=400)
            if body.get("type") == "url_verification":
                return response.json({"challenge": str(body.get("challenge", ""))})
            if body.get("type") == "event_callback":
                return await self._event(request, body, handle)
            if body.get("type") == "block_actions":
                return await self._button(request, body, handle)
            return response.text("")

        return slack_webhook

    async def _event(
        self, request: Request, body: dict[str, Any], handle: Any
    ) -> HTTPResponse:
        event = body.get("event")
        if not isinstance(event, dict):
            return response.json({"error": "An event_callback needs an event."}, 400)
        user = event.get("user")
        if not self._is_user_message(body) or not isinstance(user, str) or not user:
            return response.text("")  # the bot's own messages, edits, joins
        if not isinstance(event.get("text"), str):
            return response.json({"error": "A message's text must be a string."}, 400)
        metadata = _metadata(body, event)
        if not self._is_supported_channel(body, metadata):
            return response.text("")
        text = self._sanitize_user_message(event["text"], metadata["users"])
        event_id = body.get("event_id")
        return await self.process_message(
            request,
            self._answering(request, handle, event_id),
            text,
            namespaced(CHANNEL, user),
            metadata,
        )

    def _answering(self, request: Request, handle: Any, message_id: Any) -> Any:
        """What Rasa's background task calls: answer, then send the turn."""

        async def answer(message: UserMessage) -> None:
            if message.output_channel is None or message.sender_id is None:
                return
            await conversation.answer_and_send(
                request.app.ctx.agent,
                handle,
                message.output_channel,
                message.sender_id,
                message.text or "",
                self.name(),
                PLATFORM,
                message_id=message_id if isinstance(message_id, str) else None,
            )

        return answer

    async def _button(
        self, request: Request, body: dict[str, Any], handle: Any
    ) -> HTTPResponse:
        user = body.get("user")
        user_id = user.get("id") if isinstance(user, dict) else None
        actions = body.get("actions")
        action = actions[0] if isinstance(actions, list) and actions else None
        if not isinstance(user_id, str) or not isinstance(action, dict):
            return response.json(
                {"error": "block_actions needs user and actions."}, 400
            )
        value = action.get("value")
        if action.get("type") != "button" or not isinstance(value, str) or not value:
            return response.text("")  # a link button, a select
        channel = body.get("channel")
        message = body.get("message")
        metadata = {
            "out_channel": channel.get("id") if isinstance(channel, dict) else None,
            "thread_id": (
                message.get("thread_ts", message.get("ts"))
                if isinstance(message, dict)
                else None
            ),
            "users": [user_id],
        }
        trigger = body.get("trigger_id")  # one per button press
        return await self.process_message(
            request,
            self._answering(request, handle, trigger),
            value,
            namespaced(CHANNEL, user_id),
            metadata,
        )


def _metadata(body: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """Rasa's metadata of an event: where to answer, and the bot's own users."""
    users: list[Any] = []
    if isinstance(body.get("authed_users"), list):
        users = body["authed_users"]
    elif isinstance(body.get("authorizations"), list) and body["authorizations"]:
        first = body["authorizations"][0]
        users = [first.get("user_id")] if isinstance(first, dict) else []
    return {
        "out_channel": event.get("channel"),
        "thread_id": event.get("thread_ts", event.get("ts")),
        "users": [user for user in users if isinstance(user, str)],
    }
