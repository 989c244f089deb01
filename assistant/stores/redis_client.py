"""The lock's two Redis commands of every message, without holding the event loop.

Every message takes its conversation's lock and gives it back: two Lua
scripts run by Redis (``assistant/stores/lock_store.py``). Through redis-py's
blocking client the Rasa server's event loop waited for each round trip, and
no other conversation was served meanwhile: under ten conversations on the
cluster, a tenth of the loop's time (py-spy) once PostgreSQL's statements no
longer blocked it. redis-py's asyncio client was measured before and gave
nothing measurable (a pool, a lock and a stream reader around every
command).

``AsyncRedis`` is the little that the lock needs: one connection per event
loop, on which every command is written at once and the replies are matched
to them in order (Redis answers a connection's commands in the order sent),
so concurrent messages share it without a pool or a lock; a reply is parsed
by ``parse_reply`` from the bytes received. The connection is opened on first
use with the blocking client's settings (host, port, username and password,
database, the socket timeout); a lost connection fails the commands waiting
on it with redis-py's ``ConnectionError``, and the next command opens a new
one. A command given up (its message cancelled, or no reply within the socket
timeout) keeps its place in line, so its late reply is read and dropped, never
taken for another command's; a timeout fails with redis-py's ``TimeoutError``
and, as redis-py does, closes the connection (the next command connects
anew, in case the old connection is what hangs). Errors are redis-py's
types, so the lock's message names them as before.

TLS (``use_ssl``) stays with redis-py's blocking client.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from redis import exceptions

Reply = Any  # bytes, int, None, a list of replies, or a ResponseError

CRLF = b"\r\n"


class Incomplete(Exception):
    """The bytes so far end inside a reply."""


def encode_command(arguments: Sequence[Any]) -> bytes:
    """A command as Redis reads it: an array of bulk strings."""
    parts = [b"*%d\r\n" % len(arguments)]
    for argument in arguments:
        if isinstance(argument, bytes):
            data = argument
        elif isinstance(argument, str):
            data = argument.encode()
        elif isinstance(argument, (int, float)) and not isinstance(argument, bool):
            data = repr(argument).encode()
        else:
            raise TypeError(
                "a Redis argument is bytes, str, int or float, "
                f"not {type(argument).__name__}"
            )
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def parse_reply(data: bytes | bytearray, start: int = 0) -> tuple[Reply, int]:
    """The reply at ``start`` in ``data``, and where it ends (``Incomplete``: not yet).

    RESP2: simple strings (as bytes), errors (as ``ResponseError``, returned,
    not raised), integers, bulk strings, arrays (nested), nil bulk strings and
    arrays (None).
    """
    line_end = data.find(CRLF, start)
    if line_end < 0:
        raise Incomplete
    kind = data[start : start + 1]
    line = bytes(data[start + 1 : line_end])
    after = line_end + 2
    if kind == b"+":
        return line, after
    if kind == b"-":
        return exceptions.ResponseError(line.decode(errors="replace")), after
    if kind == b":":
        return int(line), after
    if kind == b"$":
        length = int(line)
        if length < 0:
            return None, after
        end = after + length
        if len(data) < end + 2:
            raise Incomplete
        if data[end : end + 2] != CRLF:
            raise exceptions.InvalidResponse("a bulk string is not followed by CRLF")
        return bytes(data[after:end]), end + 2
    if kind == b"*":
        count = int(line)
        if count < 0:
            return None, after
        items = []
        for _ in range(count):
            item, after = parse_reply(data, after)
            items.append(item)
        return items, after
    raise exceptions.InvalidResponse(f"unknown reply type {kind!r}")


def _late_reply(
    abandoned: Callable[[Reply], None] | None, answered: asyncio.Future[Reply]
) -> None:
    """Hand a given-up command's reply to ``abandoned`` (if it is one)."""
    if answered.cancelled() or answered.exception() is not None:
        return  # the connection went: nothing was answered
    reply = answered.result()
    if abandoned is not None and not isinstance(reply, exceptions.ResponseError):
        abandoned(reply)


