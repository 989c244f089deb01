"""The retention step of `make bench`: purging 100,000 old events while answering.

Fills an SQLite database with 2,000 conversations of 50 events each, all 40
days old (the rows Rasa's ``SQLTrackerStore`` writes, via the project's
``event_row``), starts the real Rasa server on it with the shipped
endpoints.yml and credentials.yml, and, as soon as it answers, sends the
bench conversation (two at a time, closed loop) and asks a route that does
no work (``GET /webhooks/rest/``) every 10 ms, until the server's scheduled
purge has deleted them all, and as long again afterwards.

The purge is seen from outside: the bench asks the database, by the index,
whether the first and the last old conversation (the purge goes in id order)
are still there. Its window runs from the scan (``SCAN_ALLOWANCE`` before the
first conversation went: at least three times what the same scan takes in the
bench before the server starts, and at least 1 s) to the last one gone.

- **worst reply during the purge**, against the median reply outside it (the
  same server and load before and after, the first 2 s of warm-up left out);
- **longest stall of the event loop** during the purge: the slowest answer of
  the no-work route (it waits for nothing but the event loop), and outside it.

Usage, this step alone: python -m bench.retention
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import sqlalchemy as sa

from bench.load import reply_is_not_empty
from bench.stats import percentile
from harness.servers import ActionServer, RasaServer
from knowledge import intents

CONVERSATIONS = 2_000
EVENTS_PER_CONVERSATION = 50
AGE_DAYS = 40
CONCURRENT_CONVERSATIONS = 2
PROBE_INTERVAL_SECONDS = 0.01
WATCH_INTERVAL_SECONDS = 0.02
PURGE_TIMEOUT_SECONDS = 180.0
HELD_UP_TARGET_MS = 100.0
WARM_UP_SECONDS = 2.0
MINIMUM_SCAN_ALLOWANCE_SECONDS = 1.0

# (when it was sent, monotonic seconds; how long it took, ms)
Sample = tuple[float, float]


@dataclass(frozen=True)
class RetentionResult:
    """What the retention step measured."""

    events: int
    conversations: int
    scan_seconds: float  # the stale-conversation scan, run in the bench
    purge_seconds: float  # first old conversation gone to last gone
    purge_started_after_seconds: float  # from the first request
    replies_during: int
    errors: int
    p50_reply_during_ms: float
    worst_reply_during_ms: float
    longest_stall_during_ms: float
    p50_reply_outside_ms: float
    worst_reply_outside_ms: float
    longest_stall_outside_ms: float

    @property
    def held_up_ms(self) -> float:
        """How much longer the worst reply in the purge took than the median."""
        return max(0.0, self.worst_reply_during_ms - self.p50_reply_outside_ms)

    @property
    def target_met(self) -> bool:
        """No reply held up by more than 100 ms, no stall of more than 100 ms."""
        return (
            self.held_up_ms <= HELD_UP_TARGET_MS
            and self.longest_stall_during_ms <= HELD_UP_TARGET_MS
            and self.errors == 0
        )


def sender_id(index: int) -> str:
    """The old conversations' ids, in the order the purge goes."""
    return f"old-{index:05d}"


def old_conversation_rows(sender: str, at: float, events: int) -> list[dict]:
    """``events`` rows of one conversation, as Rasa's SQL store writes them."""
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        UserUttered,
    )

    from assistant.stores.tracker_store import event_row

    made = [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        ActionExecuted("action_listen", timestamp=at),
    ]
    turn = 0
    while len(made) < events:
        made.append(
            UserUttered(
                "Kommer bækkenløsning igen ved næste graviditet?",
                {"name": intents.FAQ, "confidence": 0.97},
                timestamp=at + turn,
            )
        )
        made.append(BotUttered("Det kan det godt ...", timestamp=at + turn + 1))
        turn += 2
    return [event_row(sender, event) for event in made[:events]]


