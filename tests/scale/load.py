"""Conversations sent through the load balancer, and what PostgreSQL kept of them.

A client sends a conversation's messages one after the other and, like a real
client, sends a message again when the cluster answered 502/503/504 or the
connection broke (a server died, the database or Redis is down); it never
sends one again after a real reply.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import sqlalchemy as sa

RETRIED_STATUSES = {502, 503, 504}

DANISH = [
    "hej",
    "Hvad er bækkenløsning?",
    "Will the pain go away after birth?",
    "Hvem skal jeg kontakte?",
    "gravid",
    "/deny",
    "uge 24",
    "5",
    "trapper",
    "nej",
]
ENGLISH = [
    "hello",
    "What is pelvic girdle pain?",
    "Hvad er bækkenløsning?",
    "Who should I contact?",
    "pregnant",
    "/deny",
    "week 24",
    "5",
    "stairs",
    "no",
]


def messages_for(index: int) -> tuple[list[str], str]:
    """Conversation ``index``'s messages and the language it ends in."""
    return (DANISH, "da") if index % 2 == 0 else (ENGLISH, "en")


@dataclass
class Turn:
    """One message and what the client got for it in the end."""

    message: str
    replies: list[str] = field(default_factory=list)
    server: str = ""
    statuses: list[int] = field(default_factory=list)  # 0: connection broke

    @property
    def attempts(self) -> int:
        """How often the message was sent."""
        return len(self.statuses)


async def converse(
    session: aiohttp.ClientSession,
    url: str,
    sender: str,
    messages: list[str],
    give_up_after: float = 120.0,
    on_turn: Any = None,
    on_send: Any = None,
) -> list[Turn]:
    """Send the messages in order, each again until it gets a real answer.

    ``on_turn()`` is called after each answer; ``on_send(sender, server)`` as
    each message is first sent, with the server that answered the one before.
    """
    turns: list[Turn] = []
    for message in messages:
        turn = Turn(message)
        if on_send is not None:
            on_send(sender, turns[-1].server if turns else "")
        deadline = time.monotonic() + give_up_after
        while True:
            try:
                async with session.post(
                    f"{url}/webhooks/rest/webhook",
                    json={"sender": sender, "message": message},
                ) as response:
                    turn.statuses.append(response.status)
                    if response.status not in RETRIED_STATUSES:
                        body = await response.json(content_type=None)
                        turn.replies = [r.get("text", "") for r in body]
                        turn.server = response.headers.get("X-Served-By", "")
                        break
            except (aiohttp.ClientError, asyncio.TimeoutError):
                turn.statuses.append(0)
            if time.monotonic() > deadline:
                raise AssertionError(f"{sender}: no answer to {message!r} in time")
            await asyncio.sleep(0.5)
        turns.append(turn)
        if on_turn is not None:
            on_turn()
    return turns


async def run_conversations(
    url: str, senders: list[str], on_turn: Any = None, on_send: Any = None
) -> dict[str, list[Turn]]:
    """All conversations at once; each one's turns."""
    timeout = aiohttp.ClientTimeout(total=90)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        results = await asyncio.gather(
            *(
                converse(
                    session,
                    url,
                    sender,
                    messages_for(i)[0],
                    on_turn=on_turn,
                    on_send=on_send,
                )
                for i, sender in enumerate(senders)
            )
        )
    return dict(zip(senders, results, strict=True))


def stored_events(database_url: str, sender: str) -> list[dict[str, Any]]:
    """The conversation's events as PostgreSQL holds them, in order."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": sender},
            ).fetchall()
    finally:
        engine.dispose()
    return [json.loads(row[0]) for row in rows]


def stored_turns(events: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """(user message, the bot's texts after it) for each stored user message."""
    turns: list[tuple[str, list[str]]] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event.get("text") or "", []))
        elif event["event"] == "bot" and turns:
            turns[-1][1].append(event.get("text") or "")
    return turns


def final_slot(events: list[dict[str, Any]], name: str) -> Any:
    """The value the conversation's last ``slot`` event gave ``name``."""
    value = None
    for event in events:
        if event["event"] == "slot" and event.get("name") == name:
            value = event.get("value")
    return value
