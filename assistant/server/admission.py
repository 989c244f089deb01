"""Messages are worked on a few at a time, in the order they arrive.

Rasa's server starts work on every message the moment it arrives, and a
message that waits on the action server lets the others run. Under load each
message's work is therefore interleaved with that of every other message in
flight, and the replies that call the action server (the referral form's)
queue behind all the others again after every call. Measured with the bench
conversation at ten closed-loop conversations on 2 cores: p95 284 ms with no
limit, 157 ms with two messages at a time, at the same replies per second.

``Admission`` lets at most ``limit`` messages be processed at once, first
come first served (``MAX_CONCURRENT_MESSAGES``, default 2, 0 = no limit;
``server_settings.py``). A message waits for its place after it holds its
conversation's lock (so a place is never held by a message that waits for
another's lock). One that waits longer than ``patience`` seconds for
something outside the process (a slow action server, a callback receiver
or messaging platform slow to take a reply) gives its place up meanwhile and
queues for it again after, so a slow action server or receiver delays only
its own conversation, not everyone's.

The queue is bounded: a message that arrives while ``max_waiting`` others
already wait for a place is refused at once with ``AdmissionFull`` (before
anything of it is stored; the REST channel answers HTTP 503 with
``Retry-After``), instead of one client's flood holding every other
conversation back behind an endless queue. The bound is
``MAX_QUEUED_MESSAGES`` (``server_settings.py``). A message gets in line, then
lets the event loop turn once before it takes a place, so that every message
that has arrived is counted: Rasa's work on a plain message never yields. A
message already at work that queues again after a slow outside wait is never
refused. The REST channel answers the refusal itself (``raise_when_full``); on
every other channel she gets ``BUSY_TEXT``, in both languages.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.processor import MessageProcessor

DEFAULT_PATIENCE_SECONDS = 0.1

BUSY_TEXT = (
    "Beklager, jeg har for travlt lige nu. Send beskeden igen om lidt. / "
    "Sorry, I am too busy right now. Please send the message again in a moment."
)

T = TypeVar("T")


class AdmissionFull(Exception):
    """Too many messages wait for a place already: this one is not taken."""


class _Place:
    """Whether the message in this context holds its place right now."""

    __slots__ = ("held",)

    def __init__(self) -> None:
        self.held = True


class Admission:
    """At most ``limit`` holders at once, served in arrival order.

    The places are a ``BoundedSemaphore``, and each message records whether it
    holds its place at this moment, so a place is given back exactly once
    whatever is cancelled when: a message cancelled while it queues to get
    its place back (after a slow outside wait) holds none, and gives none
    back. Releasing more than the limit would raise, not silently let one
    more message in.
    """

    def __init__(
        self, limit: int, patience: float, max_waiting: int | None = None
    ) -> None:
        """``limit`` places; waits over ``patience`` seconds give a place up.

        ``max_waiting``: how many new messages may wait for a place (None: any).
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        self.limit = limit
        self.patience = patience
        self.max_waiting = max_waiting
        self.waiting = 0
        self._semaphore = asyncio.BoundedSemaphore(limit)
        self._place: ContextVar[_Place | None] = ContextVar("place", default=None)

    def check_room(self) -> None:
        """``AdmissionFull`` if a new message would not be taken now."""
        # of those in line, all but the free places' worth will wait
        if (
            self.max_waiting is not None
            and self.waiting - self.free_places >= self.max_waiting
        ):
            raise AdmissionFull(f"{self.waiting} messages wait for a place")

    @contextlib.asynccontextmanager
    async def place(self) -> AsyncIterator[None]:
        """Hold one of the places for the duration of the block.

        ``AdmissionFull`` if ``max_waiting`` messages wait already and no
        place is free.
        """
        self.check_room()
        self.waiting += 1
        try:
            # in line first, then one turn of the event loop: the messages that
            # arrived with this one get in line too. Rasa's work on a message
            # that calls nothing outside never yields (its tracker store and
            # lock store calls are synchronous), so without this turn each
            # message would run to its end before the next one is even
            # counted, and no flood would ever fill the queue
            await asyncio.sleep(0)
            await self._semaphore.acquire()
        finally:
            self.waiting -= 1
        place = _Place()
        token = self._place.set(place)
        try:
            yield
        finally:
            self._place.reset(token)
            if place.held:
                place.held = False
                self._semaphore.release()

    async def outside_wait(self, awaitable: Awaitable[T]) -> T:
        """Await something outside the process without blocking the others.

        If it is not done within ``patience`` seconds, the place is given up
        until it is, then queued for again. Cancelled at any point, the
        awaitable is cancelled too and the place is accounted for exactly.
        """
        place = self._place.get()
        if place is None or not place.held:
            return await awaitable
        task = asyncio.ensure_future(awaitable)
        try:
            done, _ = await asyncio.wait({task}, timeout=self.patience)
        except asyncio.CancelledError:
            task.cancel()
            raise
        if done:
            return task.result()
        place.held = False
        self._semaphore.release()
        try:
            return await task
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            # if this is cancelled, the place stays given up (held is False)
            await self._semaphore.acquire()
            place.held = True

    @property
    def free_places(self) -> int:
        """How many places nobody holds right now."""
        return self._semaphore._value