def fill_database(
    database: Path,
    conversations: int = CONVERSATIONS,
    events_per_conversation: int = EVENTS_PER_CONVERSATION,
    age_days: float = AGE_DAYS,
) -> int:
    """Rasa's events table with that many old conversations; rows written."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    store = SQLTrackerStore(Domain.empty(), db=str(database))  # Rasa's schema
    table = store.SQLEvent.__table__
    at = time.time() - age_days * 86_400
    written = 0
    with store.engine.begin() as connection:
        for index in range(conversations):
            rows = old_conversation_rows(sender_id(index), at, events_per_conversation)
            connection.execute(sa.insert(table), rows)
            written += len(rows)
    store.engine.dispose()
    return written


def purge_window(
    first_gone_at: float, last_gone_at: float, scan_seconds: float
) -> tuple[float, float]:
    """(start, end) of the purge seen from outside, its scan included."""
    allowance = max(MINIMUM_SCAN_ALLOWANCE_SECONDS, 3 * scan_seconds)
    return first_gone_at - allowance, max(first_gone_at, last_gone_at)


def within(samples: Sequence[Sample], start: float, end: float) -> list[float]:
    """The latencies of the requests sent between ``start`` and ``end``."""
    return [latency for sent, latency in samples if start <= sent <= end]


def outside(
    samples: Sequence[Sample], window: tuple[float, float], after: float
) -> list[float]:
    """The latencies of the requests sent after ``after`` but not in ``window``."""
    start, end = window
    return [
        latency
        for sent, latency in samples
        if sent >= after and not start <= sent <= end
    ]


def scan_seconds(database: Path) -> float:
    """How long the purge's scan of this database takes, run here."""
    from assistant.stores.retention import cutoff, stale_conversation_sizes

    engine = sa.create_engine(f"sqlite:///{database}")
    started = time.perf_counter()
    with engine.connect() as connection:
        stale_conversation_sizes(connection, cutoff(time.time(), 30))
    engine.dispose()
    return time.perf_counter() - started


def conversation_is_stored(database: Path, sender: str) -> bool:
    """Whether the conversation has a row in the database (one index probe)."""
    with sqlite3.connect(database, timeout=30) as connection:
        row = connection.execute(
            "SELECT 1 FROM events WHERE sender_id = ? LIMIT 1", (sender,)
        ).fetchone()
    return row is not None


async def _measure(
    server_url: str,
    database: Path,
    conversation: Sequence[str],
    conversations: int,
) -> tuple[list[Sample], list[Sample], int, float, float, float]:
    """(replies, probes, errors, load start, first gone, last gone)."""
    replies: list[Sample] = []
    probes: list[Sample] = []
    errors = 0
    first, last = sender_id(0), sender_id(conversations - 1)
    first_gone: float | None = None
    last_gone: float | None = None
    stop_at = time.monotonic() + PURGE_TIMEOUT_SECONDS
    started = time.monotonic()

    async def watch() -> None:
        nonlocal first_gone, last_gone, stop_at
        while last_gone is None and time.monotonic() < stop_at:
            now = time.monotonic()
            if first_gone is None and not await asyncio.to_thread(
                conversation_is_stored, database, first
            ):
                first_gone = now
            if first_gone is not None and not await asyncio.to_thread(
                conversation_is_stored, database, last
            ):
                last_gone = now
                # as long again afterwards, at least 10 s, for comparison
                stop_at = now + max(10.0, now - started) + 0.5
            await asyncio.sleep(WATCH_INTERVAL_SECONDS)

    async def talk(session: aiohttp.ClientSession, number: int) -> None:
        nonlocal errors
        round_ = 0
        while time.monotonic() < stop_at:
            sender = f"bench-{number}-{round_}"
            round_ += 1
            for message in conversation:
                if time.monotonic() >= stop_at:
                    return
                sent = time.monotonic()
                try:
                    async with session.post(
                        f"{server_url}/webhooks/rest/webhook",
                        json={"sender": sender, "message": message},
                    ) as response:
                        body = await response.json(content_type=None)
                        ok = reply_is_not_empty(response.status, body)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                if ok:
                    replies.append((sent, 1000 * (time.monotonic() - sent)))
                else:
                    errors += 1

    async def probe(session: aiohttp.ClientSession) -> None:
        while time.monotonic() < stop_at:
            sent = time.monotonic()
            async with session.get(f"{server_url}/webhooks/rest/") as response:
                await response.read()
            probes.append((sent, 1000 * (time.monotonic() - sent)))
            await asyncio.sleep(PROBE_INTERVAL_SECONDS)

    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await asyncio.gather(
            watch(),
            probe(session),
            *(talk(session, n) for n in range(CONCURRENT_CONVERSATIONS)),
        )
    if first_gone is None or last_gone is None:
        raise RuntimeError(
            f"The server did not purge the old conversations in "
            f"{PURGE_TIMEOUT_SECONDS:.0f} s."
        )
    return replies, probes, errors, started, first_gone, last_gone


