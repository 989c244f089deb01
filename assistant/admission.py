"""Messages are worked on a few at a time, in the order they arrive.

Rasa's server starts work on every message the moment it arrives, and a
message that waits on the action server lets the others run. Under load each
message's work is therefore interleaved with that of every other message in
flight, and the replies that call the action server (the referral form's)
queue behind all the others again after every call. Measured with the bench
conversation at ten closed-loop conversations on 2 cores: p95 284 ms with no
limit, 157 ms with two messages at a time, at the same replies per second.

``Admission`` lets at most ``limit`` messages be processed at once, first
come first served. A message waits for its place after it holds its
conversation's lock (so a place is never held by a message that waits for
another's lock). One that waits longer than ``patience`` seconds for
something outside the process (a slow action server) gives its place up
meanwhile and queues for it again after, so a slow action server delays only
its own conversation, not everyone's.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
from collections.abc import AsyncIterator, Awaitable
from contextvars import ContextVar
from typing import Any, TypeVar

from rasa.core.processor import MessageProcessor

LIMIT_ENVIRONMENT_VARIABLE = "MAX_CONCURRENT_MESSAGES"
DEFAULT_LIMIT = 2
DEFAULT_PATIENCE_SECONDS = 0.1

T = TypeVar("T")


class Admission:
    """At most ``limit`` holders at once, served in arrival order."""

    def __init__(self, limit: int, patience: float) -> None:
        """``limit`` places; waits over ``patience`` seconds give a place up."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        self.limit = limit
        self.patience = patience
        self._semaphore = asyncio.Semaphore(limit)
        self._holder: ContextVar[bool] = ContextVar("holds_place", default=False)

    @contextlib.asynccontextmanager
    async def place(self) -> AsyncIterator[None]:
        """Hold one of the places for the duration of the block."""
        async with self._semaphore:
            token = self._holder.set(True)
            try:
                yield
            finally:
                self._holder.reset(token)

    async def outside_wait(self, awaitable: Awaitable[T]) -> T:
        """Await something outside the process without blocking the others.

        If it is not done within ``patience`` seconds, the place is given up
        until it is, then queued for again.
        """
        if not self._holder.get():
            return await awaitable
        task = asyncio.ensure_future(awaitable)
        done, _ = await asyncio.wait({task}, timeout=self.patience)
        if done:
            return task.result()
        self._semaphore.release()
        try:
            return await task
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            await self._semaphore.acquire()

    @property
    def free_places(self) -> int:
        """How many places nobody holds right now."""
        return self._semaphore._value


_admission: Admission | None = None


def configured_limit(config: dict[str, Any]) -> int:
    """The limit: the environment variable, else the config, else 2; 0 is none."""
    value = os.environ.get(LIMIT_ENVIRONMENT_VARIABLE) or config.get(
        "max_concurrent_messages"
    )
    try:
        return max(0, int(value)) if value is not None else DEFAULT_LIMIT
    except ValueError:
        return DEFAULT_LIMIT


def install(limit: int, patience: float = DEFAULT_PATIENCE_SECONDS) -> None:
    """Admit messages through ``Admission`` (once per process; 0 = no limit)."""
    global _admission
    if limit < 1 or _admission is not None:
        return
    admission = Admission(limit, patience)
    _admission = admission
    handle = MessageProcessor.handle_message

    @functools.wraps(handle)
    async def handle_when_admitted(self: MessageProcessor, message: Any) -> Any:
        async with admission.place():
            return await handle(self, message)

    MessageProcessor.handle_message = handle_when_admitted


def outside_wait(awaitable: Awaitable[T]) -> Awaitable[T]:
    """``Admission.outside_wait`` if admission is installed, else the awaitable."""
    if _admission is None:
        return awaitable
    return _admission.outside_wait(awaitable)
