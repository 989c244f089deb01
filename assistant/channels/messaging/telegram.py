"""Telegram: Rasa's channel, answering only requests that carry the secret token.

Rasa 3.6.21's Telegram channel checks nothing a caller could not know: it
asks Telegram for the bot's own name (``get_me()``, on every request) and
compares it with the ``verify`` setting; its ``/set_webhook`` route is public.
Here, on the same URL (/webhooks/telegram/webhook):

- every update must carry ``X-Telegram-Bot-Api-Secret-Token``, the
  ``secret_token`` given to Telegram's ``setWebhook``, compared in constant
  time; without it HTTP 403 and nothing is stored;
- a body that is not a Telegram ``Update`` gets HTTP 400; an update of a kind
  the bot does not answer (an edited message, a sticker) gets HTTP 200 and is
  dropped, so Telegram does not send it again;
- a message and a button press (``callback_query``, answered so her button
  stops spinning) go to the bot as ``telegram:<chat id>`` through
  ``conversation.answer_and_send`` (the greeting and privacy line on a new
  conversation, "slet" with its two buttons); ``/start`` (what Telegram sends
  when she opens the bot) is her greeting;
- an update already answered (its ``update_id``) or a message sent more than
  36 hours ago (``date``) is acknowledged and not answered (``replays``);
- there is no ``/set_webhook`` route (HTTP 404) and no call to Telegram per
  request: the webhook is set when the server starts, if ``webhook_url`` is
  given (with ``secret_token`` and only the updates the bot reads), or with
  ``python -m assistant.channels.messaging.telegram`` (README, "Channels").

Replies: plain text (no Markdown, so "112" and the phone numbers stay as
written) in pieces of at most 4,096 characters, buttons as an inline
keyboard, one button a row, each button's ``callback_data`` at most 64 bytes
(a longer payload is left out and logged). ``api_url`` points the channel at
another Bot API server (tests use ``harness/fake_platforms.py``).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, NamedTuple

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels.messaging import conversation, replays
from assistant.channels.messaging.pieces import split_text, utf16_length
from assistant.channels.messaging.privacy import GREET_PAYLOAD
from assistant.channels.messaging.senders import namespaced
from assistant.channels.messaging.switch import SwitchedOff, settings_when_on
from assistant.channels.service_errors import refusing_when_unavailable

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
TELEGRAM_API_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_MESSAGE_LENGTH = 4096  # UTF-16 code units, Bot API sendMessage
MAX_CALLBACK_DATA_BYTES = 64
ALLOWED_UPDATES = ("message", "callback_query")
SET_WEBHOOK_TIMEOUT_SECONDS = 30
NOT_FROM_TELEGRAM = f"Updates must carry the webhook's secret token ({SECRET_HEADER})."
NOT_AN_UPDATE = "The body must be a Telegram Update (JSON)."
PLATFORM = conversation.Platform("Telegram", {"da": "Telegram", "en": "Telegram"})


def secret_matches(provided: str | None, secret: str) -> bool:
    """Whether the header holds the secret (constant time)."""
    if not provided or not secret:
        return False
    return hmac.compare_digest(provided.encode("utf-8"), secret.encode("utf-8"))


def chat_id_of(recipient_id: str) -> str:
    """Telegram's chat id in a conversation id ``telegram:<chat id>``."""
    prefix = namespaced(CHANNEL, "")
    return (
        recipient_id[len(prefix) :] if recipient_id.startswith(prefix) else recipient_id
    )


class MalformedUpdate(ValueError):
    """The body is not a Telegram Update."""


class Update(NamedTuple):
    """What the bot reads of a Telegram Update."""

    chat_id: int
    text: str
    callback_query_id: str | None
    update_id: int
    sent_at: int | None  # the message's ``date``; a button press has none


def read_update(body: bytes, bot_name: str | None = None) -> Update | None:
    """Her message or button press in an update, or None to drop the update.

    In a group, ``@<bot name>`` is taken out of her text.

    Raises ``MalformedUpdate`` for a body that is not an Update.
    """
    try:
        update: Any = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MalformedUpdate(NOT_AN_UPDATE) from None
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        raise MalformedUpdate(NOT_AN_UPDATE)
    if "callback_query" in update:
        query = update["callback_query"]
        if not isinstance(query, dict):
            raise MalformedUpdate("A callback_query must be an object.")
        chat = _chat_id(query.get("message"))
        if not isinstance(query.get("id"), str) or chat is None:
            raise MalformedUpdate("A callback_query needs an id and a message.chat.id.")
        data = query.get("data")
        if not isinstance(data, str) or not data:
            return None
        return Update(chat, data, query["id"], update["update_id"], None)
    if "message" in update:
        message = update["message"]
        chat = _chat_id(message)
        if chat is None:
            raise MalformedUpdate("A message needs a chat.id.")
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            return None  # a photo, a sticker, a location: not answered
        if bot_name:
            text = text.replace(f"@{bot_name}", " ").strip()
        if not text:
            return None  # only the bot's name
        if text.split()[0].split("@")[0] == "/start":  # a deep link too
            text = GREET_PAYLOAD
        date = message.get("date")
        sent_at = date if isinstance(date, int) and not isinstance(date, bool) else None
        return Update(chat, text, None, update["update_id"], sent_at)
    return None  # edited messages, channel posts, polls: not answered


def _chat_id(message: Any) -> int | None:
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return (
        chat_id if isinstance(chat_id, int) and not isinstance(chat_id, bool) else None
    )


class PlatformTelegramOutput(TelegramOutput):
    """Rasa's Telegram output at ``api_url``, within Telegram's limits."""

    def __init__(self, access_token: str, api_url: str = TELEGRAM_API_URL) -> None:
        """Rasa's output (an aiogram ``Bot``) talking to ``api_url``."""
        super(TelegramOutput, self).__init__(
            access_token, server=TelegramAPIServer.from_base(api_url)
        )

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Text in pieces of at most 4,096 characters."""
        for piece in split_text(text, MAX_MESSAGE_LENGTH, utf16_length):
            await self.send_message(chat_id_of(recipient_id), piece)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        button_type: str | None = "inline",
        **kwargs: Any,
    ) -> None:
        """The text with an inline keyboard under its last piece."""
        rows = []
        for button in buttons:
            payload = str(button.get("payload", ""))
            if not payload or len(payload.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
                logger.warning(
                    "Telegram: a button's payload is empty or over %d bytes; left out.",
                    MAX_CALLBACK_DATA_BYTES,
                )
                continue
            title = str(button.get("title") or payload)
            rows.append([InlineKeyboardButton(title, callback_data=payload)])
        pieces = split_text(text, MAX_MESSAGE_LENGTH, utf16_length) or [" "]
        chat_id = chat_id_of(recipient_id)
        for piece in pieces[:-1]:
            await self.send_message(chat_id, piece)
        markup = InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
        await self.send_message(chat_id, pieces[-1], reply_markup=markup)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Rasa's custom message, to the chat (not the conversation id)."""
        await super().send_custom_json(chat_id_of(recipient_id), json_message)

    async def set_secret_webhook(self, url: str, secret_token: str) -> Any:
        """Telegram's ``setWebhook`` with the secret token (Bot API 6.1)."""
        return await self.request(
            "setWebhook",
            {
                "url": url,
                "secret_token": secret_token,
                "allowed_updates": json.dumps(list(ALLOWED_UPDATES)),
            },
        )