def measure_retention(
    work: Path,
    conversation: Sequence[str],
    conversations: int = CONVERSATIONS,
    events_per_conversation: int = EVENTS_PER_CONVERSATION,
    progress: Callable[[str], None] = lambda _: None,
) -> RetentionResult:
    """Fill a database, start the server on it, measure while it purges."""
    work.mkdir(parents=True, exist_ok=True)
    database = work / "retention.db"
    progress(f"writing {conversations * events_per_conversation:,} old events")
    events = fill_database(database, conversations, events_per_conversation)
    scan = scan_seconds(database)
    actions = ActionServer(work).start()
    server = RasaServer(  # the shipped endpoints.yml, DB_NAME=database
        work, database, actions.url, enable_api=False, name="rasa-retention"
    )
    try:
        progress("starting the server and talking while it purges")
        server.start()
        replies, probes, errors, started, first_gone, last_gone = asyncio.run(
            _measure(server.url, database, conversation, conversations)
        )
    finally:
        server.stop()
        actions.stop()
    window = purge_window(first_gone, last_gone + WATCH_INTERVAL_SECONDS, scan)
    if window[0] < started + WARM_UP_SECONDS:
        raise RuntimeError("The purge began before the load was under way.")
    during = within(replies, *window)
    others = outside(replies, window, started + WARM_UP_SECONDS)
    stalls_outside = outside(probes, window, started + WARM_UP_SECONDS)
    return RetentionResult(
        events=events,
        conversations=conversations,
        scan_seconds=scan,
        purge_seconds=last_gone - first_gone,
        purge_started_after_seconds=first_gone - started,
        replies_during=len(during),
        errors=errors,
        p50_reply_during_ms=percentile(during, 50),
        worst_reply_during_ms=max(during, default=0.0),
        longest_stall_during_ms=max(within(probes, *window), default=0.0),
        p50_reply_outside_ms=percentile(others, 50),
        worst_reply_outside_ms=max(others, default=0.0),
        longest_stall_outside_ms=max(stalls_outside, default=0.0),
    )


def describe(result: RetentionResult) -> list[str]:
    """The figures, one a line."""
    return [
        f"{result.events:,} old events in {result.conversations:,} conversations "
        f"deleted in {result.purge_seconds:.1f} s (first gone "
        f"{result.purge_started_after_seconds:.1f} s after the first request; "
        f"the scan alone {1000 * result.scan_seconds:.0f} ms)",
        f"during the purge: {result.replies_during} replies, p50 "
        f"{result.p50_reply_during_ms:.0f} ms, worst {result.worst_reply_during_ms:.0f}"
        f" ms; longest event-loop stall {result.longest_stall_during_ms:.0f} ms",
        f"outside it: p50 {result.p50_reply_outside_ms:.0f} ms, worst "
        f"{result.worst_reply_outside_ms:.0f} ms; longest stall "
        f"{result.longest_stall_outside_ms:.0f} ms",
        f"a reply held up by at most {result.held_up_ms:.0f} ms; errors "
        f"{result.errors}; target (≤ {HELD_UP_TARGET_MS:.0f} ms) "
        f"{'met' if result.target_met else 'NOT met'}",
    ]


def main() -> int:
    """Run this step alone and print its figures (the report is not written)."""
    from bench.run import CONVERSATION

    with tempfile.TemporaryDirectory() as tmp:
        result = measure_retention(
            Path(tmp), CONVERSATION, progress=lambda what: print(f"{what} ...")
        )
    print("\n".join(describe(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
