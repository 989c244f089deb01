"""Telegram's, Meta's and Slack's APIs on 127.0.0.1, recording what the bot sends.

One small aiohttp server, in a thread of the test process, that answers the
calls the channels make as the real APIs answer them, and keeps each call so
a test can assert what she would see:

- Telegram Bot API at ``telegram_api_url``: ``/bot<token>/sendMessage``,
  ``answerCallbackQuery``, ``setWebhook`` (form or JSON fields, a
  ``reply_markup`` read back from its JSON);
- Graph API at ``graph_api_url``: ``me/messages`` (JSON; the page token from
  ``access_token``);
- Slack Web API at ``slack_api_url``: ``chat.postMessage`` (JSON; the bot
  token from ``Authorization: Bearer``).

The channels are pointed at it by their ``*_API_URL`` variables
(credentials.yml), never by patching.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from harness.servers import free_port

GRAPH_VERSION = "v19.0"


@dataclass
class Call:
    """One call the bot made to a platform's API."""

    platform: str  # "telegram", "messenger" or "slack"
    method: str  # e.g. "sendMessage", "me/messages", "chat.postMessage"
    fields: dict[str, Any]
    token: str  # the bot token or page token it was made with


@dataclass
class FakePlatforms:
    """The three APIs on one loopback port, with the calls they received."""

    port: int = field(default_factory=free_port)
    calls: list[Call] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        """Where it listens."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def telegram_api_url(self) -> str:
        """TELEGRAM_API_URL for the bot."""
        return f"{self.url}/telegram"

    @property
    def graph_api_url(self) -> str:
        """FACEBOOK_API_URL for the bot."""
        return f"{self.url}/graph/{GRAPH_VERSION}"

    @property
    def slack_api_url(self) -> str:
        """SLACK_API_URL for the bot."""
        return f"{self.url}/slack/api/"

    def start(self) -> FakePlatforms:
        """Serve in a thread; return once it listens."""
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def serve() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._listen())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake platforms did not start")
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._loop is None or self._runner is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def received(self, platform: str, method: str, to: str | None = None) -> list[Call]:
        """The calls to one API method (to one chat or user, if given)."""
        with self._lock:
            calls = [
                c for c in self.calls if (c.platform, c.method) == (platform, method)
            ]
        return [c for c in calls if to is None or _recipient(c) == to]

    def wait_for(
        self,
        platform: str,
        method: str,
        to: str | None = None,
        until: Callable[[list[Call]], bool] = bool,
        timeout: float = 60,
    ) -> list[Call]:
        """``received`` once ``until`` holds for it (the bot may answer late)."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.received(platform, method, to)
            if until(calls) or time.monotonic() > deadline:
                return calls
            time.sleep(0.1)

    async def _listen(self) -> None:
        app = web.Application()
        app.router.add_post("/telegram/bot{token}/{method}", self._telegram)
        app.router.add_post(f"/graph/{GRAPH_VERSION}/me/messages", self._graph)
        app.router.add_post("/slack/api/{method}", self._slack)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    async def _telegram(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            fields = dict(await request.json())
        else:
            fields = {key: value for key, value in (await request.post()).items()}
        if isinstance(fields.get("reply_markup"), str):
            fields["reply_markup"] = json.loads(fields["reply_markup"])
        self._record(Call("telegram", method, fields, request.match_info["token"]))
        result: Any = True
        if method == "sendMessage":
            result = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
                "text": fields.get("text", ""),
            }
        elif method == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "Bot", "username": "bot"}
        return web.json_response({"ok": True, "result": result})

    async def _graph(self, request: web.Request) -> web.Response:
        fields = await request.json()
        token = request.query.get("access_token", "")
        self._record(Call("messenger", "me/messages", fields, token))
        recipient = fields.get("recipient", {}).get("id")
        return web.json_response(
            {"recipient_id": recipient, "message_id": f"m_{next(self._ids)}"}
        )

    async def _slack(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            fields = dict(await request.json())
        else:
            fields = {key: value for key, value in (await request.post()).items()}
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self._record(Call("slack", method, fields, token))
        stamp = f"{time.time():.6f}"
        return web.json_response(
            {"ok": True, "channel": fields.get("channel"), "ts": stamp, "message": {}}
        )


def _recipient(call: Call) -> str | None:
    """The chat, page-scoped id or Slack channel a call was for."""
    if call.platform == "telegram":
        chat = call.fields.get("chat_id")
        return None if chat is None else str(chat)
    if call.platform == "messenger":
        return str(call.fields.get("recipient", {}).get("id"))
    return call.fields.get("channel")
