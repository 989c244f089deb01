"""What a log line may say about a conversation: never her words, never her id.

A conversation id is a phone number on messaging channels, and an error's
text can carry her message: a database error quotes the failed statement
and, unless the engine hides them, its parameters (the event JSON with her
text); Rasa's ``LockError`` names the conversation. So error paths log
``conversation_reference`` (a short hash of the id: the same conversation
gives the same reference, so an operator can match a complaint by hashing
the id she gives) and ``error_kind`` (the error's type and its causes'
types), never ``str(error)``, a traceback, or the id itself.

Every SQLAlchemy engine of the project is made with ``ENGINE_PRIVACY``
(``hide_parameters=True``), so even SQLAlchemy's own messages leave the
parameters out.
"""

from __future__ import annotations

import hashlib
from typing import Any

ENGINE_PRIVACY: dict[str, Any] = {"hide_parameters": True}
REFERENCE_HEX_DIGITS = 12


def conversation_reference(sender_id: str | None) -> str:
    """A short, stable stand-in for a conversation id in logs."""
    digest = hashlib.sha256((sender_id or "").encode("utf-8", "surrogatepass"))
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