class SecureTelegramInput(TelegramInput):
    """Rasa's Telegram channel, with the secret token checked on every update."""

    REQUIRED_SETTINGS = ("access_token", "secret_token")

    @classmethod
    def name(cls) -> str:
        """Same name, so same URL, as Rasa's Telegram channel."""
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> InputChannel:
        """Settings: access_token, secret_token, verify, webhook_url, api_url."""
        credentials = settings_when_on(credentials, cls.REQUIRED_SETTINGS)
        if credentials is None:
            return SwitchedOff(cls.name())
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token") or "",
            api_url=credentials.get("api_url") or TELEGRAM_API_URL,
        )

    def __init__(
        self,
        access_token: str | None,
        verify: str | None,
        webhook_url: str | None,
        debug_mode: bool = False,
        secret_token: str = "",
        api_url: str = TELEGRAM_API_URL,
    ) -> None:
        """Rasa's settings, the webhook's secret token and the Bot API's URL."""
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = secret_token
        self.api_url = api_url

    def get_output_channel(self) -> PlatformTelegramOutput:
        """The output, without Rasa's ``setWebhook`` call."""
        return PlatformTelegramOutput(self.access_token or "", self.api_url)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Health and the webhook; no /set_webhook route."""
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        out_channel = self.get_output_channel()
        handle = refusing_when_unavailable(on_new_message, apologise=False)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not secret_matches(
                request.headers.get(SECRET_HEADER), self.secret_token
            ):
                logger.warning("Telegram: an update without the secret token, refused.")
                return response.json({"error": NOT_FROM_TELEGRAM}, status=403)
            try:
                update = read_update(request.body or b"", self.verify)
            except MalformedUpdate as error:
                return response.json({"error": str(error)}, status=400)
            if update is None:
                return response.text("success")
            if update.sent_at is not None and replays.is_too_old(
                update.sent_at, time.time()
            ):
                logger.warning("Telegram: an update older than Telegram keeps one.")
                return response.text("success")  # dropped, not answered
            if update.callback_query_id is not None:
                await _answer_callback_query(out_channel, update.callback_query_id)
            answered = await conversation.answer_and_send(
                request.app.ctx.agent,
                handle,
                out_channel,
                namespaced(CHANNEL, str(update.chat_id)),
                update.text,
                self.name(),
                PLATFORM,
                message_id=str(update.update_id),
            )
            if not answered:  # not stored: Telegram sends the update again later
                return response.json({"error": "Try again later."}, status=503)
            return response.text("success")

        if self.webhook_url:

            @telegram_webhook.listener("after_server_start")
            async def set_webhook(app: Any, _: Any) -> None:
                # in the background: a slow Telegram must not hold the start up
                app.add_task(
                    _set_webhook(out_channel, self.webhook_url or "", self.secret_token)
                )

        return telegram_webhook


async def _answer_callback_query(
    out_channel: PlatformTelegramOutput, query: str
) -> None:
    try:
        await out_channel.answer_callback_query(query)
    except Exception as error:  # her message is still answered
        logger.warning(
            "Telegram: answerCallbackQuery failed (%s).", type(error).__name__
        )


async def _set_webhook(
    out_channel: PlatformTelegramOutput, url: str, secret_token: str
) -> bool:
    try:
        await asyncio.wait_for(
            out_channel.set_secret_webhook(url, secret_token),
            SET_WEBHOOK_TIMEOUT_SECONDS,
        )
    except Exception as error:
        logger.warning(
            "Telegram: setWebhook for %s failed (%s: %s).",
            url,
            type(error).__name__,
            error,
        )
        return False
    logger.info("Telegram: webhook set to %s with its secret token.", url)
    return True


def main(environ: Mapping[str, str] = os.environ) -> int:
    """Set the webhook from TELEGRAM_* variables (README, "Channels")."""
    missing = [
        name
        for name in ("TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_WEBHOOK_URL")
        if not environ.get(name)
    ]
    if missing:
        print(f"Set {', '.join(missing)}.", file=sys.stderr)
        return 2
    out_channel = PlatformTelegramOutput(
        environ["TELEGRAM_TOKEN"], environ.get("TELEGRAM_API_URL") or TELEGRAM_API_URL
    )

    async def set_and_close() -> bool:
        try:
            return await _set_webhook(
                out_channel,
                environ["TELEGRAM_WEBHOOK_URL"],
                environ["TELEGRAM_SECRET_TOKEN"],
            )
        finally:
            await out_channel.close()

    return 0 if asyncio.run(set_and_close()) else 1


if __name__ == "__main__":
    sys.exit(main())
