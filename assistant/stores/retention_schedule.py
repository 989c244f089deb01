"""Retention on its own: the Rasa server purges at start and every hour.

Conversations with nothing new for ``RETENTION_DAYS`` are deleted by the
server itself, whatever channels credentials.yml lists: the schedule is
started by the tracker store (``CachedSQLTrackerStore``), which endpoints.yml
always configures and which owns the ``events`` table. ``rasa run`` creates
it while loading the agent, in a Sanic ``before_server_start`` listener, so
the server's event loop is running; ``start_with_server`` then adds the
schedule as a task of that Sanic app (``app.add_task``). Sanic cancels the
app's tasks on shutdown and waits for them: the batch under way ends, and
nothing is left pending. Where no Sanic server runs (``Agent.load`` in a
script or the evaluation, ``make purge``), nothing is scheduled.

Each run is ``retention.purge_in_store``: the SQL in a worker thread, one
batch per transaction, each conversation's lock held while its batch is
deleted. On PostgreSQL a server that finds another one purging skips that
hour. A failure is logged by its type only (never a conversation's id or
text) and the next hour tries again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sanic import Sanic
from sanic.exceptions import SanicException

from assistant.stores import retention

logger = logging.getLogger(__name__)

TASK_NAME = "assistant.retention.purge_every_hour"
# the first purge waits this long after start-up, so it never slows loading
FIRST_PURGE_AFTER_SECONDS = 5.0
AGENT_POLL_SECONDS = 1.0


def running_server() -> Sanic | None:
    """The Sanic app whose event loop is running this code, if any."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    try:
        app = Sanic.get_app()  # Rasa makes exactly one
    except SanicException:
        return None
    if not app.state.is_started or app.loop is not loop:
        return None
    return app


def start_with_server(days: int) -> bool:
    """Schedule the purge on the running Rasa server; False if none runs."""
    app = running_server()
    if app is None:
        logger.debug("No running server: conversations are purged by `make purge`.")
        return False
    existing = app.get_task(TASK_NAME, raise_exception=False)
    if existing is not None and not existing.done():
        return True
    app.add_task(purge_every_hour(app, days), name=TASK_NAME)
    return True


async def purge_every_hour(
    app: Sanic,
    days: int,
    first_after: float = FIRST_PURGE_AFTER_SECONDS,
    interval: float = retention.PURGE_INTERVAL_SECONDS,
) -> None:
    """Purge soon after start, then every ``interval`` seconds, until cancelled."""
    await asyncio.sleep(first_after)
    while True:
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            await asyncio.sleep(AGENT_POLL_SECONDS)  # still loading
            continue
        await purge_once(agent, days)
        await asyncio.sleep(interval)


async def purge_once(agent: Any, days: int) -> int | None:
    """One scheduled purge, its outcome logged; None if it did not run."""
    try:
        deleted = await retention.purge_in_store(
            agent, days, wait_for_other_servers=False
        )
    except asyncio.CancelledError:
        raise
    except Exception as error:  # keep purging next hour
        logger.error(
            "Purging conversations older than %d days failed (%s); "
            "trying again in an hour.",
            days,
            type(error).__name__,
        )
        return None
    if deleted is None:
        logger.debug("Another server is purging old conversations; skipped.")
    elif deleted:
        logger.info(
            "Deleted %d conversations with nothing new for %d days.", deleted, days
        )
    return deleted
