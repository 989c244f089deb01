"""Which conversation ids belong to a messaging platform's signed webhook.

A messaging conversation's id is ``<channel>:<platform id>``
(``senders.namespaced``): a phone number or a chat id, easy to guess. Only
the platform's channel, after checking the platform's signature, may write
into it; the REST and callback channels, which take any id a client names,
refuse these (``widget_auth.may_write``), so nobody can post as
``whatsapp:+4512345678`` and read her referral summary back.
"""

from __future__ import annotations

MESSAGING_CHANNELS = ("whatsapp", "sms", "telegram", "messenger", "slack")


def is_platform_conversation(sender: str) -> bool:
    """True for an id in a messaging channel's namespace."""
    channel, colon, _ = sender.partition(":")
    return bool(colon) and channel in MESSAGING_CHANNELS
