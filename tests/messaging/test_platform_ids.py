"""A messaging platform's conversation is written only by its signed webhook."""

import pytest

from assistant.channels.messaging.platform_ids import is_platform_conversation
from assistant.channels.messaging.senders import namespaced
from assistant.channels.widget_auth import may_write

SECRET = "s" * 64


@pytest.mark.parametrize(
    "sender",
    [
        namespaced("whatsapp", "+4512345678"),
        namespaced("sms", "+4512345678"),
        "telegram:123456",
        "messenger:6543210987654321",
        "slack:U0123ABCD",
    ],
)
def test_platform_ids_are_refused_on_rest_and_callback(sender):
    assert is_platform_conversation(sender)
    assert not may_write(SECRET, sender, None)


@pytest.mark.parametrize(
    "sender", ["anna", "+4512345678", "shell-abc", "WhatsApp:+4512345678", "x:y", ""]
)
def test_other_ids_are_written_as_before(sender):
    assert not is_platform_conversation(sender)
    assert may_write(SECRET, sender, None)


def test_namespaced_ids_name_the_channel():
    assert namespaced("whatsapp", "+4512345678") == "whatsapp:+4512345678"
    assert namespaced("telegram", "123456") == "telegram:123456"
