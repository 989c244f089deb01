"""How often the event loop ran another task while a piece of work waited.

A store call that blocks the Rasa server's one event loop stops every other
conversation on that server; one that awaits lets them go on. A task that
ticks every 10 ms beside the work tells the two apart: blocked, it ticks once
or twice in a second; free, about a hundred times.
"""

from __future__ import annotations

import asyncio

TICK_SECONDS = 0.01


async def ticks_while(work: asyncio.Future) -> int:
    """How often another task of this loop ran (every 10 ms) until ``work`` ended."""
    ticks = 0
    while not work.done():
        await asyncio.sleep(TICK_SECONDS)
        ticks += 1
    return ticks


def loop_kept_running(ticks: int, waited_seconds: float) -> bool:
    """At least half the ticks a free loop gives in ``waited_seconds``."""
    return ticks >= 0.5 * waited_seconds / TICK_SECONDS
