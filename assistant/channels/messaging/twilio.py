"""WhatsApp and SMS through Twilio, with every request's signature checked.

Rasa's ``TwilioInput`` answers any form post to ``/webhooks/twilio/webhook``
and stores it under whatever ``From`` it names: its ``auth_token`` is only
used to send. ``TwilioChannel`` keeps Rasa's URL and checks Twilio's
``X-Twilio-Signature`` first: base64 of the HMAC-SHA1, keyed with the auth
token, of the public URL Twilio posted to followed by every form field sorted
by name, each name then its value (Twilio's "Webhooks security"). Behind the
load balancer and an HTTPS proxy the URL the server sees is not the one Twilio
signed, so the URL is a setting (``TWILIO_WEBHOOK_URL``, exactly as entered in
Twilio's console); as Twilio's own validator does, it is also tried with and
without the scheme's default port. The signatures are compared in constant
time (``hmac.compare_digest``). A request without a valid signature, or for
another Twilio account, gets HTTP 403 and nothing is stored; a signed one
that is not a message (no ``From`` phone number, no ``Body``) gets 400.

Her conversation id is ``whatsapp:+45…`` or ``sms:+45…``
(``assistant/channels/messaging/senders.py``). Her WhatsApp profile name and
the message ids are not stored. A message with only a picture, a voice note or
a location gets a reply saying that only text is read; it is not stored.

The replies of a turn (``conversation.answer``: the greeting on a new
conversation, "slet" and its confirmation, the digit that picks a button) are
rendered as plain text (``plain_text``: numbered choices, the urgent mark)
and sent through Twilio's Messages API as one message, split only past
Twilio's 1,600 characters, from the number she wrote to. The API's address
is a setting (``TWILIO_API_URL``, default ``https://api.twilio.com``), so
tests point it at a fake on 127.0.0.1 (``harness/fake_twilio.py``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.channels.messaging import conversation
from assistant.channels.messaging.plain_text import (
    TWILIO_MESSAGE_LIMIT,
    rendered,
    rendered_turn,
    split_message,
)
from assistant.channels.messaging.senders import namespaced
from assistant.channels.messaging.switch import SwitchedOff, settings_when_on
from assistant.channels.reply_metadata import MetadataCollectingOutputChannel
from assistant.channels.service_errors import (
    UNAVAILABLE_ERROR,
    is_service_error,
    refusing_when_unavailable,
)
from assistant.stores.log_privacy import error_kind

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
WHATSAPP = "whatsapp"
SMS = "sms"
_PHONE_NUMBER = re.compile(r"\+[1-9][0-9]{6,14}")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
SEND_TIMEOUT_SECONDS = 15
TEXT_ONLY = (
    "Jeg kan kun læse tekst, ikke billeder, lyd eller steder. Skriv gerne dit "
    "spørgsmål. / I can only read text, not pictures, sound or locations. "
    "Please write your question."
)
# her platform's name, and who else keeps the messages (privacy.how_to_erase_here)
PLATFORMS = {
    WHATSAPP: conversation.Platform(
        "WhatsApp",
        {"da": "WhatsApp og Twilio", "en": "WhatsApp and Twilio"},
        picks_by_number=True,
    ),
    SMS: conversation.Platform(
        "SMS",
        {"da": "Twilio og dit teleselskab", "en": "Twilio and your phone company"},
        picks_by_number=True,
    ),
}
NOT_SIGNED = "This request is not signed by Twilio for this account."
NOT_A_MESSAGE = "Expected Twilio's message form: From (a phone number) and Body."


def signature(auth_token: str, url: str, fields: Mapping[str, Sequence[str]]) -> str:
    """Twilio's signature of a form post to ``url``."""
    signed = url + "".join(
        name + value for name in sorted(fields) for value in sorted(set(fields[name]))
    )
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def url_variants(url: str) -> list[str]:
    """``url`` as configured, and with or without the scheme's default port."""
    parts = urlsplit(url)
    default_port = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    if parts.port is None and default_port:
        other = parts._replace(netloc=f"{parts.netloc}:{default_port}")
    elif parts.port == default_port:
        other = parts._replace(netloc=parts.netloc.rsplit(":", 1)[0] or host)
    else:
        return [url]
    return [url, urlunsplit(other)]


def is_signed(
    auth_token: str,
    url: str,
    fields: Mapping[str, Sequence[str]],
    given: str | None,
) -> bool:
    """True when ``given`` is Twilio's signature of this post (constant time)."""
    if not given or not auth_token or not url:
        return False
    matches = [
        hmac.compare_digest(
            signature(auth_token, variant, fields).encode(), given.encode()
        )
        for variant in url_variants(url)
    ]
    return any(matches)


def sender_of(from_field: str) -> str | None:
    """Her conversation id from Twilio's ``From``, or None if not a phone."""
    channel, number = SMS, from_field
    if from_field.startswith(f"{WHATSAPP}:"):
        channel, number = WHATSAPP, from_field[len(WHATSAPP) + 1 :]
    if not _PHONE_NUMBER.fullmatch(number):
        return None
    return namespaced(channel, number)


def address_of(sender: str) -> str:
    """Twilio's ``To`` for a conversation id (``sms:+45…`` is ``+45…``)."""
    channel, _, number = sender.partition(":")
    return sender if channel == WHATSAPP else number


