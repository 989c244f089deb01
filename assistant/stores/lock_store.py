"""Conversation locks: in memory for one server, in Redis for several.

Rasa handles one message per conversation at a time by giving each message a
ticket from the conversation's ``TicketLock`` and serving tickets in order.
With several Rasa servers the locks live in Redis (``RedisLockStore``), but
Rasa's open-source store changes a lock by reading it, changing the copy and
writing it back: two servers that take the same conversation's lock at the
same instant read the same lock, both write it back with "their" ticket, and
both may hold the same ticket number, so both work on the conversation at once
(RasaHQ/rasa#9213; the fix went to the commercial edition).

``AtomicRedisLockStore`` is Rasa's ``RedisLockStore`` whose every change of a
lock (issue a ticket, drop expired ones, finish one, delete the lock) is one
optimistic Redis transaction: ``WATCH`` the key, read, change, ``MULTI`` /
``SET`` or ``DEL`` / ``EXEC``; if anyone changed the key in between, Redis
refuses the write and the change is made again on the new value. Two servers
can no longer hold one ticket.

Every write of a lock key also sets its expiry: the key disappears when its
last ticket has expired, plus ``key_grace_seconds`` (60 s: servers' clocks
may differ). A server that crashes while holding a lock leaves nothing
behind for good, not even the conversation id in the key name (a phone
number on messaging channels); an expired key is the same as an empty lock.
When Redis cannot be reached, taking a lock
fails with ``LockError`` and the message is refused with HTTP 503
(``assistant/channels/service_errors.py``): never two servers on one conversation.

``lock_store_from_environment`` is what endpoints.yml names: Redis when
``REDIS_HOST`` (or the configured ``url``) is set, else Rasa's in-memory store.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

from assistant.config.endpoints import settings_from_environment
from assistant.stores.log_privacy import error_kind

T = TypeVar("T")
# a change of a lock returns the lock to write back (None: delete it) and a result
LockChange = Callable[[TicketLock | None], tuple[TicketLock | None, T]]


DEFAULT_KEY_GRACE_SECONDS = 60.0


def key_lifetime_milliseconds(
    lock: TicketLock, grace_seconds: float, now: float | None = None
) -> int:
    """How long a lock key is kept: until its last ticket expires, plus grace."""
    now = time.time() if now is None else now
    last_expiry = max((ticket.expires for ticket in lock.tickets), default=now)
    return max(1, math.ceil((max(last_expiry - now, 0.0) + grace_seconds) * 1000))


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose lock changes are Redis transactions.

    Every key it writes expires (``key_lifetime_milliseconds``).
    """

    def __init__(
        self, *args: Any, key_grace_seconds: float | str | None = None, **kwargs: Any
    ) -> None:
        """Rasa's Redis store; ``key_grace_seconds`` after the last ticket expires."""
        super().__init__(*args, **kwargs)
        self.key_grace_seconds = (
            DEFAULT_KEY_GRACE_SECONDS
            if key_grace_seconds is None
            else float(key_grace_seconds)
        )

    def _lifetime(self, lock: TicketLock) -> int:
        return key_lifetime_milliseconds(lock, self.key_grace_seconds)

    def save_lock(self, lock: TicketLock) -> None:
        """Write the lock with its expiry (Rasa's keeps it for ever)."""
        self.red.set(
            self.key_prefix + lock.conversation_id,
            lock.dumps(),
            px=self._lifetime(lock),
        )

    def _change(self, conversation_id: str, change: LockChange[T]) -> T:
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps(), px=self._lifetime(new_lock))
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # someone changed the lock meanwhile: again, on theirs

    def issue_ticket(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        """A new ticket, in one transaction with reading the lock."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock | None, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            # the error's type only: its text may name the conversation (the key)
            raise LockError(
                f"Error while acquiring lock ({error_kind(error)})."
            ) from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets, in one transaction."""

        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket, in one transaction."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket and the lock if nobody waits, in one go."""

        def finish_and_drop(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish_and_drop)


def redis_settings(
    endpoint_config: EndpointConfig | None, environ: Mapping[str, str]
) -> dict[str, Any] | None:
    """Redis connection settings from endpoints.yml and the environment, or None.

    None means no Redis is configured: one server, locks in memory.
    """
    if endpoint_config is None:
        return None
    settings = settings_from_environment(
        {"host": endpoint_config.url, **endpoint_config.kwargs}, environ
    )
    if not settings.get("host"):
        return None
    return {key: value for key, value in settings.items() if value is not None}


def sanic_workers(environ: Mapping[str, str]) -> int:
    """How many Sanic workers were asked for (SANIC_WORKERS, default 1)."""
    try:
        return int(environ.get("SANIC_WORKERS") or 1)
    except ValueError:
        return 1


class lock_store_from_environment(LockStore):  # noqa: N801 (a factory Rasa calls)
    """Redis locks when Redis is configured, else in-memory locks.

    Rasa creates a custom lock store as ``type(endpoint_config=...)``; this
    returns the store to use instead of an instance of itself.
    """

    def __new__(cls, endpoint_config: EndpointConfig | None = None) -> LockStore:
        """``AtomicRedisLockStore`` or ``InMemoryLockStore``."""
        settings = redis_settings(endpoint_config, os.environ)
        if settings is None:
            if sanic_workers(os.environ) > 1:
                raise LockError(
                    "SANIC_WORKERS > 1 needs shared locks: set REDIS_HOST "
                    "(in-memory locks would let two workers answer one "
                    "conversation at once)."
                )
            return InMemoryLockStore()
        return AtomicRedisLockStore(**settings)
