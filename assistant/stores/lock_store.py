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
Lua script run by Redis, which runs a script whole before any other command:
two servers can no longer hold one ticket. A message takes two Redis
commands for its lock (issue, which returns the lock it wrote; and finish);
the optimistic transactions before took eleven in seven round trips
(``WATCH``, ``GET``, then ``MULTI`` / ``SET`` or ``DEL`` / ``EXEC``, for each
of the two changes, and a ``GET`` between). Those two go on the project's
asyncio client (``assistant/stores/redis_client.py``), so the event loop
serves other conversations while Redis answers; a ticket that has to wait,
and TLS connections, keep redis-py's blocking client.

Every write of a lock key also sets its expiry: the key disappears when its
last ticket has expired, plus ``key_grace_seconds`` (60 s: servers' clocks
may differ). A server that crashes while holding a lock leaves nothing
behind for good, not even the conversation id in the key name (a phone
number on messaging channels); an expired key is the same as an empty lock.
When Redis cannot be reached, taking a lock
fails with ``LockError`` and the message is refused with HTTP 503
(``assistant/channels/service_errors.py``): never two servers on one conversation.

``EnvironmentLockStore`` is what endpoints.yml names: a lock store that hands
every call to Redis when ``REDIS_HOST`` (or the configured ``url``) is set,
else to Rasa's in-memory store.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import math
import os
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

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
from assistant.stores.redis_client import AsyncRedis

DEFAULT_KEY_GRACE_SECONDS = 60.0


def key_lifetime_milliseconds(
    lock: TicketLock, grace_seconds: float, now: float | None = None
) -> int:
    """How long a lock key is kept: until its last ticket expires, plus grace."""
    now = time.time() if now is None else now
    last_expiry = max((ticket.expires for ticket in lock.tickets), default=now)
    return max(1, math.ceil((max(last_expiry - now, 0.0) + grace_seconds) * 1000))


# A lock as Rasa stores it: {"conversation_id": ..., "tickets": ["<ticket JSON>", ...]},
# each ticket {"number": n, "expires": unix time}. The scripts keep that format,
# take "now" from the server (as Rasa's TicketLock does) and set the key's expiry.
_LOCK_LUA = """
local function read(key, now)
  local raw = redis.call('GET', key)
  local tickets = {}
  if raw then
    for _, text in ipairs(cjson.decode(raw)['tickets'] or {}) do
      local ticket = cjson.decode(text)
      if tonumber(ticket['expires']) >= now then table.insert(tickets, ticket) end
    end
  end
  return tickets
end

local function write(key, conversation_id, tickets, now, grace)
  if #tickets == 0 then
    redis.call('DEL', key)
    return nil
  end
  local texts, last = {}, now
  for i, ticket in ipairs(tickets) do
    texts[i] = cjson.encode({number = ticket['number'], expires = ticket['expires']})
    if ticket['expires'] > last then last = ticket['expires'] end
  end
  local lock = cjson.encode({conversation_id = conversation_id, tickets = texts})
  local lifetime = math.max(1, math.ceil((last - now + grace) * 1000))
  redis.call('SET', key, lock, 'PX', lifetime)
  return lock
end
"""

# issue: a new ticket at the end of the queue; returns its number and the lock
_ISSUE_LUA = (
    _LOCK_LUA
    + """
local now, lifetime, grace = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tickets = read(KEYS[1], now)
local number = 0
if #tickets > 0 then number = tickets[#tickets]['number'] + 1 end
table.insert(tickets, {number = number, expires = now + lifetime})
return {number, write(KEYS[1], ARGV[1], tickets, now, grace)}
"""
)

# finish: drop expired tickets and ticket ARGV[2] (-1: none); no ticket left,
# no key
_FINISH_LUA = (
    _LOCK_LUA
    + """
local number, now, grace = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local kept = {}
for _, ticket in ipairs(read(KEYS[1], now)) do
  if ticket['number'] ~= number then table.insert(kept, ticket) end
end
write(KEYS[1], ARGV[1], kept, now, grace)
return 1
"""
)

