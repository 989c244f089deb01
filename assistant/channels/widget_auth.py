"""Proof that a widget owns a conversation: server-issued ids and signed tokens.

On first contact the widget asks the server for a conversation
(``POST /webhooks/widget/session``) and gets an id nobody can guess ("w" and
32 random hex digits) with a token: ``v1.<id>.<signature>``, the signature an
HMAC-SHA256 of the id under the server's secret. Reading the conversation back
(``/history``) or deleting it needs the token; the server checks the
signature, so only the browser that was given the id can read it, and ids of
other channels (REST, Telegram, a WhatsApp phone number) can never be read
through the widget: the server never signs an id it did not make.

The secret comes from ``WIDGET_SECRET`` or, when that is unset, from the file
``WIDGET_SECRET_FILE`` (default ``var/widget-secret``), made with 256 random
bits on first start and readable only by its owner, so ``make run`` works as
it is and tokens stay valid across restarts. Several servers behind one
address need the same ``WIDGET_SECRET``. Changing the secret makes every
token invalid (the widgets then start new conversations).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re
import secrets

from assistant.channels.messaging.platform_ids import is_platform_conversation

TOKEN_VERSION = "v1"
CONVERSATION_ID = re.compile(r"w[0-9a-f]{32}")
_PURPOSE = b"widget-conversation:"


def new_conversation_id() -> str:
    """An id nobody can guess: "w" and 128 random bits in hex."""
    return "w" + secrets.token_hex(16)


def _signature(secret: str, conversation_id: str) -> str:
    digest = hmac.new(
        secret.encode("utf-8"),
        _PURPOSE + conversation_id.encode("ascii"),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_for(secret: str, conversation_id: str) -> str:
    """The token proving ownership of ``conversation_id``."""
    if not CONVERSATION_ID.fullmatch(conversation_id):
        raise ValueError("only ids the server made get a token")
    return f"{TOKEN_VERSION}.{conversation_id}.{_signature(secret, conversation_id)}"


def conversation_of(secret: str, token: str | None) -> str | None:
    """The conversation a token proves ownership of, or None if it proves none."""
    if not token or len(token) > 200:
        return None
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_VERSION:
        return None
    _, conversation_id, signature = parts
    if not CONVERSATION_ID.fullmatch(conversation_id):
        return None
    expected = _signature(secret, conversation_id)
    if not hmac.compare_digest(
        signature.encode("utf-8", "surrogatepass"), expected.encode("ascii")
    ):
        return None
    return conversation_id


def is_widget_conversation(sender: str) -> bool:
    """True for an id the widget's ``session`` route makes (and signs)."""
    return bool(CONVERSATION_ID.fullmatch(sender))


def may_write(secret: str, sender: str, token: str | None) -> bool:
    """Whether a message for ``sender`` may be taken, given the token sent with it.

    A widget conversation is written only with its own token; a messaging
    platform's (``whatsapp:+45…``) only by that platform's signed webhook,
    never here; ids of other clients (the REST tests, ``rasa shell``, the load
    tests) were never signed and need none, so they are unchanged.
    """
    if is_platform_conversation(sender):
        return False
    if not is_widget_conversation(sender):
        return True
    return conversation_of(secret, token) == sender


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def is_operator(operator_token: str, token: str | None) -> bool:
    """True if ``token`` is the operators' token (compared in constant time)."""
    return bool(token) and hmac.compare_digest(
        str(token).encode("utf-8", "surrogatepass"), operator_token.encode("utf-8")
    )


def is_loopback(address: str | None) -> bool:
    """True for a request from this machine (127.0.0.0/8, ::1, ::ffff:127.x)."""
    try:
        ip = ipaddress.ip_address((address or "").strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback
