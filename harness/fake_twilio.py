"""A fake of Twilio on 127.0.0.1: its Messages API, and its signed webhooks.

``FakeTwilio`` answers ``POST /2010-04-01/Accounts/<sid>/Messages.json`` as
Twilio does (HTTP 201 and the message's JSON; 401 without the account's
basic auth) and records each message's form fields, so a test asserts what
she would see on her phone. The Rasa server is pointed at it with
``TWILIO_API_URL``.

``TwilioWebhook`` posts what Twilio posts to the bot when she writes: the
form fields of a WhatsApp or SMS message, exactly as Twilio's documentation
lists them, signed with ``X-Twilio-Signature`` by Twilio's own library
(``twilio.request_validator``) over the public URL, while the request itself
goes to the server on 127.0.0.1, as it would behind the load balancer.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import requests
from twilio.request_validator import RequestValidator

SANDBOX_NUMBER = "whatsapp:+14155238886"  # Twilio's WhatsApp sandbox sender


@dataclass
class FakeTwilio:
    """Twilio's Messages API for one account, recording what is sent."""

    account_sid: str = field(default_factory=lambda: "AC" + secrets.token_hex(16))
    auth_token: str = field(default_factory=lambda: secrets.token_hex(16))
    sent: list[dict[str, str]] = field(default_factory=list)
    refused: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """Where it listens (``TWILIO_API_URL``)."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeTwilio:
        """Listen on a free loopback port, in a thread."""
        fake = self
        path = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        credentials = f"{self.account_sid}:{self.auth_token}".encode()
        expected_auth = "Basic " + base64.b64encode(credentials).decode()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                if self.path != path:
                    self._answer(404, {"code": 20404, "message": "Not Found"})
                elif self.headers.get("Authorization") != expected_auth:
                    fake.refused += 1
                    self._answer(401, {"code": 20003, "message": "Authenticate"})
                else:
                    fields = {k: v[0] for k, v in parse_qs(body).items()}
                    fake.sent.append(fields)
                    sid = "SM" + secrets.token_hex(16)
                    self._answer(201, {"sid": sid, "status": "queued", **fields})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def bodies_to(self, to: str) -> list[str]:
        """The texts sent to one address (``whatsapp:+45…`` or ``+45…``)."""
        return [message["Body"] for message in self.sent if message.get("To") == to]

    def environment(self, webhook_url: str) -> dict[str, str]:
        """The variables that switch the bot's Twilio channel on, pointed here."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_WEBHOOK_URL": webhook_url,
            "TWILIO_API_URL": self.url,
        }


def whatsapp_message(
    account_sid: str, phone: str, body: str, profile_name: str = "Anna"
) -> dict[str, str]:
    """Twilio's form fields for a WhatsApp text message from ``phone``."""
    return {
        "SmsMessageSid": "SM" + secrets.token_hex(16),
        "NumMedia": "0",
        "ProfileName": profile_name,
        "MessageType": "text",
        "SmsSid": "SM" + secrets.token_hex(16),
        "WaId": phone.lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": SANDBOX_NUMBER,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": account_sid,
        "From": f"whatsapp:{phone}",
        "ApiVersion": "2010-04-01",
    }


def whatsapp_button_reply(
    account_sid: str, phone: str, text: str, payload: str
) -> dict[str, str]:
    """Twilio's form fields for a tap on a WhatsApp quick-reply button."""
    fields = whatsapp_message(account_sid, phone, text)
    fields.update(MessageType="button", ButtonText=text, ButtonPayload=payload)
    return fields


def sms_message(account_sid: str, phone: str, body: str) -> dict[str, str]:
    """Twilio's form fields for an SMS from ``phone``."""
    return {
        "ToCountry": "DK",
        "ToState": "",
        "SmsMessageSid": "SM" + secrets.token_hex(16),
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": "SM" + secrets.token_hex(16),
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "DK",
        "To": "+4570000000",
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": account_sid,
        "From": phone,
        "ApiVersion": "2010-04-01",
    }


@dataclass
class TwilioWebhook:
    """Posts to the bot as Twilio does, signed over the public URL."""

    server_url: str  # where the bot listens, e.g. http://127.0.0.1:5005
    public_url: str  # TWILIO_WEBHOOK_URL: what Twilio's console names
    auth_token: str

    def sign(self, fields: dict[str, str], url: str | None = None) -> str:
        """Twilio's signature of the fields (its own library's computation)."""
        validator = RequestValidator(self.auth_token)
        return str(validator.compute_signature(url or self.public_url, fields))

    def post(
        self,
        fields: dict[str, str],
        signature: str | None = "",
        headers: dict[str, str] | None = None,
        data: Any = None,
    ) -> requests.Response:
        """POST the form; signed unless ``signature`` is given (None: no header)."""
        all_headers = {"User-Agent": "TwilioProxy/1.1", **(headers or {})}
        if signature == "":
            signature = self.sign(fields)
        if signature is not None:
            all_headers["X-Twilio-Signature"] = signature
        return requests.post(
            f"{self.server_url}/webhooks/twilio/webhook",
            data=fields if data is None else data,
            headers=all_headers,
            timeout=60,
        )