def form_fields(request: Request) -> dict[str, list[str]] | None:
    """The posted form's fields (blank ones too), or None if not a form."""
    content_type = (request.headers.get("content-type") or "").split(";")[0]
    if content_type.strip().lower() != "application/x-www-form-urlencoded":
        return None
    try:
        body = (request.body or b"").decode("utf-8")
        return parse_qs(body, keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        return None


class TwilioMessages:
    """Twilio's Messages API for one account: sends texts, in order."""

    def __init__(self, api_url: str, account_sid: str, auth_token: str) -> None:
        """Send as ``account_sid`` through the API at ``api_url``."""
        self.url = (
            f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        )
        self.account_sid = account_sid
        self.auth_token = auth_token

    async def send(self, to: str, from_: str, bodies: Sequence[str]) -> bool:
        """Send each body as a message; False (and logged) if one failed."""
        timeout = aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS)
        try:
            auth = aiohttp.BasicAuth(self.account_sid, self.auth_token)
            async with aiohttp.ClientSession(timeout=timeout, auth=auth) as api:
                for body in bodies:
                    data = {"To": to, "From": from_, "Body": body}
                    async with api.post(self.url, data=data) as sent:
                        if sent.status >= 300:
                            logger.error(f"Twilio refused a reply: HTTP {sent.status}.")
                            return False
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            logger.error(f"Twilio could not be reached: {type(error).__name__}.")
            return False
        return True


class TwilioCollector(MetadataCollectingOutputChannel):
    """Collects a turn's replies; named so the domain's twilio texts are used."""

    @classmethod
    def name(cls) -> str:
        """The channel name the domain's ``channel: twilio`` responses match."""
        return "twilio"


class TwilioOutput(OutputChannel):
    """Replies sent outside a message of hers (Rasa's API), each as it comes."""

    def __init__(self, messages: TwilioMessages, from_: str) -> None:
        """Send through ``messages`` from the number ``from_``."""
        self.messages = messages
        self.from_ = from_

    @classmethod
    def name(cls) -> str:
        """Same name as the input channel."""
        return "twilio"

    async def _send(self, recipient_id: str, message: dict[str, Any]) -> None:
        bodies = split_message(rendered(message), TWILIO_MESSAGE_LIMIT)
        await self.messages.send(address_of(recipient_id), self.from_, bodies)

    async def send_text_message(
        self, recipient_id: str, text: str, **kwargs: Any
    ) -> None:
        """One text."""
        await self._send(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """A text with numbered choices."""
        await self._send(recipient_id, {"text": text, "buttons": buttons})


class TwilioChannel(TwilioInput):
    """Rasa's Twilio channel, answering only requests Twilio signed."""

    REQUIRED_SETTINGS = ("account_sid", "auth_token", "webhook_url")

    @classmethod
    def name(cls) -> str:
        """Rasa's name, so Rasa's URL: /webhooks/twilio/webhook."""
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """The channel from its credentials.yml settings (off: no route)."""
        settings = settings_when_on(credentials, cls.REQUIRED_SETTINGS)
        if settings is None:
            return SwitchedOff(cls.name())
        return cls(
            settings.get("account_sid"),
            settings.get("auth_token"),
            settings.get("twilio_number"),
            webhook_url=settings.get("webhook_url") or "",
            api_url=settings.get("api_url") or DEFAULT_API_URL,
        )

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        twilio_number: str | None,
        debug_mode: bool = False,
        webhook_url: str = "",
        api_url: str = DEFAULT_API_URL,
    ) -> None:
        """Rasa's settings, and the public URL and the API's address."""
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.webhook_url = webhook_url
        self.messages = TwilioMessages(api_url, account_sid or "", auth_token or "")

    def get_output_channel(self) -> OutputChannel:
        """Replies from ``TWILIO_NUMBER`` (a message of hers: from her ``To``)."""
        return TwilioOutput(self.messages, self.twilio_number or "")

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the public one, with the request's query."""
        query = request.query_string
        return f"{self.webhook_url}?{query}" if query else self.webhook_url

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Rasa's routes; the webhook checks the signature first."""
        twilio_webhook = Blueprint("twilio_webhook", __name__)
        # a failed message is logged without her words or number, and she is
        # told to try again (service_errors.py)
        handle = refusing_when_unavailable(on_new_message, apologise=True)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            fields = form_fields(request)
            given = request.headers.get(SIGNATURE_HEADER)
            if fields is None:
                status = 403 if not given else 400
                return response.json({"error": NOT_SIGNED}, status=status)
            if (
                not is_signed(
                    self.auth_token or "", self.signed_url(request), fields, given
                )
                or fields.get("AccountSid", [""])[0] != self.account_sid
            ):
                return response.json({"error": NOT_SIGNED}, status=403)
            form = {name: values[0] for name, values in fields.items()}
            sender = sender_of(form.get("From", ""))
            if sender is None or "Body" not in form:
                return response.json({"error": NOT_A_MESSAGE}, status=400)
            from_ = form.get("To") or self.twilio_number or ""
            text = form["Body"]
            if not text.strip():
                await self.messages.send(address_of(sender), from_, [TEXT_ONLY])
                return response.text(EMPTY_TWIML, content_type="text/xml")
            try:
                turn = await conversation.answer(
                    request.app.ctx.agent,
                    handle,
                    TwilioCollector,
                    sender,
                    text,
                    self.name(),
                    PLATFORMS[sender.partition(":")[0]],
                    message_id=form.get("MessageSid"),
                )
            except Exception as error:
                if not is_service_error(error):
                    raise
                logger.error(
                    "A %s message was refused, a shared service failed (%s).",
                    self.name(),
                    error_kind(error),
                )  # never her number or her words
                return response.json({"error": UNAVAILABLE_ERROR}, status=503)
            body = rendered_turn(turn.messages, turn.language)
            await self.messages.send(
                address_of(sender), from_, split_message(body, TWILIO_MESSAGE_LIMIT)
            )
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return twilio_webhook
