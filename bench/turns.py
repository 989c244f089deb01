"""What a reply costs as the conversation grows: turn 5, 50 and 200 of one.

One conversation on the REST channel (127.0.0.1), one message at a time,
cycling through FAQ questions, 204 turns. The cost at turn n is the median
latency of the replies to turns n-4 .. n+4, so one slow reply (a garbage
collection, the scheduler) does not decide it.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import requests

TURNS = (5, 50, 200)
WINDOW = 4  # replies on each side of the turn


@dataclass(frozen=True)
class TurnCost:
    """Median reply time (ms) at each turn of one conversation."""

    target: str
    milliseconds: dict[int, float]

    @property
    def growth(self) -> float:
        """Cost at the last turn over cost at the first."""
        first, last = self.milliseconds[TURNS[0]], self.milliseconds[TURNS[-1]]
        return last / first


def turn_windows(
    turns: Sequence[int] = TURNS, window: int = WINDOW
) -> dict[int, range]:
    """The replies (1-based turn numbers) whose median is the cost at each turn."""
    return {turn: range(max(1, turn - window), turn + window + 1) for turn in turns}


def measure_turn_cost(base_url: str, messages: Sequence[str], target: str) -> TurnCost:
    """Talk one conversation to ``base_url`` for 204 turns; the cost at each turn."""
    windows = turn_windows()
    last_turn = max(max(window) for window in windows.values())
    sender = f"turns-{uuid.uuid4().hex}"
    latencies: dict[int, float] = {}
    with requests.Session() as session:
        for turn in range(1, last_turn + 1):
            started = time.perf_counter()
            response = session.post(
                f"{base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": messages[turn % len(messages)]},
                timeout=30,
            )
            elapsed = 1000 * (time.perf_counter() - started)
            if response.status_code != 200 or not response.json():
                raise RuntimeError(
                    f"{target}: turn {turn} got {response.status_code} "
                    f"{response.text[:200]}"
                )
            latencies[turn] = elapsed
    return TurnCost(
        target,
        {
            turn: statistics.median(latencies[number] for number in window)
            for turn, window in windows.items()
        },
    )