_admission: Admission | None = None


def start(
    limit: int,
    patience: float = DEFAULT_PATIENCE_SECONDS,
    max_waiting: int | None = None,
) -> Admission | None:
    """Make this process's ``Admission`` (once); None when ``limit`` is 0 (none).

    ``None`` also when it was made before: the caller then has nothing more
    to install (``assistant/server/rasa_patches.py``).
    """
    global _admission
    if limit < 1 or _admission is not None:
        return None
    _admission = Admission(limit, patience, max_waiting)
    return _admission


HandleMessage = Callable[..., Awaitable[Any]]

# set by a channel that answers a full queue itself (REST: HTTP 503)
_raise_when_full: ContextVar[bool] = ContextVar("raise_when_full", default=False)


def raise_when_full() -> None:
    """In this request, a full queue raises ``AdmissionFull`` (no busy reply)."""
    _raise_when_full.set(True)


def admitting(handle: HandleMessage, admission: Admission) -> HandleMessage:
    """``MessageProcessor.handle_message`` run only while holding a place.

    Each message's output channel is made to send through ``outside_wait``
    first (``sends_outside``).
    """

    @functools.wraps(handle)
    async def handle_when_admitted(self: MessageProcessor, message: Any) -> Any:
        sends_outside(message.output_channel)
        if not _raise_when_full.get() and message.output_channel is not None:
            try:
                admission.check_room()
            except AdmissionFull:
                await message.output_channel.send_text_message(
                    message.sender_id, BUSY_TEXT
                )
                return None
        async with admission.place():
            return await handle(self, message)

    return handle_when_admitted


def replies_leave_the_process(channel: Any) -> bool:
    """True if sending a reply on ``channel`` may wait on another server.

    Rasa's plain ``CollectingOutputChannel`` and the project's channels that
    say ``REPLIES_STAY_IN_PROCESS`` (REST, the widget, and the messaging
    platforms, which collect a turn's replies and send them to the platform
    afterwards: ``messaging/conversation.py``) only collect replies in
    memory; every other channel (callback, socket.io) sends each one over
    the network as it is made. Not
    ``isinstance``: Rasa's ``CallbackOutput`` is a ``CollectingOutputChannel``
    that POSTs every reply.
    """
    if channel is None or type(channel) is CollectingOutputChannel:
        return False
    return not getattr(type(channel), "REPLIES_STAY_IN_PROCESS", False)


def sends_outside(
    channel: Any, wait: Callable[[Awaitable[Any]], Awaitable[Any]] | None = None
) -> None:
    """Make ``channel`` send its replies through ``wait`` (``outside_wait``).

    The callback channel POSTs each reply inside the message's work, with a
    300 s timeout: a receiver that never answers would hold a place all that
    time, and two of them every place. Wrapped, a slow send gives its place up
    like a slow action server does, and delays only its own conversation.
    The channel object itself is kept (only its bound ``send_response`` is
    replaced on this instance), so Rasa's ``isinstance`` checks still hold.
    """
    if not replies_leave_the_process(channel) or getattr(
        channel.send_response, "__outside__", False
    ):
        return
    send = channel.send_response
    wait_outside = wait or outside_wait

    async def send_response_outside(*args: Any, **kwargs: Any) -> None:
        await wait_outside(send(*args, **kwargs))

    send_response_outside.__outside__ = True  # type: ignore[attr-defined]
    channel.send_response = send_response_outside


def outside_wait(awaitable: Awaitable[T]) -> Awaitable[T]:
    """``Admission.outside_wait`` if admission is installed, else the awaitable."""
    if _admission is None:
        return awaitable
    return _admission.outside_wait(awaitable)
