"""What a log line may say about a conversation: never her words, never her id.

A conversation id is a phone number on messaging channels, and an error's
text can carry her message: a database error quotes the failed statement
and, unless the engine hides them, its parameters (the event JSON with her
text); Rasa's ``LockError`` names the conversation. So error paths log
``conversation_reference`` and ``error_kind`` (the error's type and its
causes' types), never ``str(error)``, a traceback, or the id itself.

A reference is ``c-`` and 12 hex digits of an HMAC-SHA256 of the id, keyed:
a plain hash of a phone number is undone in seconds by hashing every number.
The key is derived from the widget secret
(``assistant.config.secrets.load_secret``:
``WIDGET_SECRET``, else the file ``WIDGET_SECRET_FILE``, ``var/widget-secret``)
under a label of its own, so no new secret has to be configured, and every
server sharing the secret gives a conversation the same reference. To match
a complaint, an operator prints the reference of the id she gives, with the
server's settings: ``make log-reference SENDER=<id>``
(``python -m assistant.stores.log_privacy <id>``).

Every SQLAlchemy engine of the project is made with ``ENGINE_PRIVACY``
(``hide_parameters=True``), so even SQLAlchemy's own messages leave the
parameters out.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import sys
from collections.abc import Sequence
from typing import Any

ENGINE_PRIVACY: dict[str, Any] = {"hide_parameters": True}
REFERENCE_HEX_DIGITS = 12
# the widget secret also signs tokens: a key of its own for log references
_REFERENCE_KEY_LABEL = b"log-privacy:conversation-reference:v1"


def reference_key(secret: str) -> bytes:
    """The key of log references, derived from the widget secret."""
    return hmac.new(
        secret.encode("utf-8"), _REFERENCE_KEY_LABEL, hashlib.sha256
    ).digest()


@functools.cache
def _server_key() -> bytes:
    # read once, as the channels read the secret at start: an error path
    # must not fail on reading a file
    from assistant.config.secrets import load_secret

    return reference_key(load_secret())


def conversation_reference(sender_id: str | None, key: bytes | None = None) -> str:
    """A short, stable stand-in for a conversation id in logs.

    Keyed by ``key`` (the server's, from the widget secret, unless given).
    """
    digest = hmac.new(
        _server_key() if key is None else key,
        (sender_id or "").encode("utf-8", "surrogatepass"),
        hashlib.sha256,
    )
    return "c-" + digest.hexdigest()[:REFERENCE_HEX_DIGITS]


def error_kind(error: BaseException) -> str:
    """The error's type and the types it came from: ``LockError < ConnectionError``."""
    kinds: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(kinds) < 5:
        kinds.append(type(current).__name__)
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return " < ".join(kinds)


def main(arguments: Sequence[str]) -> int:
    """``python -m assistant.stores.log_privacy <id>``: print its log reference."""
    if len(arguments) != 1 or not arguments[0]:
        print("Name the conversation: make log-reference SENDER=<id>", file=sys.stderr)
        return 2
    print(conversation_reference(arguments[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
