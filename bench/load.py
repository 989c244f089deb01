"""A closed-loop load generator, on loopback only.

N conversations run at once, each sending its next message as soon as it has
the reply, for a fixed time.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import aiohttp

# (url, json body) for message i of a conversation with sender id s
Request = Callable[[str, int], tuple[str, dict[str, Any]]]
# is the response a real reply (not an error, not an empty list)?
Check = Callable[[int, Any], bool]


def rest_conversation(base_url: str, messages: Sequence[str]) -> Request:
    """Messages of a conversation posted to Rasa's REST channel."""

    def request(sender: str, index: int) -> tuple[str, dict[str, Any]]:
        return (
            f"{base_url}/webhooks/rest/webhook",
            {"sender": sender, "message": messages[index % len(messages)]},
        )

    return request


def parse_requests(base_url: str, messages: Sequence[str], token: str) -> Request:
    """Messages sent to /model/parse (NLU only), with the API's token."""

    def request(sender: str, index: int) -> tuple[str, dict[str, Any]]:
        return (
            f"{base_url}/model/parse?token={token}",
            {"text": messages[index % len(messages)]},
        )

    return request


def reply_is_not_empty(status: int, body: Any) -> bool:
    """HTTP 200 with at least one reply (Rasa answers [] when it failed inside)."""
    return status == 200 and bool(body)


async def run_load(
    request: Request,
    check: Check,
    concurrency: int,
    seconds: float,
    conversation_length: int,
    on_reply: Callable[[], None] = lambda: None,
) -> tuple[list[float], int, float]:
    """Run the load; (latencies in ms of good replies, errors, elapsed seconds)."""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency)

    async def conversation(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            sender = uuid.uuid4().hex
            for index in itertools.islice(itertools.count(), conversation_length):
                if time.monotonic() >= deadline:
                    return
                url, body = request(sender, index)
                started = time.perf_counter()
                try:
                    async with session.post(url, json=body) as response:
                        payload = await response.json(content_type=None)
                        ok = check(response.status, payload)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                if ok:
                    latencies.append(1000 * (time.perf_counter() - started))
                    on_reply()
                else:
                    errors += 1

    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(conversation(session) for _ in range(concurrency)))
    return latencies, errors, time.monotonic() - started
