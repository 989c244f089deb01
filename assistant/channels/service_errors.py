"""A message that cannot be handled because a shared service is down fails loudly.

When the conversation store (SQLite/PostgreSQL) or the lock store (Redis)
cannot be used, or the conversation changed under a stale copy, Rasa's REST
channel logs the error and answers HTTP 200 with an empty list: the client
cannot tell "no reply" from "try again". Here the message is refused instead:

- REST: HTTP 503 with ``Retry-After`` and a JSON ``error`` saying nothing was
  lost and to send the message again; the message was not stored, so sending
  it again is safe.
- socket.io: the bot sends a short apology in both languages (the
  conversation's language cannot be read without the store).

Nothing is ever kept in memory instead (``assistant/stores/tracker_store.py``).

Any other failure of a message is logged here too, and not passed on: Rasa's
REST channel would log it with ``text=`` her message, and python-socketio
with the error's text. The log says the error's type and a keyed reference
to the conversation only (``assistant/stores/log_privacy.py``). The client
gets what Rasa gives it after such a failure: the replies sent so far.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockError
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from assistant.stores.log_privacy import conversation_reference, error_kind
from assistant.stores.tracker_store import StaleConversation

logger = logging.getLogger(__name__)

SERVICE_ERRORS: tuple[type[Exception], ...] = (
    LockError,
    SQLAlchemyError,
    RedisError,
    StaleConversation,
)
RETRY_AFTER_SECONDS = 2
UNAVAILABLE_ERROR = (
    "The assistant cannot reach its conversation store right now. Nothing was "
    "lost and the message was not stored: please send it again in a moment."
)
UNAVAILABLE_TEXT = (
    "Beklager, jeg kan ikke svare lige nu. Prøv igen om lidt. / "
    "Sorry, I cannot answer right now. Please try again in a moment."
)

# the failures of the request being handled (set per request by the channel)
_failures: ContextVar[list[Exception] | None] = ContextVar(
    "service_failures", default=None
)


def watch_failures() -> list[Exception]:
    """Start collecting service failures of the current request; the list."""
    failures: list[Exception] = []
    _failures.set(failures)
    return failures


def is_service_error(error: BaseException) -> bool:
    """Whether an error means a shared service is unusable (not a bug)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, SERVICE_ERRORS):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


Handler = Callable[[UserMessage], Awaitable[Any]]


def refusing_when_unavailable(
    on_new_message: Handler, apologise: bool, stop_on_cancel: bool = True
) -> Handler:
    """``on_new_message`` that records (and with ``apologise`` answers) failures.

    Every failure is logged without her words or her id. A cancelled message
    (the client went away) is logged too, and with ``stop_on_cancel`` False
    ends here, as Rasa's REST channel would end it, after logging her text.
    """

    @functools.wraps(on_new_message)
    async def handle(message: UserMessage) -> Any:
        try:
            return await on_new_message(message)
        except asyncio.CancelledError:
            logger.error(
                "Message of conversation %s cancelled before it was answered.",
                conversation_reference(message.sender_id),
            )
            if stop_on_cancel:
                raise
            return None
        except Exception as error:
            if not is_service_error(error):
                logger.error(
                    "Message of conversation %s failed (%s).",
                    conversation_reference(message.sender_id),
                    error_kind(error),
                )
                return None
            # never str(error): a database error quotes her message (log_privacy)
            logger.error(
                "Message of conversation %s refused, a shared service failed (%s).",
                conversation_reference(message.sender_id),
                error_kind(error),
            )
            failures = _failures.get()
            if failures is not None:
                failures.append(error)
            if apologise and message.output_channel is not None:
                await message.output_channel.send_text_message(
                    message.sender_id, UNAVAILABLE_TEXT
                )
            return None

    return handle
