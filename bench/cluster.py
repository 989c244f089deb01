"""The cluster part of `make bench`: one and two Rasa servers behind HAProxy.

The deployment of harness/cluster.py (PostgreSQL, Redis, HAProxy routing by
conversation id, the action server) with first one Rasa server, then two, on
this same machine, under the same closed-loop conversations as the
single-process SQLite figures. One extra run with the tracker cache switched
off (TRACKER_CACHE_CONVERSATIONS=0) measures what the cache still buys when
every message also asks PostgreSQL for the conversation's newest event id.
"""

from __future__ import annotations

import asyncio
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.cpu import cpu_seconds
from bench.load import reply_is_not_empty, rest_conversation, run_load
from bench.stats import LoadResult, summarise
from harness.cluster import Cluster
from harness.services import LOAD_TEST_LIMITS

ONE_SERVER = "cluster, 1 Rasa server"
ONE_SERVER_NO_CACHE = "cluster, 1 Rasa server, no tracker cache"
TWO_SERVERS = "cluster, 2 Rasa servers"


def servers_needed(
    conversations: int,
    seconds_between_messages: float,
    replies_per_second_per_server: float,
    headroom: float = 0.5,
) -> int:
    """Rasa servers for ``conversations`` people chatting at once.

    Each sends a message every ``seconds_between_messages`` (reading and
    typing); each server is run at most ``1 - headroom`` of what it managed in
    the closed-loop bench, so the latency stays near the measured one.
    """
    if replies_per_second_per_server <= 0:
        raise ValueError("a server that answers nothing cannot carry any load")
    load = conversations / seconds_between_messages
    return max(1, math.ceil(load / (replies_per_second_per_server * (1 - headroom))))


SIDE_BY_SIDE_ROUNDS = 8
SIDE_BY_SIDE_SECONDS = 5.0
SIDE_BY_SIDE_CONVERSATIONS = 10


@dataclass(frozen=True)
class SideBySide:
    """Replies/s of one cluster server and the SQLite process, round by round.

    Both are up at once and take turns with short loads: on a shared VM the
    same server's rate drifts by a fifth within minutes, so two runs minutes
    apart compare the machine's moods as much as the servers.
    """

    seconds: float
    sqlite: tuple[float, ...]
    cluster: tuple[float, ...]

    @property
    def shares(self) -> list[float]:
        """Each round's cluster rate as a share of the SQLite rate."""
        return [c / s for s, c in zip(self.sqlite, self.cluster, strict=True) if s]

    @property
    def median_share(self) -> float:
        """The median of the rounds' shares (0 when nothing was measured)."""
        return statistics.median(self.shares) if self.shares else 0.0


def side_by_side_order(round_number: int) -> tuple[str, str]:
    """Who goes first in a round: they swap, so neither always follows the other."""
    return ("sqlite", "cluster") if round_number % 2 == 0 else ("cluster", "sqlite")


def measure_side_by_side(
    urls: dict[str, str],
    conversation: Sequence[str],
    rounds: int = SIDE_BY_SIDE_ROUNDS,
    seconds: float = SIDE_BY_SIDE_SECONDS,
) -> SideBySide:
    """Short loads of ten conversations on ``urls`` "sqlite" and "cluster", in turns."""
    rates: dict[str, list[float]] = {"sqlite": [], "cluster": []}
    for number in range(rounds):
        for name in side_by_side_order(number):
            latencies, _, elapsed = asyncio.run(
                run_load(
                    rest_conversation(urls[name], conversation),
                    reply_is_not_empty,
                    SIDE_BY_SIDE_CONVERSATIONS,
                    seconds,
                    len(conversation),
                )
            )
            rates[name].append(len(latencies) / elapsed if elapsed else 0.0)
    return SideBySide(seconds, tuple(rates["sqlite"]), tuple(rates["cluster"]))


def measure_cluster(
    folder: Path,
    conversation: Sequence[str],
    levels: Sequence[int],
    seconds: float,
    progress: Callable[[str], None] = print,
    sqlite_url: str | None = None,
) -> tuple[list[LoadResult], SideBySide | None]:
    """Replies/s and latency through HAProxy, at each level.

    With one Rasa server (without, then with the tracker cache), then two.
    Given the SQLite process's ``sqlite_url``, one server and it also take
    turns (``measure_side_by_side``).
    """
    results: list[LoadResult] = []
    side_by_side: SideBySide | None = None
    # the load comes from one address, many conversations at once: limits raised
    cluster = Cluster(folder, routing="by_conversation", limits=LOAD_TEST_LIMITS)

    def load(name: str) -> None:
        request = rest_conversation(cluster.url, conversation)
        servers = [s.process.pid for s in cluster.rasa if s.process is not None]
        for level in levels:
            progress(f"{name}, {level} conversations")
            cpu_before = cpu_seconds(servers)
            latencies, errors, elapsed = asyncio.run(
                run_load(request, reply_is_not_empty, level, seconds, len(conversation))
            )
            cpu = cpu_seconds(servers) - cpu_before
            results.append(summarise(name, level, latencies, errors, elapsed, cpu))

    try:
        progress("starting the cluster (PostgreSQL, Redis, HAProxy, 1 Rasa server)")
        cluster.extra_env = {"TRACKER_CACHE_CONVERSATIONS": "0"}
        cluster.start(rasa_servers=1)
        load(ONE_SERVER_NO_CACHE)
        cluster.extra_env = {}
        cluster.kill_rasa(1)
        cluster.start_rasa(1)
        load(ONE_SERVER)
        if sqlite_url is not None:
            progress(
                f"one server and the SQLite process taking turns "
                f"({SIDE_BY_SIDE_ROUNDS} x {SIDE_BY_SIDE_SECONDS:.0f} s each)"
            )
            side_by_side = measure_side_by_side(
                {"sqlite": sqlite_url, "cluster": cluster.url}, conversation
            )
        progress("starting the second Rasa server")
        cluster.start_rasa(2)
        load(TWO_SERVERS)
    finally:
        cluster.stop()
    return results, side_by_side
