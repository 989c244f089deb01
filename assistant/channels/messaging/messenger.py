"""Facebook Messenger: Rasa's channel, answering only what Meta signed.

Rasa 3.6.21's channel checks ``X-Hub-Signature`` (SHA-1, with the hash name
taken from the caller's header) and compares it with ``==``; Meta signs
with SHA-256 in ``X-Hub-Signature-256``. Here, on the same URL
(/webhooks/facebook/webhook):

- a POST must carry ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw
  body with the app secret>``, compared in constant time; without it (an
  ``X-Hub-Signature`` SHA-1 alone included) HTTP 403 and nothing is stored;
- the subscription check (GET with ``hub.mode=subscribe``,
  ``hub.verify_token``, ``hub.challenge``) answers the challenge only for the
  verify token, compared in constant time, else HTTP 403;
- a body that is not a page webhook (``{"object": "page", "entry": [...]}``)
  gets HTTP 400; each ``messaging`` event of each entry (Meta batches them)
  is handled: a text message, a quick reply (its payload) and a postback
  (its payload); echoes, reads and attachments are dropped;
- her conversation is ``messenger:<page-scoped id>``, answered through
  ``conversation.answer_and_send`` (the greeting and privacy line on a new
  conversation, "slet" with its two quick replies);
- an event already answered (its ``mid``) or sent more than 36 hours ago
  (``timestamp``) is acknowledged and not answered (``replays``).

Replies go to the Graph API's ``me/messages`` at ``api_url`` (tests use
``harness/fake_platforms.py``): text in pieces of at most 2,000 characters,
buttons as at most 13 quick replies with titles of at most 20 characters
(a longer title is shortened and written out whole, numbered, in the text).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, NamedTuple

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels.messaging import conversation, replays
from assistant.channels.messaging.pieces import fit_title, split_text
from assistant.channels.messaging.senders import namespaced
from assistant.channels.messaging.switch import SwitchedOff, settings_when_on
from assistant.channels.service_errors import refusing_when_unavailable

logger = logging.getLogger(__name__)

CHANNEL = "messenger"
GRAPH_API_URL = "https://graph.facebook.com/v19.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_TEXT_CHARACTERS = 2000
MAX_QUICK_REPLIES = 13
MAX_TITLE_CHARACTERS = 20
MAX_PAYLOAD_CHARACTERS = 1000
SEND_TIMEOUT_SECONDS = 20
NOT_FROM_META = f"Requests must be signed by Meta ({SIGNATURE_HEADER}: sha256=...)."
PLATFORM = conversation.Platform("Messenger", {"da": "Meta", "en": "Meta"})
NOT_A_PAGE_WEBHOOK = (
    'The body must be a page webhook: {"object": "page", "entry": [...]}.'
)


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is ``sha256=`` and the body's HMAC (constant time)."""
    if not secret or not header:
        return False
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.encode("utf-8"), f"sha256={digest}".encode())


def token_matches(provided: str | None, token: str) -> bool:
    """Whether the verify token is the configured one (constant time)."""
    if not provided or not token:
        return False
    return hmac.compare_digest(provided.encode("utf-8"), token.encode("utf-8"))


class MalformedWebhook(ValueError):
    """The body is not a Messenger page webhook."""


class Event(NamedTuple):
    """What the bot reads of one ``messaging`` event."""

    psid: str
    text: str
    message_id: str | None  # Meta's ``mid``
    sent_at: float | None  # seconds (Meta sends ``timestamp`` in milliseconds)


def read_events(body: bytes) -> list[Event]:
    """Each event the bot answers (her id, her text...), in order.

    Raises ``MalformedWebhook`` for a body that is not a page webhook.
    """
    try:
        payload: Any = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MalformedWebhook(NOT_A_PAGE_WEBHOOK) from None
    if not isinstance(payload, dict) or payload.get("object") != "page":
        raise MalformedWebhook(NOT_A_PAGE_WEBHOOK)
    entries = payload.get("entry")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise MalformedWebhook(NOT_A_PAGE_WEBHOOK)
    events: list[Event] = []
    for entry in entries:
        messaging = entry.get("messaging", [])
        if not isinstance(messaging, list):
            raise MalformedWebhook("An entry's messaging must be a list.")
        for event in messaging:
            found = _read_event(event)
            if found is not None:
                events.append(found)
    return events


def _read_event(event: Any) -> Event | None:
    if not isinstance(event, dict):
        raise MalformedWebhook("A messaging event must be an object.")
    sender = event.get("sender")
    psid = sender.get("id") if isinstance(sender, dict) else None
    if not isinstance(psid, str) or not psid:
        raise MalformedWebhook("A messaging event needs sender.id.")
    message, postback = event.get("message"), event.get("postback")
    text: Any = None
    mid: Any = None
    if isinstance(message, dict) and not message.get("is_echo"):
        quick_reply = message.get("quick_reply")
        if isinstance(quick_reply, dict) and quick_reply.get("payload"):
            text = quick_reply["payload"]
        else:
            text = message.get("text")
        mid = message.get("mid")
    elif isinstance(postback, dict):
        text = postback.get("payload") or postback.get("title")
        mid = postback.get("mid")
    if not isinstance(text, str) or not text.strip():
        return None  # echoes, reads, deliveries, attachments: not answered
    timestamp = event.get("timestamp")
    sent_at = (
        timestamp / 1000
        if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool)
        else None
    )
    return Event(psid, text, mid if isinstance(mid, str) and mid else None, sent_at)


def psid_of(recipient_id: str) -> str:
    """The page-scoped id in a conversation id ``messenger:<psid>``."""
    prefix = namespaced(CHANNEL, "")
    return (
        recipient_id[len(prefix) :] if recipient_id.startswith(prefix) else recipient_id
    )


def quick_replies_for(
    text: str, buttons: Iterable[Mapping[str, Any]]
) -> tuple[str, list[dict[str, str]]]:
    """The text and Messenger quick replies for Rasa's buttons, within limits.

    When a title is longer than 20 characters, every choice is numbered, the
    whole titles listed under the text and the quick replies' titles start
    with their number.
    """
    usable = [
        (str(button.get("title") or button.get("payload")), str(button["payload"]))
        for button in buttons
        if button.get("payload")
        and len(str(button["payload"])) <= MAX_PAYLOAD_CHARACTERS
    ][:MAX_QUICK_REPLIES]
    if any(len(title) > MAX_TITLE_CHARACTERS for title, _ in usable):
        listed = "\n".join(f"{n}. {title}" for n, (title, _) in enumerate(usable, 1))
        text = f"{text}\n\n{listed}"
        usable = [
            (f"{n}. {title}", payload) for n, (title, payload) in enumerate(usable, 1)
        ]
    replies = [
        {
            "content_type": "text",
            "title": fit_title(title, MAX_TITLE_CHARACTERS),
            "payload": payload,
        }
        for title, payload in usable
    ]
    return text, replies


