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
from collections.abc import Callable, Sequence
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


def measure_cluster(
    folder: Path,
    conversation: Sequence[str],
    levels: Sequence[int],
    seconds: float,
    progress: Callable[[str], None] = print,
) -> list[LoadResult]:
    """Replies/s and latency through HAProxy, at each level.

    With one Rasa server (without, then with the tracker cache), then two.
    """
    results: list[LoadResult] = []
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
        progress("starting the second Rasa server")
        cluster.start_rasa(2)
        load(TWO_SERVERS)
    finally:
        cluster.stop()
    return results
