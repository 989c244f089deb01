"""Pure figures from measured latencies: percentiles, throughput, errors."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank method; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class LoadResult:
    """What one load level of one target measured."""

    target: str
    concurrency: int
    replies: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    # CPU seconds the target's server processes used meanwhile (None: not measured)
    server_cpu_seconds: float | None = None

    @property
    def replies_per_second(self) -> float:
        """Successful replies per second of wall time."""
        return self.replies / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_ms_per_reply(self) -> float | None:
        """The server's CPU milliseconds per successful reply, if measured."""
        if self.server_cpu_seconds is None or not self.replies:
            return None
        return self.server_cpu_seconds * 1000 / self.replies

    @property
    def replies_per_server_core(self) -> float | None:
        """Replies/s one core of its own would give the server (from CPU/reply)."""
        per_reply = self.server_cpu_ms_per_reply
        return 1000 / per_reply if per_reply else None


def summarise(
    target: str,
    concurrency: int,
    latencies_ms: Sequence[float],
    errors: int,
    seconds: float,
    server_cpu_seconds: float | None = None,
) -> LoadResult:
    """Summarise the successful requests' latencies and the error count."""
    return LoadResult(
        target=target,
        concurrency=concurrency,
        replies=len(latencies_ms),
        errors=errors,
        seconds=seconds,
        p50_ms=percentile(latencies_ms, 50),
        p95_ms=percentile(latencies_ms, 95),
        p99_ms=percentile(latencies_ms, 99),
        server_cpu_seconds=server_cpu_seconds,
    )
