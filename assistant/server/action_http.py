"""Custom action calls over plain HTTP/1.1 on kept connections, without aiohttp.

A custom action call is one POST of JSON to the action server and one JSON
answer. aiohttp's client wraps each in a request object, a response object,
timers, a cookie jar and its connector: measured with the project's action
server on loopback (600 calls of a 1.5 KB call, CPU of the calling process),
290-320 us a call against 90-105 us for the same bytes written and read on
an asyncio stream, and under ten conversations the calls' aiohttp machinery
was about 6 % of the Rasa server's CPU (py-spy).

``post`` sends a call as Rasa's ``EndpointConfig.request`` would (its
headers, the endpoint's parameters such as the token, basic auth) and
answers as it does: the parsed JSON (None when the answer is not JSON),
``rasa.utils.endpoints.ClientResponseError`` for a status of 400 or more (so
Rasa turns a 400 into the action's rejection), and aiohttp's own connection
errors when the action server cannot be reached or hangs up, so Rasa's
handling of a failed call is unchanged.

Connections are kept per event loop and address, one per call in flight,
and closed by this side after ``IDLE_SECONDS`` without a call (before the
action server's own keep-alive limit, Sanic's 5 s). A call that finds a kept
connection closed by the server before any answer came back is sent once
more on a new connection: an action call changes nothing on the action
server, which keeps no state. A call cancelled half way (the safety net's
time limit) or failed half way closes its connection, so no later call reads
the rest of an old answer.

Only plain ``http://`` endpoints without a CA file, uncompressed, take this
way (``can_post``); anything else goes through aiohttp
(``assistant/server/action_connection.py``).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
from rasa.utils.endpoints import ClientResponseError

IDLE_SECONDS = 2.0
# an answer's status line and headers; its body up to this size
MAX_HEADER_LINE_BYTES = 16_384
MAX_BODY_BYTES = 64 * 1024 * 1024
# what aiohttp's response.json() accepts as JSON (application/json, +json)
_JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+?\+)?json", re.IGNORECASE)
_UNSAFE_IN_HEADER = re.compile(r"[\r\n\x00]")


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    last_used: float = field(default_factory=time.monotonic)
    used: bool = False  # has carried a call before (may have been closed since)

    def close(self) -> None:
        try:
            self.writer.close()
        except Exception:  # closing a broken socket
            pass


@dataclass
class _Answer:
    status: int
    reason: str
    content_type: str
    body: bytes
    keep_alive: bool


class _ClosedBeforeAnswer(Exception):
    """A kept connection the server had closed: nothing of an answer came."""


_idle: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[str, int], list[_Connection]]
] = weakref.WeakKeyDictionary()


def can_post(
    url: str, cafile: str | None, compress: bool, kwargs: Mapping[str, Any]
) -> bool:
    """Whether ``post`` takes this call (else aiohttp's client does)."""
    return (
        urlsplit(url).scheme == "http"
        and not cafile
        and not compress
        and set(kwargs) <= {"json", "data", "timeout", "params", "auth"}
    )


def request_head(
    method: str, url: str, headers: Mapping[str, str], body_length: int
) -> bytes:
    """The request line and headers of a call (``ValueError`` if unsafe)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname or ""
    port = parts.port
    lines = [
        f"{method.upper()} {target} HTTP/1.1",
        f"Host: {host}" + (f":{port}" if port and port != 80 else ""),
        "Accept: */*",
        *(f"{name}: {value}" for name, value in headers.items()),
        f"Content-Length: {body_length}",
    ]
    if any(_UNSAFE_IN_HEADER.search(line) for line in lines):
        raise ValueError("a header of the call holds a line break")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def url_with_parameters(url: str, parameters: Mapping[str, Any]) -> str:
    """``url`` with the parameters added to its query (as aiohttp adds them)."""
    if not parameters:
        return url
    query = urlencode([(str(k), str(v)) for k, v in parameters.items()])
    return f"{url}{'&' if urlsplit(url).query else '?'}{query}"


def answer_json(answer: _Answer) -> Any:
    """The answer as Rasa's request returns it: JSON, or None if not JSON."""
    if not _JSON_TYPE.match(answer.content_type):
        return None
    return json.loads(answer.body) if answer.body else None


async def post(
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    method: str = "post",
) -> Any:
    """Send the call on a kept connection; Rasa's answer (see the module)."""
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    head = request_head(method, url, headers, len(body))
    connection = await _take(address)
    try:
        try:
            answer = await _exchange(connection, head, body)
        except _ClosedBeforeAnswer:
            connection.close()
            connection = await _open(address)  # once more, on a new connection
            answer = await _exchange(connection, head, body)
    except BaseException:
        connection.close()  # failed or cancelled half way: never reused
        raise
    if answer.keep_alive:
        _give_back(address, connection)
    else:
        connection.close()
    if answer.status >= 400:
        raise ClientResponseError(answer.status, answer.reason, answer.body)
    return answer_json(answer)


async def _take(address: tuple[str, int]) -> _Connection:
    """An idle kept connection to ``address``, else a new one."""
    idle = _idle.setdefault(asyncio.get_running_loop(), {}).get(address) or []
    now = time.monotonic()
    while idle:
        connection = idle.pop()
        if now - connection.last_used < IDLE_SECONDS and not connection.reader.at_eof():
            return connection
        connection.close()
    return await _open(address)


async def _open(address: tuple[str, int]) -> _Connection:
    host, port = address
    try:
        reader, writer = await asyncio.open_connection(
            host, port, limit=MAX_HEADER_LINE_BYTES
        )
    except OSError as error:
        raise aiohttp.ClientConnectionError(
            f"Cannot connect to the action server at {host}:{port}: {error}"
        ) from error
    return _Connection(reader, writer)


def _give_back(address: tuple[str, int], connection: _Connection) -> None:
    connection.last_used = time.monotonic()
    connection.used = True
    _idle.setdefault(asyncio.get_running_loop(), {}).setdefault(address, []).append(
        connection
    )


async def close_idle_connections() -> None:
    """Close the running loop's kept connections (a test's loop ends)."""
    for connections in _idle.pop(asyncio.get_running_loop(), {}).values():
        for connection in connections:
            connection.close()


async def _exchange(connection: _Connection, head: bytes, body: bytes) -> _Answer:
    """Write the call, read the answer."""
    reused = connection.used
    try:
        connection.writer.write(head + body)
        await connection.writer.drain()
        status_line = await connection.reader.readline()
    except (ConnectionError, OSError) as error:
        if reused:
            raise _ClosedBeforeAnswer from error
        raise aiohttp.ServerDisconnectedError() from error
    if not status_line:
        if reused:
            raise _ClosedBeforeAnswer
        raise aiohttp.ServerDisconnectedError()
    try:
        return await _read_answer(connection.reader, status_line)
    except (asyncio.IncompleteReadError, ConnectionError, OSError) as error:
        raise aiohttp.ServerDisconnectedError() from error
    except (ValueError, asyncio.LimitOverrunError) as error:
        raise aiohttp.ClientPayloadError(
            f"The action server's answer is not HTTP/1.1: {error}"
        ) from error


async def _read_answer(reader: asyncio.StreamReader, status_line: bytes) -> _Answer:
    version, _, rest = status_line.decode("latin-1").strip().partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/1.") or not code.isdigit():
        raise ValueError(f"status line {status_line[:80]!r}")
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n"):
            break
        if not line:
            raise asyncio.IncompleteReadError(b"", None)
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon:
            raise ValueError(f"header line {line[:80]!r}")
        headers[name.strip().lower()] = value.strip()
    connection_header = headers.get("connection", "").lower()
    keep_alive = (
        "close" not in connection_header
        if version == "HTTP/1.1"
        else "keep-alive" in connection_header
    )
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    elif "content-length" in headers:
        length = int(headers["content-length"])
        if not 0 <= length <= MAX_BODY_BYTES:
            raise ValueError(f"content length {length}")
        body = await reader.readexactly(length)
    else:  # the body ends with the connection
        body = await reader.read(MAX_BODY_BYTES)
        keep_alive = False
    return _Answer(int(code), reason, headers.get("content-type", ""), body, keep_alive)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        line = await reader.readline()
        length = int(line.split(b";", 1)[0].strip() or b"x", 16)
        if length == 0:
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(chunks)
        size += length
        if size > MAX_BODY_BYTES:
            raise ValueError("chunked body too large")
        chunks.append(await reader.readexactly(length))
        await reader.readexactly(2)  # the chunk's CRLF
