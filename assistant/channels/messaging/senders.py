"""Conversation ids of messaging channels: ``<channel>:<platform id>``.

A phone number, a Telegram chat id or a Slack user id names a person on her
platform only; namespaced by channel (``whatsapp:+4512345678``,
``sms:+4512345678``, ``telegram:123456``) two platforms' ids never share a
conversation, and the operator can name one exactly
(``make forget SENDER=whatsapp:+4512345678``).
"""

from __future__ import annotations


def namespaced(channel: str, platform_id: str) -> str:
    """The conversation id of ``platform_id`` on ``channel``."""
    return f"{channel}:{platform_id}"