class _Connection(asyncio.Protocol):
    """One connection: commands written in order, replies matched in order."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.waiting: collections.deque[asyncio.Future[Reply]] = collections.deque()
        self.received = bytearray()
        self.lost: Exception | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # not an asyncio.Transport subclass on uvloop (Sanic's loop): not checked
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.received += data
        start = 0
        try:
            while self.waiting and start < len(self.received):
                reply, start = parse_reply(self.received, start)
                future = self.waiting.popleft()
                if not future.done():
                    future.set_result(reply)
        except Incomplete:
            pass
        except exceptions.InvalidResponse as error:
            self.close(
                exceptions.ConnectionError(f"Redis sent what is not RESP ({error})")
            )
            return
        del self.received[:start]

    def connection_lost(self, error: Exception | None) -> None:
        self.close(exceptions.ConnectionError("Connection closed by server."))

    def close(self, why: Exception) -> None:
        """Close, failing every command still waiting with ``why``."""
        if self.lost is None:
            self.lost = why
        # on a loop that has ended (a connection of an earlier loop: a test,
        # a second `asyncio.run`), closing schedules what the loop cannot run
        with contextlib.suppress(RuntimeError):
            if self.transport is not None:
                self.transport.close()
            while self.waiting:
                future = self.waiting.popleft()
                if not future.done():
                    future.set_exception(self.lost)

    def send(self, command: bytes) -> asyncio.Future[Reply]:
        assert self.transport is not None
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        if self.lost is not None:
            future.set_exception(self.lost)
            return future
        self.waiting.append(future)
        self.transport.write(command)
        return future


class AsyncRedis:
    """The commands of one event loop on one pipelined connection to Redis."""

    def __init__(
        self,
        host: str = "localhost",
        port: int = 6379,
        db: int = 0,
        username: str | None = None,
        password: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Redis at ``host``:``port``; ``timeout``: seconds to connect or to reply."""
        self.host, self.port, self.db = host, int(port), int(db)
        self.username, self.password = username, password
        self.timeout = timeout
        self._connection: _Connection | None = None
        self._opening: asyncio.Future[_Connection] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._shas: dict[str, str] = {}  # script -> its SHA1

    async def call(
        self, *arguments: Any, abandoned: Callable[[Reply], None] | None = None
    ) -> Reply:
        """Send one command; its reply, or redis-py's exception for an error reply.

        ``abandoned``: called with the reply if it comes after the command was
        given up (cancelled), for a command whose effect must be undone.
        """
        connection = await self._connected()
        waiting = connection.send(encode_command(arguments))
        reply = await self._reply(connection, waiting, abandoned)
        if isinstance(reply, exceptions.ResponseError):
            raise reply
        return reply

    async def run_script(
        self,
        script: str,
        keys: Sequence[Any],
        arguments: Sequence[Any],
        abandoned: Callable[[Reply], None] | None = None,
    ) -> Reply:
        """Run a Lua script by its SHA1, sent whole after ``NOSCRIPT`` (as redis-py)."""
        sha = self._shas.get(script)
        if sha is None:
            sha = self._shas[script] = hashlib.sha1(script.encode()).hexdigest()
        try:
            return await self.call(
                "EVALSHA", sha, len(keys), *keys, *arguments, abandoned=abandoned
            )
        except exceptions.ResponseError as error:
            if not str(error).startswith("NOSCRIPT"):
                raise
        return await self.call(
            "EVAL", script, len(keys), *keys, *arguments, abandoned=abandoned
        )

    async def _reply(
        self,
        connection: _Connection,
        waiting: asyncio.Future[Reply],
        abandoned: Callable[[Reply], None] | None,
    ) -> Reply:
        """The reply, within the timeout.

        A command given up (its task cancelled, or the timeout) stays in line:
        its reply is still read when it comes, and dropped, or given to
        ``abandoned`` if the task was cancelled.
        """
        try:
            if abandoned is None:
                return await asyncio.wait_for(waiting, self.timeout)
            return await asyncio.wait_for(asyncio.shield(waiting), self.timeout)
        except asyncio.TimeoutError:
            pass
        except asyncio.CancelledError:
            if abandoned is not None:
                waiting.add_done_callback(functools.partial(_late_reply, abandoned))
            raise
        if abandoned is not None:  # its failure below is nobody's to read
            waiting.add_done_callback(functools.partial(_late_reply, None))
        # Redis is stuck or the network is: the connection goes with it (raised
        # here, not in the except: the error's kind is redis-py's alone)
        connection.close(exceptions.TimeoutError("Timeout reading from socket"))
        raise exceptions.TimeoutError("Timeout reading from socket")

    async def _connected(self) -> _Connection:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # another loop's connection is of no use here
            self.close()
            self._loop = loop
        connection = self._connection
        if connection is not None and connection.lost is None:
            return connection
        if self._opening is None:
            self._opening = loop.create_task(self._open())
        opening = self._opening
        try:
            connection = await asyncio.shield(opening)
        finally:
            if self._opening is opening and opening.done():
                self._opening = None
        self._connection = connection
        return connection

    async def _open(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(_Connection, self.host, self.port), self.timeout
            )
        except asyncio.TimeoutError:
            connection = None
        except OSError as error:
            raise exceptions.ConnectionError(
                f"Error {error.errno} connecting to {self.host}:{self.port}. "
                f"{error.strerror}."
            ) from error
        if connection is None:
            raise exceptions.TimeoutError("Timeout connecting to server")
        greeting: list[list[Any]] = []
        if self.password:  # as redis-py: an empty password is none
            credentials = (
                [self.username, self.password] if self.username else [self.password]
            )
            greeting.append(["AUTH", *credentials])
        if self.db:
            greeting.append(["SELECT", self.db])
        try:
            for command in greeting:
                reply = await self._reply(
                    connection, connection.send(encode_command(command)), None
                )
                if isinstance(reply, exceptions.ResponseError):
                    raise (
                        exceptions.AuthenticationError(str(reply))
                        if command[0] == "AUTH"
                        else reply
                    )
        except BaseException:
            connection.close(exceptions.ConnectionError("Connection closed"))
            raise
        return connection

    def close(self) -> None:
        """Close the connection (commands waiting on it fail)."""
        if self._connection is not None:
            self._connection.close(exceptions.ConnectionError("Connection closed"))
            self._connection = None
        self._opening = None
