"""The action server's endpoint, its HTTP connections kept open and reused.

Rasa's ``EndpointConfig.request`` opens a new ``aiohttp`` session, and so a
new TCP connection, for every custom action call and closes it after the
answer: on loopback 1.0-1.4 ms a call, against 0.6-0.7 ms on a kept
connection (400 calls each, ``make bench`` has the end-to-end figures).
``KeptConnectionEndpoint`` is the same endpoint (URL, headers with the
shared secret, token, TLS file) whose calls share one session per event
loop, so a connection is reused as long as it is alive.

A kept connection is closed by this side after ``IDLE_SECONDS`` without a
call, before the action server's own idle limit (Sanic's
``KEEP_ALIVE_TIMEOUT``, 5 s), so a call never goes out on a connection the
server is closing. Should the server close it anyway (a restart), the call
is sent once more on a new connection: an action call changes nothing on the
action server, which keeps no state, so sending it twice is safe.

The call's JSON (the tracker, and the domain for the actions that read it:
about 115 KB for the form's validation) is written by ujson, 0.41 ms against
the standard library's 0.93 ms; anything ujson cannot write (a lone
surrogate, an integer beyond 64 bits) is written by the standard library, so
the body is the same JSON either way.

A plain ``http://`` call (the shipped setups: the action server on
loopback or beside the Rasa server) goes out on the project's own HTTP/1.1
client instead of aiohttp's (``assistant/server/action_http.py``: a call
about 200 -> 100 us of the Rasa server's CPU); ``https://``, a CA file or
compression keep aiohttp's.

Installed by the safety net (``assistant/server/action_safety_net.py``), which
wraps every custom action call.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import ujson
from rasa.utils.endpoints import EndpointConfig, concat_url

from assistant.server import action_http

IDLE_SECONDS = 2.0
TOTAL_TIMEOUT_SECONDS = (
    300  # Rasa's DEFAULT_REQUEST_TIMEOUT; the safety net's is shorter
)

_sessions: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, aiohttp.ClientSession
] = weakref.WeakKeyDictionary()


def call_json(value: Any) -> str:
    """``value`` as JSON: ujson's, or the standard library's where ujson fails."""
    try:
        return str(ujson.dumps(value))
    except (TypeError, ValueError, OverflowError, UnicodeEncodeError):
        return json.dumps(value)


def shared_session() -> aiohttp.ClientSession:
    """The running event loop's session for action calls (made on first use)."""
    loop = asyncio.get_running_loop()
    session = _sessions.get(loop)
    if session is None or session.closed:
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS),
            timeout=aiohttp.ClientTimeout(total=TOTAL_TIMEOUT_SECONDS),
            json_serialize=call_json,
        )
        _sessions[loop] = session
    return session


async def close_shared_session() -> None:
    """Close the running loop's kept connections (a test's loop ends)."""
    await action_http.close_idle_connections()
    session = _sessions.pop(asyncio.get_running_loop(), None)
    if session is not None:
        await session.close()


class KeptConnectionEndpoint(EndpointConfig):
    """An ``EndpointConfig`` whose requests share the loop's kept connections."""

    @classmethod
    def of(cls, endpoint: EndpointConfig) -> KeptConnectionEndpoint:
        """The same endpoint: URL, parameters, headers, credentials, settings."""
        if isinstance(endpoint, cls):
            return endpoint
        kept = cls(
            endpoint.url,
            endpoint.params,
            endpoint.headers,
            endpoint.basic_auth,
            endpoint.token,
            endpoint.token_name,
            endpoint.cafile,
            **endpoint.kwargs,
        )
        kept.type = endpoint.type
        return kept

    @asynccontextmanager
    async def _kept_session(self) -> AsyncIterator[aiohttp.ClientSession]:
        yield shared_session()  # not closed on leaving: the next call reuses it

    def session(self) -> Any:
        """The loop's shared session, as Rasa's ``request`` uses it.

        Rasa writes ``async with self.session() as session``; leaving that
        block leaves the session open. Headers and credentials are sent with
        each request (``request`` below), not set on the shared session.
        """
        return self._kept_session()

    async def request(
        self,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Rasa's ``request`` on a kept connection; once more if it was closed.

        A plain ``http://`` call goes out on the project's own HTTP/1.1
        client (``assistant/server/action_http.py``), anything else through
        aiohttp's.
        """
        if self.basic_auth:
            kwargs.setdefault(
                "auth",
                aiohttp.BasicAuth(
                    self.basic_auth["username"], self.basic_auth["password"]
                ),
            )
        url = concat_url(self.url, subpath)
        if action_http.can_post(url, self.cafile, compress, kwargs):
            return await self._post_directly(url, content_type, dict(kwargs))
        try:
            return await super().request(
                method, subpath, content_type, compress, **dict(kwargs)
            )
        except aiohttp.ServerDisconnectedError:
            # the server closed the connection as the call went out (restart)
            return await super().request(
                method, subpath, content_type, compress, **dict(kwargs)
            )

    async def _post_directly(
        self, url: str, content_type: str | None, kwargs: dict[str, Any]
    ) -> Any:
        """The call on the project's HTTP/1.1 client, as Rasa's request sends it."""
        headers: dict[str, str] = {}
        if content_type:
            headers["Content-Type"] = content_type
        headers.update(kwargs.pop("headers", None) or {})
        headers.update(self.headers or {})
        auth = kwargs.pop("auth", None)
        if auth is not None:
            headers["Authorization"] = auth.encode()
        url = action_http.url_with_parameters(url, self.combine_parameters(kwargs))
        if "json" in kwargs:
            body = call_json(kwargs["json"]).encode("utf-8")
        else:
            data = kwargs.get("data") or b""
            body = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        timeout = kwargs.get("timeout")
        seconds = (
            timeout.total if isinstance(timeout, aiohttp.ClientTimeout) else timeout
        )
        call = action_http.post(url, headers, body)
        if seconds:
            return await asyncio.wait_for(call, float(seconds))
        return await call