NO_TICKET = -1


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose lock changes are atomic Redis scripts.

    Every key it writes expires (``key_lifetime_milliseconds``). Taking and
    giving back a conversation's lock is two Redis commands: the issue
    script, which also returns the lock as it wrote it (so a ticket served at
    once needs no second read), and the finish script; a ticket that has to
    wait reads the lock again as Rasa's store does.
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
        self._issue = self.red.register_script(_ISSUE_LUA)
        self._finish = self.red.register_script(_FINISH_LUA)
        # the lock as the issue script wrote it, for the ticket's first look
        self._issued: dict[tuple[str, int], bytes] = {}
        # a message's two scripts without holding the event loop
        # (``redis_client.py``), on the blocking client's settings; TLS stays
        # with the blocking client
        pool = self.red.connection_pool
        settings = pool.connection_kwargs
        self._async: AsyncRedis | None = (
            AsyncRedis(
                host=settings.get("host", "localhost"),
                port=settings.get("port", 6379),
                db=settings.get("db", 0),
                username=settings.get("username"),
                password=settings.get("password"),
                timeout=settings.get("socket_timeout"),
            )
            if pool.connection_class is redis.Connection
            else None
        )

    @contextlib.asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Rasa's ``lock``, its ticket issued and finished without blocking."""
        if self._async is None:
            async with super().lock(
                conversation_id, lock_lifetime, wait_time_in_seconds
            ) as lock:
                yield lock
            return
        try:
            number, issued = await self._async.run_script(
                _ISSUE_LUA,
                [self.key_prefix + conversation_id],
                self._issue_arguments(conversation_id, lock_lifetime),
                # her message given up (the client went) while the ticket
                # was being issued: finished when issued, so her next
                # message does not wait for it to expire
                abandoned=functools.partial(self._finish_abandoned, conversation_id),
            )
        except Exception as error:
            raise _acquiring_failed(error) from error
        ticket = int(number)
        self._issued[(conversation_id, ticket)] = issued
        try:
            yield await self._acquire_lock(
                conversation_id, ticket, wait_time_in_seconds
            )
        finally:
            self._issued.pop((conversation_id, ticket), None)
            await self._async.run_script(
                _FINISH_LUA,
                [self.key_prefix + conversation_id],
                self._finish_arguments(conversation_id, ticket),
            )

    def _finish_abandoned(self, conversation_id: str, issued: Any) -> None:
        """Finish the ticket of a message given up while it was being issued."""
        if self._async is None or not isinstance(issued, list) or not issued:
            return
        finishing = asyncio.get_running_loop().create_task(
            self._async.run_script(
                _FINISH_LUA,
                [self.key_prefix + conversation_id],
                self._finish_arguments(conversation_id, int(issued[0])),
            )
        )
        # a failure leaves the ticket to expire, as a server that died does
        finishing.add_done_callback(_ignore_outcome)

    def _issue_arguments(self, conversation_id: str, lock_lifetime: float) -> list[str]:
        return [
            conversation_id,
            repr(time.time()),
            repr(float(lock_lifetime)),
            repr(self.key_grace_seconds),
        ]

    def _finish_arguments(self, conversation_id: str, ticket_number: int) -> list[Any]:
        return [
            conversation_id,
            ticket_number,
            repr(time.time()),
            repr(self.key_grace_seconds),
        ]

    def _lifetime(self, lock: TicketLock) -> int:
        return key_lifetime_milliseconds(lock, self.key_grace_seconds)

    def save_lock(self, lock: TicketLock) -> None:
        """Write the lock with its expiry (Rasa's keeps it for ever)."""
        self.red.set(
            self.key_prefix + lock.conversation_id,
            lock.dumps(),
            px=self._lifetime(lock),
        )

    def issue_ticket(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        """A new ticket, issued by one atomic script."""
        try:
            number, lock = self._issue(
                keys=[self.key_prefix + conversation_id],
                args=self._issue_arguments(conversation_id, lock_lifetime),
            )
        except Exception as error:
            raise _acquiring_failed(error) from error
        self._issued[(conversation_id, int(number))] = lock
        return int(number)

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        """The lock the issue script wrote if it serves ``ticket``; else Rasa's wait."""
        issued = self._issued.pop((conversation_id, ticket), None)
        if issued:
            lock = TicketLock.from_dict(json.loads(issued))
            if not lock.is_locked(ticket):
                return lock
        return await super()._acquire_lock(
            conversation_id, ticket, wait_time_in_seconds
        )

    def _finish_ticket(self, conversation_id: str, ticket_number: int) -> None:
        self._finish(
            keys=[self.key_prefix + conversation_id],
            args=self._finish_arguments(conversation_id, ticket_number),
        )

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets, atomically."""
        self._finish_ticket(conversation_id, NO_TICKET)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket, atomically."""
        self._finish_ticket(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket, and the lock if nobody waits, atomically."""
        self._issued.pop((conversation_id, ticket_number), None)
        self._finish_ticket(conversation_id, ticket_number)


def _ignore_outcome(finished: asyncio.Future[Any]) -> None:
    if not finished.cancelled():
        finished.exception()  # read, so asyncio does not log it as lost


def _acquiring_failed(error: Exception) -> LockError:
    # the error's type only: its text may name the conversation (the key)
    return LockError(f"Error while acquiring lock ({error_kind(error)}).")


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


def lock_store_for(
    endpoint_config: EndpointConfig | None, environ: Mapping[str, str]
) -> LockStore:
    """``AtomicRedisLockStore`` when Redis is configured, else ``InMemoryLockStore``.

    Several Sanic workers without Redis are refused: in-memory locks would
    let two workers answer one conversation at once.
    """
    settings = redis_settings(endpoint_config, environ)
    if settings is None:
        if sanic_workers(environ) > 1:
            raise LockError(
                "SANIC_WORKERS > 1 needs shared locks: set REDIS_HOST "
                "(in-memory locks would let two workers answer one "
                "conversation at once)."
            )
        return InMemoryLockStore()
    return AtomicRedisLockStore(**settings)


class EnvironmentLockStore(LockStore):
    """The lock store endpoints.yml names: Redis when configured, else memory.

    Rasa creates a custom lock store as ``type(endpoint_config=...)`` and
    needs a class. This one chooses where the locks live when it is created
    (``lock_store_for``, from the environment) and hands every call of
    Rasa's ``LockStore`` interface to that store, ``backend``; a test checks
    that every method of the interface is handed on, so a method a Rasa
    upgrade adds cannot fall through to the base class unnoticed.
    """

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        """Choose the backend from ``endpoint_config`` and the environment."""
        self.backend = lock_store_for(endpoint_config, os.environ)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """The backend's lock for ``conversation_id``."""
        return self.backend.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        """Delete the lock in the backend."""
        self.backend.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        """Save the lock in the backend."""
        self.backend.save_lock(lock)

    def issue_ticket(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME
    ) -> int:
        """A ticket issued by the backend."""
        return self.backend.issue_ticket(conversation_id, lock_lifetime)

    def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AbstractAsyncContextManager[TicketLock]:
        """The backend's ``lock``: wait for the turn, hold it, give it back."""
        return self.backend.lock(conversation_id, lock_lifetime, wait_time_in_seconds)

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets in the backend."""
        self.backend.update_lock(conversation_id)

    def get_or_create_lock(self, conversation_id: str) -> TicketLock:
        """The backend's lock, created if there is none."""
        return self.backend.get_or_create_lock(conversation_id)

    def is_someone_waiting(self, conversation_id: str) -> bool:
        """Whether a ticket waits in the backend."""
        return self.backend.is_someone_waiting(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket in the backend."""
        self.backend.finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket, and the lock if nobody waits, in the backend."""
        self.backend.cleanup(conversation_id, ticket_number)