class GraphMessengerOutput(MessengerBot):
    """Rasa's Messenger output, sending to the Graph API at ``api_url``."""

    def __init__(self, page_access_token: str, api_url: str = GRAPH_API_URL) -> None:
        """No fbmessenger client: every message goes through ``_send``."""
        OutputChannel.__init__(self)
        self.page_access_token = page_access_token
        self.api_url = api_url.rstrip("/")

    async def _send(self, recipient_id: str, body: dict[str, Any]) -> None:
        message = {"recipient": {"id": psid_of(recipient_id)}, **body}
        timeout = aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.post(
                f"{self.api_url}/me/messages",
                params={"access_token": self.page_access_token},
                json=message,
            ) as answer:
                if answer.status >= 300:
                    logger.warning("Messenger: me/messages answered %d.", answer.status)

    async def _send_text(self, recipient_id: str, text: str) -> None:
        await self._send(
            recipient_id, {"messaging_type": "RESPONSE", "message": {"text": text}}
        )

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """Text in pieces of at most 2,000 characters."""
        for piece in split_text(text, MAX_TEXT_CHARACTERS):
            await self._send_text(recipient_id, piece)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """The text with quick replies under its last piece."""
        text, replies = quick_replies_for(text, buttons)
        pieces = split_text(text, MAX_TEXT_CHARACTERS) or [" "]
        for piece in pieces[:-1]:
            await self._send_text(recipient_id, piece)
        message: dict[str, Any] = {"text": pieces[-1]}
        if replies:
            message["quick_replies"] = replies
        await self._send(
            recipient_id, {"messaging_type": "RESPONSE", "message": message}
        )

    async def send_quick_replies(
        self,
        recipient_id: str,
        text: str,
        quick_replies: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """As buttons."""
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(
        self, recipient_id: str, image: str, **kwargs: Any
    ) -> None:
        """An image by its URL."""
        attachment = {"type": "image", "payload": {"url": image, "is_reusable": True}}
        await self._send(
            recipient_id,
            {"messaging_type": "RESPONSE", "message": {"attachment": attachment}},
        )

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        """``typing_on``, ``mark_seen``..."""
        await self._send(recipient_id, {"sender_action": sender_action})

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        """A generic template (not used by this bot's responses)."""
        attachment = {
            "type": "template",
            "payload": {"template_type": "generic", "elements": list(elements)},
        }
        await self._send(
            recipient_id,
            {"messaging_type": "RESPONSE", "message": {"attachment": attachment}},
        )

    async def send_custom_json(
        self, recipient_id: str, json_message: Any, **kwargs: Any
    ) -> None:
        """A message of Meta's own shape, as given."""
        if isinstance(json_message, dict):
            await self._send(
                recipient_id, {"messaging_type": "RESPONSE", **json_message}
            )


class SignedMessengerInput(FacebookInput):
    """Rasa's Messenger channel, with Meta's SHA-256 signature checked."""

    REQUIRED_SETTINGS = ("verify", "secret", "page-access-token")

    @classmethod
    def name(cls) -> str:
        """Same name, so same URL, as Rasa's Facebook channel."""
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> InputChannel:
        """Settings: verify, secret, page-access-token, api_url."""
        credentials = settings_when_on(credentials, cls.REQUIRED_SETTINGS)
        if credentials is None:
            return SwitchedOff(cls.name())
        return cls(
            credentials.get("verify") or "",
            credentials.get("secret") or "",
            credentials.get("page-access-token") or "",
            api_url=credentials.get("api_url") or GRAPH_API_URL,
        )

    def __init__(
        self,
        fb_verify: str,
        fb_secret: str,
        fb_access_token: str,
        api_url: str = GRAPH_API_URL,
    ) -> None:
        """Rasa's settings and the Graph API's URL."""
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.api_url = api_url

    def get_output_channel(self) -> OutputChannel:
        """Replies through the Graph API at ``api_url``."""
        return GraphMessengerOutput(self.fb_access_token, self.api_url)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Health, the subscription check and the signed webhook."""
        fb_webhook = Blueprint("fb_webhook", __name__)
        handle = refusing_when_unavailable(on_new_message, apologise=False)

        @fb_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @fb_webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            if request.args.get("hub.mode") == "subscribe" and token_matches(
                request.args.get("hub.verify_token"), self.fb_verify
            ):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("Messenger: a subscription check with a wrong verify token.")
            return response.json({"error": "Wrong verify token."}, status=403)

        @fb_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            body = request.body or b""
            if not signature_matches(
                self.fb_secret, body, request.headers.get(SIGNATURE_HEADER)
            ):
                logger.warning(
                    "Messenger: a request without Meta's signature, refused."
                )
                return response.json({"error": NOT_FROM_META}, status=403)
            try:
                events = read_events(body)
            except MalformedWebhook as error:
                return response.json({"error": str(error)}, status=400)
            out_channel = self.get_output_channel()
            for event in events:
                if event.sent_at is not None and replays.is_too_old(
                    event.sent_at, time.time()
                ):
                    logger.warning("Messenger: an event older than Meta keeps one.")
                    continue  # dropped, not answered
                answered = await conversation.answer_and_send(
                    request.app.ctx.agent,
                    handle,
                    out_channel,
                    namespaced(CHANNEL, event.psid),
                    event.text,
                    self.name(),
                    PLATFORM,
                    message_id=event.message_id,
                )
                if not answered:  # Meta sends the batch again; answered ones
                    # are recognised by their mid and not answered twice
                    return response.json({"error": "Try again later."}, status=503)
            return response.text("EVENT_RECEIVED")

        return fb_webhook
